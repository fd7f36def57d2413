"""The comparison of a report with ground truth catches what the accuracy test must catch."""

from __future__ import annotations

from pathlib import Path

from bot.scan.report import Finding, Report, fingerprint
from tests.corpus.evaluate import failure, problems, score_identifiers
from tests.corpus.truth import leak, lookalike

KEY = b"evaluate-test-key"


def _leak():
    values = {f"{n:09d}" for n in range(200_000_000, 200_000_100)}
    return leak(Path("roster.csv"), "csv", people=100, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": values}, forbidden={"SSN"}, what="test roster"), sorted(values)


def _report(values, *, people=100, severity="critical", extra=()):
    report = Report(target="roster.csv", kind="csv", records_affected=people)
    prints = [fingerprint("A_NUMBER", v, KEY) for v in values] + list(extra)
    report.findings = [Finding("A_NUMBER", len(prints), 0.9, ["x"], ["A•••••0001"], prints),
                       Finding("PERSON_NAME", people, 0.9, ["x"], [], [])]
    report.set_severity(severity, "high")
    return report


def test_a_perfect_report_has_no_problem():
    entry, values = _leak()
    assert problems(entry, _report(values), KEY) == []


def test_the_failure_message_names_the_file_and_what_the_scan_said_never_a_value():
    entry, values = _leak()
    assert failure(entry, _report(values), KEY) is None
    message = failure(entry, _report(values[:50]), KEY)
    assert message.startswith("roster.csv [csv leak: test roster]\n  - ") and "A_NUMBER recall 0.500" in message
    assert message.endswith("found A_NUMBER 50, PERSON_NAME 100")
    assert not any(v in message for v in values), "messages must not hold values"


def test_misses_false_reports_and_people_counts_are_caught():
    entry, values = _leak()
    half = problems(entry, _report(values[:50]), KEY)
    assert any("A_NUMBER recall 0.500" in p for p in half)
    noisy = problems(entry, _report(values, extra=["0" * 64, "1" * 64]), KEY)
    assert any("A_NUMBER precision" in p for p in noisy)
    assert any("people: expected 100, got 94" in p for p in problems(entry, _report(values, people=94), KEY))
    assert problems(entry, _report(values, people=96), KEY) == []
    missed = problems(entry, _report(values, severity="medium"), KEY)
    assert any(p.startswith("missed leak") for p in missed)
    assert not any(v in " ".join(half + noisy + missed) for v in values), "messages must not hold values"


def test_forbidden_types_and_raw_values_are_caught():
    entry, values = _leak()
    report = _report(values)
    report.findings.append(Finding("SSN", 3, 0.5, ["x"], [], []))
    report.reasons.append(f"found {values[0]}")
    found = problems(entry, report, KEY)
    assert any("reported SSN" in p for p in found)
    assert any("raw A_NUMBER" in p for p in found)


def test_a_lookalike_that_raises_an_incident_is_a_false_alarm():
    entry = lookalike(Path("stats.xlsx"), "xlsx", forbidden={"A_NUMBER"}, what="stats")
    quiet = Report(target="stats.xlsx", kind="xlsx")
    quiet.set_severity("low", "high")
    assert problems(entry, quiet, KEY) == []
    loud = Report(target="stats.xlsx", kind="xlsx", records_affected=12)
    loud.set_severity("high", "high")
    found = problems(entry, loud, KEY)
    assert any(p.startswith("false alarm") for p in found) and any("people" in p for p in found)


def test_scores_count_matches_by_fingerprint():
    entry, values = _leak()
    (score,) = score_identifiers(entry, _report(values[:99], extra=["f" * 64]), KEY)
    assert (score.truth, score.reported, score.matched) == (100, 100, 99)
    assert score.recall == 0.99 and score.precision == 0.99
