"""The incident story end to end: a real bot process, the Slack stand-in, a local web server.

`/scan` of a leak opens a private room (name, invites, pin, topic); the timer message updates; a
reminder and an escalation arrive; a checkbox click is saved and the message rebuilt; the bot is
SIGKILLed and restarted mid-incident and the clock, the checklist and the pending reminders carry
on with none sent twice; the file is removed and the takedown is posted with the right minutes;
the file comes back and the incident reopens. Nothing raw reaches Slack, the log or the database.

Slow on purpose (about 15-20 s): the takedown target is 9 s so that its reminders straddle a
restart; every wait is a deadline on an observed event, never a fixed sleep.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from bot.incidents.clocks import from_iso
from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.slack_requests import block_actions_payload
from tests.helpers.slack_standin import posts
from tests.helpers.synthetic_leak import leak_csv, people, raw_values, short_id
from tests.helpers.threads import run_at_once
from tests.helpers.webserver import WebServer

ROWS = people(25, seed=51)
OTHER_ROWS = people(12, seed=52)
ENV = {
    "TAKEDOWN_TARGET_MINUTES": "0.15",  # 9 s: reminders at 4.5 s and 7.2 s, escalation at 9 s
    "TAKEDOWN_POLL_SECONDS": "1",
    "TIMER_UPDATE_SECONDS": "1",
    "ONCALL_USERGROUP": "S0ONCALL",
    "INCIDENT_SEVERITY_THRESHOLD": "high",
}
ONCALL = ["U0ONCALL1", "U0ONCALL2"]
REPORTER = "U0REPORTER"


@pytest.fixture(scope="module")
def web():
    with WebServer() as server:
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("incident"), ENV) as running:
        running.standin.set_usergroup("S0ONCALL", ONCALL)
        yield running


def incident_doc(stack, number: int) -> dict:
    return database(stack)["incidents"][str(number)]


def room_posts(stack, channel: str, containing: str) -> list:
    return posts(stack.standin, channel, containing)


def open_by_scan(stack, web, path: str, rows, **headers) -> tuple[int, str]:
    web.add(path, leak_csv(rows), content_type="text/csv", **headers)
    url = web.url(path)
    stack.slack.slash("/scan", url, user_id=REPORTER)
    create = stack.standin.wait_for("conversations.create",
                                    where=lambda c: path.rsplit("/", 1)[-1].split(".")[0] in c.params["name"], timeout=30)
    number = wait_until(lambda: next((int(n) for n, d in database(stack).get("incidents", {}).items()
                                      if d.get("url") == url and d.get("setup_complete")), None), 20, "the incident")
    channel = incident_doc(stack, number)["channel_id"]
    assert stack.standin.channels[channel]["name"] == create.params["name"]
    return number, channel


def join_room(stack, channel: str, *users: str) -> None:
    """Someone in the room adds these people (only members may act on an incident: access.py)."""
    stack.standin.channels[channel]["members"].update(users)


def click(stack, channel: str, number: int, item_id: str, user: str, message_blocks: list) -> None:
    """A checkboxes click as Slack sends it: the element's new selection and the message as shown."""
    block = next(b for b in message_blocks if b.get("type") == "actions"
                 and any(o["value"] == item_id for o in b["elements"][0]["options"]))
    element = block["elements"][0]
    selected = [o for o in element.get("initial_options", []) if o["value"] != item_id]
    selected += [o for o in element["options"] if o["value"] == item_id]
    sheet = database(stack)["checklist"]
    ts = next(s["message"]["ts"] for s in sheet.values() if s["incident"] == number)
    action = {"type": "checkboxes", "action_id": element["action_id"], "block_id": block["block_id"],
              "selected_options": selected, "action_ts": f"{time.time():.6f}"}
    payload = block_actions_payload(element["action_id"], "", user_id=user, channel_id=channel,
                                    response_url=stack.standin.response_url(), message_ts=ts,
                                    extra={"actions": [action],
                                           "message": {"type": "message", "ts": ts, "blocks": message_blocks}})
    answer = stack.slack.payload(payload)
    assert answer.status == 200


def checklist_message(stack, number: int) -> tuple[str, list]:
    sheet = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
    message = stack.standin.messages[(sheet["message"]["channel"], sheet["message"]["ts"])]
    return sheet["message"]["ts"], message["blocks"]


def ticked_in_message(blocks: list) -> set[str]:
    return {o["value"] for b in blocks if b.get("type") == "actions" for o in b["elements"][0].get("initial_options", [])}


