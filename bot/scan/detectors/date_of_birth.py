"""DATE_OF_BIRTH: a date where the column header or nearby words say birth.

A "Book-In Date" or any other date column is not a birth date. Accepted forms: date cells,
ISO `1990-03-05`, numeric `05/03/1990` `5.3.1990` `05-03-90`, and month names in English and
Spanish and eight more languages (`March 5, 1990`, `5 de marzo de 1990`, `12 mars 1987`,
`12 марта 1987 г.`), `1987年3月12日`; under a birth-date header also `19870312` and a
spreadsheet's day number (a date cell saved without its date format, or written out as text). Whether `05/03/1990` is 5 March or 3 May is
settled per column by looking at all its values (`DateOrder`): a first field above 12 means
day-first, a second field above 12 means month-first; a column that never says stays month-first
for English headers and day-first for Spanish ones. The year must be 1900..today.
Normalized: ISO `YYYY-MM-DD`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from bot.scan.data import strip_accents
from bot.scan.detectors.base import BIRTH_DATE, Detector
from bot.scan.model import Cell

_ISO = re.compile(r"\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ][\d:.]+Z?)?\s*")
_NUMERIC = re.compile(r"\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\s*")
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "ene": 1, "abr": 4, "ago": 8, "dic": 12,
}
#: month names in the other languages of such lists, as written (looked up without accents)
_MORE_MONTHS = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",  # French
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",  # Portuguese
    "janvye fevriye mas avril me jen jiyè out septanm oktòb novanm desanm",  # Haitian Creole
    "januar februar märz april mai juni juli august september oktober november dezember",  # German
    "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",  # Italian
    "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",  # Russian
    "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
    "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня",  # Ukrainian
)
for _names in _MORE_MONTHS:
    for _number, _name in enumerate(_names.split(), start=1):
        MONTHS.setdefault(strip_accents(_name), _number)
_WRITTEN = set(MONTHS) | {name for names in _MORE_MONTHS for name in names.split()}
_MONTH_WORDS = "|".join(sorted(_WRITTEN, key=len, reverse=True))
_NAMED_MDY = re.compile(rf"\s*({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\s*", re.IGNORECASE)
_NAMED_DMY = re.compile(rf"\s*(\d{{1,2}})(?:st|nd|rd|th|er)?\s*(?:de\s+)?[-\s]?({_MONTH_WORDS})\.?[-\s,]+(?:de\s+|del\s+)?"
                        r"(\d{4})(?:\s*(?:г|р)\.?)?\s*", re.IGNORECASE)
#: 1987年3月12日 (Chinese, Japanese), 1987년 3월 12일 (Korean)
_CJK = re.compile(r"\s*(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?\s*")
#: 19870312 under a birth-date header
_COMPACT = re.compile(r"\s*(\d{4})(\d{2})(\d{2})\s*")
#: a spreadsheet's day number (days since 1899-12-30) written out as text
_SERIAL_TEXT = re.compile(r"\s*(\d{4,5})(?:\.0+)?\s*")
_SERIAL_EPOCH = date(1899, 12, 30)


def _valid(year: int, month: int, day: int) -> str | None:
    if not 1900 <= year <= date.today().year:
        return None
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # a two-digit birth year is in the past
        year += 1900 if year > date.today().year % 100 else 2000
    return year


class DateOrder:
    """Settles day-first vs month-first for one column, from every value it sees."""

    def __init__(self, day_first_default: bool):
        self.day_first: bool | None = None
        self.default = day_first_default

    def observe(self, first: int, second: int) -> None:
        if self.day_first is None:
            if first > 12 >= second:
                self.day_first = True
            elif second > 12 >= first:
                self.day_first = False

    @property
    def settled(self) -> bool:
        return self.day_first is not None

    def resolve(self, first: int, second: int, year: int) -> str | None:
        day_first = self.default if self.day_first is None else self.day_first
        return _valid(year, first, second) if not day_first else _valid(year, second, first)


def split_numeric(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) of an ambiguous numeric date such as 05/03/1990, else None."""
    match = _NUMERIC.fullmatch(text)
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), _year(match.group(3))


