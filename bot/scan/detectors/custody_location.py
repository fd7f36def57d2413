"""CUSTODY_LOCATION: where a person is held: a detention facility, processing center, jail.

In a column headed "Detention Facility", "Facility", "Detention Center", "Processing Center",
"Jail", "Custody Location", "Centro de detención"... each facility name counts, but only in a table
about people (an aggregate table by facility is not anyone's location). In prose, a facility name
("Otay Mesa Detention Center", "Krome Service Processing Center", "Centro de Detención ...")
counts beside a person. Normalized: NFKC, lower case, punctuation folded.
"""

from __future__ import annotations

import re

from bot.scan.detectors.base import CUSTODY, Detector, text_normalized

_FACILITY_WORDS = (r"detention\s+(?:center|centre|facility)|processing\s+(?:center|centre)|"
                   r"correctional\s+(?:center|facility|institution)|county\s+jail|jail|"
                   r"detention|prison|penitentiary|holding\s+facility|staging\s+facility|"
                   r"family\s+residential\s+center|service\s+processing\s+center")
_FACILITY_IN_PROSE = re.compile(
    rf"(?:\b[A-Z][\w'.-]*\s+){{1,5}}(?i:{_FACILITY_WORDS})\b"
    r"|\b(?:Centro\s+de\s+Detenci[oó]n|Estaci[oó]n\s+Migratoria|C[aá]rcel|Centro\s+de\s+Procesamiento)"
    r"(?:\s+(?:de\s+|del\s+)?[A-Z][\w'.-]*){1,5}",
)
_LETTERS = re.compile(r"[^\W\d_]{3,}")


class CustodyLocation(Detector):
    type = "CUSTODY_LOCATION"
    category = CUSTODY
    label = "custody locations"
    shared_values = True
    headerless = True
    repeats = True
    prose_attribute = True
    identifies_person = False
    header_phrases = (
        "detention facility", "facility", "facility name", "detention center", "detention location",
        "processing center", "jail", "custody location", "current facility", "housing facility",
        "detained at", "held at", "location of detention", "prison", "detention", "centro de detencion",
        "lugar de detencion", "centro", "carcel", "estacion migratoria", "instalacion", "facility code",
    )
    context_words = ("detained at", "held at", "transferred to", "booked into", "custody", "detention",
                     "detenido en", "detenida en", "trasladado a", "trasladada a", "centro de detención",
                     "bajo custodia")
    text_pattern = _FACILITY_IN_PROSE
    value_only_rate = 0.8
    confidence = 0.8

    def parse(self, text: str, *, context: bool) -> str | None:
        text = text.strip()
        if not 3 <= len(text) <= 120 or not _LETTERS.search(text):
            return None
        if not context and not _FACILITY_IN_PROSE.search(text):
            return None
        return text_normalized(text)


DETECTOR = CustodyLocation()
