"""The words around a candidate in a line of prose, and what they say it is.

A bare form (nine digits) counts only with one of its detector's context words within WINDOW
characters (`has_context`); a catalog or ledger word right before a value ("Part no.", "Invoice #",
"Ticket") says it is something else (`catalog_label`); an office's words near a phone make it the
office's line (`org_window`); and where two readings overlap, the longer valid identifier or the
one its own word labels more closely wins (`relabel`). Pure functions of the line; prose.py
decides what counts.
"""

from __future__ import annotations

import re

from bot.scan.columns import CATALOG_WORDS
from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import Candidate, Detector
from bot.scan.detectors.phone import ORG_CONTEXT

#: characters around a candidate searched for its context words
WINDOW = 60
#: a catalog or ledger word (columns.CATALOG_WORDS), then at most "no." / "#" / ":", right before a value
_CATALOG_BEFORE = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, CATALOG_WORDS), key=len, reverse=True)) +
    r")s?\s*(?:no\.?|number|num\.?|n[°º]|#)?\s*[:#.]?\s*\Z", re.IGNORECASE)  # "Work orders 2024-..."


def catalog_label(detector: Detector, line: str, start: int) -> bool:
    """A catalog or ledger word labels the value right before it ("Part no.", "Invoice #", "Ticket"),
    and the value's own type is not named closer."""
    label = _CATALOG_BEFORE.search(line[max(0, start - 30):start])
    if label is None:
        return False
    own = _label_distance(detector, line, start)
    return own is None or own > len(line[max(0, start - 30):start]) - label.start()


def _label_distance(detector: Detector, line: str, start: int) -> int | None:
    """Characters between the nearest context word before `start` (within WINDOW) and it."""
    if detector.context_re is None:
        return None
    window = line[max(0, start - WINDOW):start]
    labels = list(detector.context_re.finditer(window))
    return len(window) - labels[-1].end() if labels else None


def relabel(detector: Detector, line: str, candidate: Candidate, claimed: list, hits: list) -> bool:
    """True (and the overlapping hits dropped) when this candidate is the better reading of the
    span: a longer valid identifier holding the ones found inside it (an IBAN, not the card
    number in its digits), or one whose own word labels it more closely ("Passport: A1...")."""
    taken = [h for h in hits if h.start < candidate.end and candidate.start < h.end]
    if not taken:
        return False
    longer = all(candidate.start <= h.start and h.end <= candidate.end for h in taken) and \
        candidate.end - candidate.start > max(h.end - h.start for h in taken)
    if not longer:
        mine = _label_distance(detector, line, candidate.start)
        if mine is None or any((_label_distance(REGISTRY[h.type], line, h.start) or WINDOW + 1) <= mine
                               for h in taken):
            return False
    for hit in taken:
        hits.remove(hit)
        claimed.remove((hit.start, hit.end))
    return True


def has_context(detector: Detector, text: str, candidate: Candidate, offset: int) -> bool:
    """A context word of the detector within WINDOW of the candidate (`offset`: where the line starts
    in `text`, the line above and this one), before it where the label must come first."""
    start = offset + candidate.start
    if not detector.context_before:
        return detector.has_context(text[max(0, start - WINDOW):offset + candidate.end + WINDOW])
    # the label names the value right after it: another value between them took it
    window = text[max(offset if detector.context_same_line else 0, start - WINDOW):start]
    labels = list(detector.context_re.finditer(window)) if detector.context_re else []
    return bool(labels) and detector.text_pattern.search(window, labels[-1].end()) is None


def org_window(line: str, candidate: Candidate) -> bool:
    """An office's word ("Main switchboard", "press office") near a phone number: the office's line."""
    window = line[max(0, candidate.start - WINDOW):candidate.end + 20]
    return bool(ORG_CONTEXT.search(window))
