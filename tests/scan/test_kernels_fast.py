"""The fast paths of the batch kernels give exactly what parsing value by value gives.

Chunks of generated values (random shapes, every Latin letter, blanks, near misses, embedded line
breaks, typed cells) are parsed by `Detector.parse_column` (the plain-chunk RE2 check, the phone
finisher's leftovers, the name chunk's string folding) and one by one by the detector's own
per-value parser. Each kind of chunk is built twice: only plain values (the fast path must be
taken: checked) and plain values with odd ones mixed in (the regular path for the chunk). The
values are made here from their written rules, apart from the detectors' patterns. Failures say
how many values differ, never a value.
"""

from __future__ import annotations

import random
import string

import pytest

from bot.scan.detectors import REGISTRY, plain
from bot.scan.detectors.email import is_role_address
from bot.scan.detectors.person_name import _has_org_word, _org_words, _plain_name
from bot.scan.detectors.phone import _leftover, _leftovers
from tests.scan.detectors.checks import expect
from tests.scan.detectors.test_phone_fast import reference

#: letters of Latin-1, Latin Extended-A and -B (some fold, decompose or lower-case to two)
LATIN = [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha()]
LATIN_1 = "".join(c for c in LATIN if c < "\u0100")
LOCAL = string.ascii_letters + string.digits + "_%+'-"


def _email(rng: random.Random, odd: bool) -> str:
    local = rng.choice(LOCAL) + "".join(rng.choice(LOCAL + ".") for _ in range(rng.choice((0, 3, 10, 63))))
    labels = ["".join(rng.choice(string.ascii_lowercase + string.digits + "-") for _ in range(rng.randint(1, 8)))
              for _ in range(rng.randint(1, 3))]
    tld = "".join(rng.choice(string.ascii_letters) for _ in range(rng.choice((2, 3, 24))))
    address = f"{local}@{'.'.join(labels)}.{tld}"
    if rng.random() < 0.2:
        address = address.upper()
    if rng.random() < 0.05:
        address = rng.choice(("info", "press", "no-reply", "media_relations", "team")) + address[address.index("@"):]
    if not odd:
        while ".." in address:
            address = address.replace("..", ".")
        return address
    return rng.choice((
        address, f" {address}", f"{address}\t", f"mailto:{address}", address.replace("@", "@@"),
        "." + address, address.replace("@", "..@"), "x" * 65 + address[address.index("@"):],
        address[:address.rindex(".")] + ".c", address[:address.rindex(".")] + ".xn--p1ai", "ana@example.com",
        "bob@site.test", f"{rng.choice(LATIN)}{address}", address + "1", address.replace(".", "\n", 1),
        address.replace("@", "@" + rng.choice(LATIN)), "no address here", "a@b", address + "\r",
    ))


def _ssn(rng: random.Random, odd: bool) -> str:
    area = rng.choice((rng.randint(0, 999), rng.choice((0, 1, 665, 666, 667, 899, 900)), rng.randint(1, 665)))
    group, serial = rng.choice((0, 1, 99, rng.randint(0, 99))), rng.choice((0, 1, 9999, rng.randint(0, 9999)))
    digits = f"{area:03d}{group:02d}{serial:04d}"
    if rng.random() < 0.03:
        digits = rng.choice(("078051120", "457555462", "219099999", "123456789"))
    seps = rng.choice((("-", "-"), ("", ""), (" ", " "), (".", "."), ("-", ""), (" ", "-")))
    text = f"{digits[:3]}{seps[0]}{digits[3:5]}{seps[1]}{digits[5:]}"
    if not odd:
        return text
    return rng.choice((text, f" {text} ", text.replace("1", "\u0661"), text + "0", text[:-1], f"{text}\t",
                       "SSN " + text, text.replace("-", "--"), "n/a", text.replace("-", "\u2010"), text + "\n"))


_PHONE_SHAPES = ("({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a} {e} {l}", "+1-{a}-{e}-{l}", "({a}){e}-{l}",
                 "+1 ({a}) {e}-{l}", "{a} {e} {l}", "+1{a}{e}{l}", "{a}{e}{l}")


