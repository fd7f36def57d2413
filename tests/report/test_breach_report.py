"""The breach report and the exposure picture: pure renderers, golden-tested.

The facts and the downloads summary are written out by hand here (not produced by the code under
test); `UPDATE_GOLDEN=1` rewrites the golden files after a deliberate change.
"""

from __future__ import annotations

import os
import struct
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.report.breach import breach_report
from bot.report.facts import ChecklistEntry, ExposureFacts, TimelineEntry
from bot.report.timeline import timeline_png

GOLDEN = Path(__file__).with_name("golden")
T0 = datetime(2026, 11, 3, 14, 2, 11, tzinfo=UTC)
CLIENT = "203.0.113.77"
AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"

FACTS = ExposureFacts(
    number=7, url="https://example.gov/files/detained.xlsx", title=None, status="down", severity="critical",
    records_affected=6252,
    findings=(("A_NUMBER", 6252), ("PERSON_NAME", 6252), ("NATIONALITY", 41), ("CUSTODY_LOCATION", 12)),
    opened_at=T0 + timedelta(hours=4, minutes=38), notified_at=T0 + timedelta(hours=4, minutes=56),
    notified_given=True, target_minutes=15, first_detected_at=T0 + timedelta(hours=4, minutes=38),
    last_modified_at=T0, taken_down_at=T0 + timedelta(hours=5, minutes=7), takedown_how="verified: HTTP 404",
    legal_deadlines=(("GDPR 72 h", T0 + timedelta(hours=76, minutes=56)), ("State law 24 h", T0 + timedelta(hours=28, minutes=56))),
    checklist=(ChecklistEntry("Remove the file at its origin", True, "U0LEAD", T0 + timedelta(hours=5, minutes=7)),
               ChecklistEntry("Ask search engines to drop it", False),
               ChecklistEntry("Keep the evidence and the access logs", True, "U0OPS", T0 + timedelta(hours=6))),
    timeline=(TimelineEntry(T0 + timedelta(hours=4, minutes=38), "Incident opened: 6,252 people, severity critical", "U0REP"),
              TimelineEntry(T0 + timedelta(hours=4, minutes=56), "Owner notified", "U0LEAD"),
              TimelineEntry(T0 + timedelta(hours=5, minutes=7), "Takedown verified: HTTP 404")),
)
DOWNLOADS = {
    "url": "https://example.gov/files/detained.xlsx",
    "window": {"from": "2026-11-03T14:02:11Z", "to": "2026-11-03T19:09:11Z"},
    "lines": 18200331, "lines_unread": 12, "formats": {"cloudfront": 1, "combined": 2}, "files": 3,
    "requests": 214, "downloads_complete": 41, "downloads_complete_external": 38, "downloads_partial": 9,
    "clients": 37, "clients_internal": 3, "first_fetch": "2026-11-03T14:02:54Z", "last_fetch": "2026-11-03T19:08:58Z",
    "crawlers": [{"name": "Googlebot", "kind": "search", "requests": 3, "complete": 2, "first": "2026-11-03T14:31:07Z",
                  "claimed_only": True},
                 {"name": "Internet Archive", "kind": "archive", "requests": 1, "complete": 1,
                  "first": "2026-11-03T18:49:00Z", "claimed_only": True}],
    "per_hour": [{"hour": f"2026-11-03T{h}:00:00Z", "requests": r, "complete": c}
                 for h, r, c in ((14, 12, 3), (15, 40, 9), (16, 55, 12), (17, 61, 10), (18, 30, 5), (19, 16, 2))],
    "top_clients": [{"client": CLIENT, "user_agent": AGENT, "requests": 4, "complete": 1, "first": "2026-11-03T15:00:00Z"}],
    "error": None,
}
NOW = T0 + timedelta(hours=7)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} changed; UPDATE_GOLDEN=1 if deliberate"


