"""Moving a one-process bot onto replicas: everything in the TinyDB store at DATABASE_PATH copied into
the PostgreSQL database at DATABASE_URL, once (`python -m bot store import`, bot/stores/cli.py).

Contract:
- `read_source(path)` takes the TinyDB writer's lock (bot/stores/lock.py) and holds it until the
  copy is over: a bot running on the files refuses the import (`Refused`, naming the process), and
  a bot started during it refuses to start, so nothing written meanwhile is lost. The files are
  opened read-only (an old single-file layout is read as it is, not rewritten).
- Every table is copied, whatever its name, each record under its own id (the incident number is
  its id; events, checklists, jobs and fingerprints name it), and `leakwatch_ids` is moved past the
  highest id so new records never collide.
- The fingerprint key the bot made beside the database (`fingerprint.key`, bot/store.py
  fingerprint_key_beside) becomes the shared key replicas read from the `meta` table
  (shared_fingerprint_key): fingerprints of the same value stay the same after the move.
- A dry run (`plan`) reads beside a running bot too and lists every reason the import would be
  refused now, instead of stopping at the first.
- The target must hold no record at all (`Refused` otherwise; no merge). Everything is written in
  one PostgreSQL transaction that first locks `leakwatch_documents` against writers, so a failure
  or a crash part-way leaves the target as empty as it was.
- `Plan` says what is (or would be) copied as counts per table: never a record's content, a key
  or a password (the target is named as host:port/dbname).
- After the copy, a note beside the files (`<database>.moved`: where to and when) makes a bot
  started on them again refuse (`moved_to`, checked by bot/store.py open_store): it would not see
  what the replicas write. A second import from the same files is refused the same way; deleting
  the note (by hand, on purpose) allows both again.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import LeakwatchError
from bot.store import KEY_FILE, KEY_NAME, META_TABLE
from bot.stores import batch as write_batch
from bot.stores import lock as writer_lock
from bot.stores.atomic import fsync_dir, private_temp_file

CONNECT_SECONDS = 10


class Refused(LeakwatchError):
    """The import cannot be done (safely); one sentence, nothing written."""

    code = "store_import"


@dataclass
class Source:
    """The TinyDB store's every table as {id: document}, and the fingerprint key beside it."""

    path: Path
    #: never in a repr (a log line, an assertion message): records and the key stay out of output
    tables: dict[str, dict[int, dict]] = field(repr=False)
    key: str | None = field(repr=False)
    #: where the key came from: "file" (fingerprint.key), "meta" (already in the store), or None
    key_from: str | None
    #: a dry run beside a running bot: why the import itself would be refused
    in_use: str | None = None