def _phone(rng: random.Random, odd: bool) -> str:
    area = rng.choice((rng.randint(200, 999), 212, 800, 876, 555) + (() if not odd else (rng.randint(0, 199), 11)))
    exchange, line = rng.choice((rng.randint(0, 999), 555)), rng.choice((rng.randint(0, 9999), rng.randint(100, 199)))
    text = rng.choice(_PHONE_SHAPES).format(a=f"{area:03d}", e=f"{exchange:03d}", l=f"{line:04d}")
    if not odd:
        return text
    code = rng.choice(("44", "52", "33", "49", "55", "91", "234", "509", "880", "7", "20", "86", "39", "61", "2",
                       "9", "999", "800", "888"))
    groups = [str(rng.randint(0, 99999)) for _ in range(rng.randint(1, 5))]
    international = "+" + code + rng.choice((" ", "-", ".", "")) + rng.choice((" ", "-", ".")).join(groups)
    spread = "+" + code + " " + rng.choice(" -").join(str(rng.randint(0, 9)) for _ in range(rng.randint(5, 13)))
    return rng.choice((
        text, international, international, international, spread, spread, f" {international}", international + " ",
        international.replace(" ", "  "), international + "x12", "+0" + international[1:], "++" + international[1:],
        "1-" + text, f" {text} ", text.replace("1", "\u0661"), "n/a", "555-0142", "", "(011) 555-1234",
        "+1 " + text, text + "5", text.replace("-", "\n", 1), "+" + "".join(groups) * 3, "tel: " + text,
    ))


def _name_word(rng: random.Random, letters: str | list[str]) -> str:
    word = "".join(rng.choice(letters) for _ in range(rng.choice((1, 2, 3, 6, 9))))
    return word.capitalize() if rng.random() < 0.7 else word.upper() if rng.random() < 0.5 else word


def _name(rng: random.Random, odd: bool) -> str:
    pools = (string.ascii_letters, string.ascii_letters + LATIN_1) + (() if not odd else (LATIN,))
    letters = rng.choice(pools)
    words = [_name_word(rng, letters) for _ in range(rng.choice((1, 2, 2, 3, 7)))]
    if rng.random() < 0.2:
        index = rng.randrange(len(words))
        words[index] += rng.choice("-'") + _name_word(rng, letters)
    if rng.random() < 0.05:
        words = rng.choice((["John", "Doe"], ["Test"], ["Unknown"], ["Press", "Office"], ["Detención", "Sur"],
                            ["Adam", "West"], ["Ana", "County"], ["people's", "Court"]))
    text = " ".join(words)
    if not odd:  # a name of one letter or of more than 80 characters is not plain
        return text if 2 <= len(text) <= 80 else "Ana María"
    return rng.choice((
        text, f" {text}", text + ",", ", ".join(words), " , ".join(words[:2]), text.replace(" ", "  "),
        text.replace(" ", "\u00a0"), text + " " + " ".join(words), text + ".", text.replace(" ", "’", 1),
        text + "3", "x" * 81, "Ab " * 27, "A", text.replace(" ", "\n", 1), "O’Brien", "Ĳsselmeer Ŀuis", "İpek Şahin",
        "ǅemal", "n/a", text.replace(" ", "-"), text + "_",
    ))


GENERATORS = {"EMAIL": _email, "SSN": _ssn, "PHONE": _phone, "PERSON_NAME": _name}


def _one_by_one(detector, values: list, context: bool) -> list:
    parse_text = detector.column_parser(context=context)
    return [None if v is None or v == "" else
            (parse_text(v) if type(v) is str else detector.parse_cell(v, context=context)) for v in values]


