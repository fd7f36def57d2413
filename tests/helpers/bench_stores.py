"""Both stores for bench scripts: `each_store(run, skip_pg=)` calls `run(name, make_records)` for
"TinyDB", then for "PostgreSQL" on a fresh local server (unless `skip_pg`, or PostgreSQL cannot be
started here: then one line says why). Each `make_records()` is an IncidentRecords on a store of
its own (a new TinyDB file; a new PostgreSQL database); every store made is closed at the end."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from bot.incidents.records import IncidentRecords
from bot.store import Store
from tests.helpers.postgres import bench_server


def each_store(run: Callable[[str, Callable[[], IncidentRecords]], None], *, skip_pg: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _run_closing(run, "TinyDB", lambda n: Store(Path(folder) / f"bot{n}.json"))
    if skip_pg:
        return
    from bot.stores.postgres import PostgresStore

    with bench_server() as server:
        if server is not None:
            _run_closing(run, "PostgreSQL", lambda _n: PostgresStore(server.new_database()))


def _run_closing(run, name: str, open_store: Callable[[int], object]) -> None:
    stores: list = []

    def make_records() -> IncidentRecords:
        stores.append(open_store(len(stores)))
        return IncidentRecords(stores[-1])

    try:
        run(name, make_records)
    finally:
        for store in stores:
            store.close()
