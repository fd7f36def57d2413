"""PERSON_NAME: a person's name.

* In a column whose header says name (Name, Full Name, Nombre, Detainee, `person.fullName`...),
  any plausible name shape counts: 1-6 alphabetic tokens with accents, hyphens, apostrophes and
  particles (de, del, van, bin, al-...), "LAST, First", ALL CAPS. Origin does not matter.
* Without a header (headerless columns, prose), a value must look like a name and have at least
  one token in the shipped first-name or surname lists (bot/scan/data), and no word of a place or
  an organisation ("Detention Center", "County"), and must not be a country.
* First and last names split across columns are joined per row by the analyzer (one person).

Normalized: "LAST, First" is read as "First LAST", then NFKC, lower case, punctuation folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from bot.scan.data import country_terms, first_names, fold, surnames
from bot.scan.detectors.base import (
    BLANK,
    NAME,
    Detector,
    batch_lines,
    chunk_texts,
    full_pattern,
    line_pattern,
    text_normalized,
)
from bot.scan.detectors.plain import ODD_LIMIT, found_in, joined_lines, odd_lines

_TOKEN = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?")
PARTICLES = frozenset(["abu", "al", "ben", "bin", "bint", "binti", "da", "das", "de", "de la", "del", "den",
    "der", "di", "do", "dos", "du", "e", "el", "ibn", "la", "las", "le", "los", "mac", "st", "ten", "ter",
    "van", "von", "y"])
#: words that make a capitalized phrase a place, an organisation or a title, not a person
_NOT_NAME_WORDS_TEXT = """
center centre facility facilities detention processing correctional correction corrections county
jail prison institution institute department dept office agency bureau ministry service services inc
llc ltd corp corporation company co group holdings bank university college school hospital clinic
church street st avenue ave road rd boulevard blvd city state states united republic kingdom
federation national international total totals unknown government court district region regional
field program project fund foundation association council committee commission board police sheriff
immigration customs enforcement border patrol homeland security public private general north south
east west northern southern centro detencion carcel prision departamento oficina ministerio servicio
calle avenida ciudad estado republica nacional desconocido hotel airport station port terminal camp
unit pod block dorm wing annex contract contractor staging hold fiscal year month week report table
page sheet appendix figure chart summary data file list monday tuesday wednesday thursday friday
saturday sunday january february march april june july august september october november december
peoples people's democratic islamic plurinational bolivarian socialist arab federal province provincia
llp pllc plc gmbh attorneys lawyers suite
"""
NOT_NAME_WORDS = frozenset(_NOT_NAME_WORDS_TEXT.split())
PLACEHOLDERS = frozenset(["anonymous", "desconocida", "desconocido", "n a", "na", "name", "nil", "no name",
    "nombre", "none", "null", "other", "redacted", "sample", "sin nombre", "tbd", "test", "unknown",
    "various", "withheld", "x", "xx", "xxx",
    # the placeholder people of forms, fixtures and court captions
    "john doe", "jane doe", "john roe", "jane roe", "richard roe", "max mustermann", "erika mustermann",
    "jean dupont", "fulano de tal", "juan perez", "juan pérez", "test user", "sample person", "john q public"])


_WORD = r"[^\W\d_]+(?:['’.-][^\W\d_]+)*\.?"
#: 1-7 words separated by blanks, at most one comma ("LAST, First"): no digits, no @, no /
_SHAPE_BODY = rf"(?![^\n,]*,[^\n,]*,){_WORD}(?:(?:{BLANK}+|{BLANK}*,{BLANK}*){_WORD}){{0,6}}"
_NAME_SHAPE, _NAME_LINES = full_pattern(_SHAPE_BODY), line_pattern(_SHAPE_BODY)
#: the spec's folding ([\W_]+) without crossing a line break, for whole chunks; "_" is left out
#: because a value holding one never passes the name shape
_FOLD_LINES = re.compile(r"[^\w\n]+")


def name_tokens(text: str) -> list[str] | None:
    """The tokens of a plausible name, or None. Commas allowed once ("LAST, First")."""
    if not 2 <= len(text) <= 80 or not _NAME_SHAPE.fullmatch(text):
        return None
    tokens = text.replace(",", " ").split()
    words = [t for t in tokens if t.lower() not in PARTICLES]
    if not 1 <= len(words) <= 6:
        return None
    return tokens


def reorder(text: str) -> str:
    """'LAST, First' -> 'First LAST' so both spellings of a person share one fingerprint."""
    if "," in text:
        last, _, first = text.partition(",")
        if first.strip() and last.strip():
            return f"{first.strip()} {last.strip()}"
    return text


def list_score(tokens: list[str]) -> float:
    """Share of the non-particle tokens found in the name lists."""
    firsts, lasts = first_names(), surnames()
    words = [fold(t) for t in tokens if t.lower() not in PARTICLES]
    if not words:
        return 0.0
    known = sum(1 for w in words if w in firsts or w in lasts or w.replace(" ", "-") in lasts)
    return known / len(words)


def looks_like_org_or_place(tokens: list[str], text: str) -> bool:
    """A place, an organisation or a country ("Otay Mesa Detention Center", "El Salvador").

    A word of a place that is also a name ("West", "King") does not count against it.
    """
    words = [w.strip(".") for w in text.lower().replace(",", " ").split()]
    if not text.isascii():
        words = [fold(w) if not w.isascii() else w for w in words]
    if not NOT_NAME_WORDS.isdisjoint(words):
        firsts, lasts = first_names(), surnames()
        if any(w in NOT_NAME_WORDS and w not in firsts and w not in lasts for w in words):
            return True
    terms = country_terms()
    if len(words) <= 4 and " ".join(words) in terms:
        return True
    # "RUSSIAN FEDERATI", "GUATEMALA CITY": a country word and a cut-off or place word
    return len(words) <= 3 and sum(w in terms for w in words) * 2 >= len(words)


class PersonName(Detector):
    type = "PERSON_NAME"
    category = NAME
    label = "names"
    soft_identity = True
    headerless = True
    header_phrases = (
        "name", "names", "full name", "fullname", "person name", "nombre", "nombres", "nombre completo",
        "apellidos y nombres", "nombre y apellido", "nombres y apellidos", "detainee", "detainee name",
        "applicant", "applicant name", "beneficiary", "beneficiary name", "subject", "subject name",
        "patient", "patient name", "client", "client name", "individual", "person", "employee",
        "employee name", "student", "student name", "passenger", "passenger name", "respondent",
        "respondent name", "noncitizen", "alien name", "interno", "nom", "nome", "petitioner",
        "child name", "minor name", "resident", "resident name", "inmate", "inmate name", "prisoner",
        "recluso", "detenido", "detenida", "persona", "solicitante", "beneficiario",
        # French, Portuguese, Haitian Creole, Russian, Ukrainian, Arabic, Vietnamese, Hindi, Chinese,
        # Japanese, Korean, Turkish, Indonesian, Swahili, German, Italian (folded like headers)
        "nom complet", "nom et prénom", "nom prénom", "nom et prénoms", "nome completo", "non konplè",
        "non ak siyati", "фио", "ф и о", "имя", "полное имя", "фамилия имя отчество", "піб", "прізвище ім'я",
        "повне ім'я", "الاسم", "الاسم الكامل", "اسم", "họ và tên", "họ tên", "नाम", "पूरा नाम", "姓名", "名字",
        "全名", "氏名", "이름", "성명", "ad soyad", "adı soyadı", "isim", "nama", "nama lengkap", "jina",
        "jina kamili", "name vorname", "vollständiger name", "nome e cognome", "nominativo", "noms",
        "nom du détenu", "nome do detido",
    )
    context_words = ("name", "named", "nombre", "llamado", "llamada", "Mr.", "Mrs.", "Ms.", "Sr.", "Sra.")
    value_only_rate = 0.6
    confidence = 0.85

    def parse(self, text: str, *, context: bool) -> str | None:
        tokens = name_tokens(text)
        if tokens is None:
            return None
        normalized = text_normalized(reorder(text))
        if not normalized or normalized in PLACEHOLDERS:
            return None
        if looks_like_org_or_place(tokens, text):
            return None
        if context:
            return normalized
        # no header: it must look like a name (2+ capitalised words) and be in the lists
        words = [t for t in tokens if t.lower() not in PARTICLES]
        if len(words) < 2 or not all(t[0].isupper() for t in words):
            return None
        return normalized if list_score(tokens) >= 0.5 else None

    def column_parser(self, *, context: bool):
        """In a column already judged a name column: shape, placeholders and words of places or
        organisations ("Press office") only (the fast path; no list lookups)."""
        if not context:
            return super().column_parser(context=context)

        def parse_name(text: str) -> str | None:
            if not 2 <= len(text) <= 80 or not _NAME_SHAPE.fullmatch(text):
                return None
            normalized = text_normalized(reorder(text) if "," in text else text)
            if normalized in PLACEHOLDERS or not _org_words().isdisjoint(normalized.split()):
                return None
            return normalized

        return parse_name

    def parse_column(self, values: list, *, context: bool) -> list[str | None]:
        """A name column's chunk: one shape check, one normalization and one search for words of
        organisations over the joined chunk (same results as `column_parser`, a test checks it)."""
        texts = chunk_texts(values)
        odd = odd_lines(_plain_name(), joined_lines(texts)) if context and texts else None
        if odd is not None and max(map(len, texts)) > 80:
            odd = sorted({*odd, *(index for index, text in enumerate(texts) if len(text) > 80)})
        if odd is not None and len(odd) <= ODD_LIMIT:
            return self._plain_results(texts, odd, values)
        matched = batch_lines(_NAME_LINES, texts) if context else None
        if matched is None:
            return super().parse_column(values, context=context)
        kept = [t if m and 2 <= len(t) <= 80 else "" for t, m in zip(texts, matched, strict=True)]
        kept = [reorder(t) if "," in t else t for t in kept]
        joined = "\n".join(kept)
        if not joined.isascii():
            joined = unicodedata.normalize("NFKC", joined)
        folded = _FOLD_LINES.sub(" ", joined.lower())
        lines = folded.split("\n")
        results = [n if n and n not in PLACEHOLDERS else None for n in (f.strip() for f in lines)]
        org_words = _org_words()
        if not org_words.isdisjoint(folded.split()):  # rare: find the lines that hold such a word
            for index, line in enumerate(lines):
                if not org_words.isdisjoint(line.split()):
                    results[index] = None
        return self._typed_cells(values, results)

    def _typed_cells(self, values: list, results: list[str | None]) -> list[str | None]:
        """Results with a name stored as a number (or a date) parsed one by one."""
        if not {str, type(None)}.issuperset(map(type, values)):
            for index, raw in enumerate(values):
                if raw is not None and type(raw) is not str:
                    results[index] = self.parse_cell(raw, context=True)
        return results

    def _plain_results(self, texts: list[str], odd: list[int], values: list) -> list[str | None]:
        """A chunk of plain names (plain.py; no comma, 2-80 characters) but the `odd` ones: what the
        path below gives, with string methods; the odd ones by the column parser one by one. Plain
        letters fold to word characters and keep NFKC, so the only characters the folding changes
        are the single hyphens and apostrophes between letters."""
        plain_texts = texts
        if odd:
            plain_texts = list(texts)
            for index in odd:
                plain_texts[index] = ""
        lines = "\n".join(plain_texts).lower().replace("-", " ").replace("'", " ").split("\n")
        if PLACEHOLDERS.isdisjoint(lines):
            results = [n or None for n in lines]
        else:
            results = [n if n and n not in PLACEHOLDERS else None for n in lines]
        if _has_org_word(lines):
            org_words = _org_words()
            for index, line in enumerate(lines):
                if not org_words.isdisjoint(line.split()):
                    results[index] = None
        if odd:
            parse_name = self.column_parser(context=True)
            for index in odd:
                results[index] = parse_name(texts[index])
        return results if texts is values else self._typed_cells(values, results)


@cache
def _org_words() -> frozenset[str]:
    """Words of places and organisations that are nobody's name, as they look once normalized."""
    names = first_names() | surnames()
    return frozenset({w for w in NOT_NAME_WORDS if w not in names} | _ACCENTED_ORG_WORDS)


