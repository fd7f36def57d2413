"""The second core: a table's classified columns parsed one chunk ahead, in another process.

On the table fast path (analyze.py) a chunk's work splits in two: parsing its classified columns
(each value through its column's detector: phone validation, name folding, regular expressions)
is a pure function of the values, while counting them (distinct values, samples, places, people,
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

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from bot.scan.detectors import REGISTRY

#: a column: (index, [(detector type, context)], memoized) -- memo only for one-detector columns
ColumnSpec = tuple[int, tuple[tuple[str, bool], ...], bool]
#: a table: (table id, value columns, name columns joined per row, or ())
TableSpec = tuple[int, tuple[ColumnSpec, ...], tuple[int, ...]]

_parsers: dict[int, tuple] = {}


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


def parse_columns(spec: TableSpec, columns: dict[int, list]) -> tuple[list[list], list | None]:
    """Every detector's parsed values for each value column, then the joined names' parsed values."""
    from bot.scan.analyze import _join_names, _value_parser

    table_id, value_columns, name_columns = spec
    parsers = _parsers.get(table_id)
    if parsers is None:
        parsers = []
        for _, detectors, memoized in value_columns:
            memo = {} if memoized else None
            parsers.append([(REGISTRY[kind], _value_parser(REGISTRY[kind], context, memo)) for kind, context in detectors])
        names = _value_parser(REGISTRY["PERSON_NAME"], True, None) if name_columns else None
        parsers = _parsers[table_id] = (parsers, names)
    column_parsers, name_parser = parsers
    results: list[list] = []
    for (index, _, _), pairs in zip(value_columns, column_parsers, strict=True):
        remaining = columns[index]
        for detector, parser in pairs:
            parsed = detector.drop_organisational(parser(remaining))
            results.append(parsed)
            if len(pairs) > 1 and any(p is not None for p in parsed):
                remaining = [None if p is not None else v for v, p in zip(remaining, parsed, strict=True)]
    names = None
    if name_columns:
        parts = [columns[index] for index in name_columns]
        names = name_parser(_join_names(parts) if len(parts) > 1 else parts[0])
    return results, names


def forget(table_id: int) -> None:
    """The table is done: its parsers (and their memos) go."""
    _parsers.pop(table_id, None)


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
        except Exception:  # noqa: BLE001 - no second core: parse here
            self.broken = True
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
