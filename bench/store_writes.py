"""How the store's cost grows with the number of incidents it holds. Prints, never asserts.

Every write rewrites the whole file (temporary file, fsync, rename, fsync of the folder), so the
cost of one write grows with the database. This measures, for databases of N incidents (each with
a full fingerprint sample of 3 types, a checklist, a timeline and its jobs):
- one acknowledged write (a checklist tick), median and 95th percentile;
- one sweep with nothing due (what the loop pays every half second);
- the file size.

    python bench/store_writes.py [N ...]      (default: 10 50 200)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.incidents.checklist import apply_delta, new_items  # noqa: E402
from bot.incidents.clocks import legal_schedule, takedown_schedule, to_iso  # noqa: E402
from bot.incidents.records import FINGERPRINTS_PER_TYPE, IncidentRecords  # noqa: E402
from bot.model import FindingSummary, Incident  # noqa: E402
from bot.store import Store  # noqa: E402

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)


def fill(records: IncidentRecords, count: int) -> None:
    for n in range(count):
        fingerprints = {kind: [f"{kind}{n}{i}".encode().hex().ljust(64, "0")[:64] for i in range(FINGERPRINTS_PER_TYPE)]
                        for kind in ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")}
        number = records.create(Incident(url=f"https://example.gov/{n}.xlsx", fingerprints=fingerprints,
                                         findings=[FindingSummary(type=k, count=6000, where=["Sheet!A1:A6001"],
                                                                  samples=["•••••"]) for k in fingerprints],
                                         notified_at=to_iso(NOW)))
        records.create_checklist(number, new_items())
        for e in range(30):
            records.add_event(number, "check", f"event {e}", at=NOW)
        records.schedule(number, takedown_schedule(NOW + timedelta(days=1), 15) +
                         legal_schedule(NOW + timedelta(days=1), (("GDPR", 72.0),)))


def measure(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bot.json"
        records = IncidentRecords(Store(path))
        fill(records, count)
        writes = []
        for i in range(40):
            started = time.perf_counter()
            records.change_checklist(1 + i % count, lambda doc, i=i: apply_delta(
                doc.items, {doc.items[i % 11].id}, set(), by="U1", at=to_iso(NOW)))
            writes.append((time.perf_counter() - started) * 1000)
        sweeps = []
        for _ in range(40):
            started = time.perf_counter()
            records.due_jobs(NOW)
            sweeps.append((time.perf_counter() - started) * 1000)
        writes.sort()
        print(f"{count:>5} incidents  file {path.stat().st_size / 1e6:6.2f} MB  "
              f"write median {statistics.median(writes):7.1f} ms  p95 {writes[int(len(writes) * 0.95) - 1]:7.1f} ms  "
              f"idle sweep {statistics.median(sweeps):6.2f} ms")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [10, 50, 200]:
        measure(size)
