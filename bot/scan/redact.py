"""Mask values in the words a report uses to name places.

Places and reasons are built from sheet names, column headers, JSON keys, archive entry names
and table captions, and those are content too: a sheet per person named with the person's SSN, a
JSON object keyed by name, `Maria Lopez A123456789.pdf` inside a zip. Before a report leaves the
parse child, every such text is checked and the values in it masked like samples:

- identifiers whose form speaks for itself (A-123-456-789, 123-45-6789, an e-mail address...);
- any run of up to four words that is a value this scan found (compared by fingerprint);
- runs of two to four words that read as a person's name on their own;
- labels the readers took from the content (sheet names, archive entry names:
  `Document.content_labels`) that look like a person's name (`labels.personal_label`): a sheet
  named after someone not in the name lists.

The name of the file the user typed or uploaded (`as_typed`) is theirs, not content: it is shown
as it is wherever it appears ("big.csv column ..."); the text around it is redacted as above.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.scan.detectors import REGISTRY
from bot.scan.prose import PROSE_TYPES
from bot.scan.readers.labels import personal_label
from bot.scan.report import Report, fingerprint, mask

#: words of a label: letters, digits and the marks inside names and ids ("O'Neil", "A-12", "x.csv")
_TOKEN = re.compile(r"[\w@+'’-]+(?:\.[\w@+'’-]+)*")
_MAX_WORDS = 4
_JOINERS = re.compile(r"[_.-]")


def redact_report(report: Report, key: bytes, content_labels: Iterable[str] = (), as_typed: str = "") -> None:
    """Mask values in `where`, `reasons`, `notes` and the places of `skipped`, in place."""
    found = {f.type: frozenset(f.fingerprints) for f in report.findings}
    labels = _labels_pattern(content_labels)

    def redact_piece(text: str) -> str:
        return redact_text(_mask_labels(text, labels), found, key)

    def redact_all(text: str) -> str:
        if not as_typed or as_typed not in text:
            return redact_piece(text)
        return as_typed.join(redact_piece(piece) if piece else piece for piece in text.split(as_typed))

    redact = lru_cache(maxsize=1024)(redact_all)
    for finding in report.findings:
        finding.where = [redact(text) for text in finding.where]
    report.reasons = [redact(text) for text in report.reasons]
    report.notes = [redact(text) for text in report.notes]
    report.skipped = [{**item, "where": redact(item["where"])} for item in report.skipped]


def _labels_pattern(content_labels: Iterable[str]) -> re.Pattern | None:
    """One pattern for every content label that may be a name, longest first, as whole words."""
    labels = sorted({label for label in content_labels if personal_label(label)}, key=len, reverse=True)
    if not labels:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, labels)) + r")(?!\w)")


def _mask_labels(text: str, labels: re.Pattern | None) -> str:
    return text if labels is None else labels.sub(lambda match: mask(match.group()), text)


def redact_text(text: str, found: dict[str, frozenset[str]], key: bytes) -> str:
    spans = []
    # file names join words with "_", "-" and ".": read them also as spaces (same length, same spans)
    for variant in {text, _JOINERS.sub(" ", text)}:
        spans += _identifier_spans(variant, found, key) + _word_spans(variant, found, key)
    if not spans:
        return text
    out, last = [], 0
    for start, end in _merged(spans):
        out += [text[last:start], mask(text[start:end])]
        last = end
    out.append(text[last:])
    return "".join(out)


def _identifier_spans(text: str, found: dict[str, frozenset[str]], key: bytes) -> list[tuple[int, int]]:
    spans = []
    for type_name in PROSE_TYPES:
        detector = REGISTRY[type_name]
        for candidate in detector.find(text):
            if candidate.strong or fingerprint(type_name, candidate.normalized, key) in found.get(type_name, ()):
                spans.append((candidate.start, candidate.end))
    return spans


def _word_spans(text: str, found: dict[str, frozenset[str]], key: bytes) -> list[tuple[int, int]]:
    words = list(_TOKEN.finditer(text))
    names = REGISTRY["PERSON_NAME"]
    spans = []
    for first in range(len(words)):
        for last in range(first, min(first + _MAX_WORDS, len(words))):
            start, end = words[first].start(), words[last].end()
            piece = text[start:end]
            if last > first and piece[0].isupper() and names.parse(piece, context=False):
                spans.append((start, end))
                continue
            for type_name, fingerprints in found.items():
                normalized = REGISTRY[type_name].parse(piece, context=True) if type_name in REGISTRY else None
                if normalized and fingerprint(type_name, normalized, key) in fingerprints:
                    spans.append((start, end))
                    break
    return spans


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]