def _has_org_word(lines: list[str]) -> bool:
    """Whether a word (split on blanks) of the folded lines is a word of an organisation."""
    found = found_in(_org_words_pattern(), "\n".join(lines))
    return (not _org_words().isdisjoint(" ".join(lines).split())) if found is None else found


@cache
def _org_words_pattern() -> str:
    """RE2: a word of an organisation between blanks, line breaks or the text's ends."""
    words = "|".join(sorted(map(re.escape, _org_words()), key=len, reverse=True))
    return rf"(?:^|[ \n])(?:{words})(?:[ \n]|$)"


#: letters a plain name is written in (plain.py): ASCII and Latin-1/Latin Extended-A letters that
#: are a letter to Python's `[^\W\d_]`, NFKC leaves alone, and lower-case to one word character
_PLAIN_CANDIDATES = "".join(map(chr, range(0xC0, 0x180)))


@cache
def _plain_name() -> str:
    """RE2 pattern of a plain name: 2-7 words of plain letters joined by single hyphens or
    apostrophes, single spaces between words; one word needs 2 letters or more."""
    letters = [c for c in _PLAIN_CANDIDATES if _plain_letter(c)]
    cls = "[A-Za-z" + "".join(f"\\x{{{ord(c):X}}}" for c in letters) + "]"
    word = rf"{cls}+(?:['-]{cls}+)*"
    return rf"{word}(?: {word}){{1,6}}|{cls}(?:{cls}+|['-]{cls}+)(?:['-]{cls}+)*"


def _plain_letter(char: str) -> bool:
    lower = char.lower()
    return (re.fullmatch(r"[^\W\d_]", char) is not None and unicodedata.normalize("NFKC", char) == char
            and len(lower) == 1 and re.fullmatch(r"\w", lower) is not None
            and unicodedata.normalize("NFKC", lower) == lower)


_ACCENTED_ORG_WORDS = frozenset({"detención", "prisión", "cárcel", "república", "estación", "policía",
                                 "migración", "dirección", "administración"})


DETECTOR = PersonName()