def parse_unambiguous(text: str) -> str | None:
    """ISO and month-name forms, which need no column-level decision."""
    match = _ISO.fullmatch(text)
    if match:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _NAMED_MDY.fullmatch(text)
    if match:
        return _valid(int(match.group(3)), _month(match.group(1)), int(match.group(2)))
    match = _NAMED_DMY.fullmatch(text)
    if match:
        return _valid(int(match.group(3)), _month(match.group(2)), int(match.group(1)))
    match = _CJK.fullmatch(text)
    if match:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    return None


def read_date(text: str, order: DateOrder) -> str | tuple[int, int, int] | None:
    """A birth date under a birth-date header: ISO, or (first, second, year) of a numeric date
    whose day/month order `order` (which has now seen it) must decide.

    The numeric form is tried first (the commonest, and the cheapest to reject): no text is both
    numeric and one of parse_unambiguous's forms (after the same leading spaces, a run of one or
    two digits and a separator, against four digits, a letter or a CJK year), so the order of the
    two tries changes no answer."""
    parts = split_numeric(text)
    if parts:
        order.observe(parts[0], parts[1])
        return parts
    return parse_unambiguous(text) or parse_in_context(text)


def _month(word: str) -> int:
    return MONTHS[strip_accents(word.lower())]


def from_serial(days: float) -> str | None:
    """A spreadsheet's day number as an ISO date (None for a year such as 1987, or out of range)."""
    if days != int(days) and days - int(days) > 0.999:
        return None
    whole = int(days)
    if 1900 <= whole <= 2100 or not 1 <= whole <= 80_000:
        return None  # a four-digit year, not a day number
    day = _SERIAL_EPOCH + timedelta(days=whole)
    return _valid(day.year, day.month, day.day)


def parse_in_context(text: str) -> str | None:
    """Forms that only a birth-date header makes dates: 19870312 and a day number as text."""
    match = _COMPACT.fullmatch(text)
    if match:
        return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    match = _SERIAL_TEXT.fullmatch(text)
    return from_serial(float(match.group(1))) if match else None


class DateOfBirth(Detector):
    type = "DATE_OF_BIRTH"
    category = BIRTH_DATE
    label = "dates of birth"
    prose_rank = 12
    shared_values = True
    identifies_person = False
    header_phrases = ("dob", "d o b", "date of birth", "birth date", "birthdate", "birthday", "born",
                      "birth", "fecha de nacimiento", "fecha nacimiento", "fecha nac", "f nac",
                      "fec nac", "nacimiento", "fecha de nac", "date naissance", "data de nascimento",
        "date de naissance", "né le", "née le", "data nascimento", "data de nasc", "dat nesans",
        "дата рождения", "дата народження", "تاريخ الميلاد", "ngày sinh", "जन्म तिथि", "जन्म की तारीख",
        "出生日期", "生年月日", "생년월일", "doğum tarihi", "tanggal lahir", "tarehe ya kuzaliwa",
        "geburtsdatum", "data di nascita", "d naissance", "ddn",
    )
    context_words = ("born", "DOB", "D.O.B.", "date of birth", "birth date", "birthdate", "birthday",
                     "nacido", "nacida", "nació", "fecha de nacimiento", "f. nac.", "nacimiento")
    text_pattern = re.compile(
        rf"(?<![\w/.-])(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})"
        rf"|(?:{_MONTH_WORDS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
        rf"|\d{{1,2}}\s+(?:de\s+)?(?:{_MONTH_WORDS})\.?,?\s+(?:de\s+)?\d{{4}})(?![\w/-])",
        re.IGNORECASE,
    )
    always_needs_context = True
    context_before = True
    confidence = 0.9

    def parse(self, text: str, *, context: bool) -> str | None:
        if not context:
            return None
        order = DateOrder(day_first_default=False)
        found = read_date(text, order)
        return order.resolve(*found) if isinstance(found, tuple) else found

    def parse_cell(self, cell: Cell, *, context: bool) -> str | None:
        if isinstance(cell, datetime | date):
            day = cell.date() if isinstance(cell, datetime) else cell
            return _valid(day.year, day.month, day.day) if context else None
        if isinstance(cell, int | float) and not isinstance(cell, bool):
            # a date stored as the spreadsheet's day number without a date format
            return from_serial(cell) if context and cell == cell else None
        return super().parse_cell(cell, context=context)


DETECTOR = DateOfBirth()
