"""Paging and stakeholders end to end: a real bot process, the Slack stand-in, the PagerDuty and
Opsgenie stand-ins, a local web server holding the leak.

The takedown target is 1.2 s. When it passes, the escalation in the room is joined by a PagerDuty
trigger and an Opsgenie alert with one key for the incident; the takedown resolves both. The
stakeholder channel gets a short post on open, update, takedown and close, with figures only (no
URL, no sample, no raw value). A page that fails after retries is said in the room.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.synthetic_leak import leak_csv, people, raw_values

STAKEHOLDERS = "C0STAKE"
REPORTER = "U0REPORTER"
ROWS = people(12, seed=61)


@pytest.fixture(scope="module")
def stack(tmp_path_factory, paging):
    env = {"TAKEDOWN_TARGET_MINUTES": "0.02", "STAKEHOLDER_CHANNEL": STAKEHOLDERS, **paging.env()}
    with running_bot(tmp_path_factory.mktemp("paging"), env) as running:
        yield running


def open_leak(stack, web, path: str, rows=ROWS) -> tuple[int, str]:
    web.add(path, leak_csv(rows), content_type="text/csv")
    url = web.url(path)
    stack.slack.slash("/scan", url, user_id=REPORTER)
    stem = path.rsplit("/", 1)[-1].split(".")[0]
    stack.standin.wait_for("conversations.create", where=lambda c: stem in c.params["name"], timeout=30)
    number = wait_until(lambda: next((int(n) for n, d in database(stack).get("incidents", {}).items()
                                      if d.get("url") == url and d.get("setup_complete")), None), 30, "the incident")
    return number, database(stack)["incidents"][str(number)]["channel_id"]


def posts(stack, channel: str, containing: str = "") -> list:
    return [c for c in stack.standin.calls_to("chat.postMessage")
            if c.params.get("channel") == channel and containing in json.dumps(c.params)]


def test_escalation_pages_and_the_takedown_resolves(stack, web, paging):
    number, channel = open_leak(stack, web, "/exports/paging-roster.csv")
    key = f"leakwatch-incident-{number}"
    opened = wait_until(lambda: posts(stack, STAKEHOLDERS, f"Incident #{number}: opened"), 15, "the stakeholder post")

    trigger = paging.wait_for("pagerduty", "trigger", key=key, timeout=20)[0]
    paging.wait_for("opsgenie", "trigger", key=key, timeout=20)
    assert trigger.body["payload"]["custom_details"]["people_affected"] == len(ROWS)
    wait_until(lambda: posts(stack, channel, "On-call paged through PagerDuty and Opsgenie"), 15, "the paging note")
    assert posts(stack, channel, "Escalation")

    answer = stack.slack.slash("/incident", "update Owner is removing the file now", user_id=REPORTER,
                               channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=10)
    wait_until(lambda: posts(stack, STAKEHOLDERS, "Owner is removing the file now"), 10, "the update")
    assert posts(stack, channel, "Owner is removing the file now")

    web.remove("/exports/paging-roster.csv")
    paging.wait_for("pagerduty", "resolve", key=key, timeout=30)
    paging.wait_for("opsgenie", "resolve", key=key, timeout=30)
    assert paging.alerts[("pagerduty", key)] == "resolved" and paging.alerts[("opsgenie", key)] == "resolved"
    wait_until(lambda: posts(stack, STAKEHOLDERS, f"Incident #{number}: taken down"), 15, "the takedown post")
    wait_until(lambda: posts(stack, channel, "Page resolved"), 10, "the resolve note")

    stack.slack.slash("/incident", "close", user_id=REPORTER, channel_id=channel)
    wait_until(lambda: posts(stack, STAKEHOLDERS, f"Incident #{number}: closed"), 10, "the close post")
    # only one trigger per service for this incident, all with the same key
    assert {c.key for c in paging.calls if c.key} == {key}
    assert len([c for c in paging.calls_to("pagerduty", "trigger") if c.status == 202 and c.key == key]) == 1

    told = json.dumps([c.params for c in posts(stack, STAKEHOLDERS)]) + json.dumps([c.body for c in paging.calls])
    assert web.url("/exports/paging-roster.csv") not in told and "paging-roster" not in told
    assert "•" not in told  # no masked sample either
    for value in raw_values(ROWS):
        assert value not in told
    assert opened


def test_an_update_holding_the_address_is_refused(stack, web):
    number, channel = open_leak(stack, web, "/exports/update-guard.csv", people(8, seed=62))
    answer = stack.slack.slash("/incident", f"update still at {web.url('/exports/update-guard.csv')}",
                               user_id=REPORTER, channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                           and "address" in c.params.get("text", ""), timeout=10)
    assert not posts(stack, STAKEHOLDERS, "still at")
    web.remove("/exports/update-guard.csv")


def test_a_failed_page_is_said_in_the_room(stack, web, paging):
    paging.fail_next("pagerduty", status=503, times=20, retry_after="0")  # four tries, without the backoff
    number, channel = open_leak(stack, web, "/exports/paging-down.csv", people(9, seed=63))
    note = wait_until(lambda: posts(stack, channel, "Paging failed"), 40, "the paging failure note")
    assert "PagerDuty" in json.dumps(note[0].params) and "503" in json.dumps(note[0].params)
    wait_until(lambda: posts(stack, channel, "On-call paged through Opsgenie"), 10, "the page that worked")
    events = [e for e in database(stack)["events"].values() if e["incident"] == number]
    assert any(e["kind"] == "page_failed" for e in events)
    web.remove("/exports/paging-down.csv")


def test_a_page_cut_short_by_a_crash_is_sent_after_the_restart(stack, web, paging):
    """Runs last: it kills the module's bot. The page was being retried when the process died
    (SIGKILL); the restarted bot sends it, once the services answer again."""
    paging.fail_next("pagerduty", status=503, times=1000)
    paging.fail_next("opsgenie", status=503, times=1000)
    number, channel = open_leak(stack, web, "/exports/paging-crash.csv", people(7, seed=64))
    key = f"leakwatch-incident-{number}"
    wait_until(lambda: [c for c in paging.calls_to("pagerduty", "trigger") if c.key == key], 30, "the first try")
    stack.bot.kill()
    assert database(stack)["incidents"][str(number)]["page_pending"] == "trigger"
    assert not posts(stack, channel, "Paging failed")  # it had not given up yet
    paging.clear_failures()
    stack.bot.start()
    paging.wait_for("pagerduty", "trigger", key=key, timeout=30)  # the page after the restart
    wait_until(lambda: posts(stack, channel, "On-call paged through PagerDuty and Opsgenie"), 15, "the paging note")
    wait_until(lambda: database(stack)["incidents"][str(number)]["page_pending"] is None, 10, "the page settled")
    # the trigger is settled (one write with the page recorded): counted after that, once
    assert len([c for c in paging.calls_to("pagerduty", "trigger") if c.key == key and c.status == 202]) == 1
    web.remove("/exports/paging-crash.csv")
    paging.wait_for("pagerduty", "resolve", key=key, timeout=30)  # this incident's own, answered 202
    assert paging.alerts[("pagerduty", key)] == "resolved"
