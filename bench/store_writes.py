"""What a store write costs as history grows, how fast /scan is acknowledged beside a busy store,
and whether SIGKILL during writes loses anything, for both stores. Prints, never asserts.

    python bench/store_writes.py [--sizes 10 100 1000] [--writes 300] [--kills 100] [--acks 200]
                                 [--skip-pg] [--skip-ack] [--skip-crash]

1. Write cost: a store holding N incidents (each: its document, a checklist of 11 items, 30
   timeline events, 8 jobs, and 3 x 600 fingerprints) is filled directly in the store's own
   format, then `--writes` checklist ticks on random incidents go through the real typed records
   (IncidentRecords.change_checklist: read, change, write). Median and p99 per size, for TinyDB
   (fsync on every write) and PostgreSQL (a local server started for the run, fsync on).
   Goal: the cost at 1,000 incidents <= 1.5x the cost at 10.
2. /scan acknowledgement: the real bot (`python -m bot`) on a store of 1,000 incidents, 20 of
   them open (their timer messages refreshed every second), sent `--acks` signed /scan requests
   (one in ten a real scan of a small page); p50/p99 of the HTTP answer, on TinyDB, then on
   PostgreSQL. Goal <= 200 ms.
3. Crash: `--kills` times, a child process opens incidents and ticks checklist items as fast as
   it can, acknowledging each returned write on a pipe; it is SIGKILLed at a random moment, then
   every acknowledged write is looked for. Both stores. Goal: nothing lost.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.incidents.checklist import apply_delta, new_items  # noqa: E402
from bot.incidents.clocks import legal_schedule, takedown_schedule, to_iso  # noqa: E402
from bot.incidents.records import FINGERPRINT_SEPARATOR, IncidentRecords  # noqa: E402
from bot.model import Checklist, FindingSummary, Incident, Job, TimelineEntry, to_doc  # noqa: E402
from bot.store import Store  # noqa: E402

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
EVENTS, JOBS, FINGERPRINTS = 30, 8, 600


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


# -- stored history, made directly in the stores' formats -----------------------------------------


def history(n: int, *, open_: bool) -> dict[str, list[tuple[int, dict]]]:
    """Incident #n as (table -> [(id, document)]), ids unique per table across incidents."""
    kinds = ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")
    incident = Incident(title=f"Roster {n}", status="open" if open_ else "closed", opened_at=to_iso(NOW),
                        opened_by="U0REPORTER", notified_at=to_iso(NOW), severity="critical", records_affected=6000,
                        findings=[FindingSummary(type=k, count=6000, where=["Sheet1!A2:A6001"], samples=["A•••••4821"])
                                  for k in kinds], channel_id=f"C{n:06d}", channel_name=f"inc-pii-{n}",
                        summary_ts="1.1", timer_ts="1.2" if open_ else None, setup_complete=True,
                        members=["U0REPORTER", "U0ONCALL"], setup={s: True for s in ("channel", "invite", "summary",
                                                                                     "pin", "topic", "timer",
                                                                                     "checklist")})
    items = new_items()
    apply_delta(items, {items[0].id, items[1].id}, set(), by="U0ONCALL", at=to_iso(NOW))
    dues = (takedown_schedule(NOW + timedelta(days=1), 15) + legal_schedule(NOW + timedelta(days=1), (("GDPR", 72.0),)))
    jobs = [Job(incident=n, key=d.key, kind=d.kind, chain=d.chain, due_at=to_iso(d.due_at), payload=d.payload,
                status="pending" if open_ else "cancelled") for d in dues[:JOBS]]
    fps = {k: FINGERPRINT_SEPARATOR.join(sorted(f"{random.getrandbits(256):064x}" for _ in range(FINGERPRINTS)))
           for k in kinds}
    return {
        "incidents": [(n, to_doc(incident, without=("number",)))],
        "checklist": [(n, to_doc(Checklist(incident=n, items=items), without=("id",)))],
        "events": [((n - 1) * EVENTS + e + 1, to_doc(TimelineEntry(incident=n, at=to_iso(NOW), kind="check",
                                                                   text=f"Check: up. The very same file {e}."),
                                                     without=("id",))) for e in range(EVENTS)],
        "jobs": [((n - 1) * JOBS + j + 1, to_doc(job, without=("id",))) for j, job in enumerate(jobs)],
        "fingerprints": [(n, {"incident": n, "types": fps})],
    }