def test_breach_report_golden_with_downloads_and_picture():
    check_golden("breach_report.md", breach_report(FACTS, DOWNLOADS, NOW, picture="incident-7-timeline.png"))


def test_breach_report_golden_before_logs_and_takedown():
    facts = ExposureFacts(number=8, url=None, title="Roster on the staff share", status="open", severity="high",
                          records_affected=120, findings=(("SSN", 120), ("PERSON_NAME", 120)), opened_at=T0,
                          notified_at=T0, notified_given=False, target_minutes=15, first_detected_at=T0)
    check_golden("breach_report_early.md", breach_report(facts, None, T0 + timedelta(minutes=40)))


def test_breach_report_has_every_article_33_3_element_and_no_client():
    text = breach_report(FACTS, DOWNLOADS, NOW, picture="incident-7-timeline.png")
    for point in ("(a)", "(b)", "(c)", "(d)"):
        assert f"| {point} |" in text
    for heading in ("Nature of the breach", "Likely consequences", "Measures taken", "Contact point",
                    "Legal clocks", "Timeline", "Who fetched it", "Exposure window"):
        assert heading in text
    assert "6,252" in text and "Googlebot" in text and "![Exposure timeline" in text
    assert CLIENT not in text and AGENT not in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("downloads", [DOWNLOADS, None], ids=["with-logs", "without-logs"])
def test_timeline_png_is_a_phone_sized_pure_picture(downloads):
    first = timeline_png(FACTS, downloads)
    assert _png_size(first) == (1080, 1350)
    assert timeline_png(FACTS, downloads) == first      # same facts, same bytes
    assert CLIENT.encode() not in first


def test_timeline_png_changes_with_the_facts():
    later = ExposureFacts(**{**FACTS.__dict__, "taken_down_at": FACTS.taken_down_at + timedelta(hours=2)})
    assert timeline_png(later, DOWNLOADS) != timeline_png(FACTS, DOWNLOADS)
    still_up = ExposureFacts(**{**FACTS.__dict__, "taken_down_at": None, "status": "open"})
    assert _png_size(timeline_png(still_up, None)) == (1080, 1350)


def test_facts_from_the_typed_incident_record():
    from bot.model import Checklist, ChecklistItem, Figures, FindingSummary, Incident
    from bot.model import TimelineEntry as Entry
    from bot.report.facts import facts_from_incident

    incident = Incident(number=7, url="https://example.gov/files/detained.xlsx", status="down",
                        opened_at="2026-11-03T18:40:11+00:00", notified_at="2026-11-03T18:58:11+00:00",
                        notified_source="set", severity="critical", records_affected=6252,
                        findings=[FindingSummary("A_NUMBER", 6252, samples=["A•••••4821"])],
                        last_modified="Tue, 03 Nov 2026 14:02:11 GMT",
                        figures=Figures(taken_down_at="2026-11-03T19:09:11+00:00",
                                        notified_at="2026-11-03T18:58:11+00:00",
                                        notification_to_takedown_seconds=660, notification_to_takedown_minutes=11))
    sheet = Checklist(incident=7, items=[ChecklistItem("remove-origin", "Remove the file at its origin", done=True,
                                                       by="U0LEAD", at="2026-11-03T19:09:11+00:00")])
    events = [Entry(incident=7, at="2026-11-03T18:58:11+00:00", kind="notified", text="Owner notified", by="U0LEAD")]
    facts = facts_from_incident(incident, events=events, checklist=sheet, clocks=(("GDPR 72 h", 72),),
                                target_minutes=15)
    assert facts.last_modified_at == T0 and facts.taken_down_at == FACTS.taken_down_at
    assert facts.findings == (("A_NUMBER", 6252),) and facts.notified_given
    assert facts.legal_deadlines == (("GDPR 72 h", FACTS.notified_at + timedelta(hours=72)),)
    assert facts.checklist[0].done and facts.timeline[0].by == "U0LEAD"
    assert "A•••••4821" not in breach_report(facts, None, NOW)
