"""Long messages say how much more there is: the incident list, and a report whose timeline does
not fit in one message (which then also goes as a file, whole, in UTC)."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

from bot.incidents import blocks, report_blocks
from bot.incidents.clocks import to_iso
from bot.model import TimelineEntry
from tests.incidents.test_blocks import CLOCKS, NOTIFIED, NOW, down_incident, open_incident


def many_events(count: int) -> list[TimelineEntry]:
    return [TimelineEntry(incident=7, at=to_iso(NOTIFIED + timedelta(seconds=i)), kind="update", by="U0ALICE",
                          text=f"Update {i:04d}: still talking to the hosting vendor about the cache <purge>")
            for i in range(count)]


def test_a_long_timeline_says_how_many_are_left_out_and_stays_within_slack_limits():
    events = many_events(400)
    text, produced, hidden = report_blocks.report_parts(down_incident(), events, NOW, CLOCKS)
    shown = json.dumps(produced)
    assert hidden > 0 and f"{hidden:,} earlier events" in shown
    assert len(produced) <= 48  # room for the file note the service adds
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in produced)
    kept = sum(f"Update {i:04d}:" in shown for i in range(400))
    assert kept + hidden == 400 and "Update 0399:" in shown  # the newest are shown
    short = report_blocks.report_parts(down_incident(), many_events(5), NOW, CLOCKS)
    assert short[2] == 0 and "earlier events" not in json.dumps(short[1])


def test_the_report_file_holds_every_event_in_utc_without_slack_markup():
    events = many_events(400)
    body = report_blocks.report_file(down_incident(), events, NOW, CLOCKS)
    assert all(f"Update {i:04d}:" in body for i in range(400))
    assert "<!date^" not in body and "<@" not in body and "@U0ALICE" in body
    assert "2026-11-28 14:02:00 UTC" in body and "cache <purge>" in body
    assert "A•••••4821" in body  # the masked samples, as in the message
    assert "6,252" in body and "(11.07 minutes)" in body


def test_the_list_says_how_many_more():
    incidents = [dataclasses.replace(open_incident(), number=n, channel_id=f"C{n:05d}") for n in range(1, 61)]
    _, produced = blocks.incident_list(incidents, NOW)
    shown = produced[0]["text"]["text"]
    listed = shown.count("OPEN, still online")
    assert listed < 60 and f"… and {60 - listed:,} more" in shown and len(shown) <= 3000
    assert "*#60*" in shown  # newest first
    _, few = blocks.incident_list(incidents[:3], NOW)
    assert "more" not in few[0]["text"]["text"]
