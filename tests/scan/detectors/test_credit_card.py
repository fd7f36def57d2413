import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.credit_card import issuer_ok, luhn_ok
from tests.scan.detectors.checks import REJECT, check_case, expect

CARD = REGISTRY["CREDIT_CARD"]
CASES = {
    "visa spaced": ("4539 1488 0343 6467", False, "4539148803436467"),
    "mastercard dashed": ("5500-0000-0000-0004", False, "5500000000000004"),
    "amex grouped": ("3482 517001 32459", False, "348251700132459"),
    "bare without context": ("4539148803436467", False, REJECT),
    "bare with context": ("4539148803436467", True, "4539148803436467"),
    "published test card": ("4111 1111 1111 1111", True, REJECT),
    "published amex test card": ("3782 822463 10005", True, REJECT),
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
