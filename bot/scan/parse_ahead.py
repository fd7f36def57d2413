"""The second core: a table's classified columns parsed one chunk ahead, in another process.

On the table fast path (analyze.py) a chunk's work splits in two: parsing its classified columns
(each value through its column's detector: phone validation, name folding, regular expressions)
is a pure function of the values (column_parse.py), while counting them (distinct values, samples, places, people,
birth dates settled by order) depends on every chunk before. `ParseAhead` sends chunk N+1's
columns to a forked worker while this process counts chunk N, so the work is the same, in the same
order, with the same results (the differential test compares them), on two cores.

Used for large local files on the command line (pipeline.scan_stream), where the process is
single-threaded and forking is safe, and only when a core is free (`worth_it`: on a machine whose
cores are all busy, a second process adds the cost of handing the columns over and takes no time
off; measured, a 1,000,000-row CSV took 34 s instead of 25 s at a load of 4 on 2 cores). If the
worker fails in any way, the rest is parsed here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from bot.scan.column_parse import TableSpec, parse_columns


def available() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def worth_it() -> bool:
    """A second core is there and idle (the last minute's load leaves one free)."""
    cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        return False
    return available() and load <= cores - 1


class ParseAhead:
    """One worker process for one scan; `submit` a chunk's columns, `result` gives them parsed."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self.broken = False

    def submit(self, spec: TableSpec, columns: dict[int, list]) -> Future | None:
        if self.broken:
            return None
        try:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            return self._pool.submit(parse_columns, spec, columns)
        except Exception:  # noqa: BLE001 - no second core (the fork failed): parse here
            self.broken = True
            self._drop_pool()
            return None

    def result(self, future: Future | None, spec: TableSpec, columns: dict[int, list]):
        if future is not None:
            try:
                return future.result()
            except Exception:  # noqa: BLE001 - the worker died: parse here, same results
                self.broken = True
        return parse_columns(spec, columns)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _drop_pool(self) -> None:
        """A pool whose worker never started: its queues' pipes closed now, not left open."""
        pool, self._pool = self._pool, None
        if pool is not None:
            # no worker, no manager thread: returns at once; a half-made pool is simply dropped
            with contextlib.suppress(Exception):
                pool.shutdown(wait=True, cancel_futures=True)
