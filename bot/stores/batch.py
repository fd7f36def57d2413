"""Transactions for the embedded store: a transaction's writes land whole or not at all, even
when they touch several files (an incident's file and its fingerprints' file, say).

How (bot/stores/tinydb.py `Store.transaction` drives it):
- Inside a transaction a file's writes change only its data in memory, and the file is held.
  This process's readers (under the store's lock) see the change; other processes (read-only
  tools, tests reading the files) still see the files as they were.
- At the end, one held file is written as any write is (an atomic replace, bot/stores/atomic.py).
  Several are first written together into a journal beside the database (`<DATABASE_PATH>.journal`,
  fsynced, renamed into place), then each file is replaced, then the journal is removed. A crash
  before the journal is in place leaves every file as it was; a crash after it is finished by
  `replay` at the next start. So no reader after a restart sees half a transaction.
- An exception out of the transaction forgets the held data: each file reloads from disk.
- If writing fails after the journal is in place, it is replayed at once; if that fails too (the
  disk is full), this process stops writing (`failed`, its health says so) and reads what is on
  disk: the journal must be replayed over the files as they are now, by a restart.
- Nested transactions: the outermost one decides. An exception an outer transaction catches from
  an inner one does not undo the inner one's writes (as on PostgreSQL, where nesting adds no
  savepoint).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import Protocol

from bot.stores.atomic import fsync_dir, private_temp_file

log = logging.getLogger("bot.store")


class HeldFile(Protocol):
    path: Path

    def encoded(self) -> bytes: ...

    def write_encoded(self, payload: bytes) -> None: ...

    def forget(self) -> None: ...


def journal_path(database: Path) -> Path:
    return database.with_name(database.name + ".journal")


class WriteBatch:
    """The files a running transaction has written, in the order it wrote them."""

    def __init__(self, database: Path):
        self.database = database
        self.base = database.parent
        self.journal = journal_path(database)
        self.depth = 0
        self.failed = False
        self._held: list[HeldFile] = []

    @property
    def holding(self) -> bool:
        return self.depth > 0

    def hold(self, storage: HeldFile) -> None:
        if storage not in self._held:
            self._held.append(storage)

    def discard(self) -> None:
        held, self._held = self._held, []
        for storage in held:
            storage.forget()

    def commit(self) -> None:
        held, self._held = self._held, []
        if not held:
            return
        payloads = [(storage, storage.encoded()) for storage in held]
        if len(payloads) == 1:
            try:
                payloads[0][0].write_encoded(payloads[0][1])
            except BaseException:
                payloads[0][0].forget()
                raise
            return
        try:
            self._write_journal({self._name(storage.path): payload.decode() for storage, payload in payloads})
        except BaseException:
            for storage, _ in payloads:
                storage.forget()
            raise
        try:
            for storage, payload in payloads:
                storage.write_encoded(payload)
            self.journal.unlink()
            fsync_dir(self.base)
        except Exception:
            # the journal holds the whole transaction: finish it from there now if the disk lets us
            # (then it is committed, as asked), else stop writing until a restart replays it
            for storage, _ in payloads:
                storage.forget()
            try:
                replay(self.database)
            except Exception:
                self.failed = True
                log.error("store: a transaction could not be written whole; writes stop until a restart "
                          "replays %s", self.journal.name)
                raise
        except BaseException:
            self.failed = True  # interrupted (not a disk error): the journal is replayed at the next start
            raise

    def _name(self, path: Path) -> str:
        return path.resolve().relative_to(self.base.resolve()).as_posix()

    def _write_journal(self, files: dict[str, str]) -> None:
        tmp_name = private_temp_file(self.base, f".{self.journal.name}.", json.dumps({"files": files}).encode())
        try:
            os.replace(tmp_name, self.journal)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        fsync_dir(self.base)


def replay(database: Path) -> int:
    """Finish a transaction a crash interrupted after its journal was in place; returns how many
    files were rewritten (0 when there was no journal). A journal that cannot be read was never
    in place (it is renamed there whole) and is set aside."""
    journal = journal_path(database)
    try:
        files = json.loads(journal.read_bytes())["files"]
    except FileNotFoundError:
        return 0
    except (ValueError, KeyError, TypeError):
        log.error("store: %s is unreadable; set aside as %s.corrupt", journal.name, journal.name)
        os.replace(journal, journal.with_name(journal.name + ".corrupt"))
        return 0
    base = database.parent.resolve()
    for name, text in files.items():
        target = (base / name).resolve()
        if base not in target.parents:
            raise ValueError(f"the journal {journal.name} names a file outside the data folder")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp_name = private_temp_file(target.parent, f".{target.name}.", text.encode())
        os.replace(tmp_name, target)
        fsync_dir(target.parent)
    journal.unlink()
    fsync_dir(database.parent)
    log.warning("store: finished a transaction from its journal (%d files)", len(files))
    return len(files)
