"""SSN: US Social Security Number, by the SSA's issuance rules.

Never area 000, 666 or 900-999, group 00, serial 0000, nor the known advertising/sample numbers
(same rules as python-stdnum's `us.ssn`, inlined for speed; a test keeps them in step). The dashed
form "123-45-6789" speaks for itself; bare or spaced 9 digits need a header or nearby word.
Normalized: the 9 digits.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_DASHED = re.compile(r"\s*(\d{3})-(\d{2})-(\d{4})\s*")
_LOOSE = re.compile(r"\s*(\d{3})[-\s.]?(\d{2})[-\s.]?(\d{4})\s*")
#: numbers printed in advertising (wallet inserts) and SSA samples (python-stdnum's blacklist)
KNOWN_SAMPLES = frozenset({"078051120", "457555462", "219099999"})


def issued_shape(area: str, group: str, serial: str) -> bool:
    return not (area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000")


class SSN(Detector):
    type = "SSN"
    category = GOVERNMENT_ID
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
        if not match:
            return None
        area, group, serial = match.groups()
        if not issued_shape(area, group, serial):
            return None
        digits = area + group + serial
        return None if digits in KNOWN_SAMPLES else digits


DETECTOR = SSN()
