"""SEVIS_ID: a Student and Exchange Visitor Information System ID: "N" and 10 digits
("N0012345678"). Speaks for itself. Normalized: upper case, spaces and dashes removed.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_SEVIS = re.compile(r"\s*N[-\s]?(\d{10})\s*", re.IGNORECASE)


class SevisId(Detector):
    type = "SEVIS_ID"
    category = GOVERNMENT_ID
    label = "SEVIS IDs"
    key_rank = 5
    prose_rank = 2
    self_evident = True
    headerless = True
    header_phrases = ("sevis", "sevis id", "sevis number", "sevis no", "sevis #", "numero sevis")
    context_words = ("SEVIS", "SEVIS ID", "I-20", "F-1", "J-1", "student visa", "visa de estudiante")
    text_pattern = re.compile(r"(?<![\w-])N[-\s]?\d{10}(?![\w-])", re.IGNORECASE)
    value_only_rate = 0.8
    confidence = 0.93

    def parse(self, text: str, *, context: bool) -> str | None:
        match = _SEVIS.fullmatch(text)
        return ("N" + match.group(1)) if match and match.group(1).strip("0") else None


DETECTOR = SevisId()
