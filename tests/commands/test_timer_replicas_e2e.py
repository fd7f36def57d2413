"""The live takedown clock under replicas: two real bot processes on a real PostgreSQL server and
one Slack stand-in, both sweeping. The timer message is refreshed about once per tick between
them, never twice for one tick (without the claim each replica refreshes it on its own ticks:
two chat.update calls per tick).

A tick is told from what the message says: its elapsed time is rendered right after the claim, so
an update made for tick k reads k*STEP to about k*STEP + the sweep interval; dividing the rendered
seconds by STEP gives its tick. Counts of ticks only, never how long anything took."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bot.workspace.standin import SlackStandIn
from tests.helpers.bot_process import database, replica_bots, wait_until
from tests.helpers.synthetic_leak import leak_csv, people
from tests.helpers.webserver import WebServer

STEP = 2  # TIMER_UPDATE_SECONDS: the sweep (every 0.5 s) is well inside a tick even under load
UPDATES = 8  # the timer updates watched
CLOCK = re.compile(r"Takedown clock: (?:(\d+) min ?)?(?:(\d+) s)?")


@pytest.fixture
def replicas(postgres_server, tmp_path):
    env = {"DATABASE_URL": postgres_server.new_database(), "TAKEDOWN_TARGET_MINUTES": "30",
           "TAKEDOWN_POLL_SECONDS": "30", "TIMER_UPDATE_SECONDS": str(STEP), "ONCALL_USERS": "U0ONCALL"}
    with SlackStandIn() as standin, WebServer() as web, replica_bots(standin, tmp_path, env) as stacks:
        yield stacks, web


def rendered_seconds(text: str) -> int:
    found = CLOCK.search(text)
    assert found and (found.group(1) or found.group(2)), "a timer update that does not show the clock"
    return int(found.group(1) or 0) * 60 + int(found.group(2) or 0)


def test_two_replicas_refresh_the_clock_once_per_tick(replicas):
    (a, b), web = replicas
    web.add("/exports/clock.csv", leak_csv(people(12, seed=91)), content_type="text/csv")
    url = web.url("/exports/clock.csv")
    assert a.slack.slash("/incident", f"open {url}", user_id="U0REPORTER").status == 200
    number = wait_until(lambda: next((int(n) for n, d in database(a).get("incidents", {}).items()
                                      if d.get("url") == url and d.get("setup_complete")), None), 30, "the room")
    timer_ts = database(a)["incidents"][str(number)]["timer_ts"]
    assert b.bot.health()["store"]["store"] == "postgresql"  # both replicas up and sweeping the same store

    def updates() -> list[str]:
        return [c.params.get("text", "") for c in a.standin.calls_to("chat.update") if c.params.get("ts") == timer_ts]

    wait_until(lambda: len(updates()) >= UPDATES, 20 * STEP * UPDATES, f"{UPDATES} timer updates")
    ticks = Counter(rendered_seconds(text) // STEP for text in updates())
    spanned = max(ticks) - min(ticks) + 1
    twice = sorted(tick for tick, count in ticks.items() if count > 1)
    # about one per tick: never more updates than ticks, a slow sweep may skip one but not most
    assert sum(ticks.values()) <= spanned, f"{sum(ticks.values())} updates over {spanned} ticks (twice: {twice})"
    assert not twice, f"ticks refreshed twice: {twice} of {spanned}"
    assert len(ticks) >= spanned // 2, f"{len(ticks)} of {spanned} ticks refreshed"
    assert database(a)["incidents"][str(number)]["timer_tick_at"]  # the claim is kept on the incident
