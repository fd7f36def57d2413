"""What the sweep's take-over pass (bot/incidents/takeover.py) adds to a replica's periodic
recovery, on both stores. Prints, never asserts.

    PYTHONPATH=. python bench/page_takeover.py [--incidents 300] [--runs 15] [--skip-pg]

Every SETUP_RETRY (30 s) a sweep already reads the open and taken-down incidents (rooms whose
opening failed half-way) and settles stuck job claims; it now also reads every incident, closed
ones too, for a page mark or an announcement left past the lease. With `--incidents` incidents (a
third open, a third down, a third closed; one in ten with a page mark and one in ten with an
announcement, all fresh: nothing is taken over, the steady state), over `--runs` passes, same run:
the median time of `take_over` ÷ the median time of the pass the sweep already made (the open and
down incidents read, recover_claimed), its milliseconds per pass, and its share of one core.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.incidents import effects, takeover  # noqa: E402
from bot.incidents.clocks import to_iso  # noqa: E402
from bot.incidents.records import IncidentRecords  # noqa: E402
from bot.incidents.sweep import SETUP_RETRY  # noqa: E402
from bot.model import Announcement, Incident  # noqa: E402
from tests.helpers.bench_stores import each_store  # noqa: E402

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
STATUSES = ("open", "down", "closed")


def fill(records: IncidentRecords, count: int) -> None:
    for n in range(count):
        incident = Incident(status=STATUSES[n % 3], url=f"https://files.example.gov/{n}.csv")
        if n % 10 == 0:
            incident.page_pending, incident.page_claimed_at = "resolve", to_iso(NOW)
        if n % 10 == 5:
            incident.announcing = Announcement(what="closed", key="announce:closed", at=to_iso(NOW), steps=["post"])
        records.create(incident)


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def measure(name: str, records: IncidentRecords, args) -> None:
    fill(records, args.incidents)
    ctx = SimpleNamespace(records=records, clock=lambda: NOW, outside=SimpleNamespace(pager=SimpleNamespace(enabled=True)))
    def before() -> None:
        records.all(("open", "down"))
        effects.recover_claimed(ctx, NOW)

    taken = median_ms(lambda: takeover.take_over(ctx, NOW), args.runs)
    already = median_ms(before, args.runs)
    every = SETUP_RETRY.total_seconds() * 1000
    print(f"{name}: take_over {taken:.2f} ms / the pass before it {already:.2f} ms = {taken / already:.2f}; "
          f"{taken / every:.4%} of a core ({args.incidents} incidents, every {every / 1000:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    each_store(lambda name, make_records: measure(name, make_records(), args), skip_pg=args.skip_pg)


if __name__ == "__main__":
    main()
