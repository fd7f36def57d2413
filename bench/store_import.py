"""How long the move from one process to replicas keeps the bot stopped: `python -m bot store import`
of a TinyDB store of N incidents into a local PostgreSQL (fsync on), against floors measured in the
same run. Prints, never asserts.

    python bench/store_import.py [--sizes 100 1000]

Per size, a store filled as bench/store_writes.py fills it (each incident: its document, a checklist,
30 timeline events, 8 jobs, 3 x 600 fingerprints), then:
- the real command in its own process, wall time and peak RSS (the bot's downtime for the move);
- a: the same store opened and read whole (Store(...).snapshot()) in a process of its own;
- b: the same rows inserted straight into an empty database in one transaction (executemany from
  memory, no TinyDB read), as bench/store_writes.py fills PostgreSQL.
The import is a + a COPY of b's rows. Goal: import <= a + b, and seconds, not minutes, per 1,000
incidents; peak RSS about the store's own (the bot holds it all in memory too).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.store_writes import fill_postgres, fill_tinydb  # noqa: E402
from bot.stores.postgres import PostgresStore  # noqa: E402
from tests.helpers.postgres import PostgresServer, unavailable  # noqa: E402

READ = "import sys; from bot.store import Store; s = Store(sys.argv[1], read_only=True); print(sum(map(len, s.snapshot().values())))"


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, this child's own peak RSS (MB, from wait4) and its stdout, for one command."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{command[1:5]} failed: {err.read().decode(errors='replace').strip()[-300:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode()


def one_size(server: PostgresServer, size: int, folder: Path) -> None:
    path = folder / str(size) / "bot.json"
    fill_tinydb(path, size)
    files = sum(f.stat().st_size for f in path.parent.rglob("*") if f.is_file()) / 1e6
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_PATH": str(path), "DATABASE_URL": server.new_database()}
    read_s, read_mb, read = timed([sys.executable, "-c", READ, str(path)], env)
    records = int(read.strip())
    import_s, import_mb, _ = timed([sys.executable, "-m", "bot", "store", "import"], env)
    floor = PostgresStore(server.new_database(), pool_max=1)
    try:
        started = time.perf_counter()
        fill_postgres(floor, size)
        insert_s = time.perf_counter() - started
    finally:
        floor.close()
    print(f"{size:,} incidents: {records:,} records, {files:.1f} MB of TinyDB files")
    print(f"   python -m bot store import   {import_s:7.2f} s  ({records / import_s:,.0f} records/s, peak RSS {import_mb:.0f} MB)")
    print(f"   a: read the store alone      {read_s:7.2f} s  (peak RSS {read_mb:.0f} MB)")
    print(f"   b: insert the rows alone     {insert_s:7.2f} s  (executemany, one transaction, from memory)")
    print(f"   import / (a + b)             {import_s / (read_s + insert_s):7.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    print("store import: TinyDB -> PostgreSQL (a local server, fsync on), the bot's downtime for the move")
    with PostgresServer(durable=True) as server, tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            one_size(server, size, Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
