"""The times of a pending watch alert (bot/watch/alerts.py), as pure functions: a claim moves only
the claim time and the lease runs from it, while the channel search always starts from when the
alert was decided, however many claims came between."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from bot.watch import alerts

DECIDED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TARGET = "https://site.example/files/list.csv"


class History:
    """conversations.history answering nothing, keeping the `oldest` each call asked for."""

    def __init__(self):
        self.oldest: list[datetime] = []

    def call(self, method, **params):
        assert method == "conversations.history"
        self.oldest.append(datetime.fromtimestamp(float(params["oldest"]), UTC))
        return {"ok": True, "messages": []}


def _watch():
    return SimpleNamespace(number=4, channel="C0WATCH", pending_alerts={})


def test_claims_move_the_lease_but_the_search_starts_from_the_decision():
    watch = _watch()
    alerts.pending(watch, TARGET, "digest-a", DECIDED)
    first = DECIDED + timedelta(minutes=40)
    alerts.take(watch, [TARGET], first)
    # just claimed: within the lease for another replica, not stale
    assert alerts.stale(watch, first + timedelta(seconds=30), started=DECIDED, one_process=False) == []
    later = first + alerts.LEASE + timedelta(seconds=1)
    assert alerts.stale(watch, later, started=DECIDED, one_process=False) == [TARGET]
    taken = alerts.take(watch, [TARGET], later)
    history = History()
    assert alerts.look(history, watch, taken) == ([], [TARGET])
    assert len(history.oldest) == 1 and history.oldest[0] <= DECIDED
    assert history.oldest[0] > DECIDED - timedelta(minutes=10)


def test_a_record_written_with_a_single_since_is_searched_from_it():
    watch = _watch()
    watch.pending_alerts[TARGET] = {"digest": "digest-b", "since": DECIDED.isoformat()}
    assert alerts.stale(watch, DECIDED + alerts.LEASE, started=DECIDED, one_process=False) == [TARGET]
    history = History()
    alerts.look(history, watch, alerts.take(watch, [TARGET], DECIDED + timedelta(hours=1)))
    assert history.oldest[0] <= DECIDED
