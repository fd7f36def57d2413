"""Compare a scan Report with a corpus file's ground truth, by keyed fingerprint.

Used by the accuracy tests (tests/scan/test_accuracy.py, tests/realworld, tests/heldout: they fail
with `failure`'s message on any problem) and bench/accuracy.py (which prints the figures). Every
message names files, types and counts, never a value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from bot.config import severity_rank
from bot.scan.report import Report, fingerprint
from tests.corpus.truth import CorpusFile

#: recall and precision by fingerprint must reach this for every declared identifier type
MIN_RECALL = 0.99
MIN_PRECISION = 0.99
#: people counted may be off by at most this share of the true count
PEOPLE_TOLERANCE = 0.05


@dataclass
class TypeScore:
    kind: str
    truth: int
    reported: int
    matched: int
    exact: bool = True

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.reported if self.reported else 1.0


def score_identifiers(entry: CorpusFile, report: Report, key: bytes) -> list[TypeScore]:
    scores = []
    for kind, values in sorted(entry.identifiers.items()):
        truth = {fingerprint(kind, value, key) for value in values}
        finding = report.finding(kind)
        reported = set(finding.fingerprints) if finding else set()
        scores.append(TypeScore(kind, len(truth), len(reported), len(truth & reported),
                                exact=finding.count_exact if finding else True))
    return scores


def raw_values_in_report(entry: CorpusFile, report: Report) -> dict[str, int]:
    """How many ground-truth values appear verbatim in the report (must be none)."""
    data = report.to_dict()
    # hex digests could hold a run of 9 digits by chance: they are not where a value could leak
    data.pop("content_sha256", None)
    _drop_fingerprints(data)
    dumped = json.dumps(data, ensure_ascii=False).lower()
    leaked = {kind: sum(value.lower() in dumped for value in values) for kind, values in entry.identifiers.items()}
    return {kind: count for kind, count in leaked.items() if count}


def _drop_fingerprints(data: dict) -> None:
    for finding in data.get("findings", []):
        finding.pop("fingerprints", None)
    for document in data.get("documents", []):
        document.pop("content_sha256", None)
        _drop_fingerprints(document)


def incomplete_problems(entry: CorpusFile, report: Report) -> list[str]:
    """For a file expected to be read only in part: a verdict of clean is the one wrong answer."""
    data = report.to_dict()
    issues: list[str] = []
    if report.kind not in entry.kinds:
        issues.append(f"kind: expected {' or '.join(sorted(entry.kinds))}, got {report.kind}")
    if data.get("complete", True) is not False and not report.error:
        issues.append("passed as read whole and clean: expected complete: false (or an error) with a reason")
    reasons = [s.get("reason") for s in data.get("skipped") or [] if isinstance(s, dict)]
    if not report.error and not any(reasons):
        issues.append("no reason given: expected an error or skipped[] entries with a reason")
    return issues


def problems(entry: CorpusFile, report: Report, key: bytes) -> list[str]:
    """Everything wrong with one scan of one corpus file, in words without values."""
    found = {f.type: f for f in report.findings}
    issues: list[str] = []
    if entry.expect_incomplete and not report.incident:
        return incomplete_problems(entry, report) + [
            f"the report holds {count} raw {kind} values" for kind, count in raw_values_in_report(entry, report).items()]
    if report.error:
        issues.append(f"scan error ({report.error_code}): {report.error}")
    if report.kind not in entry.kinds:
        issues.append(f"kind: expected {' or '.join(sorted(entry.kinds))}, got {report.kind}")
    for kind in sorted(entry.forbidden_types & set(found)):
        issues.append(f"reported {kind} ({found[kind].count} values) where there is none")
    if entry.is_leak:
        if not report.incident:
            issues.append(f"missed leak: severity {report.severity}, no incident")
        if severity_rank(report.severity) < severity_rank(entry.min_severity):
            issues.append(f"severity {report.severity}, expected at least {entry.min_severity}")
        if severity_rank(report.severity) > severity_rank(entry.max_severity):
            issues.append(f"severity {report.severity}, expected at most {entry.max_severity}")
        if abs(report.records_affected - entry.people) > PEOPLE_TOLERANCE * entry.people:
            issues.append(f"people: expected {entry.people}, got {report.records_affected}")
        missing = sorted(entry.expected_types - set(found))
        if missing:
            issues.append(f"types not found: {', '.join(missing)}")
        for score in score_identifiers(entry, report, key):
            sampled = "" if score.exact else " (fingerprints are a sample)"
            if score.recall < MIN_RECALL:
                issues.append(f"{score.kind} recall {score.recall:.3f}: {score.matched} of {score.truth} found{sampled}")
            if score.precision < MIN_PRECISION:
                issues.append(f"{score.kind} precision {score.precision:.3f}: {score.reported - score.matched} of "
                              f"{score.reported} reported are not in the file's truth")
    else:
        if report.incident:
            issues.append(f"false alarm: incident at severity {report.severity}")
        elif severity_rank(report.severity) > severity_rank(entry.max_severity):
            issues.append(f"severity {report.severity}, expected at most {entry.max_severity}")
        if report.records_affected > entry.max_people:
            issues.append(f"people: expected {entry.max_people}, got {report.records_affected}")
    for kind, count in raw_values_in_report(entry, report).items():
        issues.append(f"the report holds {count} raw {kind} values")
    return issues


def summary(report: Report) -> str:
    """What the scan said, in counts: for failure messages."""
    types = ", ".join(f"{f.type} {f.count}" for f in report.findings) or "nothing"
    return (f"scan said: kind {report.kind}, severity {report.severity}, incident {report.incident}, "
            f"people {report.records_affected}; found {types}")


def failure(entry: CorpusFile, report: Report, key: bytes) -> str | None:
    """Every problem of the scan as one message (the file, its format, leak or look-alike, what it
    stands for, then what the scan said), or None when the scan matches the truth."""
    issues = problems(entry, report, key)
    if not issues:
        return None
    kind = "leak" if entry.is_leak else "look-alike"
    return (f"{entry.name} [{entry.format} {kind}: {entry.what}]\n  - " + "\n  - ".join(issues)
            + f"\n  {summary(report)}")
