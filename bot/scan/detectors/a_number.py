"""A_NUMBER: the US Alien Registration Number (A-number), 7 to 9 digits after an "A".

Rule: "A" followed by 7-9 digits, with or without dashes, spaces, "#" ("A-12-345-678",
"A 123 456 789", "A123456789", "A#123456789") speaks for itself. A bare 8-9 digit number (text or
an int cell) counts only where the column header or nearby words say A-number. One digit repeated
("A000000000", "A111111111") and counting runs ("A-12-345-678", "A987654321") are placeholders in
forms and docs, not numbers anyone holds. Normalized: digits left-padded with zeros to 9.
Sample: "A•••••5678".
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import BLANK, GOVERNMENT_ID, Detector, full_pattern, line_pattern

_SEP = rf"(?:-|{BLANK})"
_PREFIXED_BODY = rf"[Aa]{BLANK}*[-#:.]?{BLANK}*(?:\d{_SEP}?){{6,8}}\d"
_BARE_BODY = rf"(?:\d{_SEP}?){{7,8}}\d"
_PREFIXED, _ANY = full_pattern(_PREFIXED_BODY), full_pattern(f"{_PREFIXED_BODY}|{_BARE_BODY}")
_PREFIXED_LINES, _ANY_LINES = line_pattern(_PREFIXED_BODY), line_pattern(f"{_PREFIXED_BODY}|{_BARE_BODY}")
_NOT_DIGIT = re.compile(r"\D")
#: counting runs are the placeholders of forms, manuals and docs ("A-12-345-678"), never issued
_PLACEHOLDERS = frozenset(
    run[start:start + size]
    for run in ("0123456789", "9876543210")
    for size in (7, 8, 9)
    for start in range(0, 11 - size)
)


class ANumber(Detector):
    type = "A_NUMBER"
    category = GOVERNMENT_ID
    label = "A-numbers"
    key_rank = 0
    prose_rank = 0
    self_evident = True
    headerless = True
    mask_prefix = "A"
    header_phrases = (
        "a number", "a #", "a no", "a num", "a nbr", "anumber", "anum", "a file", "a file number",
        "alien", "alien number", "alien no", "alien registration", "alien reg", "alien #",
        "uscis #", "uscis number", "uscis no", "uscis num", "registration number",
        "numero a", "num a", "no a", "numero de extranjero", "numero de registro de extranjero",
        "n° étranger", "numéro a", "numéro d'étranger", "no étranger", "número a", "número de estrangeiro",
        "nimewo a", "номер a", "номер иностранца", "رقم a", "số a", "a नंबर", "a号码", "a file no",
        "alien reg no", "a reg", "a reg no", "reg a", "a nr", "a n°", "a nº", "nº a", "n° a",
        "alien file", "a file #",
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
        match = (_ANY if context else _PREFIXED).fullmatch(text)
        return _finish(match.group(1)) if match else None

    def parse_cell(self, cell, *, context: bool) -> str | None:
        """A number cell under an A-number header: 7 to 9 digits once its lost zeros are counted."""
        if context and type(cell) is int:
            digits = str(cell)
            return digits.zfill(9) if 1_000_000 <= cell < 1_000_000_000 and not _placeholder(digits) else None
        return super().parse_cell(cell, context=context)

    def batch_kernel(self, *, context: bool):
        return (_ANY_LINES if context else _PREFIXED_LINES), _finish_all


def _finish(matched: str) -> str | None:
    """7-9 digits after an "A", 8-9 bare; never one digit repeated or a counting run; padded to 9."""
    digits = _NOT_DIGIT.sub("", matched)
    if len(digits) < (7 if matched[0] in "Aa" else 8) or _placeholder(digits):
        return None
    return digits.zfill(9)


def _placeholder(digits: str) -> bool:
    return digits.strip(digits[0]) == "" or digits.lstrip("0") in _PLACEHOLDERS


def _finish_all(matched: list[str], texts: list[str]) -> list[str | None]:
    return [_finish(m) if m else None for m in matched]


DETECTOR = ANumber()