def _plain_taken(kind: str, values: list, context: bool) -> bool:
    """Whether the chunk goes the plain way (what parse_column asks)."""
    detector = REGISTRY[kind]
    joined = plain.joined_lines(values)
    if kind == "PERSON_NAME":
        return context and max(map(len, values)) <= 80 and plain.odd_lines(_plain_name(), joined) == []
    line = detector.plain_line(context=context)
    never = detector.plain_never
    return line is not None and plain.odd_lines(line, joined, never) == []


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("context", [True, False])
def test_plain_chunks_take_the_fast_path_with_the_same_results(kind, context):
    detector, make = REGISTRY[kind], GENERATORS[kind]
    rng = random.Random(f"plain{kind}{context}")
    taken = differences = considered = 0
    for _ in range(40):
        values = [make(rng, False) for _ in range(rng.choice((1, 50, 300)))]
        if kind == "PHONE" or (kind == "SSN" and not context):  # the plain line is one shape
            values = [v for v in values if v[:1] in "(23456789+" and " " not in v[1:4]]
        if kind == "SSN":
            values = [v for v in values if detector.parse(v, context=context)]
        if kind == "SSN" and not context:
            values = [v for v in values if v.count("-") == 2]
        if not values:
            continue
        considered += 1
        if rng.random() < 0.3:
            values[rng.randrange(len(values))] = ""
        taken += _plain_taken(kind, values, context)
        got = detector.parse_column(values, context=context)
        differences += sum(a != b for a, b in zip(got, _one_by_one(detector, values, context), strict=True))
    expect(differences == 0, f"{kind}: {differences} plain values differ")
    expect(considered >= 20, f"{kind}: {considered} chunks")
    expect(taken == (considered if context or kind != "PERSON_NAME" else 0), f"{kind}: {taken} chunks plain")


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("context", [True, False])
def test_mixed_chunks_give_the_same_results(kind, context):
    detector, make = REGISTRY[kind], GENERATORS[kind]
    rng = random.Random(f"mixed{kind}{context}")
    differences = total = 0
    for _ in range(30):
        values: list = [make(rng, rng.random() < 0.3) for _ in range(rng.choice((1, 40, 400)))]
        for _ in range(rng.randint(0, 3)):
            values[rng.randrange(len(values))] = rng.choice((None, "", "   ", 12345678, 2125557300, 1.5))
        got = detector.parse_column(values, context=context)
        differences += sum(a != b for a, b in zip(got, _one_by_one(detector, values, context), strict=True))
        total += len(values)
    expect(differences == 0, f"{kind}: {differences} of {total} values differ")


def test_every_plain_name_letter_parses_as_one_by_one():
    """A chunk of names of each Latin letter (plain ones and not) against the per-value parser."""
    detector = REGISTRY["PERSON_NAME"]
    values = [f"{c}{c.lower()}a {c}b" for c in LATIN] + [f"{c.lower()}{c.lower()} Ortiz-{c}ab" for c in LATIN]
    plain_values = [v for v in values if plain.odd_lines(_plain_name(), v) == []]
    expect(len(plain_values) > 200, f"{len(plain_values)} plain")
    for chunk in (values, plain_values):
        got = detector.parse_column(chunk, context=True)
        differences = sum(a != b for a, b in zip(got, _one_by_one(detector, chunk, True), strict=True))
        expect(differences == 0, f"{differences} of {len(chunk)} names differ")


def test_role_addresses_are_dropped_as_one_by_one():
    detector = REGISTRY["EMAIL"]
    rng = random.Random(7)
    for _ in range(50):
        chunk = detector.parse_column([_email(rng, rng.random() < 0.2) for _ in range(rng.choice((1, 30)))],
                                      context=True)
        expected = [None if v is None or is_role_address(v) else v for v in chunk]
        expect(detector.drop_organisational(list(chunk)) == expected, "role addresses differ")


def test_org_words_are_found_as_split_words():
    rng = random.Random(11)
    words = sorted(_org_words()) + ["ana", "west", "centers", "xcenter", "center-", "detención"]
    for _ in range(300):
        lines = [" ".join(rng.choice(words) if rng.random() < 0.1 else "ana" for _ in range(rng.randint(0, 3)))
                 for _ in range(rng.randint(1, 5))]
        expected = not _org_words().isdisjoint(" ".join(lines).split())
        expect(_has_org_word(lines) == expected, "org word search differs")


