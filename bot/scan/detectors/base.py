"""What every detector declares, and the small helpers they share.

A detector knows one type of personal data. It answers three questions, each cheaply:

* `parse(text, context=...)`: is this one value of my type? Returns the value normalized for the
  fingerprint (scan-report.md's table) or None. `context=True` means the column header or nearby
  words already say what the value is, which unlocks bare forms (a bare 9-digit A-number).
* `find(text)`: where in prose are candidates? Yields spans with their normalized value and
  whether the form speaks for itself (`strong`) or needs a context word nearby.
* `header_score(tokens)`: does a column header name my type?

Raw values never leave a detector except as `mask()`ed samples or fingerprints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from bot.scan.data import strip_accents
from bot.scan.detectors.plain import joined_lines, odd_lines
from bot.scan.model import Cell
from bot.scan.report import mask, normalize_text

#: what kind of harm a type does when tied to a person: severity.py's rules are written in these
GOVERNMENT_ID = "government_id"
FINANCIAL = "financial"
HEALTH = "health"
CONTACT = "contact"
NAME = "name"
BIRTH_DATE = "birth_date"
NATIONALITY = "nationality"
#: where a person is held (immigration detention): with a nationality, their immigration status
CUSTODY = "custody"
NETWORK = "network"
#: categories that make a table about people rather than an office directory
SENSITIVE_CATEGORIES = frozenset({GOVERNMENT_ID, FINANCIAL, HEALTH, BIRTH_DATE})

_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: anything but letters, digits and "#" (letters of every script: Фамилия, الاسم, 姓名 stay words)
_HEADER_JUNK = re.compile(r"[^\w#]+|_+")


def header_text(raw: str | None) -> str:
    """A header or JSON key path as space-separated plain tokens.

    `person.fullName` -> "person full name", `a_num` -> "a num", `Número A` -> "numero a",
    `A#` -> "a #", `N° A` -> "no a", `Дата рождения` -> "дата рождения" (letters of every script
    stay). Tokens are later matched as whole words, so "a num" never matches "banana". Header
    phrases are folded the same way, so they are written as people write them.
    """
    if not raw:
        return ""
    text = _LETTER_DIGIT.sub(" ", _CAMEL.sub(" ", str(raw)))  # "Address1" -> "Address 1"
    # "N°" is "No." (numéro): the degree sign would otherwise fold away
    text = strip_accents(text).lower().replace("n°", "no ").replace("#", " # ")
    return " ".join(_HEADER_JUNK.sub(" ", text).split())


def has_phrase(header: str, phrases: tuple[str, ...]) -> bool:
    """True when one of the phrases appears in the header as whole tokens."""
    if not header:
        return False
    padded = f" {header} "
    return any(f" {phrase} " in padded for phrase in phrases)


def context_regex(words: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation of context words, matched case-insensitively on word edges."""
    escaped = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(escaped) + r")(?![\w])", re.IGNORECASE)


def cell_text(cell: Cell) -> str | None:
    """A cell as the text a person would read; ints stay digits (IDs stored as numbers)."""
    if cell is None or isinstance(cell, bool):
        return None
    if isinstance(cell, str):
        return cell
    if isinstance(cell, int):
        return str(cell)
    if isinstance(cell, float):
        if cell != cell or cell in (float("inf"), float("-inf")):
            return None
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


#: cell types a batch kernel reads as text (others are parsed one by one)
_TEXT_ONLY = frozenset({str, type(None)})
#: whitespace other than a line break: lines of a batch stay lines
BLANK = r"[^\S\n]"

#: cell types that are all text (column_parse.py checks a chunk's cells with it too)
STR_ONLY = frozenset({str})


def chunk_texts(values: list[Cell]) -> list[str]:
    """Values as lines of text for a batch kernel ("" for empty and typed cells): the list itself
    when it holds only text (callers never change it)."""
    if STR_ONLY.issuperset(map(type, values)):
        return values
    return [v if type(v) is str else "" for v in values]


def batch_lines(pattern: re.Pattern[str], texts: list[str], plain: tuple[str, str] | None = None) -> list[str] | None:
    """Run `pattern` (MULTILINE, `^...$`, one group) once over the texts joined by newlines.

    Returns each text's group ("" when it did not match), or None when the texts cannot be lined
    up (a text holding a line break), in which case the caller parses one by one. A text that is
    a match of the detector's plain line (RE2, plain.py) or empty and holds not the plain `(line,
    never)`'s `never` substring is its own group; when few texts are not, only they are matched.
    """
    joined = joined_lines(texts)
    if joined is None:
        return None
    odd = odd_lines(plain[0], joined, plain[1]) if plain is not None else None
    if odd is not None:  # plain lines are their own groups; the few others matched here
        if not odd:
            return texts
        found = pattern.findall("\n".join([texts[index] for index in odd]))
        if len(found) == len(odd):
            matched = list(texts)
            for index, group in zip(odd, found, strict=True):
                matched[index] = group
            return matched
    found = pattern.findall(joined)
    return found if len(found) == len(texts) else None


