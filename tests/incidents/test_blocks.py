"""Golden tests of the incident messages: the same stored state always renders the same blocks.

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/incidents/test_blocks.py`
and review the diff of tests/incidents/golden/.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.incidents import blocks, checklist, report_blocks
from bot.incidents.clocks import to_iso
from bot.incidents.takedown import figures
from bot.model import Checklist, Incident, TimelineEntry, from_doc

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 11, 28, 14, 9, 30, tzinfo=UTC)
NOTIFIED = datetime(2026, 11, 28, 14, 2, tzinfo=UTC)
CLOCKS = (("GDPR Art. 33 notice to the supervisory authority", 72.0),)


def open_doc() -> dict:
    """An incident as stored (a document); the builders get the typed record made from it."""
    return {
        "number": 7, "title": None, "url": "https://files.example.gov/exports/detained.xlsx", "status": "open",
        "opened_at": to_iso(NOTIFIED - timedelta(minutes=1)), "opened_by": "U0REPORTER",
        "notified_at": to_iso(NOTIFIED), "notified_source": "set", "severity": "critical", "records_affected": 6252,
        "channel_id": "C0INC", "first_seen_at": to_iso(NOTIFIED - timedelta(minutes=1)),
        "last_modified": "Sat, 28 Nov 2026 09:00:00 GMT",
        "findings": [
            {"type": "A_NUMBER", "count": 6252, "where": ["Detained Population!D5:D6256"], "where_more": 0,
             "samples": ["A•••••4821", "A•••••0077"]},
            {"type": "PERSON_NAME", "count": 6100, "where": ["Detained Population!B5:C6256", "Sheet2!A1:A9"],
             "where_more": 2, "samples": ["••••••••ález"]},
        ],
        "last_check": {"at": to_iso(NOW - timedelta(seconds=20)), "state": "up",
                       "reason": "The very same file is still served.", "status": 200},
        "figures": None, "takedown_reason": None, "takedown_how": None, "takedown_by": None,
    }


def incident_from(doc: dict) -> Incident:
    return from_doc(Incident, {k: v for k, v in doc.items() if k != "number"}, number=doc["number"])


def open_incident() -> Incident:
    return incident_from(open_doc())


def down_incident() -> Incident:
    incident = open_incident()
    taken_down = NOTIFIED + timedelta(minutes=11, seconds=4)
    incident.status, incident.taken_down_at = "down", to_iso(taken_down)
    incident.takedown_reason = "The server answers HTTP 404 for the URL."
    incident.takedown_how, incident.takedown_by = "verified by the bot", "U0OWNER"
    incident.figures = figures(incident, taken_down)
    return incident


def sheet() -> Checklist:
    items = checklist.new_items()
    checklist.apply_delta(items, {"remove-origin", "purge-cdn"}, set(), by="U0ALICE", at=to_iso(NOW - timedelta(minutes=2)))
    checklist.add_item(items, "Tell the hosting vendor", by="U0BOB", at=to_iso(NOW))
    return Checklist(incident=7, items=items)


EVENTS = [TimelineEntry(incident=7, **event) for event in [
    {"at": to_iso(NOTIFIED - timedelta(minutes=1)), "kind": "scan", "by": "U0REPORTER",
     "text": "Scan: severity critical, 6,252 people, types A_NUMBER, PERSON_NAME."},
    {"at": to_iso(NOTIFIED - timedelta(minutes=1)), "kind": "open", "by": "U0REPORTER", "text": "Incident opened."},
    {"at": to_iso(NOTIFIED), "kind": "notified", "by": "U0REPORTER", "text": "Notification time set to 14:02 UTC."},
    {"at": to_iso(NOTIFIED + timedelta(minutes=3)), "kind": "lead", "by": "U0REPORTER", "text": "Lead: <@U0LEAD>."},
    {"at": to_iso(NOTIFIED + timedelta(minutes=4)), "kind": "severity", "by": "U0LEAD",
     "text": "Severity high -> critical: custody locations too <!channel>"},
    {"at": to_iso(NOTIFIED + timedelta(minutes=11, seconds=4)), "kind": "takedown", "by": None,
     "text": "Taken down. The server answers HTTP 404 for the URL."},
]]

def led(incident: Incident) -> Incident:
    incident.lead = "U0LEAD"
    return incident


CASES = {
    "summary": lambda: blocks.summary(open_incident(), NOW),
    "summary_lead": lambda: blocks.summary(led(open_incident()), NOW),
    "timer_open": lambda: blocks.timer(open_incident(), NOW, 15),
    "timer_overdue": lambda: blocks.timer(open_incident(), NOW + timedelta(minutes=10), 15),
    "timer_down": lambda: blocks.timer(down_incident(), NOW, 15),
    "takedown": lambda: blocks.takedown_posted(down_incident(), NOW),
    "checklist": lambda: blocks.checklist(open_incident(), sheet(), NOW, CLOCKS),
    "checklist_after_takedown": lambda: blocks.checklist(down_incident(), sheet(), NOW, CLOCKS),
    "status": lambda: blocks.status(open_incident(), NOW, 15, CLOCKS, (2, 12)),
    "report": lambda: report_blocks.report(down_incident(), EVENTS, NOW, CLOCKS),
    "list": lambda: blocks.incident_list([open_incident(), dataclasses.replace(down_incident(), number=8)], NOW),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_golden(case):
    text, produced_blocks = CASES[case]()
    produced = {"text": text, "blocks": produced_blocks}
    path = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(path.read_text(encoding="utf-8"))


TOKEN = re.compile(r"<!date\^(\d+)\^[^|>]*\|([^>]*)>")


def as_fallback(text: str) -> str:
    """A message as a client that does not render date tokens shows it: each token's UTC fallback.
    Every token's epoch must be the very moment its fallback names."""
    def check(match: re.Match) -> str:
        epoch, shown = int(match.group(1)), match.group(2)
        moment = datetime.fromtimestamp(epoch, UTC)
        assert shown in (moment.strftime("%H:%M UTC"), moment.strftime("%Y-%m-%d %H:%M UTC"),
                         moment.strftime("%Y-%m-%d %H:%M:%S UTC")), (epoch, shown)
        return shown
    return TOKEN.sub(check, text)


