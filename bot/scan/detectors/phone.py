"""PHONE: a telephone number that `phonenumbers` says is valid (default region US).

In a phone column any valid number counts. In prose a number needs a phone word nearby or an
international "+" form. A number labelled as an office's line ("Main office", "Switchboard",
"Press", "Fax", "Hotline") is an organisation's contact: `ORG_CONTEXT` lets the analyzer leave it
out. Normalized: E.164 (`+12025550143`).
"""

from __future__ import annotations

import re
from itertools import compress
from operator import not_

import phonenumbers

from bot.scan.detectors.base import CONTACT, Detector, context_regex, line_pattern
from bot.scan.detectors.phone_fast import (
    FALLBACK,
    international_digits,
    international_e164,
    nanp_e164,
    nanp_e164_lines,
    nanp_later,
    nanp_valid,
    nanp_valid_many,
)

_SHAPE = re.compile(r"\s*\+?[\d\s().-]{7,20}\s*")
_DIGIT_COUNT = re.compile(r"\d")
#: words that make a number an organisation's line, not a person's
ORG_CONTEXT = context_regex((
    "main office", "office", "switchboard", "press", "press office", "media", "fax", "hotline",
    "helpline", "toll free", "toll-free", "front desk", "reception", "general line", "main line",
    "main", "headquarters", "HQ", "call center", "customer service", "tip line", "oficina",
    "oficina principal", "centralita", "conmutador", "prensa", "línea", "linea", "recepción",
    "sede", "atención al público",
))


#: "+" and a country code, then digits in any grouping: +50934432534, +33 1 42 68 53 00, +55 11 98456 5666
INTERNATIONAL = r"\+\d(?:[ .-]?\d){9,14}"


_CONTEXT_WORDS = ("phone", "telephone", "tel", "tel.", "cell", "mobile", "call", "teléfono", "telefono", "celular",
                  "móvil", "movil", "llamar", "whatsapp")


def _screen_pattern() -> str:
    """The text pattern's shapes that hold 10 digits or more (parse() needs 10), for the line
    screen: each group's length spelled out, the edges consumed (RE2 has no lookarounds)."""
    sep = r"[\t\n\x0b\x0c\r\x1c-\x1f .-]"
    shapes = []
    for country in (0, 1, 2, 3):
        lead = rf"\+\d{{{country}}}{sep}?" if country else ""
        for first in (2, 3, 4):
            for middle in (2, 3, 4):
                for last in (3, 4):
                    if country + first + middle + last >= 10:
                        shapes.append(rf"{lead}(?:\(\d{{{first}}}\){sep}?|\d{{{first}}}{sep})\d{{{middle}}}{sep}?\d{{{last}}}")
    shapes.append(rf"\+\d(?:{sep}?\d){{9,14}}")  # international, any grouping (INTERNATIONAL below)
    # digits without separators count only beside a phone word: only lines holding one are searched
    # for them (a log's timestamps and byte counts are ten digits too)
    words = "|".join(re.escape(word) for word in _CONTEXT_WORDS)
    shapes.append(rf"(?i:{words})[^\n]{{0,60}}\d{{10,11}}")
    return rf"(?:^|[^\w+])(?:{'|'.join(shapes)})(?:$|[^\w-])"