def line_pattern(body: str, flags: int = 0, blank: str = f"{BLANK}*") -> re.Pattern[str]:
    """`body` as a whole-line pattern with surrounding blanks (`blank=""`: none); other lines
    match empty."""
    return re.compile(rf"^{blank}(?:({body}){blank}$|.*$)", re.MULTILINE | flags)


def full_pattern(body: str, flags: int = 0) -> re.Pattern[str]:
    """`body` as the whole of one value, surrounding blanks allowed (the per-value twin)."""
    return re.compile(rf"{BLANK}*({body}){BLANK}*", flags)


@dataclass(frozen=True)
class Candidate:
    """A candidate found in prose: a span, its normalized value, and whether it needs context."""

    start: int
    end: int
    normalized: str
    strong: bool
    masked: str


class Detector:
    """Base class; one subclass instance per file in this package (see __init__.REGISTRY)."""

    #: the type name in the report (scan-report.md "Types")
    type: str = ""
    #: what harm it does tied to a person (GOVERNMENT_ID...): severity rules are written in these
    category: str = ""
    #: how people read the type, plural and lower case ("A-numbers", "dates of birth")
    label: str = ""
    #: which value keys a person when people are counted, lower first; None: never a key
    key_rank: int | None = None
    #: found on its own in prose, searched in this order (lower first); None: not a prose value
    prose_rank: int | None = None
    #: found in prose only beside a person (an address, a facility)
    prose_attribute: bool = False
    #: values many unrelated people share (a country, a birth date): an overlap proves nothing
    shared_values: bool = False
    #: identifies a person less sharply than an identifier (two people may share a name)
    soft_identity: bool = False
    #: decided from values alone in a column whose header says nothing / in a headerless table
    self_evident: bool = False
    headerless: bool = False
    #: the same few values repeat down a column (countries, facilities): parsed once each
    repeats: bool = False
    #: header phrases (header_text form) that say a column holds this type
    header_phrases: tuple[str, ...] = ()
    #: words near a value in prose (or in a table's title) that say what it is, EN and ES at least
    context_words: tuple[str, ...] = ()
    #: candidates in prose; None for types only found in classified columns
    text_pattern: re.Pattern[str] | None = None
    #: share of a headerless column's sample that must parse without context to classify it
    #: (None: this type is never decided from values alone)
    value_only_rate: float | None = None
    #: "A" for A-numbers: a type marker shown in samples, not data
    mask_prefix: str = ""
    #: base confidence of a value this detector accepts
    confidence: float = 0.9
    #: types whose values identify one person on their own (a person table has at least one)
    identifies_person: bool = True

    #: RE2 pattern that every accepted candidate's line matches, tighter than the text pattern
    #: (bot/scan/screen.py); None: derived from text_pattern
    screen_pattern: str | None = None
    #: a cheaper pattern that finds the same accepted candidates in a line where the RE2 pattern
    #: `full_screen` matches nothing (IP addresses: IPv4 only unless an 8-group IPv6 is there)
    narrow_pattern: re.Pattern[str] | None = None
    full_screen: str | None = None
    #: a substring that makes a chunk not plain whatever its lines (see plain_line)
    plain_never: str = ""
    #: in prose, every candidate needs a context word (passport, I-94, MRN, birth date)
    always_needs_context: bool = False
    #: in prose, the context word must come before the value ("DOB 06/01/1988", "born on ..."): a
    #: meeting date in front of "DOB" is not the birth date
    context_before: bool = False
    #: ...and in the same line (the line screen can then tell which lines to search: phones)
    context_same_line: bool = False
    #: in prose, a character every candidate holds ("@" for emails); lines without it are skipped
    required_char: str = ""

    def __init__(self) -> None:
        # phrases are written as people write them ("nationalité", "Дата рождения"); fold them as headers are
        self.header_phrases = tuple(dict.fromkeys(header_text(p) for p in self.header_phrases))
        self.context_re = context_regex(self.context_words) if self.context_words else None
        #: lower-case context words for a cheap substring pre-check before the regular expression
        self.context_literals = tuple({w.lower().rstrip(".") for w in self.context_words})

    # --- values -------------------------------------------------------------------------------

    def parse(self, text: str, *, context: bool) -> str | None:
        """Normalized value (fingerprint form) or None when `text` is not one of mine."""
        raise NotImplementedError

    def parse_cell(self, cell: Cell, *, context: bool) -> str | None:
        text = cell_text(cell)
        if not text:
            return None
        return self.parse(text, context=context)

    def column_parser(self, *, context: bool):
        """A one-argument parser for the values of a column already classified as this type.

        The default is `parse`; detectors may skip checks the column classification already made.
        """
        parse = self.parse

        def parse_column_value(text: str) -> str | None:
            return parse(text, context=context)

        return parse_column_value

    def parse_column(self, values: list[Cell], *, context: bool) -> list[str | None]:
        """A chunk of a classified column, one result per value (None: not mine or empty).

        The default calls the column parser once per value; detectors with a `batch_kernel` run
        one regular expression over the whole chunk instead (same results, a test checks it).
        """
        kernel = self.batch_kernel(context=context)
        if kernel is not None:
            texts = chunk_texts(values)
            line = self.plain_line(context=context)
            matched = batch_lines(kernel[0], texts, None if line is None else (line, self.plain_never))
            if matched is not None:
                results = kernel[1](matched, texts)
                if texts is not values and not _TEXT_ONLY.issuperset(map(type, values)):
                    for index, value in enumerate(values):  # ints and dates: one by one
                        if value is not None and type(value) is not str:
                            results[index] = self.parse_cell(value, context=context)
                return results
        parse_text = self.column_parser(context=context)
        parse_cell = self.parse_cell
        return [parse_text(v) if type(v) is str and v else
                (None if v is None or v == "" else parse_cell(v, context=context)) for v in values]

    def batch_kernel(self, *, context: bool):
        """(MULTILINE pattern with one group, finisher(matched, texts) -> results) or None."""
        return None

    def plain_line(self, *, context: bool) -> str | None:
        """An RE2 pattern of the plain values of a column (ASCII classes): every line it matches
        whole is a line the batch kernel's pattern takes whole, its group being the line (plain.py).
        None: every chunk runs the kernel's pattern. A chunk holding `plain_never` is not plain."""
        return None

    def drop_organisational(self, normalized: list[str | None]) -> list[str | None]:
        """A parsed chunk with organisations' values set to None."""
        return normalized

    def mask_normalized(self, normalized: str) -> str:
        """The sample shown in the report, made from the normalized value."""
        if self.mask_prefix:
            return mask(self.mask_prefix + normalized, keep_prefix=self.mask_prefix)
        return mask(normalized)

    # --- columns ------------------------------------------------------------------------------

    def header_matches(self, header: str) -> bool:
        return has_phrase(header, self.header_phrases)

    # --- prose --------------------------------------------------------------------------------

    def find(self, text: str) -> Iterator[Candidate]:
        if self.text_pattern is None:
            return
        for match in self.text_pattern.finditer(text):
            found = self.judge_span(match.group(0))
            if found is not None:
                yield Candidate(match.start() + found[0], match.start() + found[1], *found[2])

    def judge_span(self, raw: str) -> tuple[int, int, tuple[str, bool, str]] | None:
        """judge(raw), or judge() of raw without a word the pattern took from the sentence around
        it ("is 912803456", "...7654 32 in"): (start, end, judged) within raw, or None."""
        judged = self.judge(raw)
        if judged is not None:
            return 0, len(raw), judged
        for start, end in _word_trims(raw):
            judged = self.judge(raw[start:end])
            if judged is not None:
                return start, end, judged
        return None

    def judge(self, raw: str) -> tuple[str, bool, str] | None:
        """A pattern match as (normalized, strong, masked), or None when it is not one of mine."""
        normalized = self.parse(raw, context=True)
        if normalized is None:
            return None
        strong = self.parse(raw, context=False) is not None
        return normalized, strong, self.mask_normalized(normalized)

    def has_context(self, window: str) -> bool:
        return bool(self.context_re and self.context_re.search(window))

    def may_have_context(self, lowered: str) -> bool:
        """A necessary condition for has_context(): some context word occurs in the lower-cased text."""
        return any(word in lowered for word in self.context_literals)


_FOLD = re.compile(r"[\W_]+")
_LEADING_WORD = re.compile(r"[^\W\d_]+[\s-]+")
_TRAILING_WORD = re.compile(r"[\s-]+[^\W\d_]{1,3}\Z")


def _word_trims(raw: str) -> list[tuple[int, int]]:
    """Spans of raw without a leading word, a short trailing word, or both (never a digit group)."""
    lead, tail = _LEADING_WORD.match(raw), _TRAILING_WORD.search(raw)
    start, end = (lead.end() if lead else 0), (tail.start() if tail else len(raw))
    trims = [(start, len(raw))] if lead else []
    if tail:
        trims.append((0, end))
    if lead and tail and start < end:
        trims.append((start, end))
    return trims


def text_normalized(value: str) -> str:
    """The spec's normalization for names, nationalities, addresses and other free text.

    Same result as report.normalize_text; ASCII text skips NFKC (a no-op there), which is most of
    the cost on large name columns.
    """
    if value.isascii():
        return _FOLD.sub(" ", value.lower()).strip()
    return normalize_text(value)
