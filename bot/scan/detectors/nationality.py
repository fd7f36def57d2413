"""NATIONALITY: a person's country of citizenship or birth, or a demonym.

Values are country names (pycountry's names and their Spanish, French, Portuguese, Haitian
Creole, German and Italian translations) and demonyms (bot/scan/data/demonyms.txt). A column counts
when its header says citizenship, nationality, country of birth/origin, "País", "Nacionalidad"
(or plain "Country"), and only in a table about people: a country column in aggregate statistics
is not anyone's nationality (the analyzer reports attributes only beside a person identifier).
Normalized: NFKC, lower case, punctuation folded.
"""

from __future__ import annotations

from bot.scan.data import country_terms, fold
from bot.scan.detectors.base import NATIONALITY, Detector, text_normalized


class Nationality(Detector):
    type = "NATIONALITY"
    category = NATIONALITY
    label = "nationalities"
    shared_values = True
    headerless = True
    repeats = True
    identifies_person = False
    header_phrases = (
        "nationality", "citizenship", "country of citizenship", "citizenship country", "citizen",
        "country of birth", "birth country", "country of origin", "origin country", "birthplace",
        "place of birth", "country", "nacionalidad", "ciudadania", "pais", "pais de origen",
        "pais de nacimiento", "pais de ciudadania", "lugar de nacimiento", "nationalite", "pays",
        "nationalité", "pays d'origine", "pays de naissance", "nacionalidade", "país de origem",
        "nasyonalite", "peyi", "гражданство", "национальность", "страна", "громадянство", "країна",
        "الجنسية", "البلد", "quốc tịch", "राष्ट्रीयता", "देश", "国籍", "国家", "국적", "uyruk", "kewarganegaraan",
        "uraia", "staatsangehörigkeit", "nazionalità", "cittadinanza",
    )
    context_words = ("citizen of", "national of", "nationality", "citizenship", "born in",
                     "native of", "nacionalidad", "ciudadano", "ciudadana", "nacido en", "nacida en",
                     "originario de", "originaria de", "de nacionalidad")
    value_only_rate = 0.8
    confidence = 0.85

    def parse(self, text: str, *, context: bool) -> str | None:
        if not 2 <= len(text) <= 60 or any(ch.isdigit() for ch in text):
            return None
        if fold(text) not in country_terms():
            return None
        return text_normalized(text)


DETECTOR = Nationality()