def test_the_whole_story(stack, web):
    path = "/exports/detained_roster.csv"
    modified = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=5, minutes=3)
    number, channel = open_by_scan(stack, web, path, ROWS, last_modified=format_datetime(modified, usegmt=True))
    room = stack.standin.channels[channel]

    # the room: private, named, the reporter and on-call invited, summary pinned, topic set
    today = datetime.now(UTC).strftime("%Y%m%d")
    assert room["name"] == f"inc-pii-{today}-127-0-0-1-detained_roster" and room["is_private"]
    assert {REPORTER, *ONCALL} <= set(room["members"])
    incident = incident_doc(stack, number)
    assert (channel, incident["summary_ts"]) in stack.standin.pins
    assert room["topic"].startswith(f"#{number} OPEN")

    # the timer message is updated in place
    timer_ts = incident["timer_ts"]
    stack.standin.wait_for("chat.update", where=lambda c: c.params.get("ts") == timer_ts, count=2, timeout=10)

    # a checkbox click is saved with who and when, and the message rebuilt from the stored state
    _, shown = checklist_message(stack, number)
    join_room(stack, channel, "U0CLICKER", "U0SECOND")
    click(stack, channel, number, "purge-cdn", "U0CLICKER", shown)
    wait_until(lambda: "purge-cdn" in ticked_in_message(checklist_message(stack, number)[1]), 10, "the rebuilt checklist")
    item = next(i for s in database(stack)["checklist"].values() if s["incident"] == number
                for i in s["items"] if i["id"] == "purge-cdn")
    assert item["done"] and item["by"] == "U0CLICKER" and item["at"]

    # the first reminder arrives; then the bot is killed and restarted mid-incident
    wait_until(lambda: room_posts(stack, channel, "Reminder"), 15, "the first reminder")
    stack.bot.kill()
    stack.bot.start()

    # the clock carries on: the same timer message keeps being updated
    updates_before = len([c for c in stack.standin.calls_to("chat.update") if c.params.get("ts") == timer_ts])
    wait_until(lambda: len([c for c in stack.standin.calls_to("chat.update")
                            if c.params.get("ts") == timer_ts]) > updates_before, 10, "timer updates after the restart")
    # the escalation arrives (after the restart), mentioning on-call
    escalation = wait_until(lambda: room_posts(stack, channel, "Escalation"), 20, "the escalation")
    assert "<!subteam^S0ONCALL>" in escalation[0].params["text"]
    # the checklist carries on: an earlier tick is kept when another person ticks after the restart
    _, shown = checklist_message(stack, number)
    click(stack, channel, number, "web-archive", "U0SECOND", shown)
    wait_until(lambda: {"purge-cdn", "web-archive"} <= ticked_in_message(checklist_message(stack, number)[1]), 10,
               "both ticks in the message")

    # the file is removed: the takedown is posted within a poll, with the right minutes
    removed_at = datetime.now(UTC)
    web.remove(path)
    posted = wait_until(lambda: room_posts(stack, channel, "Takedown verified"), 15, "the takedown")
    incident = incident_doc(stack, number)
    assert incident["status"] == "down"
    taken_down = from_iso(incident["taken_down_at"])
    # the takedown time is when the detecting check started: within one poll interval (1 s) of the
    # removal, plus the time of a check already running then (scans run in a child process)
    assert timedelta(seconds=-4) <= taken_down - removed_at <= timedelta(seconds=8)
    minutes = (taken_down - from_iso(incident["notified_at"])).total_seconds() / 60
    blocks_text = json.dumps(posted[0].params["blocks"], ensure_ascii=False)
    assert f"({minutes:.2f} minutes)" in blocks_text
    exposure = incident["figures"]["exposure_seconds"]
    assert abs(exposure - (taken_down - modified).total_seconds()) < 1
    assert incident["figures"]["exposure_evidence"] == "Last-Modified header"
    assert "5 h 0" in blocks_text  # about five hours exposed, in hours and minutes

    # no reminder was sent twice, across the restart
    for kind in ("Reminder", "Escalation"):
        texts = [c.params["text"] for c in room_posts(stack, channel, kind)]
        assert len(texts) == len(set(texts)), f"{kind} sent twice"
    # each message has one job, done (a kill between its send and its mark is settled from the
    # channel: the message's metadata names the job); jobs overdue together at the restart may be "skipped"
    jobs = [j for j in database(stack)["jobs"].values() if j["incident"] == number and j["key"].startswith("takedown:")]
    assert sum(j["status"] == "done" for j in jobs) == \
        len(room_posts(stack, channel, "Reminder")) + len(room_posts(stack, channel, "Escalation"))
    assert {j["status"] for j in jobs} <= {"done", "skipped"}

    # the content comes back: the incident reopens, loudly
    web.add(path, leak_csv(ROWS), content_type="text/csv")
    back = wait_until(lambda: room_posts(stack, channel, "content is back"), 15, "the reopening")
    assert "<!subteam^S0ONCALL>" in back[0].params["text"]
    assert incident_doc(stack, number)["status"] == "open"
    events = [e for e in database(stack)["events"].values() if e["incident"] == number]
    kinds = [e["kind"] for e in events]
    for kind in ("scan", "open", "tick", "reminder", "escalation", "takedown", "reopen"):
        assert kind in kinds, f"no {kind} event on the timeline"
    # every reminder and escalation posted has its own entry, once: the first reminder's too, though
    # the kill may come between its post and its entry (the restarted bot finds the message in the
    # channel and writes the entry then, not the message)
    for kind, said in (("reminder", "Reminder"), ("escalation", "Escalation")):
        jobs_entered = [(e.get("data") or {}).get("job") for e in events if e["kind"] == kind]
        assert len(jobs_entered) == len(set(jobs_entered)) == len(room_posts(stack, channel, said)), kind
    web.remove(path)  # leave nothing exposed for the other tests


