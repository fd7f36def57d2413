"""The PostgreSQL store against a real server on 127.0.0.1: the same interface as the embedded
store, migrations applied once from the versioned files, row locks under concurrency, and due
work claimed once (FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg

from bot.incidents.clocks import Due, to_iso
from bot.incidents.records import IncidentRecords
from bot.model import Incident
from bot.stores.postgres import PostgresStore, migrations
from tests.helpers.threads import run_at_once

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)


def test_the_interface_and_the_migrations(postgres_server):
    url = postgres_server.new_database()
    store = PostgresStore(url)
    try:
        table = store.table("incidents")
        first, second = table.insert({"status": "open", "url_key": "u1"}), table.insert({"status": "down"})
        assert (first, second) == (1, 2) and table.get(first)["url_key"] == "u1" and table.get(99) is None
        assert [r.id for r in table.search(where={"status": "down"})] == [second]
        assert table.first(lambda d: d["status"] == "open").id == first and table.count() == 2
        table.update(first, {"status": "closed"})
        assert table.modify(first, lambda doc: doc.update(reposts=1))["reposts"] == 1
        assert table.get(first) == {"status": "closed", "url_key": "u1", "reposts": 1}
        table.remove(second)
        assert table.count() == 1 and store.health() == {"store": "postgresql", "writable": True}
        second_bot = PostgresStore(url)
        try:
            assert second_bot.migrate() == []  # a second bot applies nothing again
        finally:
            second_bot.close()
        with psycopg.connect(url) as conn:
            names = [row[0] for row in conn.execute("SELECT name FROM leakwatch_migrations ORDER BY version")]
        assert names == [name for _, name, _ in migrations()] and names[0] == "0001_documents.sql"
    finally:
        store.close()


def test_parallel_read_modify_writes_from_two_pools_lose_nothing(postgres_server):
    url = postgres_server.new_database()
    one, two = PostgresStore(url), PostgresStore(url)  # two processes' pools, as two replicas have
    try:
        doc_id = one.table("checklist").insert({"ticks": []})

        def ticker(worker: int) -> None:
            table = (one if worker % 2 else two).table("checklist")
            for n in range(10):
                table.modify(doc_id, lambda doc, item=f"{worker}-{n}": doc["ticks"].append(item))

        run_at_once(ticker, 10)
        assert len(set(one.table("checklist").get(doc_id)["ticks"])) == 100
    finally:
        one.close()
        two.close()


def test_due_work_is_claimed_once_across_replicas(postgres_server):
    url = postgres_server.new_database()
    stores = [PostgresStore(url) for _ in range(3)]
    try:
        records = [IncidentRecords(s) for s in stores]
        number = records[0].create(Incident(notified_at=to_iso(NOW)))
        records[0].schedule(number, [Due(f"r{i}", "legal_reminder", NOW + timedelta(seconds=i), "legal:0", {})
                                     for i in range(30)])
        claimed: list[tuple[int, int]] = []

        def sweeper(index: int) -> None:
            mine = records[index % 3]
            for job in mine.due_jobs(NOW + timedelta(minutes=1)):
                if mine.claim(job.id, NOW):
                    claimed.append((index, job.id))

        run_at_once(sweeper, 6)
        ids = [job_id for _, job_id in claimed]
        assert len(ids) == 30 and len(set(ids)) == 30, "every job claimed exactly once"
        assert records[1].due_jobs(NOW + timedelta(minutes=1)) == []
    finally:
        for store in stores:
            store.close()
