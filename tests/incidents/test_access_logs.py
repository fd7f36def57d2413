"""The access-log part of an incident, pure functions: the Slack summary (golden), what the
checklist gains, the window, and what the incident keeps. The summary is written by hand here.

Regenerate the golden after a deliberate change with
`UPDATE_GOLDEN=1 pytest tests/incidents/test_access_logs.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from bot.incidents.access_logs import (
    EVIDENCE_ITEM,
    apply_to_checklist,
    calls_for,
    exposure_window,
    kept_summary,
)
from bot.incidents.access_logs_blocks import logs_summary
from bot.incidents.checklist import OPTION_TEXT_MAX, new_items
from bot.model import Incident

GOLDEN = Path(__file__).with_name("golden") / "access_logs_summary.json"
CLIENT = "203.0.113.77"
SUMMARY = {
    "url": "https://example.gov/files/detained.xlsx",
    "window": {"from": "2026-11-03T14:02:11Z", "to": "2026-11-03T19:09:11Z"},
    "lines": 18200331, "lines_unread": 12, "formats": {"cloudfront": 1, "combined": 2}, "files": 3,
    "files_unread": [{"file": "screenshot.png", "reason": "not a text log (binary content)"}],
    "requests": 214, "head": 5, "not_modified": 3, "redirects": 2, "downloads_complete": 41,
    "downloads_complete_external": 38, "downloads_partial": 9, "clients": 37, "clients_internal": 3,
    "first_fetch": "2026-11-03T14:02:54Z", "last_fetch": "2026-11-03T19:08:58Z",
    "crawlers": [
        {"name": "Googlebot", "kind": "search", "requests": 3, "complete": 2, "first": "2026-11-03T14:31:07Z"},
        {"name": "Internet Archive", "kind": "archive", "requests": 1, "complete": 1, "first": "2026-11-03T18:49:00Z"},
        {"name": "OpenAI GPTBot", "kind": "ai", "requests": 1, "complete": 1, "first": "2026-11-03T16:00:00Z"},
        {"name": "Slack unfurl (Slackbot-LinkExpanding)", "kind": "social", "requests": 2, "complete": 0, "own": True,
         "first": "2026-11-03T18:41:00Z"},
    ],
    "per_hour": [{"hour": "2026-11-03T14:00:00Z", "requests": 12, "complete": 3}],
    "top_clients": [{"client": CLIENT, "user_agent": "curl/8.5.0", "requests": 4, "complete": 1}],
    "error": None,
}


def test_the_slack_summary_golden_and_without_addresses():
    kept = kept_summary(SUMMARY, {})
    produced = list(logs_summary(kept, 7, ["Request cache removal: Googlebot fetched it"]))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(GOLDEN.read_text(encoding="utf-8"))
    shown = json.dumps(produced)
    assert CLIENT not in shown and "curl/8.5.0" not in shown
    assert "41" in produced[0] and "Googlebot" in shown


def test_the_incident_keeps_no_per_client_table_and_no_temporary_path():
    report = dict(SUMMARY, files_unread=[{"file": "/tmp/leakwatch-logs-x/02.log", "reason": "binary"}])
    kept = kept_summary(report, {"/tmp/leakwatch-logs-x/02.log": "screenshot.png"})
    assert "top_clients" not in kept and CLIENT not in json.dumps(kept)
    assert kept["files_unread"] == [{"file": "screenshot.png", "reason": "binary"}]


def test_the_checklist_gains_what_the_figures_call_for_once():
    items = new_items()
    added = apply_to_checklist(items, SUMMARY, by="U0OPS", at="2026-11-03T20:00:00+00:00")
    ids = {item.id for item in items}
    assert {"logs-search-googlebot", "logs-archive-internet-archive", "logs-ai-openai-gptbot", "logs-notify"} <= ids
    assert not any(i.startswith("logs-") and "slackbot" in i for i in ids)   # a link preview holds no copy to remove
    assert len(added) == 4 and all(len(item.text) <= OPTION_TEXT_MAX for item in items)
    evidence = next(item for item in items if item.id == EVIDENCE_ITEM)
    assert evidence.done and evidence.by == "U0OPS" and "41 complete" in evidence.text
    notify = next(item for item in items if item.id == "logs-notify")
    assert "38 complete downloads from outside" in notify.text
    # read again (more logs): nothing added twice, open items refreshed
    again = apply_to_checklist(items, dict(SUMMARY, downloads_complete_external=40), by="U0OPS", at="x")
    assert again == [] and len({item.id for item in items}) == len(items)
    assert "40 complete" in next(item for item in items if item.id == "logs-notify").text


def test_no_outside_download_and_no_crawler_call_for_nothing():
    quiet = dict(SUMMARY, crawlers=[], downloads_complete_external=0)
    assert calls_for(quiet) == []


def test_the_window_runs_from_last_modified_to_the_takedown():
    incident = Incident(number=1, last_modified="Tue, 03 Nov 2026 14:02:11 GMT",
                        taken_down_at="2026-11-03T19:09:11+00:00")
    start, end = exposure_window(incident)
    assert (start.isoformat(), end.isoformat()) == ("2026-11-03T14:02:11+00:00", "2026-11-03T19:09:11+00:00")
    assert exposure_window(Incident(number=2)) == (None, None)
