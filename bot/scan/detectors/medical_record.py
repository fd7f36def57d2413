"""MEDICAL_RECORD: a medical record number (MRN), only where a header or nearby word says so.

Shape: 5-15 letters/digits/dashes with at least 5 digits. Normalized: upper case, spaces and dashes
removed (like other document numbers).
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import HEALTH, Detector

_SHAPE = re.compile(r"[A-Z]{0,4}\d{5,15}[A-Z]?")
_SEP = re.compile(r"[-\s]")


class MedicalRecord(Detector):
    type = "MEDICAL_RECORD"
    category = HEALTH
    label = "medical record numbers"
    key_rank = 7
    prose_rank = 9
    header_phrases = ("mrn", "medical record", "medical record number", "medical record no",
                      "patient id", "patient number", "health record", "chart number",
                      "expediente medico", "expediente clinico", "historia clinica", "numero de historia clinica")
    context_words = ("MRN", "medical record", "patient ID", "chart", "expediente médico",
                     "expediente clínico", "historia clínica")
    text_pattern = re.compile(r"(?<![\w-])[A-Z]{0,4}[-\s]?\d[\d-]{4,16}\d(?![\w-])", re.IGNORECASE)
    always_needs_context = True
    confidence = 0.8

    def parse(self, text: str, *, context: bool) -> str | None:
        if not context:
            return None
        compact = _SEP.sub("", text.strip()).upper()
        if not 5 <= len(compact) <= 16 or not _SHAPE.fullmatch(compact):
            return None
        return compact


DETECTOR = MedicalRecord()
