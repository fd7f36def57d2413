"""A new severity and a failed resolve, end to end: a real bot process, the Slack stand-in, the
PagerDuty and Opsgenie stand-ins, a local web server holding the leak.

`/incident severity` in the room reaches the stakeholder channel (the new level and figures only:
no reason, URL, sample or raw value) and the open page (PagerDuty: a second trigger with the same
dedup_key; Opsgenie: its priority). A resolve that fails is kept in the database as due work: the
bot is killed while PagerDuty keeps failing, started again once it answers, and the page is
resolved once, said once in the room.
"""

from __future__ import annotations

import json

import pytest

from tests.commands.test_paging_e2e import open_leak, posts
from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.synthetic_leak import people, raw_values, shown_in

STAKEHOLDERS = "C0STAKE"
LEAD = "U0REPORTER"
REASON = "custody locations are in the file too"


@pytest.fixture(scope="module")
def stack(tmp_path_factory, paging):
    env = {"TAKEDOWN_TARGET_MINUTES": "0.05", "STAKEHOLDER_CHANNEL": STAKEHOLDERS, **paging.env()}
    with running_bot(tmp_path_factory.mktemp("paging-followup"), env) as running:
        yield running


def paged(stack, paging, web, path: str, rows) -> tuple[int, str, str]:
    number, channel = open_leak(stack, web, path, rows)
    key = f"leakwatch-incident-{number}"
    for service in ("pagerduty", "opsgenie"):
        wait_until(lambda s=service: [c for c in paging.calls_to(s, "trigger") if c.key == key and c.status == 202],
                   30, f"the {service} page")
    wait_until(lambda: sorted(database(stack)["incidents"][str(number)]["paged"]) == ["Opsgenie", "PagerDuty"],
               15, "the page remembered")
    return number, channel, key


def test_a_new_severity_reaches_the_stakeholders_and_the_open_page(stack, web, paging):
    rows = people(10, seed=71)
    number, channel, key = paged(stack, paging, web, "/exports/severity-roster.csv", rows)
    before = database(stack)["incidents"][str(number)]["severity"]
    level, moved = ("high", "lowered") if before == "critical" else ("critical", "raised")
    answer = stack.slack.slash("/incident", f"severity {level} {REASON}", user_id=LEAD, channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=15)

    told = wait_until(lambda: posts(stack, STAKEHOLDERS, f"severity {moved} to {level}"), 15, "the stakeholder post")
    assert len(told) == 1
    shown = json.dumps(told[0].params, ensure_ascii=False)
    assert f"*Severity:* {level}" in shown and REASON not in shown
    assert web.url("/exports/severity-roster.csv") not in shown and "severity-roster" not in shown and "•" not in shown
    assert not shown_in(shown, raw_values(rows))

    wanted = {"critical": ("critical", "P1"), "high": ("error", "P2")}[level]
    triggers = wait_until(lambda: [c for c in paging.calls_to("pagerduty", "trigger") if c.key == key and c.status == 202]
                          [1:], 20, "the PagerDuty update")
    assert len(triggers) == 1 and triggers[0].body["payload"]["severity"] == wanted[0]
    update = paging.wait_for("opsgenie", "update", timeout=20)
    assert update[0].key == key and update[0].body == {"priority": wanted[1]}
    wait_until(lambda: posts(stack, channel, f"The page now says *{level}*"), 15, "the room told")
    assert len([c for c in paging.calls_to("opsgenie", "trigger") if c.key == key]) == 1
    web.remove("/exports/severity-roster.csv")
    wait_until(lambda: posts(stack, channel, "Page resolved (taken down)"), 30, "the resolve")


def test_a_failed_resolve_is_retried_after_a_restart(stack, web, paging):
    """Runs last: it kills the module's bot."""
    number, channel, key = paged(stack, paging, web, "/exports/resolve-retry.csv", people(8, seed=72))
    paging.fail_next("pagerduty", status=503, times=10_000)
    web.remove("/exports/resolve-retry.csv")
    wait_until(lambda: posts(stack, channel, "could not be resolved yet"), 40, "the first failure said")
    wait_until(lambda: [j for j in database(stack).get("jobs", {}).values()
                        if j["incident"] == number and j["kind"] == "page_resolve"], 10, "the retry in the database")
    # the first try is settled (its retry scheduled and the resolve no longer pending) before the
    # kill: this test is about the retry surviving a restart, not a kill inside the first try
    # (that is tests/incidents/test_crash_between_writes.py)
    wait_until(lambda: database(stack)["incidents"][str(number)]["page_pending"] is None, 10, "the first try settled")
    stack.bot.kill()
    assert database(stack)["incidents"][str(number)]["paged"] == ["PagerDuty"]  # Opsgenie resolved on the first try
    paging.clear_failures()
    stack.bot.start()

    wait_until(lambda: [c for c in paging.calls_to("pagerduty", "resolve") if c.key == key and c.status == 202],
               40, "the resolve after the restart")
    done = wait_until(lambda: posts(stack, channel, "Page resolved (taken down) after"), 15, "the room told")
    wait_until(lambda: database(stack)["incidents"][str(number)]["paged"] == [], 10, "the page forgotten")
    wait_until(lambda: [j["status"] for j in database(stack)["jobs"].values()
                        if j["incident"] == number and j["kind"] == "page_resolve"] == ["done"], 10, "the retry done")
    assert len(done) == 1 and not posts(stack, channel, "Resolve it by hand")
    assert len([c for c in paging.calls_to("pagerduty", "resolve") if c.key == key and c.status == 202]) == 1
    assert len([c for c in paging.calls_to("opsgenie", "resolve") if c.key == key]) == 1
