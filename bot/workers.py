"""A bounded worker pool for background jobs (scans, file downloads).

`SCAN_WORKERS` threads run jobs; at most `max_queued` more wait their turn. A burst therefore
queues instead of piling up threads, and past the queue the caller is told to come back later
(`PoolBusy`, one sentence) instead of the bot slowing down for everyone. The scans themselves run
in child processes (bot/scan/isolate.py), so these threads mostly wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from bot.errors import LeakwatchError

log = logging.getLogger(__name__)


class PoolBusy(LeakwatchError):
    code = "busy"


class WorkerPool:
    def __init__(self, workers: int, max_queued: int = 16, name: str = "scan"):
        self.workers = workers
        self.max_queued = max_queued
        self._slots = threading.BoundedSemaphore(workers + max_queued)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{name}-worker")
        self._lock = threading.Lock()
        self._pending = 0

    @property
    def pending(self) -> int:
        """Jobs running or waiting."""
        return self._pending

    def submit(self, job: Callable, *args, **kwargs) -> Future:
        """Queue a job or raise PoolBusy when the queue is full. Exceptions are logged, not lost."""
        if not self._slots.acquire(blocking=False):
            raise PoolBusy("The bot is busy with other scans right now; try again in a minute.")
        with self._lock:
            self._pending += 1
        try:
            future = self._executor.submit(self._run, job, args, kwargs)
        except RuntimeError:  # shut down
            self._release()
            raise PoolBusy("The bot is shutting down; try again in a minute.") from None
        return future

    def _run(self, job: Callable, args: tuple, kwargs: dict):
        try:
            return job(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - a job must never kill a worker thread silently
            # the type only: exception messages may quote content
            log.error("background job %s failed: %s", getattr(job, "__name__", "job"), type(err).__name__)
            raise
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._pending -= 1
        self._slots.release()

    def shutdown(self, wait: bool = False) -> None:
        self._executor.shutdown(wait=wait, cancel_futures=not wait)