def test_phone_leftovers_are_parsed_as_parse_does():
    parse = REGISTRY["PHONE"].parse
    rng = random.Random(13)
    differences = 0
    texts = [text for text in (_phone(rng, True) for _ in range(3000)) if text]
    for context in (True, False):
        differences += sum(_leftover(parse, text, context) != parse(text, context=context) for text in texts)
        lined = [text for text in texts if "\n" not in text]
        together = _leftovers(parse, lined, context)
        differences += sum(a != parse(text, context=context) for a, text in zip(together, lined, strict=True))
    expect(differences == 0, f"{differences} leftovers differ")


@pytest.mark.parametrize("kind", sorted(GENERATORS))
@pytest.mark.parametrize("context", [True, False])
def test_each_odd_value_among_plain_ones(kind, context):
    """A near miss alone between plain values: the plain check must see it (or agree on it)."""
    detector, make = REGISTRY[kind], GENERATORS[kind]
    rng = random.Random(f"odd{kind}{context}")
    differences = 0
    for _ in range(400):
        values = [make(rng, False), make(rng, True), make(rng, False)]
        got = detector.parse_column(values, context=context)
        differences += sum(a != b for a, b in zip(got, _one_by_one(detector, values, context), strict=True))
        got = detector.parse_column(values[1:2], context=context)
        differences += got != _one_by_one(detector, values[1:2], context)
    expect(differences == 0, f"{kind}: {differences} values differ")


def test_trunk_prefixed_numbers_agree_with_phonenumbers():
    """"1-212-555-7300" and its kin, over every area code: the leftover path and phonenumbers."""
    parse = REGISTRY["PHONE"].parse
    rng = random.Random(17)
    differences = valid = 0
    for area in range(0, 1000):
        for _ in range(3):
            exchange, line = rng.choice((rng.randint(0, 999), 555)), rng.choice((rng.randint(0, 9999), 150))
            body = rng.choice(_PHONE_SHAPES[:3] + _PHONE_SHAPES[5:]).format(a=f"{area:03d}", e=f"{exchange:03d}",
                                                                            l=f"{line:04d}")
            text = "1" + rng.choice(("", " ", "-", ".")) + body
            verdict = reference(text)
            valid += verdict is not None
            differences += _leftover(parse, text, True) != verdict
            differences += _leftover(parse, text, False) != (None if text.isdigit() else verdict)
    expect(differences == 0, f"{differences} trunk-prefixed numbers differ")
    expect(300 < valid < 2000, f"{valid} valid")


@pytest.mark.parametrize("kind", sorted(GENERATORS))
def test_a_few_odd_values_anywhere_in_a_plain_chunk(kind):
    """Plain chunks with 1-40 near misses anywhere (first line, last line, side by side): the
    lines the RE2 walk names are those that are not plain one by one, and the results agree."""
    detector, make = REGISTRY[kind], GENERATORS[kind]
    line = _plain_name() if kind == "PERSON_NAME" else detector.plain_line(context=True)
    rng = random.Random(f"few{kind}")
    differences = walked = 0
    for _ in range(100):
        values = [make(rng, False) for _ in range(rng.choice((2, 100, 300)))]
        if kind == "PHONE":
            values = [v for v in values if v[:1] in "(23456789+" and " " not in v[1:4]] or ["212-555-7300"]
        if kind == "SSN":
            values = [v for v in values if detector.parse(v, context=True)] or ["123-45-6780"]
        for _ in range(rng.choice((1, 2, 5, 20, 30, 40))):
            odd = make(rng, True)
            values.insert(rng.choice((0, len(values), rng.randrange(len(values) + 1))), odd.replace("\n", " "))
        joined = plain.joined_lines(values)
        expected = [i for i, v in enumerate(values)
                    if plain.odd_lines(line, v, detector.plain_never) != []]
        got_odd = plain.odd_lines(line, joined, detector.plain_never)
        if joined is None:  # a carriage return: the chunk cannot be lined up
            differences += got_odd is not None
        elif got_odd is not None:
            walked += 1
            differences += got_odd != expected
        else:
            differences += len(expected) <= plain.ODD_LIMIT
        got = detector.parse_column(values, context=True)
        differences += sum(a != b for a, b in zip(got, _one_by_one(detector, values, True), strict=True))
    expect(differences == 0, f"{kind}: {differences} differences")
    expect(walked >= 30, f"{kind}: {walked} chunks walked")
