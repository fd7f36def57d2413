"""What a transaction costs on the embedded store now that its writes are held to its end
(bot/stores/batch.py), against the same writes made one by one (each an fsynced file replace, as
every transaction's writes were before). Prints, never asserts.

    python bench/store_transactions.py [--repeat 200] [--incidents 100]

Shapes, each on an incident of a store holding `--incidents` incidents (30 timeline entries each):
- a checklist tick with its timeline entry (2 writes, one file);
- a takedown's state: the incident, 6 jobs cancelled, an entry (8 writes, one file);
- an incident opened with its fingerprints, scan record and entry (4 writes, two files: the
  journal is written too).
Median per change, held ÷ one by one.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.store import Store  # noqa: E402


def fill(store: Store, incidents: int) -> list[int]:
    numbers = []
    for n in range(incidents):
        number = store.table("incidents").insert({"status": "open", "url": f"https://example.test/{n}.csv"})
        store.table("checklist").insert({"incident": number, "items": [{"id": f"s{i}", "done": False} for i in range(11)]})
        for e in range(30):
            store.table("events").insert({"incident": number, "kind": "note", "text": f"entry {e}"})
        for j in range(6):
            store.table("jobs").insert({"incident": number, "key": f"takedown:{j}", "status": "pending"})
        numbers.append(number)
    return numbers


def tick(store: Store, number: int) -> None:
    sheet = store.table("checklist").first(where={"incident": number})
    store.table("checklist").modify(sheet.id, lambda doc: doc["items"][0].update(done=not doc["items"][0]["done"]))
    store.table("events").insert({"incident": number, "kind": "tick", "text": "Ticked: s0"})


def takedown(store: Store, number: int) -> None:
    store.table("incidents").update(number, {"status": "down"})
    for job in store.table("jobs").search(where={"incident": number}):
        store.table("jobs").update(job.id, {"status": "cancelled"})
    store.table("events").insert({"incident": number, "kind": "takedown", "text": "Taken down"})
    store.table("incidents").update(number, {"status": "open"})


def opening(store: Store, _number: int) -> None:
    number = store.table("incidents").insert({"status": "open"})
    store.table("fingerprints").insert({"incident": number, "values": [f"{i:032x}" for i in range(600)]})
    store.table("scans").insert({"incident": number, "rows": 6252})
    store.table("events").insert({"incident": number, "kind": "scan", "text": "Scanned"})


def timed(store: Store, change, numbers: list[int], repeat: int, *, held: bool) -> float:
    costs = []
    for i in range(repeat):
        number = numbers[i % len(numbers)]
        started = time.perf_counter()
        with store.transaction("bench") if held else contextlib.nullcontext():
            change(store, number)
        costs.append(time.perf_counter() - started)
    return statistics.median(costs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--incidents", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bot.json")
        numbers = fill(store, args.incidents)
        print(f"TinyDB store of {args.incidents} incidents; median of {args.repeat} changes, alternating")
        for name, change, writes in (("tick + entry", tick, 2), ("takedown state", takedown, 8),
                                     ("opening, two files", opening, 4)):
            apart, together = [], []
            for _ in range(3):  # alternate, so drift in the disk's speed falls on both
                apart.append(timed(store, change, numbers, args.repeat // 3, held=False))
                together.append(timed(store, change, numbers, args.repeat // 3, held=True))
            a, t = statistics.median(apart), statistics.median(together)
            print(f"  {name:<20} {writes} writes: one by one {a * 1000:6.2f} ms, held to the end "
                  f"{t * 1000:6.2f} ms: {t / a:.2f}x")
        store.close()


if __name__ == "__main__":
    main()
