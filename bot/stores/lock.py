"""One writer per DATABASE_PATH: an OS file lock held for the life of the bot process.

Two bot processes on one TinyDB folder (an old process still running through a deploy, or `web`
scaled to two) would each rewrite files from their own memory and lose each other's writes. The
bot therefore takes an exclusive `flock` on `<DATABASE_PATH>.lock` before it opens the store and
keeps it until it exits (the kernel drops it when the process dies, even on SIGKILL, so a crash
never leaves a stale lock behind). The file says who holds it (pid, host, start time), and a
second bot refuses to start with one line naming that process. Command-line tools that only read
open the store read-only and take no lock (every file is replaced atomically, so what they read is
always whole). Replicas use PostgreSQL (DATABASE_URL), not a shared folder.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import threading
import time
from pathlib import Path

from bot.errors import ConfigError
from bot.stores.atomic import FILE_MODE, make_private_dir


class StoreInUse(ConfigError):
    code = "store_in_use"


_held: dict[str, int] = {}
_guard = threading.Lock()


def lock_path(database_path: str | os.PathLike) -> Path:
    path = Path(database_path)
    return path.with_name(path.name + ".lock")


def _key(path: Path) -> str:
    return str(path.resolve()) if path.parent.exists() else str(path.absolute())


def holder(database_path: str | os.PathLike) -> dict | None:
    """Who holds (or last held) the lock, as written in the lock file."""
    try:
        return json.loads(lock_path(database_path).read_text(encoding="utf-8") or "null")
    except (OSError, ValueError):
        return None


def acquire(database_path: str | os.PathLike) -> None:
    """Take the writer's lock for this process's life; StoreInUse (one sentence) when another
    process holds it. Taking it again in the same process is a no-op."""
    path = lock_path(database_path)
    key = _key(path)
    with _guard:
        if key in _held:
            return
        make_private_dir(path.parent)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            other = holder(database_path) or {}
            who = (f"process {other.get('pid', '?')} on {other.get('host', '?')}, started {other.get('started', '?')}"
                   if other else "another process")
            raise StoreInUse(f"The database {database_path} is in use by another bot ({who}); stop it first, or "
                             "use DATABASE_URL (PostgreSQL) to run several bots.") from None
        record = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(record).encode(), 0)
        _held[key] = fd  # kept open (and so locked) until the process exits


def release(database_path: str | os.PathLike) -> None:
    """Drop this process's lock on one database (a command line that held it for one task, such
    as the import into PostgreSQL); a no-op when not held."""
    with _guard:
        fd = _held.pop(_key(lock_path(database_path)), None)
        if fd is not None:
            os.close(fd)


def release_all() -> None:
    """Tests only: drop this process's locks (a real bot keeps them until it exits)."""
    with _guard:
        for fd in _held.values():
            os.close(fd)
        _held.clear()
