"""The PostgreSQL store, for replicas: any number of bot processes share one database.

Selected by DATABASE_URL (bot/store.py). psycopg 3 with a connection pool (psycopg_pool). The
schema is created and migrated by the bot from the versioned SQL files in
bot/stores/migrations/ (`0001_documents.sql`, ...), each applied once, in order, under an advisory
lock so replicas starting together do not race; `leakwatch_migrations` records what was applied.

The interface is the embedded store's (bot/stores/tinydb.py): named tables of JSON documents with
ids. What makes it safe across processes:
- `modify` reads the row `FOR UPDATE` inside a transaction: read-modify-writes from several
  processes serialise on the row (100 parallel checklist clicks lose nothing);
- `modify(..., skip_locked=True)` and `due(...)` use `FOR UPDATE SKIP LOCKED`: due work (a
  reminder, a takedown poll, a watch run) that another replica is claiming right now is skipped,
  so each runs once;
- `transaction(scope)` runs its statements in one transaction holding a transaction-level
  advisory lock on `scope` (e.g. one incident's job list);
- `named_lock(name)` holds a session-level advisory lock across a multi-step operation that talks
  to Slack (opening one incident's room), re-entrant within a thread;
- ids come from `leakwatch_ids`, incremented atomically.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from bot.stores.tinydb import Record

log = logging.getLogger("bot.store")

MIGRATIONS_LOCK = 7_405_001  # the advisory lock key replicas take while migrating
POOL_MAX = 20


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration file, in order."""
    found = []
    for entry in resources.files("bot.stores.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class PostgresTable:
    def __init__(self, store: PostgresStore, name: str):
        self._store = store
        self.name = name

    def insert(self, doc: dict) -> int:
        with self._store._cursor(transaction=True) as cur:
            cur.execute("INSERT INTO leakwatch_ids (tbl, last_id) VALUES (%s, 1) ON CONFLICT (tbl) DO UPDATE "
                        "SET last_id = leakwatch_ids.last_id + 1 RETURNING last_id", (self.name,))
            doc_id = cur.fetchone()[0]
            cur.execute("INSERT INTO leakwatch_documents (tbl, id, body) VALUES (%s, %s, %s)",
                        (self.name, doc_id, Jsonb(doc)))
            return doc_id

    def get(self, doc_id: int) -> Record | None:
        with self._store._cursor() as cur:
            cur.execute("SELECT body FROM leakwatch_documents WHERE tbl = %s AND id = %s", (self.name, doc_id))
            row = cur.fetchone()
            return Record(row[0], doc_id) if row else None

    def all(self) -> list[Record]:
        return self.search()

    def search(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> list[Record]:
        with self._store._cursor() as cur:
            if where:
                cur.execute("SELECT id, body FROM leakwatch_documents WHERE tbl = %s AND body @> %s ORDER BY id",
                            (self.name, Jsonb(where)))
            else:
                cur.execute("SELECT id, body FROM leakwatch_documents WHERE tbl = %s ORDER BY id", (self.name,))
            rows = cur.fetchall()
        return [Record(body, doc_id) for doc_id, body in rows if predicate is None or predicate(body)]

    def first(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> Record | None:
        found = self.search(predicate, where=where)
        return found[0] if found else None

    def count(self, predicate: Callable[[dict], bool] | None = None) -> int:
        if predicate is not None:
            return len(self.search(predicate))
        with self._store._cursor() as cur:
            cur.execute("SELECT count(*) FROM leakwatch_documents WHERE tbl = %s", (self.name,))
            return cur.fetchone()[0]

    def due(self, field: str, before: str, *, where: dict | None = None) -> list[Record]:
        """Documents matching `where` whose `field` (an ISO time) is at or before `before`, oldest
        first, skipping rows another replica holds locked right now (it is claiming them)."""
        with self._store._cursor(transaction=True) as cur:
            cur.execute("SELECT id, body FROM leakwatch_documents WHERE tbl = %s AND body @> %s "  # noqa: S608
                        "AND body ->> %s <= %s ORDER BY body ->> %s, id FOR UPDATE SKIP LOCKED",
                        (self.name, Jsonb(where or {}), field, before, field))
            return [Record(body, doc_id) for doc_id, body in cur.fetchall()]

    def update(self, doc_id: int, fields: dict) -> None:
        with self._store._cursor() as cur:
            cur.execute("UPDATE leakwatch_documents SET body = body || %s WHERE tbl = %s AND id = %s",
                        (Jsonb(fields), self.name, doc_id))

    def modify(self, doc_id: int, change: Callable[[dict], Any], *, skip_locked: bool = False) -> Record | None:
        """Read-modify-write one document in a transaction, the row locked meanwhile. None when the
        document does not exist, or (with `skip_locked`) when another process holds it now."""
        lock = "FOR UPDATE SKIP LOCKED" if skip_locked else "FOR UPDATE"
        with self._store._cursor(transaction=True) as cur:
            cur.execute(f"SELECT body FROM leakwatch_documents WHERE tbl = %s AND id = %s {lock}",  # noqa: S608
                        (self.name, doc_id))
            row = cur.fetchone()
            if row is None:
                return None
            doc = row[0]
            change(doc)
            cur.execute("UPDATE leakwatch_documents SET body = %s WHERE tbl = %s AND id = %s",
                        (Jsonb(doc), self.name, doc_id))
            return Record(doc, doc_id)

    def remove(self, doc_id: int) -> None:
        with self._store._cursor() as cur:
            cur.execute("DELETE FROM leakwatch_documents WHERE tbl = %s AND id = %s", (self.name, doc_id))


class PostgresStore:
    kind = "postgresql"

    def __init__(self, url: str, *, pool_max: int = POOL_MAX):
        self.url = url
        self.read_only = False
        self.pool = ConnectionPool(url, min_size=1, max_size=pool_max, kwargs={"autocommit": True}, open=True,
                                   name="leakwatch")
        self._local = threading.local()
        self.migrate()

    # -- connections ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _cursor(self, *, transaction: bool = False) -> Iterator[Any]:
        """A cursor on this thread's open transaction when there is one, else on a pooled
        connection (in a transaction of its own when asked)."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            with conn.cursor() as cur:
                yield cur
            return
        with self.pool.connection() as conn:
            if transaction:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            else:
                with conn.cursor() as cur:
                    yield cur

    @contextlib.contextmanager
    def transaction(self, scope: str | None = None) -> Iterator[PostgresStore]:
        """Everything inside runs in one transaction on one connection, holding a transaction-level
        advisory lock on `scope` (replicas doing the same read-modify-write wait their turn)."""
        if getattr(self._local, "conn", None) is not None:  # nested: the outer transaction holds
            if scope:
                with self._local.conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (scope,))
            yield self
            return
        with self.pool.connection() as conn, conn.transaction():
            if scope:
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (scope,))
            self._local.conn = conn
            try:
                yield self
            finally:
                self._local.conn = None

    @contextlib.contextmanager
    def named_lock(self, name: str) -> Iterator[None]:
        """A session-level advisory lock across replicas for a multi-step operation; re-entrant
        within a thread (the same thread asking again passes)."""
        held = self._local.__dict__.setdefault("named", set())
        if name in held:
            yield
            return
        with self.pool.connection() as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_lock(hashtext(%s))", (name,))
            held.add(name)
            try:
                yield
            finally:
                held.discard(name)
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(hashtext(%s))", (name,))

    # -- schema -----------------------------------------------------------------------------------

    def migrate(self) -> list[str]:
        """Apply the migration files not applied yet, in order; returns their names."""
        applied = []
        with self.pool.connection() as conn:
            with conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_lock(%s)", (MIGRATIONS_LOCK,))
            try:
                with conn.cursor() as cur:
                    cur.execute("CREATE TABLE IF NOT EXISTS leakwatch_migrations (version integer PRIMARY KEY, "
                                "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")
                    cur.execute("SELECT version FROM leakwatch_migrations")
                    done = {row[0] for row in cur.fetchall()}
                for version, name, sql in migrations():
                    if version in done:
                        continue
                    with conn.transaction(), conn.cursor() as cur:
                        cur.execute(sql)
                        cur.execute("INSERT INTO leakwatch_migrations (version, name) VALUES (%s, %s)", (version, name))
                    applied.append(name)
                    log.info("store: applied migration %s", name)
            finally:
                with conn.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", (MIGRATIONS_LOCK,))
        return applied

    # -- the interface ----------------------------------------------------------------------------

    def table(self, name: str) -> PostgresTable:
        return PostgresTable(self, name)

    def snapshot(self) -> dict[str, dict[str, dict]]:
        with self._cursor() as cur:
            cur.execute("SELECT tbl, id, body FROM leakwatch_documents ORDER BY tbl, id")
            tables: dict[str, dict[str, dict]] = {}
            for name, doc_id, body in cur.fetchall():
                tables.setdefault(name, {})[str(doc_id)] = body
            return tables

    def health(self) -> dict:
        """Which store, and whether a write can land (reachable, not a read-only standby)."""
        try:
            with self.pool.connection(timeout=5) as conn, conn.cursor() as cur:
                cur.execute("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')")
                recovery, read_only = cur.fetchone()
            return {"store": self.kind, "writable": not recovery and read_only == "off"}
        except Exception as err:  # noqa: BLE001 - a health check reports, it does not raise
            return {"store": self.kind, "writable": False, "error": type(err).__name__}

    def close(self) -> None:
        self.pool.close()
