import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case

I94 = REGISTRY["I94"]
CASES = {
    "11 digits": ("12345678901", True, "12345678901"),
    "2013 format": ("123456789a1", True, "123456789A1"),
    "without context": ("12345678901", False, REJECT),
    "10 digits": ("1234567890", True, REJECT),
    "zeros": ("00000000000", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(I94, CASES, name)