class Phone(Detector):
    type = "PHONE"
    category = CONTACT
    label = "phone numbers"
    key_rank = 11
    prose_rank = 11
    headerless = True
    header_phrases = ("phone", "phone number", "telephone", "tel", "mobile", "cell", "cell phone",
                      "mobile number", "contact number", "phone no", "telefono", "numero de telefono",
                      "celular", "movil", "tel #", "phone #", "whatsapp",
        "téléphone", "portable", "numéro de téléphone", "telefone", "contato", "telefòn",
        "nimewo telefòn", "телефон", "моб телефон", "мобильный", "номер телефона", "هاتف", "الهاتف",
        "رقم الهاتف", "جوال", "điện thoại", "số điện thoại", "sđt", "फ़ोन", "फोन", "मोबाइल", "电话", "手机",
        "联系电话", "電話番号", "전화번호", "telefon", "telepon", "no hp", "simu", "handy",
        "cellulare", "tel no", "tél",
    )
    context_words = _CONTEXT_WORDS
    #: only bare digits need the word, and it must stand before them in their line (the screen's rule)
    context_before = True
    context_same_line = True
    text_pattern = re.compile(rf"(?<![\w+])(?:{INTERNATIONAL}|(?:\+\d{{1,3}}[\s.-]?)?(?:\(\d{{2,4}}\)[\s.-]?|\d{{2,4}}[\s.-])"
                              r"\d{2,4}[\s.-]?\d{3,4}|1?\d{10})(?![\w-])")
    screen_pattern = _screen_pattern()
    value_only_rate = 0.8
    confidence = 0.85

    def parse(self, text: str, *, context: bool) -> str | None:
        if not _SHAPE.fullmatch(text):
            return None
        digits = len(_DIGIT_COUNT.findall(text))
        if not 10 <= digits <= 15:
            return None
        stripped = text.strip()
        if not context and not stripped.startswith("+") and not any(c in stripped for c in "()- ."):
            return None  # a bare run of digits is an ID as often as a phone
        fast = nanp_e164(stripped)  # "(212) 555-7300": phonenumbers' rule with precompiled patterns
        if fast is FALLBACK and stripped.startswith("+"):
            fast = international_e164(stripped)  # "+44 20 7946 0018"
        if fast is not FALLBACK:
            fictional = fast is not None and fast.startswith("+1") and _fiction(fast[2:])
            return None if fast is None or fictional else fast
        try:
            number = phonenumbers.parse(stripped, "US")
        except phonenumbers.NumberParseException:
            return None
        if not phonenumbers.is_valid_number(number) or _fictional(number):
            return None
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def batch_kernel(self, *, context: bool):
        """Common North American shapes validated a chunk at a time; the rest one by one."""
        return _COMMON_LINES, _finisher(self.parse, context)

    def plain_line(self, *, context: bool) -> str | None:
        return _COMMON_BODY


#: the common North American shapes (_COMMON of phone_fast.py in ASCII digits), one a line
_COMMON_BODY = r"(?:\+1[ .-]?)?(?:\([2-9][0-9][0-9]\)|[2-9][0-9][0-9])[ .-]?[0-9]{3}[ .-]?[0-9]{4}"
_COMMON_LINES = line_pattern(_COMMON_BODY)
#: "+" and a calling code other than 1, digit groups with single separators (ASCII): neither
#: common shape (phone_fast's _COMMON, _NO_AREA) takes it, so parse() asks international_e164
_PLAIN_INTERNATIONAL_LINES = line_pattern(r"\+[2-9][0-9]*+(?:[ .-][0-9]++)*+", blank="")
#: phone_fast's _NO_AREA in ASCII digits: an area code starting 0 or 1 (not 011): never valid
_PLAIN_NO_AREA = re.compile(r"(?:\+1[ .-]?)?(?:\((?!011)[01][0-9][0-9]\)|(?!011)[01][0-9][0-9])[ .-]?[0-9]{3}[ .-]?[0-9]{4}")
#: a common shape after the trunk prefix 1 ("1-212-555-7300", "1 (212) 555-7300"): 11 digits, so
#: parse() asks phonenumbers, which takes the 10 after the 1 as the national number (general
#: description [2-9]\d{9}); the same rule then decides (nanp_valid, fiction)
_TRUNK = re.compile(r"1[ .-]?((?:\([2-9][0-9][0-9]\)|[2-9][0-9][0-9])[ .-]?[0-9]{3}[ .-]?[0-9]{4})")


