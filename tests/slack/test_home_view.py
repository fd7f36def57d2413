"""Golden test of the Home tab, and its limits (pure; the published view is in
tests/commands/test_incident_roles_e2e.py). `UPDATE_GOLDEN=1` regenerates tests/slack/golden/home.json."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

from bot.incidents.clocks import to_iso
from bot.model import Watch
from bot.slack.home_view import home_view
from tests.incidents.test_blocks import NOW, down_incident, open_incident

GOLDEN = Path(__file__).parent / "golden" / "home.json"


def watch(number: int) -> Watch:
    return Watch(url=f"https://example.gov/foia/page{number}.html", channel="C0WEBOPS", user="U0RAVI",
                 interval_seconds=300, window_seconds=7200, started_at=to_iso(NOW - timedelta(minutes=30)),
                 ends_at=to_iso(NOW + timedelta(minutes=90)), next_run=to_iso(NOW), number=number)


SCANS = [{"at": to_iso(NOW - timedelta(minutes=9)), "target": "https://files.example.gov/exports/detained.xlsx",
          "severity": "critical", "records_affected": 6252, "types": ["A_NUMBER", "PERSON_NAME"], "error": False},
         {"at": to_iso(NOW - timedelta(hours=2)), "target": "big.csv", "severity": "none", "records_affected": 0,
          "types": [], "error": False}]


def view() -> dict:
    led = open_incident()
    led.lead = "U0LEAD"
    down = down_incident()
    down.number = 6
    return home_view(incidents=[down, led], watches=[watch(3)], scans=SCANS, now=NOW, target_minutes=15,
                     hidden_incidents=2)


def test_matches_golden():
    produced = view()
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_no_sample_and_open_first():
    shown = json.dumps(view(), ensure_ascii=False)
    assert "•" not in shown and "Detained Population" not in shown
    assert shown.index("*#7*") < shown.index("taken down")


def test_long_lists_say_how_many_more_and_stay_in_limits():
    many = home_view(incidents=[], watches=[watch(n) for n in range(1, 40)], scans=SCANS * 30, now=NOW,
                     target_minutes=15)
    shown = json.dumps(many, ensure_ascii=False)
    assert "… and 24 more." in shown and "… and 45 more." in shown
    assert len(many["blocks"]) <= 100
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in many["blocks"])
    refused = home_view(incidents=[], watches=[], scans=[], now=NOW, target_minutes=15, refusal="Not on the list.")
    assert "Not on the list." in json.dumps(refused) and "watches" not in json.dumps(refused)