@dataclass
class Plan:
    source: Source
    target: str  # host:port/dbname, never the URL (it may hold a password)
    #: a dry run: why the import would be refused now (one sentence each)
    refusals: list[str] = field(default_factory=list)
    #: after the copy: the note against a restart on the old files could not be left (one sentence)
    unmarked: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(docs) for name, docs in sorted(self.source.tables.items())}

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def where(url: str) -> str:
    """host:port/dbname of a PostgreSQL URL, for messages (no user, no password)."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - a malformed URL is named as such, never echoed
        return "the DATABASE_URL database"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


@contextlib.contextmanager
def read_source(database_path: str | Path, *, beside_a_bot: bool = False) -> Iterator[Source]:
    """The TinyDB store at `database_path`, read while this process holds its writer's lock (held
    until the block ends). `beside_a_bot` (a dry run): when a bot holds the lock, the files are
    read without it (each is replaced whole, so what is read is whole) and `Source.in_use` says
    why the import itself would be refused."""
    path = Path(database_path)
    if not path.is_file():
        raise Refused(f"There is no TinyDB database at {path} (set --database or DATABASE_PATH).")
    moved = moved_note(path)
    if moved is not None and not beside_a_bot:
        raise Refused(moved)
    try:
        writer_lock.acquire(path)
    except writer_lock.StoreInUse:
        other = writer_lock.holder(path) or {}
        who = f"process {other.get('pid', '?')} on {other.get('host', '?')}" if other else "another process"
        busy = (f"The database {path} is in use by a running bot ({who}); stop it first, so that nothing it "
                "writes during the copy is lost.")
    except OSError as err:
        raise Refused(f"The database {path} could not be locked ({type(err).__name__}); run the import as the "
                      "bot's user.") from None
    else:
        try:
            write_batch.replay(path)  # a transaction a crash cut short: finished before it is copied
            yield _read(path)
        finally:
            writer_lock.release(path)
        return
    if not beside_a_bot:
        raise Refused(busy)
    source = _read(path)  # the running bot replayed any journal at its start
    source.in_use = busy
    yield source


def _read(path: Path) -> Source:
    from bot.stores.tinydb import Store

    try:
        store = Store(path, read_only=True)
        try:
            snapshot = store.snapshot()
        finally:
            store.close()
    except Exception as err:  # noqa: BLE001 - a damaged store is one sentence, never a traceback
        raise Refused(f"The TinyDB database at {path} could not be read ({type(err).__name__}).") from None
    tables = {name: {int(doc_id): doc for doc_id, doc in docs.items()} for name, docs in snapshot.items()}
    key = _key_beside(path)
    key_from = "file" if key else None
    meta = tables.setdefault(META_TABLE, {})
    kept = next((doc_id for doc_id, doc in sorted(meta.items()) if doc.get("key") == KEY_NAME), None)
    if key is not None:  # what the bot used (FINGERPRINT_KEY unset): the replicas' shared key from now on
        meta[kept if kept is not None else max(meta, default=0) + 1] = {"key": KEY_NAME, "value": key}
    elif kept is not None:
        key, key_from = meta[kept].get("value"), "meta"
    if not meta:
        del tables[META_TABLE]
    return Source(path=path, tables=tables, key=key, key_from=key_from)


def _key_beside(path: Path) -> str | None:
    """The key the bot made beside the database; refused when it is there but unreadable (the
    replicas would make another, and fingerprints of the same value would change)."""
    try:
        return path.with_name(KEY_FILE).read_text(encoding="utf-8").strip() or None
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as err:
        raise Refused(f"The fingerprint key beside {path} could not be read ({type(err).__name__}); without it "
                      "the replicas would fingerprint differently.") from None


def target_counts(url: str) -> dict[str, int]:
    """Records per table already in the target (without creating anything there)."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=CONNECT_SECONDS) as conn:
            if conn.execute("SELECT to_regclass('leakwatch_documents')").fetchone()[0] is None:
                return {}
            return dict(conn.execute("SELECT tbl, count(*) FROM leakwatch_documents GROUP BY tbl").fetchall())
    except psycopg.Error as err:
        raise Refused(f"PostgreSQL at {where(url)} could not be read ({type(err).__name__}).") from None


def _not_empty(url: str, held: dict[str, int]) -> str | None:
    if not held:
        return None
    listed = ", ".join(f"{name} {count:,}" for name, count in sorted(held.items()))
    return (f"PostgreSQL at {where(url)} already holds records ({listed}); the import goes only into an empty "
            "database, before the replicas first start.")


def plan(source: Source, url: str | None) -> Plan:
    """What the import would copy, and every reason it would be refused now (a dry run)."""
    refusals = [source.in_use] if source.in_use else []
    moved = moved_note(source.path)
    refusals += [moved] if moved else []
    if url:
        try:
            held = _not_empty(url, target_counts(url))
        except Refused as err:
            held = str(err)
        refusals += [held] if held else []
    return Plan(source=source, target=where(url) if url else "", refusals=refusals)


