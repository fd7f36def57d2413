"""The sweep's timer refresh with the tick claim (bot/incidents/sweep.py): two sweep loops on one
store (two replicas' worth) refresh the timer message once per tick between them, and a restarted
bot refreshes at once unless this very tick was refreshed before it stopped. The incident service
runs against the real Slack stand-in and a real store, with a clock the test moves."""

from __future__ import annotations

import pytest

from bot.incidents.sweep import Sweeper
from bot.incidents.takedown import Observation
from tests.incidents.service_world import URL, Clock, leak_report, restart, service_maker, settings_for


@pytest.fixture
def opened(standin, tmp_path):
    """(service maker, clock, the service, its incident's number, the timer message's ts, a count
    of that message's updates): an incident open on a leak that stays online."""
    clock = Clock()
    standin.clear()
    make_service = service_maker(settings_for(standin, tmp_path), clock, {URL: Observation(status=200, report=leak_report())})
    svc = make_service()
    number = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")["number"]
    timer_ts = svc.records.get(number).timer_ts

    def updates() -> int:
        return len([c for c in standin.calls_to("chat.update") if c.params.get("ts") == timer_ts])

    return make_service, clock, svc, updates


def test_two_sweepers_on_one_store_refresh_the_timer_once_per_tick(opened):
    _, clock, svc, updates = opened
    other = Sweeper(svc.ctx, recheck=svc.sweeper.recheck)  # a second replica's sweep loop
    before = updates()
    for _ in range(3):
        clock.advance(seconds=61)
        svc.sweeper.run_once()
        other.run_once()
        clock.advance(seconds=1)  # later in the same tick: neither refreshes it again
        other.run_once()
        svc.sweeper.run_once()
    assert updates() - before == 3


def test_a_restarted_bot_refreshes_the_timer_at_once_unless_this_tick_was(opened):
    make_service, clock, svc, updates = opened
    clock.advance(seconds=61)
    svc.sweeper.run_once()
    before = updates()
    restart(make_service).sweeper.run_once()  # the same tick: it was refreshed just before
    assert updates() == before
    clock.advance(minutes=5)  # down for a while: the next start refreshes at once
    restart(make_service).sweeper.run_once()
    assert updates() == before + 1
