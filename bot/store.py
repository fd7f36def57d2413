"""The one TinyDB store of the bot: one lock, atomic writes, a backup, owner-only files.

Why each piece:
- Bolt runs listeners on several threads and the sweep loop runs on its own, so every read and
  write goes through ONE process-wide re-entrant lock (`Store.lock`); `Store.transaction()` holds
  it across a read-modify-write that must not interleave with another thread.
- A crash (SIGKILL, power loss) must never leave a half-written file. `AtomicJSONStorage.write`
  writes a temporary file in the same folder, flushes and fsyncs it, keeps the previous good file
  as `<name>.bak` (a hard link, so no copy), renames the new file over the old one and fsyncs the
  folder. A write that returned is on disk; a write that did not is entirely absent.
- If the main file is nevertheless unreadable (edited by hand, disk trouble), loading falls back
  to the backup and logs one line; the bad file is kept aside as `<name>.corrupt` for inspection.
- The file is created 0600 and its folder 0700: it holds incident facts (never raw found values,
  only counts, types, places, masked samples and fingerprints).

The parsed data is kept in memory (this process is the only writer), so reads cost no disk I/O.
Records handed out are deep copies: a caller mutating one cannot change the store by accident.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

log = logging.getLogger(__name__)

FILE_MODE = 0o600
DIR_MODE = 0o700


class StoreCorrupt(Exception):
    """Raised internally when a file on disk does not hold a TinyDB document."""


def _parse(raw: bytes) -> dict:
    if not raw.strip():
        raise StoreCorrupt("empty file")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as err:
        raise StoreCorrupt(f"not JSON ({type(err).__name__})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreCorrupt("not a table mapping")
    return data


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _make_private_dir(folder: Path) -> None:
    """Create the data folder 0700. An existing folder is left as it is (it may be shared, like
    /tmp); the file inside is 0600 either way."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(OSError):
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask


