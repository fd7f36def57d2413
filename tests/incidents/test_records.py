"""Incident records: what is kept from a scan, URL identity, and job bookkeeping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.incidents.clocks import Due
from bot.incidents.records import IncidentRecords, summarize_report, url_key
from bot.model import FindingSummary, Incident, to_doc
from bot.scan.report import Finding, Report
from bot.store import Store

NOW = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)


def test_url_key_ignores_trivial_spellings():
    assert url_key("HTTPS://Example.GOV:443/a/b.csv#top") == url_key("https://example.gov/a/b.csv")
    assert url_key("http://example.gov:8080/x") != url_key("http://example.gov/x")
    assert url_key("https://example.gov/x?y=1") != url_key("https://example.gov/x")
    assert url_key(None) is None


def test_summary_keeps_no_values_and_every_fingerprint():
    fps = [f"{n:064x}" for n in range(1000, 0, -1)]
    report = Report(target="https://example.gov/x.csv", findings=[
        Finding("A_NUMBER", 1000, 0.9, [f"col {i}" for i in range(8)], ["A•••••0001"], fps)])
    summary = summarize_report(report)
    assert summary.fingerprints["A_NUMBER"] == sorted(fps)
    assert summary.findings == [FindingSummary(type="A_NUMBER", count=1000, where=[f"col {i}" for i in range(5)],
                                               where_more=3, samples=["A•••••0001"])]
    assert set(to_doc(summary)) >= {"content_sha256", "last_modified", "records_affected", "severity"}
    json.dumps(to_doc(summary))  # storable as is


def test_jobs_are_idempotent_by_key(tmp_path):
    records = IncidentRecords(Store(tmp_path / "bot.json"))
    number = records.create(Incident())
    reminder = Due("takedown:reminder:50", "takedown_reminder", NOW, "takedown", {})
    poll = Due("poll", "poll", NOW, "poll", {})
    records.schedule(number, [reminder, poll])
    records.schedule(number, [reminder, poll])
    assert len(records.incident_jobs(number)) == 2
    for job in records.incident_jobs(number):
        assert records.claim(job.id, NOW) and not records.claim(job.id, NOW)
        records.finish(job.id, NOW)
    later = NOW + timedelta(minutes=5)
    records.schedule(number, [Due(reminder.key, reminder.kind, later, "takedown", {}), Due("poll", "poll", later, "poll", {})])
    statuses = {j.key: (j.status, j.due_at[:16]) for j in records.incident_jobs(number)}
    # a reminder already sent stays sent; a stopped poll comes back (the incident reopened)
    assert statuses == {"takedown:reminder:50": ("done", "2026-11-28T14:00"), "poll": ("pending", "2026-11-28T14:05")}


def test_due_jobs_and_recovery_after_a_crash(tmp_path):
    path = tmp_path / "bot.json"
    records = IncidentRecords(Store(path))
    number = records.create(Incident())
    records.schedule(number, [Due("a", "legal_reminder", NOW, "legal:0", {}),
                              Due("b", "legal_reminder", NOW + timedelta(hours=1), "legal:0", {})])
    due = records.due_jobs(NOW)
    assert [j.key for j in due] == ["a"]
    records.claim(due[0].id, NOW)  # ... and the process dies here
    restarted = IncidentRecords(Store(path))
    stuck = restarted.stuck_claims(NOW)
    assert [j.key for j in stuck] == ["a"] and restarted.stuck_claims(NOW - timedelta(seconds=1)) == []
    assert restarted.release(stuck[0].id, stuck[0].claimed_at) and not restarted.release(stuck[0].id, stuck[0].claimed_at)
    assert restarted.job(number, "a").status == "pending"
    assert [j.key for j in restarted.due_jobs(NOW + timedelta(hours=2))] == ["a", "b"]
    assert restarted.next_due() == NOW  # "a" is due again


def test_every_fingerprint_is_kept_apart_in_a_size_proportional_to_the_leak(tmp_path):
    records = IncidentRecords(Store(tmp_path / "bot.json"))
    sizes = {}
    for count in (100, 10_000):
        fps = [f"{n:064x}" for n in range(count)]
        number = records.create(Incident(title=f"{count} people"), fingerprints={"A_NUMBER": fps, "SSN": fps[:10]})
        assert records.fingerprints(number) == {"A_NUMBER": set(fps), "SSN": set(fps[:10])}
        assert "fingerprints" not in records.incidents.get(number)  # the incident's own file stays small
        files = tmp_path / "bot.json.d"
        sizes[count] = (files / f"fingerprints-{number:06d}.json").stat().st_size
        assert (files / f"incident-{number:06d}.json").stat().st_size < 2_000
    assert 60 * 10_000 < sizes[10_000] < 70 * 10_010  # about 65 bytes a value: proportional to the leak
    reopened = IncidentRecords(Store(tmp_path / "bot.json"))
    assert len(reopened.fingerprints(2)["A_NUMBER"]) == 10_000
    old = reopened.incidents.insert({"status": "closed", "fingerprints": {"A_NUMBER": ["ab" * 32]}})
    assert reopened.fingerprints(old) == {"A_NUMBER": {"ab" * 32}}  # stored before: a sample inside it
