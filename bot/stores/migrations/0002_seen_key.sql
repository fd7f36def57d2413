-- Dedupe keys (bot/dedupe.py) and other keyed lookups: one index on the key, whatever the table.
CREATE INDEX IF NOT EXISTS leakwatch_documents_key ON leakwatch_documents ((body ->> 'key'), tbl);
