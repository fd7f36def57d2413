"""I94: an I-94 admission (arrival/departure record) number: 11 characters, either 11 digits or
9 digits, a letter and a digit (the 2013+ format). Only where a header or nearby word says I-94.
Normalized: upper case, spaces and dashes removed.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_SHAPE = re.compile(r"\d{11}|\d{9}[A-Z]\d")
_SEP = re.compile(r"[-\s]")


class I94(Detector):
    type = "I94"
    category = GOVERNMENT_ID
    label = "I-94 numbers"
    key_rank = 4
    prose_rank = 8
    header_phrases = ("i 94", "i94", "i 94 number", "i 94 no", "admission number", "admission record",
                      "arrival record", "arrival departure record", "numero i 94", "registro de admision")
    context_words = ("I-94", "I94", "admission number", "arrival record", "arrival/departure record",
                     "número de admisión", "registro de entrada")
    text_pattern = re.compile(r"(?<![\w-])(?:\d{11}|\d{9}[A-Z]\d)(?![\w-])", re.IGNORECASE)
    always_needs_context = True
    confidence = 0.85

    def parse(self, text: str, *, context: bool) -> str | None:
        if not context:
            return None
        compact = _SEP.sub("", text.strip()).upper()
        return compact if _SHAPE.fullmatch(compact) and compact.strip("0") else None


DETECTOR = I94()
