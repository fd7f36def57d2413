"""How many live clock refreshes replicas make per incident per tick, and what the tick claim
costs, on both stores. Prints, never asserts.

    python bench/timer_ticks.py [--incidents 20] [--ticks 30] [--replicas 3] [--skip-pg]

R replicas (PostgreSQL: R pools, as R processes have; TinyDB: R threads of the one process, its
only shape) claim every open incident's tick at the same moment
(IncidentRecords.claim_timer_tick), for `--ticks` ticks. Printed: claims won per incident-tick
(each one is one chat.update; without the claim every replica refreshes, so R), the cost of one
claim attempt (p50/p99, won or lost), and how many incidents fit Slack's chat.update budget
(Tier 3, about 50 a minute per app and workspace) at the default TIMER_UPDATE_SECONDS=60.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.incidents.clocks import to_iso  # noqa: E402
from bot.incidents.records import IncidentRecords  # noqa: E402
from bot.model import Incident  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.helpers.threads import run_at_once  # noqa: E402

NOTIFIED = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
STEP = timedelta(seconds=60)
SLACK_UPDATES_PER_MINUTE = 50


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def run(replicas: list[IncidentRecords], incidents: int, ticks: int) -> tuple[float, list[float]]:
    numbers = [replicas[0].create(Incident(status="open", notified_at=to_iso(NOTIFIED), setup_complete=True,
                                           timer_ts=f"1.{n:06d}", channel_id="C0ROOM")) for n in range(incidents)]
    won, costs, lock = 0, [], threading.Lock()
    for tick in range(ticks):
        now = NOTIFIED + STEP * tick + timedelta(seconds=1)

        def sweep(worker: int, now: datetime = now) -> None:
            nonlocal won
            for number in numbers:
                started = time.perf_counter()
                claimed = replicas[worker].claim_timer_tick(number, now, STEP)
                with lock:
                    costs.append((time.perf_counter() - started) * 1000)
                    won += claimed is not None

        run_at_once(sweep, len(replicas))
    return won / (incidents * ticks), costs


def report(name: str, replicas: int, per_tick: float, costs: list[float]) -> None:
    print(f"{name}, {replicas} replicas: chat.update per incident per tick {replicas} without the claim (each replica refreshes) -> "
          f"{per_tick:.2f} measured with it; claim attempt p50 {statistics.median(costs):.2f} ms, "
          f"p99 {percentile(costs, 99):.2f} ms ({len(costs)} attempts)")
    print(f"    open incidents within Slack's ~{SLACK_UPDATES_PER_MINUTE} chat.update/min at 60 s ticks: "
          f"{SLACK_UPDATES_PER_MINUTE // replicas} without -> {int(SLACK_UPDATES_PER_MINUTE / per_tick)} with")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=20)
    parser.add_argument("--ticks", type=int, default=30)
    parser.add_argument("--replicas", type=int, default=3)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bot.json")
        try:
            per_tick, costs = run([IncidentRecords(store) for _ in range(args.replicas)], args.incidents, args.ticks)
        finally:
            store.close()
        report("TinyDB (threads of one process)", args.replicas, per_tick, costs)

    if args.skip_pg:
        return
    from bot.stores.postgres import PostgresStore
    from tests.helpers.postgres import bench_server

    with bench_server() as server:
        if server is None:
            return
        url = server.new_database()
        stores = [PostgresStore(url) for _ in range(args.replicas)]
        try:
            per_tick, costs = run([IncidentRecords(s) for s in stores], args.incidents, args.ticks)
        finally:
            for s in stores:
                s.close()
        report("PostgreSQL (one pool per replica)", args.replicas, per_tick, costs)


if __name__ == "__main__":
    main()
