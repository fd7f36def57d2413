"""The live takedown clock under replicas: two real bot processes on a real PostgreSQL server and
one Slack stand-in, both sweeping. The timer message is refreshed at most once per tick between
them, never twice for one tick (without the claim each replica refreshes it on its own ticks:
two chat.update calls per tick).

Which tick an update was claimed for is bounded from both sides, never guessed from how long
anything took. Above: the elapsed time it shows is rendered after its claim, so the tick it was
claimed for is at most `shown seconds // STEP` (rounding cannot go below the tick's start, a whole
number of seconds; a late render only raises the bound). Below: no tick is claimed before the
timer message exists, so none is earlier than the tick in which the stand-in received the
room's first post. Updates claimed for distinct ticks must then fit distinct ticks between the
two bounds: the j-th smallest upper bound is at least the lower bound + j - 1. Two refreshes per
tick break that within a few ticks, however slow the machine; a slow machine cannot."""

from __future__ import annotations

import math
import re
import time

import pytest

from bot.incidents.clocks import from_iso
from bot.workspace.standin import SlackStandIn
from tests.helpers.bot_process import database, replica_bots, wait_until
from tests.helpers.synthetic_leak import leak_csv, people
from tests.helpers.webserver import WebServer

STEP = 1  # TIMER_UPDATE_SECONDS; the sweep runs every 0.5 s (a slow one skips a tick, never doubles one)
UPDATES = 6  # the timer updates watched: two per tick would fit 6 updates in about 3 ticks
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

    wait_until(lambda: len(updates()) >= UPDATES, 30 * STEP * UPDATES, f"{UPDATES} timer updates")
    incident = database(a)["incidents"][str(number)]
    notified = from_iso(incident["notified_at"]).timestamp()
    wall = time.time() - time.monotonic()  # the stand-in stamps calls with this process's monotonic clock
    first_post = min(c.at for c in a.standin.calls_to("chat.postMessage")
                     if c.params.get("channel") == incident["channel_id"])
    earliest = max(0, math.floor((first_post + wall - notified - 0.05) / STEP))  # no claim before that tick
    latest = sorted(rendered_seconds(text) // STEP for text in updates())  # each claim at or before its tick
    crowded = [(j + 1, bound) for j, bound in enumerate(latest) if bound < earliest + j]
    assert not crowded, (f"{len(latest)} updates do not fit one per tick in ticks {earliest}.."
                         f"{latest[-1]}: the first (updates, latest tick) that do not fit: {crowded[:3]}")
    assert incident["timer_tick_at"]  # the claim is kept on the incident