def test_every_time_shown_is_a_token_for_the_reader():
    for case, build in CASES.items():
        text, produced = build()
        shown = json.dumps(produced, ensure_ascii=False)
        as_fallback(shown)
        # outside tokens, only typed examples (`/incident notified 14:05`), stored timeline texts
        # and checkbox descriptions (75 characters: too short for a token) hold a time, and say UTC
        bare = re.sub(r"`[^`]*`", "", TOKEN.sub("", shown))
        if case.startswith("checklist"):
            bare = re.sub(r'"description": \{[^}]*\}', "", bare)
        assert not re.search(r"\d\d:\d\d(?!(:\d\d)? UTC)", bare), case
        if case != "list" and "\\d" not in case:
            assert TOKEN.search(shown), case


def test_plain_texts():
    incident = open_incident()
    assert blocks.topic(incident, 15) == "#7 OPEN, still online · owner notified 14:02 UTC · take down by 14:17 UTC"
    assert blocks.topic(down_incident(), 15) == "#7 TAKEN DOWN · owner notified 14:02 UTC · down after 11 min 4 s"
    assert blocks.topic(led(open_incident()), 15).endswith(" · take down by 14:17 UTC · lead <@U0LEAD>")
    assert as_fallback(blocks.takedown_reminder(incident, NOW, 15, "<@U0LEAD> <!subteam^S1>")).startswith(
        ":hourglass_flowing_sand: <@U0LEAD> <!subteam^S1> Reminder: still online.")
    assert as_fallback(blocks.takedown_reminder(incident, NOW, 15)) == (
        ":hourglass_flowing_sand: Reminder: still online. 7 min 30 s left of the 15 min takedown target "
        "(take down by 14:17 UTC). Remove it at the origin; the bot confirms by itself.")
    late = as_fallback(blocks.escalation(incident, NOW + timedelta(minutes=8), 15, "<!subteam^S1>"))
    assert "<!subteam^S1> Escalation" in late and "passed at 14:17 UTC, 30 s ago" in late
    assert ", 0 s ago" not in blocks.escalation(incident, NOTIFIED + timedelta(minutes=15), 15, "<!subteam^S1>")
    payload = {"label": "GDPR Art. 33", "deadline": to_iso(NOTIFIED + timedelta(hours=72))}
    assert as_fallback(blocks.legal_reminder(payload, NOW)) == (
        ":scales: Legal clock: *GDPR Art. 33* is due 2026-12-01 14:02 UTC (in 2 d 23 h).")


