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
