"""Word lists shipped with the scanner (no downloads at run time).

* first_names.txt / surnames.txt: given and family names in Latin letters across origins
  (Spanish, Portuguese, Persian, Arabic, Chinese, Russian, Indian, Haitian, Vietnamese,
  African, English...), written for this project.
* demonyms.txt: demonyms and common short country names in English, Spanish and French.
* Country names and their translations come from pycountry (a runtime dependency).

Every entry is stored folded (accents removed, lower case) so lookups are one set membership.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent
_FOLD = re.compile(r"[^a-z0-9]+")

#: pycountry translations read for country names (Latin-script languages of the people concerned)
COUNTRY_LANGUAGES = ("es", "fr", "pt", "ht", "de", "it")


def strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation folded to single spaces."""
    return " ".join(_FOLD.sub(" ", strip_accents(text).lower()).split())


def _words(filename: str) -> frozenset[str]:
    words: set[str] = set()
    for line in (_HERE / filename).read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for word in line.split():
            words.add(fold(word).replace(" ", "-") if "-" in word else fold(word))
    return frozenset(w for w in words if w)


@cache
def first_names() -> frozenset[str]:
    return _words("first_names.txt")


@cache
def surnames() -> frozenset[str]:
    return _words("surnames.txt")


@cache
def country_terms() -> frozenset[str]:
    """Folded country names (official, common, translated) and demonyms."""
    import pycountry  # imported lazily: it is only needed once a nationality column is seen

    terms: set[str] = set()
    names: list[str] = []
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.append(value)
    translated: list[str] = []
    for language in COUNTRY_LANGUAGES:
        try:
            translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        except OSError:
            continue
        translated.extend(translation.gettext(name) for name in names)
    for name in names + translated:
        terms.add(fold(name))
        if "," in name:  # "Iran, Islamic Republic of" -> "Iran"
            terms.add(fold(name.split(",", 1)[0]))
    for line in (_HERE / "demonyms.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        terms.update(fold(term) for term in line.split(","))
    terms.discard("")
    return frozenset(terms)
