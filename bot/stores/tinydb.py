"""The embedded store (the default): TinyDB, one small file per incident, so a write costs the same
at 1,000 stored incidents as at 10.

Layout beside DATABASE_PATH (say `data/bot.json`):
- `data/bot.json`: the live file for small, bounded tables (Slack event and file dedupe, meta);
- `data/bot.json.d/incident-000042.json`: incident #42 and everything that is only its own
  (tables `incidents`, `events`, `checklist`, `jobs`, `scans`); `fingerprints-000042.json`: its
  fingerprints, written when they change (rarely), never with every tick;
- `data/bot.json.d/watch-000007.json`: watch #7.

Each file is a TinyDB file written atomically (bot/stores/atomic.py). A write rewrites only the
file of the incident it concerns, whose size depends on that incident, not on history. A database
written by an older version (every table in `bot.json`) is split into these files once, at start.

Ids are per table across files (the incident number is its id). Everything is held in memory
(one process writes: bot/stores/lock.py); reads cost no disk I/O and hand out deep copies. One
process-wide re-entrant lock orders reads and writes (`Store.lock`); `transaction()` holds it
across a read-modify-write, and its writes land together at its end, all or none (batch.py).
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from bot.stores import batch as write_batch
from bot.stores import lock as writer_lock
from bot.stores.atomic import AtomicJSONStorage, make_private_dir

log = logging.getLogger("bot.store")

#: table -> (file kind, field naming the file's number; None: the document's own id)
PARTITIONS: dict[str, tuple[str, str | None]] = {
    "incidents": ("incident", None),
    "events": ("incident", "incident"),
    "checklist": ("incident", "incident"),
    "jobs": ("incident", "incident"),
    "scans": ("incident", "incident"),
    "fingerprints": ("fingerprints", "incident"),
    "watches": ("watch", None),
}
MAIN = ""
_PART_FILE = re.compile(r"^([a-z]+)-(\d{6,})\.json$")


class Record(dict):
    """A stored document (a deep copy) that knows its id."""

    def __init__(self, data: dict, doc_id: int):
        super().__init__(data)
        self.id = doc_id


def _matches(doc: dict, where: tuple, predicate) -> bool:
    return all(doc.get(k) == v for k, v in where) and (predicate is None or predicate(doc))


class StoreTable:
    """One table across files; every call takes the store's lock and hands back copies."""

    def __init__(self, store: Store, name: str):
        self._store = store
        self.name = name

    def insert(self, doc: dict) -> int:
        with self._store.lock:
            return self._store._insert(self.name, copy.deepcopy(doc))

    def get(self, doc_id: int) -> Record | None:
        with self._store.lock:
            doc = self._store._get(self.name, doc_id)
            return Record(copy.deepcopy(dict(doc)), doc_id) if doc is not None else None

    def all(self) -> list[Record]:
        return self.search()

    def search(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> list[Record]:
        """Documents whose fields equal `where` (every key) and that `predicate` accepts, by id."""
        wanted = tuple((where or {}).items())
        with self._store.lock:
            found = [Record(copy.deepcopy(dict(d)), d.doc_id) for d in self._store._scan(self.name, where or {})
                     if _matches(d, wanted, predicate)]
        return sorted(found, key=lambda r: r.id)

    def first(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> Record | None:
        found = self.search(predicate, where=where)
        return found[0] if found else None

    def count(self, predicate: Callable[[dict], bool] | None = None) -> int:
        with self._store.lock:
            return sum(1 for d in self._store._scan(self.name, {}) if predicate is None or predicate(d))

    def due(self, field: str, before: str, *, where: dict | None = None) -> list[Record]:
        """Documents matching `where` whose `field` (an ISO time) is at or before `before`, oldest
        first (PostgreSQL also skips rows another replica is claiming right now)."""
        found = self.search(lambda d: (d.get(field) or "") <= before, where=where)
        return sorted(found, key=lambda r: (r.get(field) or "", r.id))

    def update(self, doc_id: int, fields: dict) -> None:
        self.modify(doc_id, lambda doc: doc.update(copy.deepcopy(fields)))

    def modify(self, doc_id: int, change: Callable[[dict], Any], *, skip_locked: bool = False) -> Record | None:
        """Read-modify-write one document atomically; `change` edits a copy in place.

        Returns the stored result, or None when the document does not exist. If `change` raises,
        nothing is written. (`skip_locked` matters to PostgreSQL only: one process here.)
        """
        with self._store.lock:
            current = self._store._get(self.name, doc_id)
            if current is None:
                return None
            doc = copy.deepcopy(dict(current))
            change(doc)
            self._store._replace(self.name, doc_id, doc)
            return Record(copy.deepcopy(doc), doc_id)

    def remove(self, doc_id: int) -> None:
        with self._store.lock:
            self._store._remove(self.name, doc_id)


class Store:
    """The bot's embedded database. Tables are named, e.g. `store.table("incidents")`.

    `exclusive=True` (the bot) takes the writer's lock first; `read_only=True` (command-line
    tools beside a running bot) takes no lock and refuses writes.
    """

    kind = "tinydb"

    def __init__(self, path: str | os.PathLike, *, exclusive: bool = False, read_only: bool = False):
        self.path = Path(path)
        self.folder = self.path.with_name(self.path.name + ".d")
        self.read_only = read_only
        if exclusive and not read_only:
            writer_lock.acquire(self.path)
        self.lock = threading.RLock()
        if not read_only:
            write_batch.replay(self.path)  # a transaction a crash cut short after its journal
        self._batch = write_batch.WriteBatch(self.path)
        self._main = TinyDB(self.path, storage=AtomicJSONStorage, read_only=read_only, batch=self._batch)
        if not read_only and not self.path.exists():
            self._main.storage.write(self._main.storage.read() or {})  # the live file exists from the start
        self._files: dict[str, TinyDB] = {MAIN: self._main}
        #: table -> id -> file key; table -> file keys holding it
        self._where: dict[str, dict[int, str]] = {}
        self._next: dict[str, int] = {}
        self._load_files()
        if not read_only:
            self._split_old_layout()

    # -- files ----------------------------------------------------------------------------------

    def _file(self, key: str) -> TinyDB:
        db = self._files.get(key)
        if db is None:
            if self.read_only:
                raise PermissionError("this store was opened read-only")
            make_private_dir(self.folder)
            db = TinyDB(self.folder / f"{key}.json", storage=AtomicJSONStorage, clean=False, batch=self._batch)
            self._files[key] = db
        return db

    def _load_files(self) -> None:
        if self.folder.is_dir():
            if not self.read_only:  # writes killed half-way leave temporaries; never acknowledged
                # (the backup's hard link is made as `<name>.bak.tmp`: no leading dot)
                for stale in [*self.folder.glob(".*.tmp"), *self.folder.glob("*.bak.tmp")]:
                    with contextlib.suppress(OSError):
                        stale.unlink()
            for entry in sorted(self.folder.iterdir()):
                if _PART_FILE.match(entry.name):
                    key = entry.name[:-5]
                    self._files[key] = TinyDB(entry, storage=AtomicJSONStorage, clean=False, read_only=self.read_only,
                                              batch=self._batch)
        self._index()

    def _index(self) -> None:
        """Which file holds each document, and the next free id per table (ids never go back)."""
        self._where = {}
        for key, db in self._files.items():
            for name in db.tables():
                ids = self._where.setdefault(name, {})
                for doc_id in (d.doc_id for d in db.table(name, cache_size=0).all()):
                    ids[doc_id] = key
        for name, ids in self._where.items():
            self._next[name] = max(self._next.get(name, 1), max(ids, default=0) + 1)

    def _key_for(self, table: str, doc_id: int, doc: dict) -> str:
        rule = PARTITIONS.get(table)
        if rule is None:
            return MAIN
        kind, field = rule
        number = doc_id if field is None else doc.get(field)
        return f"{kind}-{int(number):06d}" if isinstance(number, int) else MAIN

    def _split_old_layout(self) -> None:
        """A database from before the per-incident files: move its documents into them once (the
        new files are written first, the old tables dropped from the live file last)."""
        moving = [name for name in self._main.tables() if name in PARTITIONS and self._main.table(name).all()]
        for name in moving:
            for doc in self._main.table(name, cache_size=0).all():
                key = self._key_for(name, doc.doc_id, doc)
                if key != MAIN:
                    table = self._file(key).table(name, cache_size=0)
                    if table.get(doc_id=doc.doc_id) is None:
                        table.insert(Document(dict(doc), doc_id=doc.doc_id))
                    self._where.setdefault(name, {})[doc.doc_id] = key
        for name in moving:
            keep = [d for d in self._main.table(name, cache_size=0).all() if self._where[name].get(d.doc_id) == MAIN]
            self._main.drop_table(name)
            for doc in keep:
                self._main.table(name, cache_size=0).insert(Document(dict(doc), doc_id=doc.doc_id))
        if moving:
            log.info("store: split %s into one file per incident and watch (%s)", self.path.name, ", ".join(moving))

    # -- documents (callers hold self.lock) -------------------------------------------------------

    def _insert(self, table: str, doc: dict) -> int:
        doc_id = self._next.get(table, 1)
        key = self._key_for(table, doc_id, doc)
        self._file(key).table(table, cache_size=0).insert(Document(doc, doc_id=doc_id))
        self._next[table] = doc_id + 1
        self._where.setdefault(table, {})[doc_id] = key
        return doc_id

    def _get(self, table: str, doc_id: int):
        key = self._where.get(table, {}).get(doc_id)
        return None if key is None else self._files[key].table(table, cache_size=0).get(doc_id=doc_id)

    def _scan(self, table: str, where: dict) -> Iterator[Document]:
        rule = PARTITIONS.get(table)
        if rule is not None and rule[1] is not None and isinstance(where.get(rule[1]), int):
            keys = {f"{rule[0]}-{where[rule[1]]:06d}"}  # one incident's documents: its file only
        else:
            keys = set(self._where.get(table, {}).values())
        for key in sorted(keys):
            db = self._files.get(key)
            if db is not None:
                yield from db.table(table, cache_size=0).all()

    def _replace(self, table: str, doc_id: int, doc: dict) -> None:
        key = self._where[table][doc_id]

        def operation(stored: dict) -> None:
            stored.clear()
            stored.update(doc)

        self._files[key].table(table, cache_size=0).update(operation, doc_ids=[doc_id])

    def _remove(self, table: str, doc_id: int) -> None:
        key = self._where.get(table, {}).pop(doc_id, None)
        if key is not None:
            self._files[key].table(table, cache_size=0).remove(doc_ids=[doc_id])

    # -- the interface ----------------------------------------------------------------------------

    def table(self, name: str) -> StoreTable:
        return StoreTable(self, name)

    @contextlib.contextmanager
    def transaction(self, scope: str | None = None) -> Iterator[Store]:
        """Hold the lock across several calls that must see and leave a consistent state; their
        writes land together at the end, all or none (bot/stores/batch.py). Nested: the outer one."""
        with self.lock:
            if self._batch.holding:
                yield self
                return
            self._batch.depth = 1
            try:
                yield self
            except BaseException:
                self._batch.depth = 0
                self._batch.discard()
                self._index()  # documents the transaction inserted are gone again
                raise
            self._batch.depth = 0
            try:
                self._batch.commit()
            except BaseException:
                self._index()
                raise

    @contextlib.contextmanager
    def named_lock(self, name: str) -> Iterator[None]:
        """One process here: the caller's in-process lock already serialises; nothing to add."""
        yield

    def snapshot(self) -> dict[str, dict[str, dict]]:
        """Every table as {"id": document} (copies): for tools and tests that read the whole store."""
        with self.lock:
            return {name: {str(r.id): dict(r) for r in self.table(name).all()} for name in sorted(self._where)}

    def health(self) -> dict:
        """Which store, and whether a write can land (the folder is writable and the lock held)."""
        writable = not self.read_only and not self._batch.failed and os.access(self.path.parent, os.W_OK)
        return {"store": self.kind, "writable": writable, "files": len(self._files)}

    def close(self) -> None:
        with self.lock:
            for db in self._files.values():
                db.close()
