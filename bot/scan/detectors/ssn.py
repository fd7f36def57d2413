"""SSN: US Social Security Number, by the SSA's issuance rules.

Never area 000, 666 or 900-999, group 00, serial 0000, nor the known advertising/sample numbers
(same rules as python-stdnum's `us.ssn`, inlined for speed; a test keeps them in step). The dashed
form "123-45-6789" speaks for itself; bare or spaced 9 digits need a header or nearby word.
Normalized: the 9 digits.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import BLANK, GOVERNMENT_ID, Detector, full_pattern, line_pattern

#: the SSA rules as one expression: no area 000, 666 or 9xx, no group 00, no serial 0000
_RULES = r"(?!000|666|9)\d{{3}}{sep}(?!00)\d{{2}}{sep}(?!0000)\d{{4}}"
_DASHED_BODY = _RULES.format(sep="-")
_LOOSE_BODY = _RULES.format(sep=f"(?:[-.]|{BLANK})?")
_DASHED, _LOOSE = full_pattern(_DASHED_BODY), full_pattern(_LOOSE_BODY)
_DASHED_LINES, _LOOSE_LINES = line_pattern(_DASHED_BODY), line_pattern(_LOOSE_BODY)
_NOT_DIGIT = re.compile(r"\D")
#: the SSA rules spelled out without lookaheads for RE2 (plain.py): area 001-899 but 666,
#: group 01-99, serial 0001-9999, in ASCII digits
_PLAIN_RULES = (r"(?:00[1-9]|0[1-9][0-9]|[1-578][0-9][0-9]|6[0-57-9][0-9]|66[0-57-9]){sep}"
                r"(?:0[1-9]|[1-9][0-9]){sep}(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9][0-9]|[1-9][0-9][0-9][0-9])")
_PLAIN_DASHED, _PLAIN_LOOSE = _PLAIN_RULES.format(sep="-"), _PLAIN_RULES.format(sep="[-. ]?")
#: numbers printed in advertising (wallet inserts) and SSA samples (python-stdnum's blacklist)
#: published sample numbers (the Woolworth wallet card, SSA's ads, "123-45-6789"): never a person's
KNOWN_SAMPLES = frozenset({"078051120", "457555462", "219099999", "123456789"})


class SSN(Detector):
    type = "SSN"
    category = GOVERNMENT_ID
    label = "Social Security numbers"
    key_rank = 1
    prose_rank = 3
    self_evident = True
    headerless = True
    header_phrases = (
        "ssn", "ssn #", "ss #", "ss no", "ss num", "social", "social security",
        "social security number", "social security no", "soc sec", "seguro social",
        "numero de seguro social", "nss",
    )
    context_words = ("SSN", "SSNs", "social security", "Soc. Sec.", "SS#", "seguro social",
                     "número de seguro social", "numero de seguro social")
    text_pattern = re.compile(r"(?<![\w-])\d{3}[-\s.]?\d{2}[-\s.]?\d{4}(?![\w-])")
    value_only_rate = 0.8
    confidence = 0.9

    def parse(self, text: str, *, context: bool) -> str | None:
        match = (_LOOSE if context else _DASHED).fullmatch(text)
        return _finish(match.group(1)) if match else None

    def parse_cell(self, cell, *, context: bool) -> str | None:
        """An SSN stored as a number lost its leading zeros (012-34-5678 -> 12345678): pad it back."""
        if context and type(cell) is int and 1_000_000 <= cell < 1_000_000_000:
            return self.parse(f"{cell:09d}", context=True)
        return super().parse_cell(cell, context=context)

    def batch_kernel(self, *, context: bool):
        return (_LOOSE_LINES if context else _DASHED_LINES), _finish_all

    def plain_line(self, *, context: bool) -> str | None:
        return _PLAIN_LOOSE if context else _PLAIN_DASHED


def _finish(matched: str) -> str | None:
    digits = _NOT_DIGIT.sub("", matched)
    return None if digits in KNOWN_SAMPLES else digits


def _finish_all(matched: list[str], texts: list[str]) -> list[str | None]:
    joined = "\n".join(matched)
    if "-" in joined:
        joined = joined.replace("-", "")
    digits = joined.split("\n")
    if joined.isascii() and not _NOT_DIGIT_LINE.search(joined) and KNOWN_SAMPLES.isdisjoint(digits):
        return [d or None for d in digits]  # the usual chunk: dashes (if any) were the only non-digits
    return [d if d is None or (d.isdigit() and d not in KNOWN_SAMPLES) else _finish(m)
            for d, m in zip((m.replace("-", "") if m else None for m in matched), matched, strict=True)]


#: a character of a chunk's lines other than an ASCII digit
_NOT_DIGIT_LINE = re.compile(r"[^0-9\n]")


DETECTOR = SSN()
