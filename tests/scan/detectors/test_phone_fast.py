"""The common-shape phone path gives exactly what phonenumbers gives.

Random North American numbers over every area code 200-999 (assigned, unassigned, toll-free,
premium, Caribbean regions with their own leading digits) in each common shape, plus shapes the
fast path must hand over, are parsed by the detector and by phonenumbers itself
(parse + is_valid_number + E.164, the fiction range 555-0100..0199 left out).
"""

from __future__ import annotations

import random
import re

import phonenumbers
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

from bot.scan.detectors.phone import DETECTOR
from bot.scan.detectors.phone_fast import FALLBACK, international_e164, nanp_e164, nanp_valid, nanp_valid_many


def reference(text: str) -> str | None:
    """The detector before the fast paths: its shape (7-20 digits and separators), 10-15 digits,
    then phonenumbers decides."""
    if not re.fullmatch(r"\s*\+?[\d\s().-]{7,20}\s*", text) or not 10 <= sum(c.isdigit() for c in text) <= 15:
        return None
    try:
        number = phonenumbers.parse(text.strip(), "US")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if number.country_code == 1 and 5_550_100 <= number.national_number % 10_000_000 <= 5_550_199:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


SHAPES = ("({a}) {e}-{l}", "{a}-{e}-{l}", "{a}.{e}.{l}", "+1 {a} {e} {l}", "+1-{a}-{e}-{l}", "({a}){e}-{l}",
          "+1 ({a}) {e}-{l}", "{a} {e} {l}", "+1{a}{e}{l}", "{a}{e}{l}")


def numbers(rng: random.Random, count: int, areas: tuple[int, int] = (200, 999)):
    for _ in range(count):
        area = rng.randint(*areas)
        exchange = rng.choice((rng.randint(0, 999), rng.randint(200, 999), 555))
        line = rng.choice((rng.randint(0, 9999), rng.randint(100, 199)))
        yield rng.choice(SHAPES).format(a=f"{area:03d}", e=f"{exchange:03d}", l=f"{line:04d}")


def test_every_area_code_agrees_with_phonenumbers():
    rng = random.Random(4417)
    checked = valid = 0
    for text in numbers(rng, 12_000):
        assert DETECTOR.parse(text, context=True) == reference(text), "a number's verdict differs (shape " \
            + "".join("9" if c.isdigit() else c for c in text) + ")"
        checked += 1
        valid += reference(text) is not None
    assert valid > checked // 4 and valid < checked  # both verdicts were exercised


def test_area_codes_starting_0_or_1_agree_with_phonenumbers():
    """Never valid, except after 011 (the international prefix: another country's number)."""
    rng = random.Random(4418)
    texts = list(numbers(rng, 6_000, areas=(0, 199))) + [s.format(a="011", e="470", l="6020") for s in SHAPES]
    for text in texts:
        assert DETECTOR.parse(text, context=True) == reference(text), "a number's verdict differs (shape " \
            + "".join("9" if c.isdigit() else c for c in text) + ")"
    assert any(reference(text) is not None for text in texts)
    assert nanp_e164("(012) 555-7300") is None and nanp_e164("+1 123-555-7300") is None  # decided, not handed over


def test_region_rule_per_area():
    rng = random.Random(991)
    for area in range(200, 1000):
        for _ in range(6):
            nsn = f"{area:03d}{rng.randint(0, 999):03d}{rng.randint(0, 9999):04d}"
            assert nanp_valid(nsn) == phonenumbers.is_valid_number(phonenumbers.parse("+1" + nsn)), f"area {area}"


def test_other_shapes_fall_back_and_still_agree():
    for text in ("+44 20 7946 0018", "+52 55 1234 5678", "1-212-555-7300", "12125557300", "(011) 555-7300",
                 "+33 1 42 68 53 00", "212 555 73001", "+1 212 555 730", "(212 555-7300"):
        assert nanp_e164(text.strip()) is FALLBACK
        assert DETECTOR.parse(text, context=True) == reference(text)
    for text in ("+44 (0)20 7946 0018", "+33 01 42 68 53 00", "+800 1234 5678", "+7 8 495 123 45 67"):
        assert international_e164(text) is FALLBACK  # a national prefix, a zero, a non-geographic code
        assert DETECTOR.parse(text, context=True) == reference(text)


def test_every_calling_code_agrees_with_phonenumbers():
    """Random numbers after every calling code, grouped in the ways people write them."""
    rng = random.Random(7305)
    fast = valid = 0
    for code in sorted(COUNTRY_CODE_TO_REGION_CODE):
        for _ in range(25):
            digits = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rng.randint(6, 11)))
            groups, rest = [], digits
            while rest:
                size = rng.randint(1, 4)
                groups.append(rest[:size])
                rest = rest[size:]
            text = f"+{code}{rng.choice(('', ' ', '-'))}" + rng.choice((" ", "-", ".")).join(groups)
            fast += international_e164(text) is not FALLBACK
            valid += reference(text) is not None
            assert DETECTOR.parse(text, context=True) == reference(text), f"+{code} (shape " \
                + "".join("9" if c.isdigit() else c for c in text) + ")"
    assert fast > 1000 and valid > 200  # the fast path and both verdicts were exercised


def test_chunk_validation_equals_one_by_one():
    """nanp_valid_many (the first region's patterns over the chunk, the others' leading digits)
    answers as nanp_valid on every area code."""
    rng = random.Random(5521)
    nsns = [f"{area:03d}{rng.randint(0, 999):03d}{rng.randint(0, 9999):04d}" for area in range(200, 1000)
            for _ in range(8)]
    assert nanp_valid_many(nsns) == [nanp_valid(nsn) for nsn in nsns]
    assert any(nanp_valid_many(nsns)) and not all(nanp_valid_many(nsns))