def test_commands_in_the_room(stack, web):
    path = "/exports/second_list.csv"
    number, channel = open_by_scan(stack, web, path, OTHER_ROWS)

    assert "`/incident open <url or title>`" in stack.slack.slash("/incident", "help", user_id=REPORTER).reply_text()
    assert stack.slack.slash("/incident", "frobnicate", user_id=REPORTER).reply_text().startswith("There is no")
    assert "`/checklist add <item>`" in stack.slack.slash("/checklist", "help", user_id=REPORTER).reply_text()
    answer = stack.slack.slash("/incident", "status", user_id=REPORTER, channel_id=channel)
    assert f"Incident #{number}" in answer.reply_text()
    answer = stack.slack.slash("/incident", f"status #{number}", user_id=REPORTER, channel_id="C0ELSEWHERE")
    assert f"Incident #{number}" in answer.reply_text()
    answer = stack.slack.slash("/incident", "status", user_id=REPORTER, channel_id="C0ELSEWHERE")
    assert "not an incident channel" in answer.reply_text()
    assert f"*#{number}* OPEN" in json.dumps(stack.slack.slash("/incident", "list", user_id=REPORTER).json())

    notified = (datetime.now(UTC) - timedelta(minutes=3)).strftime("%H:%M")
    answer = stack.slack.slash("/incident", f"notified {notified}", user_id=REPORTER, channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=10)
    assert from_iso(incident_doc(stack, number)["notified_at"]).strftime("%H:%M") == notified
    assert f"owner notified {notified} UTC" in stack.standin.channels[channel]["topic"]

    answer = stack.slack.slash("/incident", "notified tomorrow", user_id=REPORTER, channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                           and "HH:MM" in c.params.get("text", ""), timeout=10)

    answer = stack.slack.slash("/checklist", "add Tell the hosting vendor", user_id=REPORTER, channel_id=channel)
    wait_until(lambda: any(i["text"] == "Tell the hosting vendor" for s in database(stack)["checklist"].values()
                           if s["incident"] == number for i in s["items"]), 10, "the added item")
    answer = stack.slack.slash("/checklist", "add " + "x" * 200, user_id=REPORTER, channel_id=channel)
    stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                           and "at most" in c.params.get("text", ""), timeout=10)
    before = len(stack.standin.calls_to("chat.postMessage"))
    stack.slack.slash("/checklist", "", user_id=REPORTER, channel_id=channel)
    repost = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == channel
                                    and c.params.get("text", "").startswith("Follow-up checklist"), count=2, timeout=10)
    assert len(stack.standin.calls_to("chat.postMessage")) > before and repost

    join_room(stack, channel, "U0OWNER")
    stack.slack.slash("/incident", "down", user_id="U0OWNER", channel_id=channel)
    wait_until(lambda: room_posts(stack, channel, "Takedown not confirmed"), 15, "the refusal of an unverified takedown")
    assert incident_doc(stack, number)["status"] == "open"

    stack.slack.slash("/incident", "report", user_id=REPORTER, channel_id=channel)
    report = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == channel
                                    and c.params.get("text", "").startswith("Report for incident"), timeout=10)
    report_text = json.dumps(report.params["blocks"], ensure_ascii=False)
    assert "*Timeline*" in report_text and "Notification time set" in report_text and "not confirmed" in report_text

    stack.slack.slash("/incident", "close", user_id=REPORTER, channel_id=channel)
    wait_until(lambda: incident_doc(stack, number)["status"] == "closed", 10, "the close")
    wait_until(lambda: "CLOSED" in stack.standin.channels[channel]["topic"], 10, "the closed topic")
    pending = [j for j in database(stack)["jobs"].values() if j["incident"] == number and j["status"] == "pending"]
    assert pending == []
    web.remove(path)


