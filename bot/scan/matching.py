"""The same leak again: how much of a known fingerprint set a new scan carries.

Pure functions over fingerprints (keyed HMACs, never values). A set is `{type: [fingerprint...]}`:
an incident keeps one, and the command line can export and load them as a JSON file.

When is it "the same leak"? Fingerprints of identifying values (A-numbers, SSNs, emails...) do
not collide by chance, so any overlap means the same values; a few shared values may still be
the same person in a different list. A match needs, for at least one identifying type, at least
`MIN_MATCHED` shared values (or all of them, for a set smaller than that) AND either
`MIN_SHARE` of the known set or `MIN_MATCHED_ANY_SHARE` shared values (when the known set is a
sample, as an incident keeps, its hits are scaled up to the whole set). Names and addresses
decide only from `MIN_SHARE_SOFT` of the known set: two unrelated rosters from one population
share common full names. Types that many unrelated people share (nationality, date of birth,
custody location) never make a match on their own; they are reported alongside one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.errors import LeakwatchError, UnreadableContent
from bot.scan.detectors import label as type_label
from bot.scan.detectors import types_where
from bot.scan.report import Report, resolve_key

MIN_SHARE = 0.10
MIN_MATCHED = 3
MIN_MATCHED_ANY_SHARE = 25
#: names and addresses: unrelated lists of people from one place share many of them
MIN_SHARE_SOFT = 0.5

#: values shared by many unrelated people: an overlap proves nothing by itself
WEAK_TYPES = types_where(lambda d: d.shared_values)
#: identify a person, but less sharply than an identifier (two people may share a name): named
#: after the identifiers when both came back
SOFT_TYPES = types_where(lambda d: d.soft_identity)

FILE_FORMAT = "leakwatch-fingerprints"
FILE_VERSION = 1
#: a fingerprint file is data, not a disk image
MAX_FILE_BYTES = 200_000_000
_HEX64 = re.compile(r"^[0-9a-f]{64}$")

FingerprintSet = dict[str, set[str]]


def type_words(kind: str) -> str:
    return type_label(kind)


def report_fingerprints(report: Report) -> FingerprintSet:
    """Every fingerprint in a report, per type, including its per-document reports."""
    sets: FingerprintSet = {}
    stack = [report]
    while stack:
        current = stack.pop()
        for finding in current.findings:
            sets.setdefault(finding.type, set()).update(finding.fingerprints)
        stack.extend(current.documents)
    return {kind: fps for kind, fps in sets.items() if fps}


@dataclass(frozen=True)
class TypeOverlap:
    type: str
    #: values of the known set found again
    matched: int
    #: size of the known set of this type
    known: int
    #: how many distinct values the known set stands for, when it keeps only a sample of them
    total: int | None = None

    @property
    def share(self) -> float:
        return self.matched / self.known if self.known else 0.0

    @property
    def estimated(self) -> int:
        """Values of the whole known set found again (scaled up when the set is a sample)."""
        if self.total and self.total > self.known:
            return round(self.share * self.total)
        return self.matched

    def describe(self, label: str) -> str:
        """"92% of the A-numbers of incident #3 (5,752 of 6,252)"; estimated when the set is a sample."""
        percent = _percent(self.share)
        if self.total and self.total > self.known:
            counted = f"about {self.estimated:,} of {self.total:,}"
        else:
            counted = f"{self.matched:,} of {self.known:,}"
        return f"{percent} of the {type_words(self.type)} of {label} ({counted})"


@dataclass(frozen=True)
class Match:
    #: whatever names the known set: an incident id, a file's label
    key: Any
    label: str
    #: every type with any overlap, strongest first
    overlaps: tuple[TypeOverlap, ...]

    @property
    def best(self) -> TypeOverlap:
        return self.overlaps[0]

    def describe(self) -> str:
        return self.best.describe(self.label)

    def describe_all(self) -> str:
        """One sentence: the strongest type in full, others as percentages."""
        head = self.best.describe(self.label)
        rest = [f"{_percent(o.share)} of its {type_words(o.type)}" for o in self.overlaps[1:]]
        return head + (" and " + ", ".join(rest) if rest else "")


def _percent(share: float) -> str:
    # never round a partial overlap up to 100% nor down to 0%
    value = share * 100
    if 0 < value < 1:
        return "<1%"
    if 99 < value < 100:
        return ">99%"
    return f"{value:.0f}%"


def overlaps(found: Mapping[str, Iterable[str]], known: Mapping[str, Iterable[str]],
             totals: Mapping[str, int] | None = None) -> list[TypeOverlap]:
    """Per type: how many of the known fingerprints are among the found ones (only types with overlap).

    A known set may be a sample (an incident keeps the smallest fingerprints of each type): the
    share is then an estimate, and `totals` (distinct values per type) scales it for the wording.
    """
    totals = totals or {}
    result = []
    for kind, known_fps in known.items():
        known_set = known_fps if isinstance(known_fps, set | frozenset) else set(known_fps)
        found_fps = found.get(kind)
        if not known_set or not found_fps:
            continue
        matched = len(known_set.intersection(found_fps))
        if matched:
            result.append(TypeOverlap(kind, matched, len(known_set), totals.get(kind)))
    return result


def is_same_leak(overlap: TypeOverlap) -> bool:
    """The rule in the module docstring, for one type."""
    if overlap.type in WEAK_TYPES:
        return False
    if overlap.matched < min(MIN_MATCHED, overlap.known):
        return False
    if overlap.type in SOFT_TYPES:
        return overlap.share >= MIN_SHARE_SOFT
    # hits in a sample are real shared values (fingerprints do not collide): scale them up
    return overlap.share >= MIN_SHARE or overlap.estimated >= MIN_MATCHED_ANY_SHARE


def match(found: Mapping[str, Iterable[str]], known: Mapping[str, Iterable[str]], *, key: Any = None,
          label: str = "a known leak", totals: Mapping[str, int] | None = None) -> Match | None:
    """A Match when `found` carries the known leak again, else None."""
    found_sets = {kind: fps if isinstance(fps, set | frozenset) else set(fps) for kind, fps in found.items()}
    every = overlaps(found_sets, known, totals)
    if not any(is_same_leak(o) for o in every):
        return None
    # deciding types first, identifiers before names, then by share and size
    every.sort(key=lambda o: (not is_same_leak(o), o.type in SOFT_TYPES, -o.share, -o.matched, o.type))
    return Match(key=key, label=label, overlaps=tuple(every))


def find_matches(found: Mapping[str, Iterable[str]], candidates: Iterable[tuple]) -> list[Match]:
    """Every candidate `(key, label, known set[, totals])` that `found` matches, strongest first."""
    found_sets = {kind: set(fps) for kind, fps in found.items()}
    matches = []
    for key, label, known, *rest in candidates:
        found_match = match(found_sets, known, key=key, label=label, totals=rest[0] if rest else None)
        if found_match:
            matches.append(found_match)
    matches.sort(key=lambda m: (-m.best.share, -m.best.matched))
    return matches


# -- the exported file ---------------------------------------------------------------------------

def key_id(key: str | None) -> str:
    """A short public tag of the fingerprint key, so a file made with another key is caught."""
    return hmac.digest(resolve_key(key), b"leakwatch key id", hashlib.sha256).hex()[:16]


def dump_sets(named_sets: Iterable[tuple[str, Mapping[str, Iterable[str]]]], *, key: str | None) -> dict:
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "key_id": key_id(key),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "sets": [
            {"label": label, "fingerprints": {kind: sorted(fps) for kind, fps in sorted(fps_by_type.items()) if fps}}
            for label, fps_by_type in named_sets
        ],
    }


def save_fingerprint_file(path: str | Path, named_sets: Iterable[tuple[str, Mapping[str, Iterable[str]]]],
                          *, key: str | None) -> None:
    """Write fingerprints (never values) to a JSON file for a later `--against`."""
    payload = dump_sets(named_sets, key=key)
    try:
        Path(path).write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
    except OSError as err:
        raise LeakwatchError(f"The fingerprint file could not be written ({err.strerror or 'write error'}).",
                             code="unwritable") from None


def parse_sets(data: Any, *, key: str | None) -> list[tuple[str, FingerprintSet]]:
    """Validate a loaded fingerprint file; one plain sentence when it is not one."""
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise UnreadableContent("This is not a Leakwatch fingerprint file (made with --export-fingerprints).")
    if data.get("version") != FILE_VERSION:
        raise UnreadableContent(f"This fingerprint file has version {data.get('version')!r}; this Leakwatch reads version {FILE_VERSION}.")
    if data.get("key_id") != key_id(key):
        raise UnreadableContent(
            "This fingerprint file was made with a different fingerprint key, so nothing could ever match: "
            "use the same FINGERPRINT_KEY (or --fingerprint-key) as when it was exported "
            "(without one, every run uses a new random key).",
            code="key_mismatch",
        )
    sets = data.get("sets")
    if not isinstance(sets, list):
        raise UnreadableContent("This fingerprint file has no list of sets.")
    result = []
    for index, entry in enumerate(sets, start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("fingerprints"), dict):
            raise UnreadableContent(f"Set {index} of this fingerprint file is malformed.")
        label = str(entry.get("label") or f"set {index}")[:200]
        fps: FingerprintSet = {}
        for kind, values in entry["fingerprints"].items():
            if not isinstance(values, list) or not all(isinstance(v, str) and _HEX64.match(v) for v in values):
                raise UnreadableContent(f"Set {index} of this fingerprint file has a malformed list for one type.")
            fps[str(kind)] = set(values)
        result.append((label, fps))
    return result


def load_fingerprint_file(path: str | Path, *, key: str | None) -> list[tuple[str, FingerprintSet]]:
    """Read a file written by `save_fingerprint_file`; a LeakwatchError with one sentence otherwise."""
    file = Path(path)
    try:
        if not file.is_file():
            raise UnreadableContent("The fingerprint file must be a regular file written by --export-fingerprints.")
        with file.open("rb") as handle:
            # read one byte past the limit: a file that grows while we read is still bounded
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise UnreadableContent(f"This fingerprint file is over the {MAX_FILE_BYTES:,}-byte limit.")
        data = json.loads(raw.decode("utf-8"))
    except OSError as err:
        raise UnreadableContent(f"The fingerprint file could not be opened ({err.strerror or 'read error'}).") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise UnreadableContent("The fingerprint file is not valid JSON.") from None
    return parse_sets(data, key=key)


# -- the command line: --against FILE and --export-fingerprints FILE --------------------------------

def gate_fingerprints(reports: list[Report], key: str | None, *, against: str | None = None,
                      export: str | None = None) -> bool:
    """Compare reports with a fingerprint file (a match is noted in the report) and/or write
    theirs. Returns True when a report carries a known leak again."""
    if not key:
        raise LeakwatchError("Fingerprint files need a fixed key: set FINGERPRINT_KEY or pass --fingerprint-key "
                             "(the same one when exporting and when comparing).", code="no_key")
    known_leak = False
    if against:
        known = load_fingerprint_file(against, key=key)
        for report in reports:
            candidates = [(label, label, fps) for label, fps in known]
            for found in find_matches(report_fingerprints(report), candidates):
                report.notes.insert(0, f"Known leak seen again: {found.describe_all()}.")
                known_leak = True
    if export:
        save_fingerprint_file(export, [(r.target, report_fingerprints(r)) for r in reports], key=key)
    return known_leak
