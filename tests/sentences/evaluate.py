"""Score running-text cases through the real scan: recall and precision per type by fingerprint,
and false identifiers on the negatives. Figures and counts only, never a value."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import ScanSettings
from bot.scan.pipeline import scan_bytes
from bot.scan.report import fingerprint
from tests.sentences import Case

KEY = "sentences-key"


@dataclass
class Tally:
    truth: int = 0
    found: int = 0
    reported: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.reported if self.reported else 1.0


def score(cases: list[Case]) -> tuple[dict[str, Tally], int, int]:
    """(per type tallies over the positives, negatives with a reported identifier, negatives)."""
    settings = ScanSettings(fingerprint_key=KEY, threshold="high", timeout_seconds=30.0)
    tallies: dict[str, Tally] = {}
    false_negatives = negatives = 0
    for case in cases:
        report = scan_bytes(case.text.encode("utf-8"), target="sentence", settings=settings)
        reported = {f.type: set(f.fingerprints) for f in report.findings if f.type != "PERSON_NAME"}
        if not case.positive:
            negatives += 1
            false_negatives += bool(reported)
            continue
        for kind, values in case.expected.items():
            truth = {fingerprint(kind, v, KEY.encode()) for v in values}
            tally = tallies.setdefault(kind, Tally())
            tally.truth += len(truth)
            tally.found += len(truth & reported.get(kind, set()))
        for kind, fps in reported.items():
            tallies.setdefault(kind, Tally()).reported += len(fps)
    return tallies, false_negatives, negatives
