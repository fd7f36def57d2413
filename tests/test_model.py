"""The typed model at the store boundary: old records load, unknown keys survive, nesting converts."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.model import Checklist, Figures, Incident, Job, Watch, from_doc, to_doc


def test_an_old_record_loads_with_defaults_for_fields_it_never_had():
    incident = from_doc(Incident, {"status": "down", "url": "https://example.gov/x.csv"}, number=4)
    assert incident.number == 4 and incident.status == "down" and incident.takedowns == [] and incident.figures is None
    assert incident.reposts == 0 and incident.previous_urls == []


def test_nested_records_convert_both_ways_and_the_id_stays_out_of_the_document():
    doc = {"status": "down", "figures": {"taken_down_at": "t", "notified_at": "n", "notification_to_takedown_seconds": 60.0,
                                         "notification_to_takedown_minutes": 1.0},
           "takedowns": [{"taken_down_at": "t", "notified_at": "n", "notification_to_takedown_seconds": 60.0,
                          "notification_to_takedown_minutes": 1.0}],
           "last_check": {"at": "a", "state": "down", "reason": "gone", "status": 404},
           "findings": [{"type": "A_NUMBER", "count": 3}]}
    incident = from_doc(Incident, doc, number=9)
    assert isinstance(incident.figures, Figures) and isinstance(incident.takedowns[0], Figures)
    assert incident.last_check.status == 404 and incident.findings[0].where == []
    back = to_doc(incident, without=("number",))
    assert "number" not in back and back["figures"]["notification_to_takedown_seconds"] == 60.0
    assert from_doc(Incident, back, number=9) == incident


def test_keys_a_newer_version_wrote_are_kept_and_written_back():
    incident = from_doc(Incident, {"status": "open", "escalation_path": "U0LEAD", "pages": [{"at": "t"}]}, number=1)
    assert incident.extra == {"escalation_path": "U0LEAD", "pages": [{"at": "t"}]}
    incident.status = "closed"
    assert to_doc(incident)["escalation_path"] == "U0LEAD" and to_doc(incident)["status"] == "closed"


def test_adding_an_optional_field_is_one_line():
    @dataclass
    class Later(Incident):
        lead_deputy: str | None = None
        drills: list[Job] = field(default_factory=list)

    old = from_doc(Later, to_doc(Incident(title="before the field existed"), without=("number",)), number=2)
    assert old.lead_deputy is None and old.drills == [] and old.title == "before the field existed"
    job = {"incident": 2, "key": "k", "kind": "timer", "chain": "c", "due_at": "t"}
    assert from_doc(Later, {"drills": [job]}).drills[0].key == "k"


def test_checklists_and_watches_round_trip():
    sheet = from_doc(Checklist, {"incident": 3, "items": [{"id": "a", "text": "A", "done": True}],
                                 "message": {"channel": "C1", "ts": "1.2"}}, id=5)
    assert sheet.items[0].done and sheet.message.ts == "1.2"
    assert to_doc(sheet, without=("id",))["items"][0]["by"] is None
    watch = from_doc(Watch, {"url": "u", "channel": "C", "user": "U", "interval_seconds": 60, "window_seconds": 600,
                             "started_at": "s", "ends_at": "e", "next_run": "n"}, number=1)
    assert watch.status == "active" and watch.memory == {}
