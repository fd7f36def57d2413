"""What opening an incident in one write costs, and what never caching an empty fingerprint answer
costs a re-post check, on both stores. Prints, never asserts.

    PYTHONPATH=. python bench/incident_create.py [--incidents 100] [--fingerprints 6000] [--skip-pg]

1. IncidentRecords.create with the incident, its fingerprints (`--fingerprints` of one type), its
   scan record and "scan" entry in one transaction, ÷ the same four writes made one by one (as
   before), median per incident over `--incidents`, same run.
2. The re-post check (repost.find) of one scan against `--incidents` incidents of which 10% have no
   fingerprints ÷ against as many that all have some (cached): opened by title by this version (an
   empty record, cached like any), and written by an older version with no record at all (read
   again at every check: "none" is never cached without a record).
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

from bot.incidents import repost  # noqa: E402
from bot.incidents.records import IncidentRecords, summarize_report  # noqa: E402
from bot.model import Incident  # noqa: E402
from tests.helpers.bench_stores import each_store  # noqa: E402
from tests.incidents.service_world import leak_report  # noqa: E402

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
CHECKS = 50


def fingerprints(seed: int, count: int) -> list[str]:
    return [f"{seed:08x}{n:056x}" for n in range(count)]


def create_costs(records: IncidentRecords, incidents: int, count: int) -> tuple[float, float]:
    """Median ms per incident: one transaction, then the same writes one by one."""
    together, apart = [], []
    for n in range(incidents):
        summary = summarize_report(leak_report(f"https://files.example.gov/{n}.csv", fingerprints(n, count)))
        entry = [("scan", "Scan: severity high, 1 people, types A_NUMBER.")]
        started = time.perf_counter()
        records.create(Incident(status="open"), fingerprints=summary.fingerprints, scan=summary, events=entry,
                       at=NOW, by="U0A")
        together.append(time.perf_counter() - started)
        started = time.perf_counter()
        number = records.create(Incident(status="open"))
        records.set_fingerprints(number, summary.fingerprints)
        records.add_scan(number, summary, at=NOW, by="U0A")
        records.add_event(number, *entry[0], at=NOW, by="U0A")
        apart.append(time.perf_counter() - started)
    return statistics.median(together) * 1000, statistics.median(apart) * 1000


def find_cost(records: IncidentRecords, incidents: int, without: int, *, record: bool = True) -> float:
    """Median ms of one re-post check against `incidents` incidents, `without` of them without
    fingerprints (with an empty record, as this version writes, or none, as an older one did)."""
    for n in range(incidents):
        if n < without and not record:
            records.incidents.insert({"status": "open", "title": "t"})
            continue
        fps = None if n < without else {"A_NUMBER": fingerprints(n + 10_000, 200)}
        records.create(Incident(status="open", title="t" if fps is None else None), fingerprints=fps)
    ctx = SimpleNamespace(records=records)
    scan = leak_report("https://mirror.example.org/copy.csv", fingerprints(99_999, 50))
    repost.find(ctx, scan)  # warm the cache
    costs = []
    for _ in range(CHECKS):
        started = time.perf_counter()
        repost.find(ctx, scan)
        costs.append(time.perf_counter() - started)
    return statistics.median(costs) * 1000


def measure(name: str, make_records, args) -> None:
    together, apart = create_costs(make_records(), args.incidents, args.fingerprints)
    print(f"{name}: create in one write {together:.2f} ms ÷ the same writes apart {apart:.2f} ms = "
          f"{together / apart:.2f} (median of {args.incidents}, {args.fingerprints:,} fingerprints each)")
    cached = find_cost(make_records(), args.incidents, 0)
    titles = find_cost(make_records(), args.incidents, args.incidents // 10)
    older = find_cost(make_records(), args.incidents, args.incidents // 10, record=False)
    print(f"    re-post check against {args.incidents} incidents, 10% without fingerprints ÷ all with some "
          f"({cached:.2f} ms): opened by title {titles / cached:.2f}; by an older version, no record, read "
          f"each time {older / cached:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100)
    parser.add_argument("--fingerprints", type=int, default=6000)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()

    each_store(lambda name, make_records: measure(name, make_records, args), skip_pg=args.skip_pg)


if __name__ == "__main__":
    main()
