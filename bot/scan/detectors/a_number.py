"""A_NUMBER: the US Alien Registration Number (A-number), 7 to 9 digits after an "A".

Rule: "A" followed by 7-9 digits, with or without dashes, spaces, "#" ("A-12-345-678",
"A 123 456 789", "A123456789", "A#123456789") speaks for itself. A bare 8-9 digit number (text or
an int cell) counts only where the column header or nearby words say A-number. Normalized: digits
left-padded with zeros to 9. Sample: "A•••••5678".
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_PREFIXED = re.compile(r"\s*A\s*[-#:.]?\s*((?:\d[-\s]?){6,8}\d)\s*", re.IGNORECASE)
_BARE = re.compile(r"\s*((?:\d[-\s]?){7,8}\d)\s*")
_SEPARATORS = re.compile(r"[-\s]")


class ANumber(Detector):
    type = "A_NUMBER"
    category = GOVERNMENT_ID
    mask_prefix = "A"
    header_phrases = (
        "a number", "a #", "a no", "a num", "a nbr", "anumber", "anum", "a file", "a file number",
        "alien", "alien number", "alien no", "alien registration", "alien reg", "alien #",
        "uscis #", "uscis number", "uscis no", "uscis num", "registration number",
        "numero a", "num a", "no a", "numero de extranjero", "numero de registro de extranjero",
    )
    context_words = (
        "A-number", "A-numbers", "A number", "A#", "A-No", "alien number", "alien registration",
        "alien no", "USCIS number", "USCIS#", "A-file", "número A", "numero A",
        "número de extranjero", "numero de extranjero", "registro de extranjero",
    )
    text_pattern = re.compile(
        r"(?<![\w#-])(?:A\s?[-#:.]?\s?(?:\d[-\s]?){6,8}\d|\d{2,3}[-\s]?\d{3}[-\s]?\d{3})(?![\w-])",
        re.IGNORECASE,
    )
    value_only_rate = 0.8
    confidence = 0.95

    def parse(self, text: str, *, context: bool) -> str | None:
        match = _PREFIXED.fullmatch(text)
        if match:
            digits = _SEPARATORS.sub("", match.group(1))
        elif context:
            match = _BARE.fullmatch(text)
            if not match:
                return None
            digits = _SEPARATORS.sub("", match.group(1))
            if len(digits) < 8:
                return None
        else:
            return None
        if not 7 <= len(digits) <= 9 or digits.count("0") == len(digits):
            return None
        return digits.zfill(9)


DETECTOR = ANumber()
