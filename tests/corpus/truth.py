"""Ground truth for one corpus file.

The truth holds normalized values (scan-report.md's normalization table) only in memory, so a
test can compute the same keyed fingerprints the scan does. `identifiers` is left out of repr so
a failing test can never print a value: report counts, types and file names instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: identifier types whose recall and precision are measured by fingerprint
IDENTIFIER_TYPES = ("A_NUMBER", "SSN", "ITIN", "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "PASSPORT")


@dataclass
class CorpusFile:
    path: Path
    #: what the bytes are: xlsx csv html pdf json text zip
    format: str
    is_leak: bool
    #: types the scan must report
    expected_types: set[str]
    #: exact number of distinct people with personal data in the file
    people: int
    #: identifier type -> normalized values present in the file (all of them, for that type)
    identifiers: dict[str, set[str]] = field(default_factory=dict, repr=False)
    #: types the scan must NOT report (ID-shaped numbers that are something else)
    forbidden_types: set[str] = field(default_factory=set)
    min_severity: str = "none"
    max_severity: str = "critical"
    #: look-alikes: records_affected allowed (0: data about no one in particular)
    max_people: int = 0
    #: what this file stands for, in words (no values)
    what: str = ""
    #: the report `kind` values that are right for these bytes (default: just `format`)
    kinds: set[str] = field(default_factory=set)
    #: the file may not be read whole (past a sheet/page limit, a kind no reader handles): the report
    #: must then say `complete: false` (or carry an `error`) and never pass as clean; if the scan does
    #: find the leak, it is judged as any leak
    expect_incomplete: bool = False

    def __post_init__(self) -> None:
        self.kinds = set(self.kinds) | {self.format}

    @property
    def name(self) -> str:
        return self.path.name

    def identifier_counts(self) -> dict[str, int]:
        return {kind: len(values) for kind, values in sorted(self.identifiers.items())}


def leak(path: Path, fmt: str, *, people: int, expected: set[str], identifiers: dict[str, set[str]],
         what: str, forbidden: set[str] = frozenset(), min_severity: str = "high",
         max_severity: str = "critical") -> CorpusFile:
    unknown = set(identifiers) - set(IDENTIFIER_TYPES)
    if unknown:
        raise ValueError(f"not identifier types: {sorted(unknown)}")
    return CorpusFile(path=path, format=fmt, is_leak=True, expected_types=set(expected), people=people,
                      identifiers={k: set(v) for k, v in identifiers.items() if v},
                      forbidden_types=set(forbidden), min_severity=min_severity,
                      max_severity=max_severity, what=what)


def lookalike(path: Path, fmt: str, *, what: str, forbidden: set[str],
              max_severity: str = "low") -> CorpusFile:
    return CorpusFile(path=path, format=fmt, is_leak=False, expected_types=set(), people=0,
                      forbidden_types=set(forbidden), min_severity="none", max_severity=max_severity,
                      max_people=0, what=what)
