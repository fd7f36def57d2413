import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case

SEVIS = REGISTRY["SEVIS_ID"]
CASES = {
    "lower case": ("n0012345678", False, "N0012345678"),
    "spaced": ("N 0012345678", False, "N0012345678"),
    "9 digits": ("N001234567", True, REJECT),
    "zeros": ("N0000000000", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(SEVIS, CASES, name)