def test_open_by_command(stack, web):
    answer = stack.slack.slash("/incident", "open Roster posted on the FOIA page", user_id=REPORTER)
    said = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=20)
    assert "opened in <#" in said.params["text"]
    titled = next(d for d in database(stack)["incidents"].values() if d.get("title") == "Roster posted on the FOIA page")
    assert stack.standin.channels[titled["channel_id"]]["name"].endswith("-roster-posted-on-the-foia-page")
    assert titled["url"] is None and titled["setup_complete"]

    path = "/exports/fourth_list.csv"
    web.add(path, leak_csv(people(6, seed=54)), content_type="text/csv")
    answer = stack.slack.slash("/incident", f"open <{web.url(path)}>", user_id=REPORTER)
    said = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                  and "#" in c.params.get("text", ""), timeout=20)
    assert "opened in <#" in said.params["text"]
    number, opened = next((int(n), d) for n, d in database(stack)["incidents"].items() if d.get("url") == web.url(path))
    kept = next(f for f in database(stack)["fingerprints"].values() if f["incident"] == number)
    assert opened["records_affected"] == 6 and len(kept["types"]["A_NUMBER"].split(",")) == 6
    again = stack.slack.slash("/incident", f"open {web.url(path)}", user_id="U0OTHER")
    said = stack.standin.wait_for("response_url", where=lambda c: again.response_url.endswith(c.path), timeout=20)
    assert "is already open" in said.params["text"]
    assert "U0OTHER" in stack.standin.channels[opened["channel_id"]]["members"]
    web.remove(path)


def test_twenty_parallel_clicks_lose_no_tick(stack, web):
    path = "/exports/third_list.csv"
    number, channel = open_by_scan(stack, web, path, people(8, seed=53))
    for n in range(9):
        stack.slack.slash("/checklist", f"add Extra step {n}", user_id=REPORTER, channel_id=channel)
    wait_until(lambda: len(next(s for s in database(stack)["checklist"].values() if s["incident"] == number)["items"]) == 20,
               15, "twenty items")

    def options(blocks):
        return [o["value"] for b in blocks if b.get("type") == "actions" for o in b["elements"][0]["options"]]

    wait_until(lambda: len(options(checklist_message(stack, number)[1])) == 20, 10, "the message with twenty items")
    _, shown = checklist_message(stack, number)  # every clicker sees the same, nothing ticked
    items = options(shown)
    assert [len(b["elements"][0]["options"]) for b in shown if b.get("type") == "actions"] == [10, 10]
    join_room(stack, channel, *(f"U{i:03d}" for i in range(len(items))))
    run_at_once(lambda index: click(stack, channel, number, items[index], f"U{index:03d}", shown), len(items))
    sheet = wait_until(lambda: (s := next(s for s in database(stack)["checklist"].values() if s["incident"] == number))
                       and all(i["done"] for i in s["items"]) and s, 15, "twenty saved ticks")
    assert {i["by"] for i in sheet["items"]} == {f"U{i:03d}" for i in range(20)}
    wait_until(lambda: len(ticked_in_message(checklist_message(stack, number)[1])) == 20, 10, "the final message")
    web.remove(path)


def test_no_raw_value_anywhere(stack):
    """Runs last in this module: every Slack call, the bot's log and the database file."""
    places = {"slack": stack.standin.recorded_text(), "log": stack.bot.logs(),
              "database": json.dumps(database(stack), ensure_ascii=False)}
    for stored in stack.bot.database_path.parent.rglob("*"):  # every incident's file, backups too
        if stored.is_file():
            places[stored.name] = stored.read_text(encoding="utf-8", errors="replace")
    leaked = [(where, short_id(value)) for value in raw_values(ROWS + OTHER_ROWS) for where, text in places.items()
              if value in text]
    assert not leaked, f"raw values found (place, value id): {leaked[:10]}"
    # masked samples did reach Slack (bodies are recorded as sent: JSON escapes the mask character)
    assert "A•••••" in places["slack"] or "A\\u2022\\u2022\\u2022" in places["slack"]
