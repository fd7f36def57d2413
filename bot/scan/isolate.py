"""Run a parse in a child process with a memory ceiling and a hard time limit.

Readers check their deadline as they go, but a parser stuck inside C code (an XML entity
expansion, a decompressor, a regex) cannot check anything. The child is the backstop: it gets an
address-space ceiling (RLIMIT_AS), and the parent kills it when the budget plus a short grace has
passed. Children come from a fork server, so a bot with many threads never forks itself.
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
import resource
import threading
import time
import traceback
import warnings
from collections.abc import Callable
from typing import Any

from bot.errors import LeakwatchError, LimitExceeded, UnreadableContent

log = logging.getLogger(__name__)

#: the child needs a moment to start and to hand its result back
GRACE_SECONDS = 2.0
#: seconds between two progress reports while a child works
PROGRESS_EVERY = 0.5

PRELOAD = [
    "bot.scan.pipeline",
    "bot.scan.readers.xlsx",
    "bot.scan.readers.delimited",
    "bot.scan.readers.html",
    "bot.scan.readers.pdf",
    "bot.scan.readers.json_reader",
    "bot.scan.readers.json_tables",
    "bot.scan.readers.text",
    "bot.scan.readers.archive",
]

_context_lock = threading.Lock()
_context = None


def _mp_context():
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            # imported once in the fork server, so each child starts warm (openpyxl alone takes
            # ~0.2 s to import, which a one-second answer cannot afford on every scan)
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _silence() -> None:
    """Libraries log and warn about odd files quoting what they read (pypdf logs a font's
    /Encoding name at ERROR). Nothing in the child is set up to log, so Python's last-resort
    handler would print that content to the bot's stderr: the child says nothing but its result."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # C libraries and a traceback from multiprocessing itself, too
        os.close(devnull)
    except OSError:
        pass  # logging and warnings are silenced already


def _sample_progress(shared) -> None:
    """Copy how far the reader is into the counter the parent reads, a few times a second."""
    from bot.scan import progress

    while True:
        shared.value = max(shared.value, progress.position())  # a closed stream says 0
        time.sleep(PROGRESS_EVERY / 2)


def _child(conn, fn: Callable, args: tuple, kwargs: dict, max_memory_mb: int, shared=None) -> None:
    _silence()
    if shared is not None:
        threading.Thread(target=_sample_progress, args=(shared,), daemon=True).start()
    if max_memory_mb:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        outcome = ("ok", fn(*args, **kwargs))
    except LeakwatchError as err:
        outcome = ("error", (type(err).__name__, str(err), err.code))
    except MemoryError:
        outcome = ("error", ("LimitExceeded", "Reading this file needed more memory than the scanner allows, so it was stopped.", "limit"))
    except RecursionError:
        outcome = ("error", ("LimitExceeded", "This file is nested too deeply to read safely.", "limit"))
    except Exception as err:  # noqa: BLE001 - the parent turns it into one sentence
        # the type and the innermost frame help us; the message may quote file content, so drop it
        frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
        where = f"{os.path.basename(frame.filename)}:{frame.lineno}" if frame else "?"
        outcome = ("crash", (type(err).__name__, where))
    try:
        conn.send((*outcome, _peak_rss_mb()))
    finally:
        conn.close()


def _wait(conn, seconds: float | None, shared, progress) -> bool:
    """conn.poll(seconds), telling `progress` how far the child is while it waits."""
    if progress is None:
        return conn.poll(seconds)
    give_up = None if seconds is None else time.monotonic() + seconds
    while True:
        step = PROGRESS_EVERY if give_up is None else min(PROGRESS_EVERY, max(give_up - time.monotonic(), 0))
        if conn.poll(step):
            return True
        if give_up is not None and time.monotonic() >= give_up:
            return False
        try:
            progress(shared.value)
        except Exception:  # noqa: BLE001 - a progress line must never stop the scan
            log.info("progress callback failed", exc_info=False)


class Isolated:
    """What came back from the child, and the most memory it used."""

    def __init__(self, value: Any, peak_rss_mb: float):
        self.value = value
        self.peak_rss_mb = peak_rss_mb


_ERRORS = {"LimitExceeded": LimitExceeded, "UnreadableContent": UnreadableContent}


def run_isolated(fn: Callable[..., Any], *args, timeout: float, max_memory_mb: int,
                 progress: Callable[[int], None] | None = None, **kwargs) -> Isolated:
    """Call fn(*args, **kwargs) in a child; return its result or raise a LeakwatchError.

    A raised error carries `peak_rss_mb` when the child got to report it (else None).
    `progress(bytes_read)` is called about every PROGRESS_EVERY seconds while the child works.
    """
    ctx = _mp_context()
    parent_conn, child_conn = ctx.Pipe(duplex=False)
    shared = ctx.Value("q", 0, lock=False) if progress is not None else None
    proc = ctx.Process(target=_child, args=(child_conn, fn, args, kwargs, max_memory_mb, shared), daemon=True)
    proc.start()
    child_conn.close()
    try:
        # no budget (a local file on the command line): wait as long as it takes
        if not _wait(parent_conn, None if math.isinf(timeout) else timeout + GRACE_SECONDS, shared, progress):
            raise LimitExceeded(
                f"Reading the file took longer than the {timeout:g}-second limit (SCAN_TIMEOUT_SECONDS), so the scan was stopped."
            )
        try:
            status, payload, peak = parent_conn.recv()
        except EOFError:
            # the child died without a word: killed by the memory ceiling or a signal
            raise LimitExceeded(
                "Reading this file needed more memory than the scanner allows, so it was stopped."
            ) from None
    finally:
        parent_conn.close()
        if proc.is_alive():
            proc.kill()
        proc.join(timeout=5)
    if status == "ok":
        return Isolated(payload, peak)
    if status == "error":
        name, message, code = payload
        err = _ERRORS.get(name, LeakwatchError)(message, code=code)
    else:
        name, where = payload
        log.error("scan child failed: %s at %s", name, where)
        err = UnreadableContent("This file could not be read: the reader failed on it. It may be damaged or in an unusual format.")
    err.peak_rss_mb = peak
    raise err