def fill_tinydb(path: Path, count: int, open_count: int = 0) -> None:
    import json

    folder = path.with_name(path.name + ".d")
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    for n in range(1, count + 1):
        tables = history(n, open_=n > count - open_count)
        files = {"incident": {}, "fingerprints": {}}
        for table, docs in tables.items():
            target = files["fingerprints" if table == "fingerprints" else "incident"]
            target[table] = {str(doc_id): doc for doc_id, doc in docs}
        for kind, data in files.items():
            (folder / f"{kind}-{n:06d}.json").write_text(json.dumps(data, separators=(",", ":")))


def fill_postgres(store, count: int, open_count: int = 0) -> None:
    from psycopg.types.json import Jsonb

    with store.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
        top: dict[str, int] = {}
        for n in range(1, count + 1):
            rows = [(table, doc_id, Jsonb(doc)) for table, docs in history(n, open_=n > count - open_count).items()
                    for doc_id, doc in docs]
            cur.executemany("INSERT INTO leakwatch_documents (tbl, id, body) VALUES (%s, %s, %s)", rows)
            for table, doc_id, _ in rows:
                top[table] = max(top.get(table, 0), doc_id)
        for table, last in top.items():
            cur.execute("INSERT INTO leakwatch_ids (tbl, last_id) VALUES (%s, %s)", (table, last))


# -- 1. write cost --------------------------------------------------------------------------------


def ticks(records: IncidentRecords, count: int, writes: int) -> list[float]:
    rng = random.Random(count)
    times = []
    for i in range(writes):
        number = rng.randint(1, count)
        started = time.perf_counter()
        records.change_checklist(number, lambda sheet, i=i: apply_delta(
            sheet.items, {sheet.items[i % len(sheet.items)].id}, set(), by=f"U{i}", at=to_iso(NOW)))
        times.append((time.perf_counter() - started) * 1000)
    return times


