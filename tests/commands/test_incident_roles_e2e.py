"""Access per incident, the lead, severity and the Home tab, end to end: a real bot process, the
Slack stand-in, a local web server holding the leak.

A person who is not in an incident's channel (and not in ADMIN_USERS) tries EVERY incident action:
each `/incident` subcommand that names an incident, `/checklist` and `/checklist add`, a checkbox
click; each gets one line and nothing about the incident, and nothing changes. `/incident list`
and the Home tab only count the incident for them. An admin may act; a member may act.

The takedown target is long (nothing fires on its own while the lead is set); the test then moves
the notification time back with `/incident notified <ISO time>` so that a reminder, and later the
escalation, are due at once: both are sent after the lead is saved, whatever the machine's load.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from commands.incident import SUBCOMMANDS
from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.slack_requests import block_actions_payload
from tests.helpers.synthetic_leak import leak_csv, people

REPORTER, OUTSIDER, ADMIN, LEAD, ONCALL = "U0REPORTER", "U0OUTSIDER", "U0ADMIN", "U0LEAD", "U0ONCALL"
ROWS = people(10, seed=71)
NOT_A_MEMBER = "Only the members of an incident's channel"
#: what a refused person must not learn (filled in once the incident exists)
SECRETS: list[str] = []
#: the arguments each subcommand takes here (any new subcommand is tried with none)
ARGS = {"notified": "10:00", "update": "the owner is on it", "lead": f"<@{OUTSIDER}|out>",
        "severity": "low looks harmless"}
TARGET_MINUTES = 30  # the reminders at 50% and 80% and the escalation only fire once the test moves the clock


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"ADMIN_USERS": ADMIN, "ONCALL_USERS": ONCALL, "TAKEDOWN_TARGET_MINUTES": str(TARGET_MINUTES)}
    with running_bot(tmp_path_factory.mktemp("roles"), env) as running:
        yield running


@pytest.fixture(scope="module")
def incident(stack, web):
    web.add("/exports/roles-roster.csv", leak_csv(ROWS), content_type="text/csv")
    url = web.url("/exports/roles-roster.csv")
    stack.slack.slash("/scan", url, user_id=REPORTER)
    number = wait_until(lambda: next((int(n) for n, d in (database(stack) if stack.bot.database_path.exists() else {})
                                      .get("incidents", {}).items() if d.get("url") == url and d.get("setup_complete")),
                                     None), 30, "the incident")
    channel = database(stack)["incidents"][str(number)]["channel_id"]
    SECRETS.extend([url, "roles-roster", channel, f"{len(ROWS)} people", "•"])
    return number, channel


def answered(stack, answer, containing: str = "", timeout: float = 10) -> str:
    """The immediate reply, or the later response_url answer holding `containing`."""
    if containing in answer.reply_text():
        return answer.reply_text()
    call = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                  and containing in c.params.get("text", ""), timeout=timeout)
    return call.params["text"]


def assert_refused(text: str) -> None:
    assert NOT_A_MEMBER in text and text.count("\n") == 0, text
    for secret in SECRETS:
        assert secret not in text, "a refusal told something about the incident"


def test_a_lead_is_set_invited_shown_and_mentioned_first(stack, incident):
    number, channel = incident
    answer = stack.slack.slash("/incident", f"lead <@{LEAD}|lee>", user_id=REPORTER, channel_id=channel)
    assert f"<@{LEAD}> now leads incident #{number}" in answered(stack, answer, "now leads")
    assert LEAD in stack.standin.channels[channel]["members"]
    assert database(stack)["incidents"][str(number)]["lead"] == LEAD
    wait_until(lambda: f"lead <@{LEAD}>" in stack.standin.channels[channel]["topic"], 10, "the topic")
    summary_ts = database(stack)["incidents"][str(number)]["summary_ts"]
    assert f"*Lead:* <@{LEAD}>" in json.dumps(stack.standin.messages[(channel, summary_ts)]["blocks"])

    def posted(containing: str):
        return stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == channel
                                      and containing in c.params.get("text", ""), timeout=30)

    def notified_ago(minutes: float) -> None:  # the takedown jobs due at once, sent after the lead is saved
        moment = (datetime.now(UTC) - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
        moved = stack.slack.slash("/incident", f"notified {moment}", user_id=REPORTER, channel_id=channel)
        assert "the clock now counts from" in answered(stack, moved, "the clock now counts from", timeout=20)

    assert not [c for c in stack.standin.calls_to("chat.postMessage") if c.params.get("channel") == channel and any(
        word in c.params.get("text", "") for word in ("Reminder: still online", "Escalation:"))], "sent before the test moved the clock"
    notified_ago(TARGET_MINUTES * 0.9)  # past the 80% reminder (the 50% one is superseded), before the escalation
    reminder = posted("Reminder: still online")
    assert reminder.params["text"].startswith(f":hourglass_flowing_sand: <@{LEAD}> <@{ONCALL}> Reminder")
    notified_ago(TARGET_MINUTES + 1)  # past the escalation
    escalation = posted("Escalation:")
    assert escalation.params["text"].index(f"<@{LEAD}>") < escalation.params["text"].index(f"<@{ONCALL}>")
    bad = stack.slack.slash("/incident", "lead somebody", user_id=REPORTER, channel_id=channel)
    assert "mentioning them" in answered(stack, bad, "mentioning")


def test_severity_changes_with_its_reason_on_the_timeline(stack, incident):
    number, channel = incident
    answer = stack.slack.slash("/incident", "severity critical custody locations are in the file too",
                               user_id=LEAD, channel_id=channel)
    assert "is now critical" in answered(stack, answer, "is now critical")
    assert database(stack)["incidents"][str(number)]["severity"] == "critical"
    events = [e for e in database(stack)["events"].values() if e["incident"] == number and e["kind"] == "severity"]
    assert events and "custody locations are in the file too" in events[-1]["text"] and events[-1]["by"] == LEAD
    bad = stack.slack.slash("/incident", "severity apocalyptic", user_id=LEAD, channel_id=channel)
    assert "one of low, medium, high, critical" in answered(stack, bad, "one of")


def test_a_non_member_is_refused_every_incident_action(stack, incident):
    number, channel = incident
    before = database(stack)["incidents"][str(number)]
    acting = [sub for sub in SUBCOMMANDS if sub not in ("open", "drill", "list")]  # these name no incident
    assert {"status", "report", "close", "down", "notified", "update", "lead", "severity"} <= set(acting)
    for sub in acting:
        for where in (f"#{number}", ""):  # named from elsewhere, or typed inside a (public) room
            text = f"{sub} {ARGS.get(sub, '')} {where}".strip()
            answer = stack.slack.slash("/incident", text, user_id=OUTSIDER,
                                       channel_id="C0ELSEWHERE" if where else channel)
            assert_refused(answered(stack, answer, NOT_A_MEMBER))
    for text in (f"#{number}", f"add Call the vendor #{number}"):
        assert_refused(answered(stack, stack.slack.slash("/checklist", text, user_id=OUTSIDER,
                                                         channel_id="C0ELSEWHERE"), NOT_A_MEMBER))

    # a checkbox click in the (public) room: refused, not saved, the message put back as stored
    sheet = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
    ts = sheet["message"]["ts"]
    block = next(b for b in stack.standin.messages[(channel, ts)]["blocks"] if b.get("type") == "actions")
    element = block["elements"][0]
    action = {"type": "checkboxes", "action_id": element["action_id"], "block_id": block["block_id"],
              "selected_options": [element["options"][0]], "action_ts": f"{time.time():.6f}"}

    def checklist_updates() -> int:  # the timer message is edited every second too: only this message counts
        return len([c for c in stack.standin.calls_to("chat.update") if c.params.get("ts") == ts])

    updates = checklist_updates()
    response_url = stack.standin.response_url()
    stack.slack.payload(block_actions_payload(element["action_id"], "", user_id=OUTSIDER, channel_id=channel,
                                              response_url=response_url, message_ts=ts, extra={"actions": [action]}))
    told = stack.standin.wait_for("response_url", where=lambda c: response_url.endswith(c.path), timeout=20)
    assert_refused(told.params["text"])
    # the message put back is the handler's last step: after it, nothing more can change
    wait_until(lambda: checklist_updates() > updates, 20, "the checklist put back")

    after = database(stack)["incidents"][str(number)]
    for field in ("status", "notified_at", "severity", "lead", "closed_at", "manual_down"):
        assert after.get(field) == before.get(field), field
    sheet_after = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
    assert not any(i["done"] for i in sheet_after["items"]) and len(sheet_after["items"]) == len(sheet["items"])
    assert not [e for e in database(stack)["events"].values() if e.get("by") == OUTSIDER]
    assert OUTSIDER not in stack.standin.channels[channel]["members"]


def test_the_list_only_counts_what_a_person_may_not_see(stack, incident):
    number, _ = incident
    shown = json.dumps(stack.slack.slash("/incident", "list", user_id=OUTSIDER).json())
    assert f"*#{number}*" not in shown and "1 more in channels you are not in" in shown
    for secret in SECRETS:
        assert secret not in shown
    assert f"*#{number}*" in json.dumps(stack.slack.slash("/incident", "list", user_id=REPORTER).json())


def test_an_admin_may_act_without_being_in_the_room(stack, incident):
    number, channel = incident
    answer = stack.slack.slash("/incident", f"status #{number}", user_id=ADMIN, channel_id="C0ELSEWHERE")
    assert f"Incident #{number}" in answer.reply_text()
    assert ADMIN not in stack.standin.channels[channel]["members"]


def open_home(stack, user: str) -> dict:
    before = len([c for c in stack.standin.calls_to("views.publish") if c.params.get("user_id") == user])
    stack.slack.event({"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                       "event_ts": f"{time.time():.6f}"})
    call = stack.standin.wait_for("views.publish", where=lambda c: c.params.get("user_id") == user,
                                  count=before + 1, timeout=10)
    call = call[-1] if isinstance(call, list) else call
    view = call.params["view"]
    return json.loads(view) if isinstance(view, str) else view


def test_the_home_tab_shows_what_each_person_may_see(stack, incident):
    number, channel = incident
    home = json.dumps(open_home(stack, REPORTER))
    assert f"*#{number}* <#{channel}>" in home and f"lead <@{LEAD}>" in home and "critical" in home
    assert "roles-roster.csv" in home  # the reporter's own last scan, by the name they gave
    assert "•" not in home  # no sample
    outsider = json.dumps(open_home(stack, OUTSIDER))
    assert f"*#{number}*" not in outsider and "1 more open in channels you are not in" in outsider
    for secret in SECRETS:
        assert secret not in outsider


def test_a_member_added_later_may_act_at_once(stack, incident):
    number, channel = incident
    answer = stack.slack.slash("/incident", f"lead <@{OUTSIDER}|out>", user_id=LEAD, channel_id=channel)
    answered(stack, answer, "now leads")
    answer = stack.slack.slash("/incident", f"status #{number}", user_id=OUTSIDER, channel_id="C0ELSEWHERE")
    assert f"Incident #{number}" in answer.reply_text()
