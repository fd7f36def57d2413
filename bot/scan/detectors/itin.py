"""ITIN: US Individual Taxpayer Identification Number.

9xx-GG-xxxx where the group GG is 50-65, 70-88, 90-92 or 94-99 (the ranges the IRS issues; python-stdnum
still lacks 50-65).
The dashed form speaks for itself; bare 9 digits need a header or nearby word. Normalized: digits.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_DASHED = re.compile(r"\s*(9\d{2})-(\d{2})-(\d{4})\s*")
_LOOSE = re.compile(r"\s*(9\d{2})[-\s.]?(\d{2})[-\s.]?(\d{4})\s*")
#: the group numbers the IRS issues: 50-65 (since 2011), 70-88, 90-92 and 94-99
_GROUPS = frozenset(
    [str(g) for g in range(50, 66)] + [str(g) for g in range(70, 89)] + ["90", "91", "92"]
    + [str(g) for g in range(94, 100)]
)


class ITIN(Detector):
    type = "ITIN"
    category = GOVERNMENT_ID
    label = "ITINs"
    key_rank = 2
    prose_rank = 4
    self_evident = True
    headerless = True
    header_phrases = ("itin", "itin #", "taxpayer id", "taxpayer identification", "tax id", "tin",
                      "numero de identificacion personal del contribuyente", "numero itin")
    context_words = ("ITIN", "taxpayer identification", "tax ID", "número ITIN", "contribuyente")
    text_pattern = re.compile(r"(?<![\w-])9\d{2}[-\s.]?\d{2}[-\s.]?\d{4}(?![\w-])")
    value_only_rate = 0.8
    confidence = 0.9

    def parse(self, text: str, *, context: bool) -> str | None:
        match = (_LOOSE if context else _DASHED).fullmatch(text)
        if not match or match.group(2) not in _GROUPS:
            return None
        return "".join(match.groups())


DETECTOR = ITIN()
