import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.phone import ORG_CONTEXT
from tests.scan.detectors.checks import REJECT, check_case, expect

PHONE = REGISTRY["PHONE"]
E164 = "+12024561414"
CASES = {
    "parens": ("(202) 456-1414", False, E164),
    "dashes": ("202-456-1414", False, E164),
    "plus": ("+1 202 456 1414", False, E164),
    "one prefix": ("1-202-456-1414", False, E164),
    "dots": ("202.456.1414", False, E164),
    "bare digits without header": ("2024561414", False, REJECT),
    "bare digits under header": ("2024561414", True, E164),
    "mexico": ("+52 55 1234 5678", False, None),
    "no such area code": ("(123) 456-7890", True, REJECT),
    "too short": ("12-34", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(PHONE, CASES, name)


def test_int_cell_under_a_phone_header():
    expect(PHONE.parse_cell(2024561414, context=True) == E164, "int cell")


def test_office_lines_are_recognised():
    expect(bool(ORG_CONTEXT.search("Main switchboard:")) and bool(ORG_CONTEXT.search("Oficina de prensa")), "org")
    expect(not ORG_CONTEXT.search("Personal Phone"), "a person's phone")


def test_international_numbers_in_prose_in_any_grouping():
    phone = REGISTRY["PHONE"]
    written = {
        "Best number: +50934432534.": "+50934432534",
        "call +33 1 42 68 53 00 today": "+33142685300",
        "WhatsApp +55 11 98456 5666": "+5511984565666",
        "mobile +7 771 004 0458": "+77710040458",
    }
    for text, e164 in written.items():
        found = [c.normalized for c in phone.find(text)]
        expect(found == [e164], f"{len(found)} numbers found in a sentence with one")


def test_fictional_north_american_numbers_are_nobodys():
    expect(REGISTRY["PHONE"].parse("(202) 555-0143", context=True) is None, "555-0100..0199 is fiction")
    expect(REGISTRY["PHONE"].parse("(202) 555-0243", context=True) == "+12025550243", "555-0243 is a real line")
