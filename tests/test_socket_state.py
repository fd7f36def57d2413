"""bot/socket_state.py: a drop and a long outage are each logged once; the dedupe is bounded."""

from __future__ import annotations

import logging

from bot.socket_state import ConnectionStatus, EnvelopeDedupe, envelope_keys


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _status():
    clock = Clock()
    return ConnectionStatus(error_after=60, clock=clock, wall=lambda: 1_764_900_000 + clock.now), clock


def test_a_long_outage_is_one_error_however_often_it_is_checked(caplog):
    status, clock = _status()
    status.up("1")
    with caplog.at_level(logging.INFO, logger="bot.socket_mode"):
        status.down("closed without a close frame (FIN)")
        for _ in range(30):  # every retry and every ping-sized tick for 90 s
            clock.now += 3
            status.down("reconnect failed: apps.connections.open: internal_error")
            status.check()
        snapshot = status.snapshot()
        status.up("2")
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(warnings) == 1 and "down since" in warnings[0].getMessage()
    assert len(errors) == 1 and "(FIN)" in errors[0].getMessage()
    assert snapshot["connected"] is False and snapshot["long_outage"] is True and snapshot["down_seconds"] == 90
    assert snapshot["last_drop"] == "closed without a close frame (FIN)"
    assert "after 90.0 s down" in caplog.records[-1].getMessage()
    assert status.snapshot()["reconnects"] == 1 and status.snapshot()["long_outage"] is False


def test_a_short_drop_is_no_error(caplog):
    status, clock = _status()
    status.up("1")
    with caplog.at_level(logging.INFO, logger="bot.socket_mode"):
        status.down("connection reset (RST)")
        clock.now += 59
        status.check()
        status.up("2")
        status.down("connection reset (RST)")  # a new outage is logged again
    assert not [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


def test_seconds_until_error_lets_the_runner_sleep_exactly_to_it():
    status, clock = _status()
    status.up("1")
    assert status.seconds_until_error() is None
    status.down("x")
    clock.now += 50
    assert 10 <= status.seconds_until_error() <= 10.1


def test_dedupe_hands_later_deliveries_the_first_answer():
    dedupe = EnvelopeDedupe()
    first = {"envelope_id": "e1", "type": "events_api", "payload": {"event_id": "Ev1"}}
    again = {"envelope_id": "e2", "type": "events_api", "payload": {"event_id": "Ev1"}, "retry_attempt": 1}
    future, claimed = dedupe.claim(envelope_keys(first))
    assert claimed
    future.set_result({"text": "ok"})
    same, claimed_again = dedupe.claim(envelope_keys(again))
    assert not claimed_again and same.result() == {"text": "ok"}
    assert not dedupe.claim(envelope_keys({"envelope_id": "e2", "payload": {}}))[1]


def test_dedupe_memory_is_bounded():
    dedupe = EnvelopeDedupe(capacity=100)
    for n in range(1000):
        dedupe.claim(envelope_keys({"envelope_id": f"e{n}", "type": "slash_commands",
                                    "payload": {"trigger_id": f"t{n}"}}))
    assert len(dedupe) == 100
    assert dedupe.claim([f"envelope:e{999}"])[1] is False
    assert dedupe.claim(["envelope:e0"])[1] is True
