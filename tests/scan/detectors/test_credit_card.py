import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.credit_card import issuer_ok, luhn_ok
from tests.scan.detectors.checks import REJECT, check_case, expect

CARD = REGISTRY["CREDIT_CARD"]
CASES = {
    "visa spaced": ("4111 1111 1111 1111", False, "4111111111111111"),
    "mastercard dashed": ("5500-0000-0000-0004", False, "5500000000000004"),
    "amex grouped": ("3782 822463 10005", False, "378282246310005"),
    "bare without context": ("4111111111111111", False, REJECT),
    "bare with context": ("4111111111111111", True, "4111111111111111"),
    "bad luhn": ("4111 1111 1111 1112", True, REJECT),
    "unknown issuer": ("9111 1111 1111 1117", True, REJECT),
    "short": ("4111 1111 1111", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(CARD, CASES, name)


def test_luhn_and_issuer_lengths():
    expect(luhn_ok("79927398713") and not luhn_ok("79927398710"), "luhn")
    expect(issuer_ok("371449635398431") and not issuer_ok("3714496353984"), "amex is 15 digits")