def test_the_clock_says_what_it_counts_from():
    opened = dataclasses.replace(open_incident(), notified_source="opening")
    assert "since incident opened 14:02 UTC" in as_fallback(json.dumps(blocks.timer(opened, NOW, 15)[1]))
    assert "since owner notified 14:02 UTC" in as_fallback(json.dumps(blocks.timer(open_incident(), NOW, 15)[1]))
    assert "incident opened 14:02 UTC" in blocks.topic(opened, 15)
    assert "(not given: the clock counts from the opening" in json.dumps(report_blocks.report(opened, EVENTS, NOW, CLOCKS)[1])


def test_the_figures_are_in_the_takedown_message():
    text, posted = blocks.takedown_posted(down_incident(), NOW)
    figures = next(b for b in posted if b.get("fields"))["fields"]
    # the two figures side by side, in bold, each with its unit
    assert figures[0]["text"] == "*Notification → takedown*\n*11 min 4 s* (11.07 minutes)"
    assert figures[1]["text"] == "*Exposure window*\n*5 h 13 min* (5.22 hours)"
    assert "Last-Modified header" in json.dumps(posted) and "HTTP 404" in json.dumps(posted)
    assert text == "Takedown verified after 11 min 4 s; exposed for 5 h 13 min"


def test_the_report_can_be_pasted_into_a_breach_log():
    _, produced = report_blocks.report(down_incident(), EVENTS, NOW, CLOCKS)
    shown = as_fallback(json.dumps(produced, ensure_ascii=False))
    # every moment with its date and zone; the figures with units; types in words
    for field in ("*Online since:* 2026-11-28 09:00 UTC", "*Owner notified:* 2026-11-28 14:02 UTC",
                  "*Taken down:* 2026-11-28 14:13 UTC", "due 2026-12-01 14:02 UTC", "(11.07 minutes)",
                  "(5.22 hours)", "2026-11-28 14:13:04 UTC Taken down.", "types A-numbers, Names"):
        assert field in shown, field
    assert "A_NUMBER" not in shown and produced[0]["type"] == "header" and len(produced) <= 50


def test_checklist_respects_slack_limits():
    big = sheet()
    while len(big.items) < checklist.MAX_ITEMS:
        checklist.add_item(big.items, "y" * 75, by="U0BOB", at=to_iso(NOW))
    _, produced = blocks.checklist(open_incident(), big, NOW, CLOCKS)
    assert len(produced) <= 50
    for block in produced:
        if block["type"] != "actions":
            continue
        element = block["elements"][0]
        assert len(element["options"]) <= 10
        assert all(len(o["text"]["text"]) <= 75 and len(o.get("description", {}).get("text", "")) <= 75
                   for o in element["options"])
        assert all(o in element["options"] for o in element.get("initial_options", []))


def test_content_cannot_mention_or_link():
    incident = copy.deepcopy(open_incident())
    incident.findings[0].where = ["<!channel> sheet"]
    incident.url = "https://x.example/<!here>|click>"
    events = [dataclasses.replace(EVENTS[0], text="Found at <https://evil.example|click> <!channel>")]
    items = sheet()
    items.items[-1].text = "<!everyone> now"
    shown = json.dumps([blocks.summary(incident, NOW), report_blocks.report(incident, events, NOW, CLOCKS),
                        blocks.checklist(incident, items, NOW, CLOCKS), blocks.incident_list([incident], NOW)])
    assert "<!channel>" not in shown and "<!here>" not in shown and "<!everyone>" not in shown
    assert "<https://evil" not in shown and "&lt;!channel&gt;" in shown
