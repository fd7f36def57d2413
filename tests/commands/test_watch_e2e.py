"""`/watch` end to end: signed slash commands -> the bot process -> a local site that changes
while it is watched -> alerts and an incident room in the Slack stand-in.

Watches here run every second (WATCH_MIN_INTERVAL_SECONDS=1, a test-only setting), so one module
covers the whole story in a few seconds of waiting: baseline, conditional re-fetch, a leak file
added and alerted on the run that first sees it, the incident opened, a restart that carries on,
and a stop that stops.

"Nothing else happened" is only checked after an end marker: the bot logs `watch #N run ended
(claimed next run <time>)` once a run's fetches and posts are all done, and runs of one watch never
overlap; a claim is a write of the watch's `next_run`, so after a stop the record names the last
run ever claimed.
"""

from __future__ import annotations

import time

import pytest

from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.webserver import WebServer
from tests.watch.leaks import harmless_csv, page, roster

ROSTER = roster(80, seed=5)
CHANNEL = "C0MAINT"
INTERVAL = 1


def site(web: WebServer, *, leak: bool) -> None:
    docs = ["/files/budget.csv", "/files/schedule.csv"] + (["/files/detainees.csv"] if leak else [])
    web.add("/maintenance/", page("Maintenance status", docs), content_type="text/html",
            etag=f'"index-{len(docs)}"')
    web.add("/files/budget.csv", harmless_csv(12), content_type="text/csv", etag='"budget"')
    web.add("/files/schedule.csv", harmless_csv(3), content_type="text/csv",
            last_modified="Wed, 21 Oct 2026 07:28:00 GMT")
    if leak:
        web.add("/files/detainees.csv", ROSTER.csv(), content_type="text/csv", etag='"detainees"')


def alerts(stack) -> list:
    return [c for c in stack.standin.calls_to("chat.postMessage")
            if c.params.get("channel") == CHANNEL and "Watch #" in c.params.get("text", "")
            and "Personal data found" in c.params.get("text", "")]


def runs_ended(stack, since: int = 0) -> int:
    """Runs of watch #1 finished (fetches and posts done) in the bot's log after character `since`."""
    return stack.bot.logs()[since:].count("watch #1 run ended")


@pytest.fixture(scope="module")
def web():
    with WebServer() as server:
        site(server, leak=False)
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("watch"), env={"WATCH_MIN_INTERVAL_SECONDS": "1"}) as running:
        yield running


def test_help_list_and_mistakes_are_private(stack):
    answer = stack.slack.slash("/watch", "help", channel_id=CHANNEL)
    assert answer.json()["response_type"] == "ephemeral" and "/watch <url>" in answer.reply_text()
    assert "No watches are running" in stack.slack.slash("/watch", "list", channel_id=CHANNEL).reply_text()
    wrong = stack.slack.slash("/watch", "https://example.gov/ every 0s", channel_id=CHANNEL)
    assert wrong.json()["response_type"] == "ephemeral" and "shortest interval" in wrong.reply_text()
    refused = stack.slack.slash("/watch", "http://10.1.2.3/admin", channel_id=CHANNEL)
    assert "cannot be watched" in refused.reply_text()


def test_a_watch_alerts_on_a_new_leak_survives_a_restart_and_stops(stack, web):
    url = web.url("/maintenance/")
    started = stack.slack.slash("/watch", f"{url} every {INTERVAL}s for 10m", channel_id=CHANNEL, user_id="U0ONCALL")
    assert started.json()["response_type"] == "in_channel"
    assert "started watch #1" in started.reply_text()

    # the baseline, then a second run that only asks "changed?" and gets 304s
    wait_until(lambda: len(web.requests_for("/files/budget.csv")) >= 2, 20, "two runs of the watch")
    budget = web.requests_for("/files/budget.csv")
    assert [r.status for r in budget[:2]] == [200, 304]
    assert budget[1].conditional == {"if-none-match": '"budget"'}
    wait_until(lambda: runs_ended(stack) >= 2, 20, "the two runs' end")
    # (the second run may fetch the schedule after the budget: counted once both runs ended)
    assert [r.status for r in web.requests_for("/files/schedule.csv")[:2]] == [200, 304]
    assert alerts(stack) == []

    # the leak goes up during the maintenance
    site(web, leak=True)
    alert = wait_until(lambda: alerts(stack), 30, "the alert")[0]
    leak_requests = web.requests_for("/files/detainees.csv")
    assert [r.status for r in leak_requests[:1]] == [200], "alerted by the first run that saw the file"
    assert "Watch #1" in alert.params["text"] and "80 people" in alert.params["text"]

    # the normal incident opens, and the alert points to its room
    created = wait_until(lambda: stack.standin.calls_to("conversations.create"), 20, "the incident room")
    assert created[0].params["name"].startswith("inc-pii-")
    assert "Incident #1 opened" in str(alert.params.get("blocks"))

    # a restart: the watch carries on from the store, with its memory (conditional requests)
    stack.bot.stop()
    restarted = len(stack.bot.logs())  # what the stopped process logged ends here
    web.clear_requests()
    stack.bot.start()
    wait_until(lambda: web.requests_for("/maintenance/"), 30, "a run after the restart")
    first = web.requests_for("/maintenance/")[0]
    assert (first.status, first.conditional) == (304, {"if-none-match": '"index-3"'})
    # (the incident's takedown poll fetches the leak's URL in full; the watch only asks "changed?")
    asked = wait_until(lambda: [r for r in web.requests_for("/files/detainees.csv") if r.conditional], 30,
                       "the watch's conditional request for the leak file")
    assert (asked[0].status, asked[0].conditional) == (304, {"if-none-match": '"detainees"'})
    listed = stack.slack.slash("/watch", "list", channel_id=CHANNEL).reply_text()
    assert "#1 " in listed and "every 1s" in listed
    wait_until(lambda: runs_ended(stack, restarted) >= 1, 30, "the end of a run after the restart")
    assert len(alerts(stack)) == 1, "the same leak does not alert again after the restart"

    # stop: said in the channel, and nothing more is fetched
    stopped = stack.slack.slash("/watch", f"stop {url}", channel_id=CHANNEL, user_id="U0ONCALL")
    assert "stopped watch #1" in stopped.reply_text()
    last_claim = database(stack)["watches"]["1"]["next_run"]  # no claim can follow the saved stop
    wait_until(lambda: f"watch #1 run ended (claimed next run {last_claim})" in stack.bot.logs(), 30,
               "the end of the run under way at the stop")
    ended = runs_ended(stack)
    web.clear_requests()
    time.sleep(3 * INTERVAL)  # three intervals: a watch still running would have fetched the page again
    # (the incident's own takedown poll keeps checking the leak's URL: that is not the watch)
    watched = [r.path for r in web.requests if r.path != "/files/detainees.csv"]
    assert watched == [], "a stopped watch fetches nothing"
    assert runs_ended(stack) == ended and database(stack)["watches"]["1"]["next_run"] == last_claim, \
        "a stopped watch is not run again"
    assert "No watches are running" in stack.slack.slash("/watch", "list", channel_id=CHANNEL).reply_text()

    text = stack.standin.recorded_text() + stack.bot.logs()
    leaked = sum(1 for row in ROSTER.rows if row[1] in text or row[0] in text)
    assert leaked == 0, f"{leaked} raw roster values reached Slack or the log"
