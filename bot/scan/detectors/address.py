"""ADDRESS: a street address: a house number and a street word ("1420 Elm Street", "Calle 5 #12-30",
"Av. Reforma 222").

In a column headed address / dirección / domicilio any value with a number and a word counts; in
prose the number + street-type form is needed, and it is reported only beside a person.
Normalized: NFKC, lower case, punctuation folded.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import CONTACT, Detector, text_normalized

_STREET_TYPES = (
    r"street|st|avenue|ave|av|road|rd|boulevard|blvd|drive|dr|lane|ln|court|ct|way|place|pl|"
    r"terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|trail|trl|loop|row|plaza"
)
_ADDRESS = re.compile(
    rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Za-zÀ-ÿ0-9.'-]+\s+){{0,4}}(?:{_STREET_TYPES})\b\.?"
    rf"|\b(?:calle|avenida|av\.|carrera|cra\.?|camino|paseo|calzada|colonia|rue|boulevard)\s+[A-Za-zÀ-ÿ0-9 .'-]{{1,40}}?#?\s?\d{{1,5}}(?:\s?-\s?\d{{1,4}})?\b",
    re.IGNORECASE,
)
_HAS_DIGIT_AND_WORD = re.compile(r"(?=.*\d)(?=.*[^\W\d_]{2,})", re.DOTALL)


class Address(Detector):
    type = "ADDRESS"
    category = CONTACT
    label = "addresses"
    soft_identity = True
    prose_attribute = True
    identifies_person = False
    header_phrases = ("address", "street address", "home address", "mailing address", "residence",
                      "residential address", "addr", "street", "direccion", "domicilio",
                      "direccion de residencia", "direccion postal", "calle", "adresse", "endereco",
                      "last known address", "address line 1", "address 1",
        "adresse postale", "domicile", "endereço", "morada", "adrès", "адрес", "адреса",
        "العنوان", "địa chỉ", "पता", "地址", "住所", "주소", "adres", "alamat", "anwani", "anschrift",
        "indirizzo",
    )
    context_words = ("lives at", "living at", "resides at", "residing at", "address", "home",
                     "domicilio", "dirección", "direccion", "vive en", "reside en", "residencia")
    text_pattern = _ADDRESS
    confidence = 0.75

    def parse(self, text: str, *, context: bool) -> str | None:
        text = text.strip()
        if not 5 <= len(text) <= 200:
            return None
        if context:
            if not _HAS_DIGIT_AND_WORD.match(text):
                return None
        elif not _ADDRESS.search(text):
            return None
        return text_normalized(text)


DETECTOR = Address()
