"""PASSPORT: a passport number, only where a header or nearby word says passport.

Shape: 6-10 letters/digits with at least 6 digits, at most 2 letters in front and 1 after (US: 9
digits or a letter + 8 digits; most countries 1-2 letters + 6-8 digits; the Philippines P1234567A). Never decided from values alone.
Normalized: upper case, spaces and dashes removed.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import GOVERNMENT_ID, Detector

#: ICAO: up to 9 letters and digits; in practice 0-2 letters, 6-9 digits, sometimes a letter after
#: (Philippines P1234567A)
_SHAPE = re.compile(r"[A-Z]{0,2}\d{6,9}[A-Z]?")
_SEPARATORS = re.compile(r"[-\s]")


class Passport(Detector):
    type = "PASSPORT"
    category = GOVERNMENT_ID
    label = "passport numbers"
    key_rank = 3
    prose_rank = 7
    header_phrases = ("passport", "passport no", "passport number", "passport #", "pasaporte",
                      "numero de pasaporte", "no pasaporte", "travel document", "documento de viaje",
                      "passport num",
        "passeport", "numéro de passeport", "n° passeport", "passaporte", "número do passaporte", "paspò",
        "паспорт", "номер паспорта", "серия и номер паспорта", "جواز السفر", "رقم جواز السفر",
        "hộ chiếu", "số hộ chiếu", "पासपोर्ट", "पासपोर्ट संख्या", "护照", "护照号码", "旅券番号", "여권번호",
        "pasaport", "paspor", "pasipoti", "reisepass", "passaporto",
    )
    context_words = ("passport", "passports", "passport no", "pasaporte", "pasaportes",
                     "travel document", "documento de viaje", "passeport")
    text_pattern = re.compile(r"(?<![\w-])[A-Z]{0,2}[-\s]?\d{6,9}[A-Z]?(?![\w-])", re.IGNORECASE)
    always_needs_context = True
    confidence = 0.8

    def parse(self, text: str, *, context: bool) -> str | None:
        if not context:
            return None
        compact = _SEPARATORS.sub("", text.strip()).upper()
        if not 6 <= len(compact) <= 10 or not _SHAPE.fullmatch(compact):
            return None
        return compact


DETECTOR = Passport()
