"""The bot's store: which one, opened once per process, and the fingerprint key kept beside it.

- `open_store(settings)`: PostgreSQL when DATABASE_URL is set (replicas: bot/stores/postgres.py),
  else the embedded TinyDB store at DATABASE_PATH (one process: bot/stores/tinydb.py), which takes
  the writer's lock (bot/stores/lock.py) so a second bot on the same files refuses to start.
- `shared_store(services)`: the process's one store, kept in `services.store`.

Both stores offer the same interface: `store.table(name)` with insert / get / search(where=...) /
first / count / update / modify / remove, plus `transaction(scope)`, `named_lock(name)`,
`health()` and `close()`. The typed layers above it (bot/incidents/records.py,
bot/watch/store.py, bot/dedupe.py) are the only code that uses it.
"""

from __future__ import annotations

import os
import secrets
import threading
from pathlib import Path

from bot.config import database_url_from_env
from bot.errors import ConfigError
from bot.stores.atomic import AtomicJSONStorage, fsync_dir, make_private_dir, private_temp_file
from bot.stores.tinydb import Record, Store, StoreTable

__all__ = ["AtomicJSONStorage", "Record", "Store", "StoreTable", "fingerprint_key_beside", "open_store",
           "StoreMoved", "shared_fingerprint_key", "shared_store"]


def open_store(settings, *, exclusive: bool = True):
    """The store the settings name: PostgreSQL (DATABASE_URL) or TinyDB (DATABASE_PATH)."""
    url = settings.database_url if hasattr(settings, "database_url") else database_url_from_env()
    if url:
        from bot.stores.postgres import PostgresStore

        return PostgresStore(url)
    if exclusive:  # files already imported into PostgreSQL (`python -m bot store import`): not again
        from bot.stores.importing import moved_note

        moved = moved_note(settings.database_path)
        if moved is not None:
            raise StoreMoved(moved)
    return Store(settings.database_path, exclusive=exclusive)


class StoreMoved(ConfigError):
    """The bot was started on TinyDB files whose contents now live in PostgreSQL."""

    code = "store_moved"


_shared_lock = threading.Lock()
#: the key a one-process bot makes beside its database, and where replicas share theirs
KEY_FILE = "fingerprint.key"
META_TABLE, KEY_NAME = "meta", "fingerprint_key"


def shared_store(services) -> Store:
    """The process's one Store, opened on first use at `settings.database_path` and kept in
    `services.store`, so every part (incidents, watches) shares the same file and lock."""
    with _shared_lock:
        if services.store is None:
            services.store = open_store(services.settings)
        return services.store


def shared_fingerprint_key(store) -> str:
    """FINGERPRINT_KEY when unset, for replicas: generated once and kept in the shared database, so
    every replica fingerprints alike (a takedown check by one recognises the leak another opened)."""
    meta = store.table(META_TABLE)
    with store.transaction(f"{META_TABLE}:{KEY_NAME}"):
        found = meta.first(where={"key": KEY_NAME})
        if found is not None:
            return found["value"]
        key = secrets.token_hex(32)
        meta.insert({"key": KEY_NAME, "value": key})
        return key


def fingerprint_key_beside(database_path: str | os.PathLike) -> str:
    """FINGERPRINT_KEY when unset: generated once and kept beside the database (0600).

    Without a stable key, fingerprints change at every restart and a takedown check after a
    restart could no longer recognise the incident's content.
    """
    path = Path(database_path).with_name(KEY_FILE)
    make_private_dir(path.parent)
    try:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    tmp_name = private_temp_file(path.parent, ".fingerprint.", (key + "\n").encode())
    try:
        os.link(tmp_name, path)  # fails if another process made one first: theirs wins
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(tmp_name)
    fsync_dir(path.parent)
    return key