def copy_into(url: str, source: Source) -> Plan:
    """Copy every record in one transaction; `Refused` (the target untouched) when it cannot."""
    import psycopg
    from psycopg.types.json import Jsonb

    from bot.stores.postgres import PostgresStore

    held = _not_empty(url, target_counts(url))  # unreachable or not empty: refused at once, no schema made
    if held:
        raise Refused(held)
    try:
        store = PostgresStore(url, pool_max=1)  # creates or migrates the schema, as a replica would
    except psycopg.Error as err:
        raise Refused(f"PostgreSQL at {where(url)} could not be opened ({type(err).__name__}).") from None
    try:
        with store.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            # a replica started meanwhile waits here, and then sees everything or nothing
            cur.execute("LOCK TABLE leakwatch_documents IN EXCLUSIVE MODE")
            cur.execute("SELECT tbl, count(*) FROM leakwatch_documents GROUP BY tbl")
            held = _not_empty(url, dict(cur.fetchall()))
            if held:
                raise Refused(held)
            for name, docs in sorted(source.tables.items()):
                try:
                    with cur.copy("COPY leakwatch_documents (tbl, id, body) FROM STDIN") as copy:
                        for doc_id, doc in sorted(docs.items()):
                            copy.write_row((name, doc_id, Jsonb(doc, dumps=_dumps)))
                except (psycopg.Error, ValueError) as err:
                    raise Refused(f"PostgreSQL refused a record of table {name} ({type(err).__name__}); nothing "
                                  "was copied.") from None
            cur.executemany("INSERT INTO leakwatch_ids (tbl, last_id) VALUES (%s, %s) ON CONFLICT (tbl) DO UPDATE "
                            "SET last_id = GREATEST(leakwatch_ids.last_id, EXCLUDED.last_id)",
                            [(name, max(docs)) for name, docs in sorted(source.tables.items()) if docs])
    except psycopg.Error as err:
        raise Refused(f"The copy into PostgreSQL at {where(url)} failed ({type(err).__name__}); nothing was "
                      "copied.") from None
    finally:
        store.close()
    done = Plan(source=source, target=where(url))
    try:
        mark_moved(source.path, done.target)
    except OSError as err:
        done.unmarked = (f"The note {marker(source.path).name} could not be left beside the files ({type(err).__name__}): "
                         "do not start the one-process bot on them again.")
    return done


def marker(path: Path) -> Path:
    """The note left beside the TinyDB files once they were imported."""
    return path.with_name(path.name + ".moved")


def mark_moved(path: Path, target: str) -> None:
    """Leave the note (whole or not at all: temp file, fsync, rename), private like the store."""
    from datetime import UTC, datetime

    body = json.dumps({"to": target, "at": datetime.now(UTC).isoformat(timespec="seconds")})
    tmp = private_temp_file(path.parent, ".moved.", (body + "\n").encode())
    try:
        os.replace(tmp, marker(path))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def moved_to(database_path: str | Path) -> dict | None:
    """{"to": host:port/dbname, "at": ISO time} when these files were imported into PostgreSQL."""
    try:
        raw = marker(Path(database_path)).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return {"to": "PostgreSQL", "at": "an unknown date"}  # unreadable, but there: still moved
    try:
        found = json.loads(raw)
    except ValueError:
        found = None
    return found if isinstance(found, dict) else {"to": "PostgreSQL", "at": "an unknown date"}


def moved_note(database_path: str | Path) -> str | None:
    """One sentence when the files were moved: why neither a bot nor a second import uses them."""
    moved = moved_to(database_path)
    if moved is None:
        return None
    note = marker(Path(database_path))
    return (f"The TinyDB database at {database_path} was imported into PostgreSQL at {moved.get('to', '?')} on "
            f"{moved.get('at', '?')}: run the bot with DATABASE_URL set. What the replicas wrote since is not in "
            f"these files; delete {note.name} beside them only to use them again on purpose.")


def _dumps(doc: object) -> str:
    # strict JSON: NaN or Infinity (which Python's json would write) is refused here, not by the server
    return json.dumps(doc, allow_nan=False)
