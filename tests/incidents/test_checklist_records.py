"""A checklist change and its timeline entries are one write (IncidentRecords.change_checklist
with `events`): on PostgreSQL another replica never sees a tick without its entry, and a failure
while writing the entries saves neither. The embedded store has one process and one lock, so a
reader there waits for the whole change; its files cannot be rolled back, which is why only the
PostgreSQL cases test a failure."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bot.incidents import checklist as checklist_logic
from bot.incidents.records import IncidentRecords
from bot.model import ChecklistItem, Incident
from tests.helpers.threads import run_at_once

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
ITEMS = 40


@pytest.fixture
def replicas(postgres_replicas):
    """Two replicas' records: two pools on one database (tests/conftest.py)."""
    return tuple(IncidentRecords(store) for store in postgres_replicas)


def incident_with_checklist(records: IncidentRecords) -> int:
    number = records.create(Incident(status="open", channel_id="C0ROOM", setup_complete=True))
    records.create_checklist(number, [ChecklistItem(id=f"step-{n}", text=f"Step {n}") for n in range(ITEMS)])
    return number


def tick(records: IncidentRecords, number: int, item_id: str, user: str, *, events=None):
    return records.change_checklist(
        number, lambda sheet: checklist_logic.apply_delta(sheet.items, {item_id}, set(), by=user, at="t"),
        events=events or (lambda _sheet, changes: [("tick", f"Ticked: {i}") for i, _ in changes]), at=NOW, by=user)


def done_and_entries(records: IncidentRecords, number: int) -> tuple[int, int]:
    """Ticks saved, then entries saved (in this order: every commit adds both, so entries >= ticks)."""
    done = sum(item.done for item in records.checklist(number).items)
    return done, sum(entry.kind == "tick" for entry in records.timeline(number))


def test_another_replica_never_sees_a_tick_without_its_entry(replicas):
    a, b = replicas
    number = incident_with_checklist(a)
    finished = threading.Event()
    seen: list[tuple[int, int]] = []

    def watch() -> None:
        while not finished.is_set():
            seen.append(done_and_entries(b, number))

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        run_at_once(lambda n: tick((a, b)[n % 2], number, f"step-{n % ITEMS}", f"U{n:03d}"), 100)
    finally:
        finished.set()
        watcher.join()
    assert len(seen) > 1
    assert [s for s in seen if s[1] < s[0]] == [], "a tick was visible before its timeline entry"
    assert done_and_entries(b, number) == (ITEMS, ITEMS), "each item ticked once, each tick one entry"


def test_the_entries_are_written_inside_the_change(replicas):
    a, b = replicas
    number = incident_with_checklist(a)
    while_writing: list[tuple[int, int]] = []

    def entries(_sheet, changes):
        while_writing.append(done_and_entries(b, number))  # the other replica, mid-change
        return [("tick", "Ticked: step-0")]

    tick(a, number, "step-0", "U001", events=entries)
    assert while_writing == [(0, 0)]
    assert done_and_entries(b, number) == (1, 1)


def test_a_failure_writing_the_entries_saves_no_tick(replicas):
    a, b = replicas
    number = incident_with_checklist(a)

    def broken(_sheet, _changes):
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        tick(a, number, "step-3", "U001", events=broken)
    assert done_and_entries(b, number) == (0, 0)
    tick(b, number, "step-3", "U002")
    assert done_and_entries(a, number) == (1, 1)


def test_entries_need_their_time(tmp_path):
    from bot.store import Store

    store = Store(tmp_path / "bot.json")
    try:
        records = IncidentRecords(store)
        number = incident_with_checklist(records)
        with pytest.raises(TypeError):
            records.change_checklist(number, lambda sheet: [], events=lambda *_: [])
        assert tick(records, number, "step-1", "U001")[1] == [("step-1", True)]
        assert done_and_entries(records, number) == (1, 1)
    finally:
        store.close()
