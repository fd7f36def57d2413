"""USCIS_RECEIPT: a USCIS case receipt number: a service-center code (IOE, EAC, WAC, LIN, SRC, NBC,
MSC, YSC) and 10 digits ("EAC2190012345"). Speaks for itself.
Normalized: upper case, spaces and dashes removed.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

_RECEIPT = re.compile(r"\s*(IOE|EAC|WAC|LIN|SRC|NBC|MSC|YSC)[-\s]?(\d{10})\s*", re.IGNORECASE)


class UscisReceipt(Detector):
    type = "USCIS_RECEIPT"
    category = GOVERNMENT_ID
    label = "USCIS receipt numbers"
    key_rank = 6
    prose_rank = 1
    self_evident = True
    headerless = True
    header_phrases = ("receipt", "receipt number", "receipt no", "receipt #", "uscis receipt",
                      "case receipt", "numero de recibo", "recibo")
    context_words = ("receipt", "receipt number", "USCIS", "recibo", "número de recibo")
    text_pattern = re.compile(r"(?<![\w-])(?:IOE|EAC|WAC|LIN|SRC|NBC|MSC|YSC)[-\s]?\d{10}(?![\w-])", re.IGNORECASE)
    value_only_rate = 0.8
    confidence = 0.97

    def parse(self, text: str, *, context: bool) -> str | None:
        match = _RECEIPT.fullmatch(text)
        return (match.group(1).upper() + match.group(2)) if match else None


DETECTOR = UscisReceipt()
