"""IBAN: an International Bank Account Number, checked with mod 97 (python-stdnum's `iban`).

Speaks for itself. Normalized: upper case, spaces and dashes removed.
"""

from __future__ import annotations

import re

from stdnum import iban as stdnum_iban

from bot.scan.detectors.base import FINANCIAL, Detector

_SHAPE = re.compile(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}")
_SEP = re.compile(r"[-\s]")


class IBAN(Detector):
    type = "IBAN"
    category = FINANCIAL
    label = "IBANs"
    key_rank = 9
    prose_rank = 6
    self_evident = True
    headerless = True
    header_phrases = ("iban", "iban number", "bank account", "numero iban", "cuenta bancaria",
                      "international bank account number")
    context_words = ("IBAN", "bank account", "cuenta bancaria", "cuenta", "account")
    text_pattern = re.compile(r"(?<![\w-])[A-Z]{2}\d{2}(?:[\s-]?[A-Z0-9]{4}){2,7}(?:[\s-]?[A-Z0-9]{1,3})?(?![\w-])",
                              re.IGNORECASE)
    value_only_rate = 0.8
    confidence = 0.97

    def parse(self, text: str, *, context: bool) -> str | None:
        compact = _SEP.sub("", text.strip()).upper()
        if not _SHAPE.fullmatch(compact):
            return None
        try:  # ISO 13616: the country's length and format, and mod 97; no local list of bank codes
            stdnum_iban.validate(compact, check_country=False)
        except ValueError:
            return None
        return compact


DETECTOR = IBAN()
