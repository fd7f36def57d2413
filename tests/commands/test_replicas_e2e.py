"""Replicas on PostgreSQL: two real bot processes against a real PostgreSQL server on 127.0.0.1 and
one Slack stand-in. One is killed mid-incident: the other carries the clock on, posts each
reminder and the escalation once, and takes the takedown. Then 100 parallel checklist clicks
spread over both lose nothing."""

from __future__ import annotations

import pytest

from bot.workspace.standin import SlackStandIn
from tests.commands.test_incident_e2e import checklist_message, click, ticked_in_message
from tests.helpers.bot_process import database, replica_bots, wait_until
from tests.helpers.slack_standin import post_texts
from tests.helpers.synthetic_leak import leak_csv, people
from tests.helpers.threads import run_at_once
from tests.helpers.webserver import WebServer

ROWS = people(40, seed=77)


@pytest.fixture
def replicas(postgres_server, tmp_path):
    env = {"DATABASE_URL": postgres_server.new_database(), "TAKEDOWN_TARGET_MINUTES": "0.2",
           "TAKEDOWN_POLL_SECONDS": "1", "TIMER_UPDATE_SECONDS": "1", "ONCALL_USERS": "U0ONCALL"}
    with SlackStandIn() as standin, WebServer() as web, replica_bots(standin, tmp_path, env) as stacks:
        yield stacks, web


def test_one_replica_dies_mid_incident_and_the_other_carries_on_exactly_once(replicas):
    (a, b), web = replicas
    assert a.bot.health()["store"] == {"store": "postgresql", "writable": True}
    web.add("/exports/roster.csv", leak_csv(ROWS), content_type="text/csv")
    url = web.url("/exports/roster.csv")
    assert a.slack.slash("/incident", f"open {url}", user_id="U0REPORTER").status == 200
    number = wait_until(lambda: next((int(n) for n, d in database(a).get("incidents", {}).items()
                                      if d.get("url") == url and d.get("setup_complete")), None), 30, "the room")
    channel = database(a)["incidents"][str(number)]["channel_id"]
    a.bot.kill()  # mid-incident: its clock, reminders, polls and timer are now the other replica's

    timer_ts = database(b)["incidents"][str(number)]["timer_ts"]
    updates = len([c for c in b.standin.calls_to("chat.update") if c.params.get("ts") == timer_ts])
    wait_until(lambda: len([c for c in b.standin.calls_to("chat.update") if c.params.get("ts") == timer_ts])
               > updates + 1, 20, "the timer ticking on the other replica")
    wait_until(lambda: post_texts(b.standin, channel, "Escalation"), 40, "the escalation")
    web.remove("/exports/roster.csv")
    wait_until(lambda: post_texts(b.standin, channel, "Takedown verified"), 30, "the takedown")
    assert database(b)["incidents"][str(number)]["status"] == "down"
    wait_until(lambda: all(j["status"] != "claimed" for j in database(b)["jobs"].values()), 20, "claims settled")
    assert len(post_texts(b.standin, channel, "Escalation")) == 1
    # the 50% and 80% reminders: each once (one may be skipped when both fell due in one sweep)
    assert 1 <= len(post_texts(b.standin, channel, "Reminder")) <= 2
    assert len(set(post_texts(b.standin, channel, "Reminder"))) == len(post_texts(b.standin, channel, "Reminder"))
    assert len(post_texts(b.standin, channel, "Takedown verified")) == 1
    jobs = [j for j in database(b)["jobs"].values() if j["key"].startswith("takedown:")]
    assert sum(j["status"] == "done" for j in jobs) == len(post_texts(b.standin, channel, "Reminder")) + 1

    # the dead replica comes back; 100 clicks spread over both replicas at once lose nothing
    a.bot.start()
    clickers = [f"U{i:03d}" for i in range(10)]
    b.standin.channels[channel]["members"].update({"U0LEAD", *clickers})  # only members act on an incident
    for n in range(29):  # 40 items, the most one checklist holds
        assert b.slack.slash("/checklist", f"#{number} add Step {n + 1} of the runbook", user_id="U0LEAD").status == 200
    wait_until(lambda: len(next(s for s in database(b)["checklist"].values() if s["incident"] == number)["items"]) == 40,
               20, "40 items")
    wait_until(lambda: len(checklist_message(b, number)[1]) and
               sum(len(bl["elements"][0]["options"]) for bl in checklist_message(b, number)[1]
                   if bl.get("type") == "actions") == 40, 20, "the message with 40 items")
    _, shown = checklist_message(b, number)
    items = [o["value"] for bl in shown if bl.get("type") == "actions" for o in bl["elements"][0]["options"]]
    failures: list[BaseException] = []

    def one_click(index: int) -> None:
        try:
            click((a, b)[index % 2], channel, number, items[index % 40], clickers[index % 10], shown)
        except BaseException as err:  # noqa: BLE001 - reported below
            failures.append(err)

    run_at_once(one_click, 100)
    assert not failures, failures[:1]
    sheet = wait_until(lambda: (s := next(s for s in database(b)["checklist"].values() if s["incident"] == number))
                       and all(i["done"] for i in s["items"]) and s, 30, "all 40 ticks saved")
    assert len(sheet["items"]) == 40
    ticks = [e for e in database(b)["events"].values() if e["incident"] == number and e["kind"] == "tick"]
    assert len(ticks) == 40, "each item ticked once: no click lost, none counted twice"
    wait_until(lambda: ticked_in_message(checklist_message(b, number)[1]) >= set(items), 20, "the final message")