def write_cost(sizes: list[int], writes: int, server) -> None:
    """Every store is filled first; then the sizes take turns, a few ticks each, round after round,
    so a burst of load on the (shared) machine falls on all sizes alike."""
    print(f"1. one write (a checklist tick through IncidentRecords), {writes} per size and store, sizes in turns")
    stores: dict[tuple[str, int], IncidentRecords] = {}
    folder = tempfile.TemporaryDirectory()
    for size in sizes:
        path = Path(folder.name) / str(size) / "bot.json"
        fill_tinydb(path, size)
        started = time.perf_counter()
        stores[("TinyDB", size)] = IncidentRecords(Store(path))
        print(f"   TinyDB store of {size:,} incidents opened in {time.perf_counter() - started:.2f} s")
        if server is not None:
            from bot.stores.postgres import PostgresStore

            pg = PostgresStore(server.new_database())
            fill_postgres(pg, size)
            with pg.pool.connection() as conn:
                conn.execute("VACUUM ANALYZE leakwatch_documents")
                conn.execute("CHECKPOINT")
            stores[("PostgreSQL", size)] = IncidentRecords(pg)
    for records in stores.values():  # warm up: connections, caches
        ticks(records, max(s for s in sizes), 5)
    times: dict[tuple[str, int], list[float]] = {key: [] for key in stores}
    rounds = 10
    for _ in range(rounds):
        for (kind, size), records in stores.items():
            times[(kind, size)] += ticks(records, size, writes // rounds)
    for kind in ("TinyDB", "PostgreSQL"):
        medians = {}
        for size in sizes:
            if (kind, size) in times:
                values = times[(kind, size)]
                medians[size] = statistics.median(values)
                print(f"   {kind:<11} {size:>5} incidents: median {medians[size]:6.2f} ms  "
                      f"p99 {percentile(values, 99):6.2f} ms")
        if len(medians) > 1:
            small, large = min(medians), max(medians)
            print(f"   {kind}: median at {large:,} / median at {small:,} = {medians[large] / medians[small]:.2f}x "
                  "(goal <= 1.5x)")
    for records in stores.values():
        records.store.close()
    folder.cleanup()


# -- 2. /scan acknowledgement beside a busy store -------------------------------------------------


def ack_latency(acks: int, server=None) -> None:
    from tests.helpers.bot_process import running_bot
    from tests.helpers.webserver import WebServer

    kind = "PostgreSQL" if server is not None else "TinyDB"
    print(f"\n2. /scan acknowledgement, real bot, {kind} store of 1,000 incidents with 20 open "
          f"(timers refreshed every second), {acks} requests")
    with tempfile.TemporaryDirectory() as tmp:
        env = {"TIMER_UPDATE_SECONDS": "1", "LOG_LEVEL": "WARNING"}
        if server is None:
            fill_tinydb(Path(tmp) / "bot" / "data" / "bot.json", 1000, open_count=20)
        else:
            from bot.stores.postgres import PostgresStore

            env["DATABASE_URL"] = server.new_database()
            store = PostgresStore(env["DATABASE_URL"])
            fill_postgres(store, 1000, open_count=20)
            store.close()
        with WebServer() as web, running_bot(Path(tmp) / "bot", env=env) as stack:
            web.add("/small.txt", b"nothing personal here\n", content_type="text/plain")
            time.sleep(3)  # the sweep loop is refreshing the 20 timers by now
            times = []
            for i in range(acks):
                answer = stack.slack.slash("/scan", web.url("/small.txt") if i % 10 == 0 else "help")
                times.append(answer.elapsed * 1000)
            updates = len(stack.standin.calls_to("chat.update"))
            print(f"   p50 {percentile(times, 50):6.1f} ms   p99 {percentile(times, 99):6.1f} ms   "
                  f"max {max(times):6.1f} ms   (goal: p99 <= 200 ms; {updates} timer updates meanwhile)")


# -- 3. SIGKILL during writes ---------------------------------------------------------------------


def crash(kills: int, name: str, open_store) -> None:
    from tests.helpers.store_load import Acknowledged, killed_writer

    rng = random.Random(5)
    acked = Acknowledged()
    lost = 0
    started = time.monotonic()
    for round_no in range(kills):
        acked.note(killed_writer(open_store, round_no, want=rng.randint(2, 14), wait=20,
                                 pause=rng.random() * 0.004))
        store = open_store()
        records = IncidentRecords(store)
        present = {i.number for i in records.all()}
        lost += len(acked.incidents - present)
        for sheet, done in acked.ticks.items():
            stored = records.checklist(sheet)
            lost += len(done - {i.id for i in (stored.items if stored else []) if i.done})
        store.close()
    print(f"   {name:<11} {kills} kills: {acked.count():,} acknowledged writes, {lost} lost "
          f"({time.monotonic() - started:.0f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--acks", type=int, default=200)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--skip-pg", action="store_true")
    parser.add_argument("--skip-ack", action="store_true")
    parser.add_argument("--skip-crash", action="store_true")
    args = parser.parse_args()
    from tests.helpers.postgres import PostgresServer, unavailable

    reason = None if not args.skip_pg else "--skip-pg"
    reason = reason or unavailable()
    server = PostgresServer(durable=True).start() if reason is None else None
    if server is None:
        print(f"(PostgreSQL left out: {reason})")
    try:
        write_cost(args.sizes, args.writes, server)
        if not args.skip_ack:
            ack_latency(args.acks)
            if server is not None:
                ack_latency(args.acks, server)
        if not args.skip_crash:
            print(f"\n3. SIGKILL during writes, {args.kills} times per store")
            with tempfile.TemporaryDirectory() as folder:
                crash(args.kills, "TinyDB", lambda: Store(Path(folder) / "data" / "bot.json"))
            if server is not None:
                from bot.stores.postgres import PostgresStore

                url = server.new_database()
                crash(args.kills, "PostgreSQL", lambda: PostgresStore(url, pool_max=2))
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
