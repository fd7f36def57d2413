"""Crash-safe JSON files for TinyDB: atomic replace-on-write, a backup of the previous file, 0600.

Why each piece:
- A crash (SIGKILL, power loss) must never leave a half-written file. `AtomicJSONStorage.write`
  writes a temporary file in the same folder, flushes and fsyncs it, keeps the previous good file
  as `<name>.bak` (a hard link, so no copy), renames the new file over the old one and fsyncs the
  folder. A write that returned is on disk; a write that did not is entirely absent.
- If the main file is nevertheless unreadable (edited by hand, disk trouble), loading falls back
  to the backup and logs one line; the bad file is kept aside as `<name>.corrupt` for inspection.
- Files are created 0600 and their folder 0700: they hold incident facts (never raw found values,
  only counts, types, places, masked samples and fingerprints).

The parsed data is kept in memory, so reads cost no disk I/O (bot/stores/tinydb.py).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

log = logging.getLogger("bot.store")

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


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_temp_file(folder: Path, prefix: str, payload: bytes) -> str:
    """A new temporary file in `folder` holding `payload`, private (0600) and fsynced; the caller
    renames or links it into place and removes it if that fails (a crash leaves only a .tmp)."""
    fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), FILE_MODE)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return tmp_name


def make_private_dir(folder: Path) -> None:
    """Create the data folder 0700. An existing folder is left as it is (it may be shared, like
    /tmp); the file inside is 0600 either way."""
    if folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    with contextlib.suppress(OSError):
        os.chmod(folder, DIR_MODE)  # mkdir's mode is filtered by the umask


class AtomicJSONStorage(Storage):
    """TinyDB storage: crash-safe replace-on-write JSON file with a backup of the previous one."""

    def __init__(self, path: str | os.PathLike, clean: bool = True, read_only: bool = False, batch=None,
                 **_ignored: Any):
        self.path = Path(path)
        #: the store's open transaction, if any (bot/stores/batch.py): its writes wait for its end
        self.batch = batch
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.corrupt_path = self.path.with_name(self.path.name + ".corrupt")
        self.read_only = read_only
        if not read_only:
            make_private_dir(self.path.parent)
        self._main_is_good = False
        if clean and not read_only:
            self._remove_stale_temporaries()
        self._cache: dict | None = None
        self._cache = self._load()

    def _remove_stale_temporaries(self) -> None:
        """A write killed half-way leaves its temporary file behind; it was never acknowledged."""
        stale_link = self.backup_path.with_name(self.backup_path.name + ".tmp")
        for stale in [*self.path.parent.glob(f".{self.path.name}.*.tmp"), stale_link]:
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
        if self.read_only:
            return
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.path, self.corrupt_path)

    def read(self) -> dict | None:
        if self._cache is None:
            self._cache = self._load()
        return self._cache

    # -- writing -------------------------------------------------------------------------------

    def write(self, data: dict) -> None:
        if self.read_only or (self.batch is not None and self.batch.failed):
            self._cache = None  # TinyDB changed the data in memory before asking: reload the file
            raise PermissionError("this store was opened read-only" if self.read_only else
                                  "this store stopped writing after a failed transaction; restart the bot")
        if self.batch is not None and self.batch.holding:
            self._cache = data  # written when the transaction ends
            self.batch.hold(self)
            return
        self.write_encoded(self._encode(data))
        self._cache = data

    @staticmethod
    def _encode(data: dict) -> bytes:
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()

    def encoded(self) -> bytes:
        """The data in memory as it would be written (for a transaction's journal)."""
        return self._encode(self._cache if self._cache is not None else {})

    def write_encoded(self, payload: bytes) -> None:
        try:
            self._write_atomically(payload)
        except BaseException:
            # the caller's in-memory change did not reach the disk: forget it and reload
            self._cache = None
            raise

    def forget(self) -> None:
        """Drop the data in memory; the next read loads the file (a transaction rolled back)."""
        self._cache = None

    def _write_atomically(self, payload: bytes) -> None:
        folder = self.path.parent
        tmp_name = private_temp_file(folder, f".{self.path.name}.", payload)
        try:
            if self._main_is_good:
                self._keep_backup()
            os.replace(tmp_name, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        fsync_dir(folder)
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
