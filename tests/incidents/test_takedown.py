"""Proof of takedown, the pure part: what counts as down, and the figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.incidents.clocks import to_iso
from bot.incidents.takedown import UNREACHABLE_DOWN_AFTER, Observation, classify, figures
from bot.model import Incident
from bot.scan.report import Finding, Report

FPS = [f"{n:064x}" for n in range(1, 41)]
KNOWN = {"A_NUMBER": FPS[:20], "DATE_OF_BIRTH": FPS[20:]}
SHA = "ab" * 32


def _report(fps_by_type: dict[str, list[str]], sha: str = "cd" * 32, error: str | None = None) -> Report:
    findings = [Finding(kind, len(fps), 0.9, ["Sheet!A1"], ["•••••"], fps) for kind, fps in fps_by_type.items()]
    return Report(target="u", findings=findings, content_sha256=sha, error=error)


def test_404_and_410_are_down():
    for status in (404, 410):
        verdict = classify(Observation(status=status), fingerprints=KNOWN, content_sha256=SHA)
        assert verdict.state == "down" and str(status) in verdict.reason


def test_page_not_found_served_with_200_is_down():
    verdict = classify(Observation(status=200, report=_report({})), fingerprints=KNOWN, content_sha256=SHA)
    assert verdict.state == "down"


def test_same_file_at_another_status_is_up():
    verdict = classify(Observation(status=403, report=_report({}, sha=SHA)), fingerprints=KNOWN, content_sha256=SHA)
    assert verdict.state == "up" and "403" in verdict.reason


def test_same_values_behind_a_redirect_or_reformatted_are_up():
    observation = Observation(status=200, report=_report({"A_NUMBER": FPS[5:15]}), final_url="https://cdn/x")
    verdict = classify(observation, fingerprints=KNOWN, content_sha256=SHA)
    assert verdict.state == "up" and verdict.matched == 10


def test_only_weak_values_left_is_down():
    # dates of birth alone do not identify the leak (many unrelated people share them)
    verdict = classify(Observation(status=200, report=_report({"DATE_OF_BIRTH": FPS[20:30]})),
                       fingerprints=KNOWN, content_sha256=SHA)
    assert verdict.state == "down"


def test_unreadable_content_is_unknown():
    verdict = classify(Observation(status=200, report=_report({}, error="The file could not be read.")),
                       fingerprints=KNOWN, content_sha256=SHA)
    assert verdict.state == "unknown"


def test_unreachable_is_unknown_until_it_repeats():
    observation = Observation(status=None, error="Could not connect.", error_code="unreachable")
    assert classify(observation, fingerprints=KNOWN, content_sha256=SHA).state == "unknown"
    verdict = classify(observation, fingerprints=KNOWN, content_sha256=SHA, unreachable_streak=UNREACHABLE_DOWN_AFTER - 1)
    assert verdict.state == "down"


def test_figures():
    notified = datetime(2026, 11, 28, 14, 2, tzinfo=UTC)
    incident = Incident(notified_at=to_iso(notified), first_seen_at=to_iso(notified - timedelta(minutes=20)),
                        last_modified="Sat, 28 Nov 2026 09:00:00 GMT")
    result = figures(incident, notified + timedelta(minutes=11, seconds=6))
    assert result.notification_to_takedown_minutes == 11.1
    assert result.exposure_evidence == "Last-Modified header"
    assert result.exposure_seconds == (5 * 3600 + 13 * 60 + 6)


def test_a_few_shared_common_names_are_not_the_leak():
    known = {"PERSON_NAME": FPS[:30]}
    few = classify(Observation(status=200, report=_report({"PERSON_NAME": FPS[:2] + FPS[30:40]})),
                   fingerprints=known, content_sha256=SHA)
    many = classify(Observation(status=200, report=_report({"PERSON_NAME": FPS[:20]})), fingerprints=known,
                    content_sha256=SHA)
    assert (few.state, many.state) == ("down", "up")