class AtomicJSONStorage(Storage):
    """TinyDB storage: crash-safe replace-on-write JSON file with a backup of the previous one."""

    def __init__(self, path: str | os.PathLike, **_ignored: Any):
        self.path = Path(path)
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.corrupt_path = self.path.with_name(self.path.name + ".corrupt")
        _make_private_dir(self.path.parent)
        self._main_is_good = False
        self._remove_stale_temporaries()
        self._cache: dict | None = None
        self._cache = self._load()

    def _remove_stale_temporaries(self) -> None:
        """A write killed half-way leaves its temporary file behind; it was never acknowledged."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    # -- reading -------------------------------------------------------------------------------

    def _read_file(self, path: Path) -> dict | None:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        return _parse(raw)

    def _load(self) -> dict:
        try:
            data = self._read_file(self.path)
            if data is not None:
                self._main_is_good = True
                return data
            main_problem = "missing"
        except StoreCorrupt as err:
            main_problem = str(err)
        try:
            backup = self._read_file(self.backup_path)
        except StoreCorrupt as err:
            backup = None
            log.error("store: %s is unreadable (%s) and so is its backup (%s); starting empty, the bad file is kept as %s",
                      self.path.name, main_problem, err, self.corrupt_path.name)
            self._set_aside()
            return {}
        if backup is None:
            if main_problem != "missing":
                log.error("store: %s is unreadable (%s) and there is no backup; starting empty, the bad file is kept as %s",
                          self.path.name, main_problem, self.corrupt_path.name)
                self._set_aside()
            return {}
        log.warning("store: %s is %s; loaded the backup %s instead", self.path.name, main_problem, self.backup_path.name)
        self._set_aside()
        return backup

    def _set_aside(self) -> None:
        """Keep a corrupt main file for inspection; the next write must not make it the backup."""
        self._main_is_good = False
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.path, self.corrupt_path)

    def read(self) -> dict | None:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    # -- writing -------------------------------------------------------------------------------

    def write(self, data: dict) -> None:
        try:
            self._write_atomically(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
        except BaseException:
            # the caller's in-memory change did not reach the disk: forget it and reload
            self._cache = None
            raise
        self._cache = data

    def _write_atomically(self, payload: bytes) -> None:
        folder = self.path.parent
        fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), FILE_MODE)
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if self._main_is_good:
                self._keep_backup()
            os.replace(tmp_name, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(folder)
        self._main_is_good = True

    def _keep_backup(self) -> None:
        """The current main file (known good) becomes the backup, by hard link when possible."""
        link_tmp = self.backup_path.with_name(self.backup_path.name + ".tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(link_tmp)
        try:
            os.link(self.path, link_tmp)
        except FileNotFoundError:
            return
        except OSError:  # a file system without hard links: copy instead
            data = self.path.read_bytes()
            fd = os.open(link_tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(link_tmp, self.backup_path)

    def close(self) -> None:
        self._cache = None


class Record(dict):
    """A stored document (a deep copy) that knows its id."""

    def __init__(self, data: dict, doc_id: int):
        super().__init__(data)
        self.id = doc_id


class StoreTable:
    """One table; every call takes the store's lock and hands back copies."""

    def __init__(self, store: Store, name: str):
        self._store = store
        self.name = name

    @property
    def _table(self):
        return self._store._db.table(self.name, cache_size=0)

    def insert(self, doc: dict) -> int:
        with self._store.lock:
            return self._table.insert(copy.deepcopy(doc))

    def get(self, doc_id: int) -> Record | None:
        with self._store.lock:
            doc = self._table.get(doc_id=doc_id)
            return Record(copy.deepcopy(dict(doc)), doc.doc_id) if doc is not None else None

    def all(self) -> list[Record]:
        with self._store.lock:
            return [Record(copy.deepcopy(dict(d)), d.doc_id) for d in self._table.all()]

    def search(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> list[Record]:
        """Documents whose fields equal `where` (every key) and that `predicate` accepts."""
        wanted = tuple((where or {}).items())
        with self._store.lock:
            return [Record(copy.deepcopy(dict(d)), d.doc_id) for d in self._table.all()
                    if all(d.get(k) == v for k, v in wanted) and (predicate is None or predicate(d))]

    def first(self, predicate: Callable[[dict], bool] | None = None, *, where: dict | None = None) -> Record | None:
        found = self.search(predicate, where=where)
        return found[0] if found else None

    def count(self, predicate: Callable[[dict], bool] | None = None) -> int:
        with self._store.lock:
            return sum(1 for d in self._table.all() if predicate is None or predicate(d))

    def update(self, doc_id: int, fields: dict) -> None:
        with self._store.lock:
            self._table.update(copy.deepcopy(fields), doc_ids=[doc_id])

    def modify(self, doc_id: int, change: Callable[[dict], Any]) -> Record | None:
        """Read-modify-write one document under the lock; `change` edits a copy in place.

        Returns the stored result, or None when the document does not exist. If `change`
        raises, nothing is written.
        """
        with self._store.lock:
            current = self._table.get(doc_id=doc_id)
            if current is None:
                return None
            doc = copy.deepcopy(dict(current))
            change(doc)
            self._table.update(_replace_with(doc), doc_ids=[doc_id])
            return Record(copy.deepcopy(doc), doc_id)

    def remove(self, doc_id: int) -> None:
        with self._store.lock:
            self._table.remove(doc_ids=[doc_id])


def _replace_with(new: dict) -> Callable[[dict], None]:
    """A TinyDB update operation that makes the stored document exactly `new` (drops old keys)."""

    def operation(doc: dict) -> None:
        doc.clear()
        doc.update(new)

    return operation


class Store:
    """The bot's database. One per process; tables are named, e.g. `store.table("incidents")`."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self.lock = threading.RLock()
        self._db = TinyDB(self.path, storage=AtomicJSONStorage)

    def table(self, name: str) -> StoreTable:
        return StoreTable(self, name)

    @contextlib.contextmanager
    def transaction(self, scope: str | None = None) -> Iterator[Store]:
        """Hold the lock across several calls that must see and leave a consistent state."""
        with self.lock:
            yield self

    def close(self) -> None:
        with self.lock:
            self._db.close()


_shared_lock = threading.Lock()


def shared_store(services) -> Store:
    """The process's one Store, opened on first use at `settings.database_path` and kept in
    `services.store`, so every part (incidents, watches) shares the same file and lock."""
    with _shared_lock:
        if services.store is None:
            services.store = Store(services.settings.database_path)
        return services.store


def fingerprint_key_beside(database_path: str | os.PathLike) -> str:
    """FINGERPRINT_KEY when unset: generated once and kept beside the database (0600).

    Without a stable key, fingerprints change at every restart and a takedown check after a
    restart could no longer recognise the incident's content.
    """
    import secrets

    path = Path(database_path).with_name("fingerprint.key")
    _make_private_dir(path.parent)
    try:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    fd, tmp_name = tempfile.mkstemp(prefix=".fingerprint.", suffix=".tmp", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(tmp_name, path)  # fails if another process made one first: theirs wins
    except FileExistsError:
        key = path.read_text(encoding="utf-8").strip()
    finally:
        os.unlink(tmp_name)
    _fsync_dir(path.parent)
    return key
