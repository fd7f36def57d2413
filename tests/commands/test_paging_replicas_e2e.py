"""A failed resolve retried by two replicas: two real bot processes on a real PostgreSQL server,
one Slack stand-in, the PagerDuty and Opsgenie stand-ins. Both replicas sweep; each retry is due
work claimed by one of them, so the page is resolved once and the room told once.

PagerDuty refuses the resolves with 429 and `Retry-After: 0`, so a try's four attempts take no
time and only the sweep's own retry schedule (1 s, then 2 s) is waited for."""

from __future__ import annotations

import time

import pytest

from bot.workspace.standin import SlackStandIn
from tests.helpers.bot_process import database, replica_bots, wait_until
from tests.helpers.paging_standin import PagingStandIn
from tests.helpers.slack_standin import post_texts
from tests.helpers.synthetic_leak import leak_csv, people
from tests.helpers.webserver import WebServer

#: after the resolve and its line (the end of the claiming replica's try): long enough for a second
#: replica's duplicate of that same try to have shown, were the claim not exclusive
SETTLE = 3.0


@pytest.fixture
def replicas(postgres_server, tmp_path):
    with SlackStandIn() as standin, WebServer() as web, PagingStandIn() as paging:
        env = {"DATABASE_URL": postgres_server.new_database(), "TAKEDOWN_TARGET_MINUTES": "0.02",
               "TAKEDOWN_POLL_SECONDS": "1", "TIMER_UPDATE_SECONDS": "1", "ONCALL_USERS": "U0ONCALL",
               **paging.env()}
        with replica_bots(standin, tmp_path, env) as stacks:
            yield stacks, web, paging


def test_two_replicas_retry_a_failed_resolve_once(replicas):
    (a, _b), web, paging = replicas
    web.add("/exports/replica-page.csv", leak_csv(people(12, seed=81)), content_type="text/csv")
    url = web.url("/exports/replica-page.csv")
    assert a.slack.slash("/incident", f"open {url}", user_id="U0REPORTER").status == 200
    number = wait_until(lambda: next((int(n) for n, d in database(a).get("incidents", {}).items()
                                      if d.get("url") == url and d.get("setup_complete")), None), 30, "the room")
    key, channel = f"leakwatch-incident-{number}", database(a)["incidents"][str(number)]["channel_id"]
    wait_until(lambda: sorted(database(a)["incidents"][str(number)]["paged"]) == ["Opsgenie", "PagerDuty"], 40,
               "the page")

    paging.fail_next("pagerduty", status=429, times=10_000, retry_after="0")
    web.remove("/exports/replica-page.csv")
    wait_until(lambda: post_texts(a.standin, channel, "could not be resolved yet"), 40, "the first failure said")
    # at least one retry fails too (4 calls a try), swept by either replica
    wait_until(lambda: len(paging.calls_to("pagerduty", "resolve")) >= 8, 40, "a failed retry")
    paging.clear_failures()

    wait_until(lambda: [c for c in paging.calls_to("pagerduty", "resolve") if c.key == key and c.status == 202],
               40, "the resolve")
    wait_until(lambda: post_texts(a.standin, channel, "Page resolved (taken down) after"), 20, "the room told")

    def jobs() -> list[dict]:
        return [j for j in database(a)["jobs"].values() if j["incident"] == number and j["kind"] == "page_resolve"]

    # the end of the try that resolved: its job finished and the page forgotten, in one transaction
    wait_until(lambda: [j["status"] for j in jobs()] == ["done"] and not database(a)["incidents"][str(number)]["paged"],
               20, "the retry job done")
    time.sleep(SETTLE)
    assert len([c for c in paging.calls_to("pagerduty", "resolve") if c.key == key and c.status == 202]) == 1
    assert len(post_texts(a.standin, channel, "Page resolved")) == 1 and len(post_texts(a.standin, channel, "could not be resolved yet")) == 1
    assert len([c for c in paging.calls_to("opsgenie", "resolve") if c.key == key]) == 1
    assert len([c for c in paging.calls_to("pagerduty", "trigger") if c.key == key]) == 1  # paged once
    assert [j["status"] for j in jobs()] == ["done"] and jobs()[0]["attempts"] >= 1
    assert database(a)["incidents"][str(number)]["paged"] == []