def _finisher(parse, context: bool):
    """Results of a chunk from its lines' common-shape matches: those validated together, every
    other text by `parse` itself (the rule the fast path must agree with), or by the part of it
    that its plain shape reaches (`_leftover`)."""
    def finish(matched: list[str], texts: list[str]) -> list[str | None]:
        if not context:  # a bare run of digits needs the header: parse() says so
            matched = [m if not m.isdigit() else "" for m in matched]
        # a match holds ASCII digits and "+() .-" only, "+1" at its start: what is left are the
        # ten digits of its national number
        digits = _digits("\n".join(matched))
        found = nanp_e164_lines("+1" + digits.replace("\n", "\n+1"), len(matched))
        if found is None:
            nsns = digits.split("\n")
            found = ["+1" + n if valid else "" for n, valid in zip(nsns, nanp_valid_many(nsns), strict=True)]
        results: list[str | None] = [f or None for f in found]
        if "55501" in digits:  # only then can a number be fiction (555-0100..0199)
            for index, e164 in enumerate(found):
                if e164 and _fiction(e164[2:]):
                    results[index] = None
        left = []
        for index in compress(range(len(found)), map(not_, found)):
            if matched[index]:  # a common shape the first region of +1 does not take
                nsn = _digits(matched[index])
                if nanp_later(nsn) and not _fiction(nsn):
                    results[index] = "+1" + nsn
            elif texts[index]:
                left.append(index)
        if left:
            for index, result in zip(left, _leftovers(parse, [texts[i] for i in left], context), strict=True):
                results[index] = result
        return results

    return finish


def _digits(matched: str) -> str:
    """The national numbers of common-shape matches (one a line, or "")."""
    if "+1" in matched:
        matched = matched.replace("+1", "")
    return matched.replace(" ", "").replace("-", "").replace("(", "").replace(")", "").replace(".", "")


def _leftover(parse, text: str, context: bool) -> str | None:
    """parse(text) for one text of a chunk that is not a common shape (see _leftovers)."""
    return _leftovers(parse, [text], context)[0]


def _leftovers(parse, texts: list[str], context: bool) -> list[str | None]:
    """parse() of each text (none holding a line break): plain international numbers read from
    their digits with one search over them all (parse's own steps for them: the shape's 7-20
    characters after "+", 10-15 digits, international_e164), an area code no number has refused
    at once, a trunk prefix as phonenumbers reads it, anything else by parse itself."""
    joined = "\n".join(texts)
    if joined.count("\n") != len(texts) - 1:  # a line break inside: one by one
        return [parse(text, context=context) for text in texts]
    shapes = _PLAIN_INTERNATIONAL_LINES.findall(joined) if "+" in joined else None
    if shapes is None or len(shapes) != len(texts):
        shapes = [""] * len(texts)
    # a plain international number holds "+", ASCII digits and single " .-" only: its digits
    digits = joined.replace(" ", "").replace("-", "").replace(".", "").replace("+", "").split("\n")
    results: list[str | None] = []
    for text, shape, number in zip(texts, shapes, digits, strict=True):
        if shape:
            if not 8 <= len(text) <= 21 or not 10 <= len(number) <= 15:
                results.append(None)
                continue
            fast = international_digits(number)
            results.append(parse(text, context=context) if fast is FALLBACK else fast)
        else:
            results.append(_other_leftover(parse, text, context))
    return results


def _other_leftover(parse, text: str, context: bool) -> str | None:
    """parse(text) for a text that is neither a common shape nor a plain international number."""
    if _PLAIN_NO_AREA.fullmatch(text):
        return None
    trunk = _TRUNK.fullmatch(text)
    if trunk is not None:  # "1-212-555-7300": phonenumbers drops the 1 (the test compares)
        if not context and text.isdigit():
            return None  # a bare run of digits is an ID as often as a phone
        nsn = _digits(trunk.group(1))
        valid = nanp_valid(nsn) and not _fiction(nsn)
        return "+1" + nsn if valid else None
    return parse(text, context=context)


#: North American 555-0100 to 555-0199 (the last seven digits): reserved for fiction and examples (NANPA)
_FICTION = (5_550_100, 5_550_199)


def _fiction(nsn: str) -> bool:
    """Whether a +1 national number (10 digits) is one of the fictional ones."""
    return _FICTION[0] <= int(nsn) % 10_000_000 <= _FICTION[1]


def _fictional(number: phonenumbers.PhoneNumber) -> bool:
    return number.country_code == 1 and _fiction(str(number.national_number))


DETECTOR = Phone()
