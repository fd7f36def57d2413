-- Leakwatch's tables on PostgreSQL: every record is a JSON document in a named table, as in the
-- embedded store (bot/stores/tinydb.py), so both stores offer one interface.
CREATE TABLE IF NOT EXISTS leakwatch_documents (
    tbl  text   NOT NULL,
    id   bigint NOT NULL,
    body jsonb  NOT NULL,
    PRIMARY KEY (tbl, id)
);
-- `where` equality lookups (body @> '{"incident": 3}')
CREATE INDEX IF NOT EXISTS leakwatch_documents_body ON leakwatch_documents USING gin (body jsonb_path_ops);
-- due work: pending jobs by due time, claimed with FOR UPDATE SKIP LOCKED
CREATE INDEX IF NOT EXISTS leakwatch_documents_due ON leakwatch_documents ((body ->> 'due_at'))
    WHERE tbl = 'jobs' AND body ->> 'status' = 'pending';
-- ids per table, handed out atomically across replicas (the incident number is its id)
CREATE TABLE IF NOT EXISTS leakwatch_ids (
    tbl     text   PRIMARY KEY,
    last_id bigint NOT NULL
);
