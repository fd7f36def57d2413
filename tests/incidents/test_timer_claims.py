"""The timer tick claim (IncidentRecords.claim_timer_tick) on both stores: each (incident, tick) is
claimed once, however many claim it at once; a claim that was never followed by a refresh (the
process died) costs that tick only; a stopped clock is never claimed. On PostgreSQL the claimers
are two pools, as two replicas have; on TinyDB the threads of the one process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.clocks import to_iso
from bot.incidents.records import IncidentRecords, timer_tick
from bot.model import Incident
from bot.store import Store
from tests.helpers.threads import run_at_once

NOTIFIED = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
STEP = timedelta(seconds=60)


@pytest.fixture(params=["tinydb", "postgresql"])
def two_replicas(request, tmp_path):
    """Two IncidentRecords over one store: two replicas' (PostgreSQL) or one process's (TinyDB)."""
    if request.param == "tinydb":
        store = Store(tmp_path / "bot.json")
        yield IncidentRecords(store), IncidentRecords(store)
        store.close()
        return
    yield tuple(IncidentRecords(store) for store in request.getfixturevalue("postgres_replicas"))


def running_incident(records: IncidentRecords, **fields) -> int:
    incident = Incident(status="open", notified_at=to_iso(NOTIFIED), setup_complete=True, timer_ts="1.000100",
                        channel_id="C0ROOM")
    for name, value in fields.items():
        setattr(incident, name, value)
    return records.create(incident)


def at(seconds: float) -> datetime:
    return NOTIFIED + timedelta(seconds=seconds)


def test_the_tick_is_counted_from_the_notification():
    assert timer_tick(to_iso(NOTIFIED), at(0), STEP) == NOTIFIED
    assert timer_tick(to_iso(NOTIFIED), at(59.9), STEP) == NOTIFIED
    assert timer_tick(to_iso(NOTIFIED), at(60), STEP) == at(60)
    assert timer_tick(to_iso(NOTIFIED), at(185), STEP) == at(180)
    assert timer_tick(to_iso(NOTIFIED), at(-5), STEP) == NOTIFIED  # a clock a little behind


def test_each_tick_is_claimed_once_by_either_replica(two_replicas):
    one, two = two_replicas
    number = running_incident(one)
    claimed = one.claim_timer_tick(number, at(1), STEP)
    assert claimed is not None and claimed.number == number and claimed.timer_tick_at == to_iso(NOTIFIED)
    assert two.claim_timer_tick(number, at(2), STEP) is None  # the same tick, the other replica
    assert one.claim_timer_tick(number, at(59), STEP) is None  # the same tick, the same process
    assert two.claim_timer_tick(number, at(61), STEP).timer_tick_at == to_iso(at(60))  # the next: whoever is first
    assert one.claim_timer_tick(number, at(62), STEP) is None
    # a replica whose clock lags behind never claims a tick older than one already claimed
    assert one.claim_timer_tick(number, at(58), STEP) is None


def test_many_claiming_one_tick_at_once_make_one_claim(two_replicas):
    one, two = two_replicas
    number = running_incident(one)
    for tick in range(3):
        won: list[int] = []

        def claim(worker: int, tick: int = tick, won: list[int] = won) -> None:
            if (one, two)[worker % 2].claim_timer_tick(number, at(tick * 60 + 1 + worker / 100), STEP) is not None:
                won.append(worker)

        run_at_once(claim, 8)
        assert len(won) == 1, f"tick {tick}: {len(won)} claims"
    assert one.get(number).timer_tick_at == to_iso(at(120))


def test_a_claim_whose_refresh_never_came_costs_one_tick_only(two_replicas):
    one, two = two_replicas
    number = running_incident(one)
    assert one.claim_timer_tick(number, at(5), STEP) is not None  # ... and the process dies before chat.update
    assert two.claim_timer_tick(number, at(30), STEP) is None  # the rest of that tick: not refreshed
    assert two.claim_timer_tick(number, at(60), STEP) is not None  # the next tick simply refreshes


def test_a_stopped_clock_is_never_claimed_and_nothing_is_written(two_replicas):
    one, _ = two_replicas
    down = running_incident(one, status="down")
    unfinished = running_incident(one, setup_complete=False)
    no_message = running_incident(one, timer_ts=None)
    for number in (down, unfinished, no_message):
        assert one.claim_timer_tick(number, at(5), STEP) is None
        assert one.get(number).timer_tick_at is None
    assert one.claim_timer_tick(999, at(5), STEP) is None  # no such incident


def test_a_new_notification_time_moves_the_ticks(two_replicas):
    one, two = two_replicas
    number = running_incident(one)
    assert one.claim_timer_tick(number, at(130), STEP).timer_tick_at == to_iso(at(120))
    # someone sets the notification time 10 minutes earlier: ticks count from it now
    one.modify(number, lambda doc: setattr(doc, "notified_at", to_iso(NOTIFIED - timedelta(minutes=10))))
    assert two.claim_timer_tick(number, at(135), STEP) is None  # 14:02:15 is in the tick already claimed
    assert two.claim_timer_tick(number, at(180), STEP).timer_tick_at == to_iso(at(180))
