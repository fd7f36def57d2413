import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case

RECEIPT = REGISTRY["USCIS_RECEIPT"]
CENTERS = ("IOE", "EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "YSC")
CASES = {center: (f"{center.lower()}-2190012345", False, f"{center}2190012345") for center in CENTERS}
CASES |= {"unknown center": ("ABC2190012345", True, REJECT), "9 digits": ("EAC219001234", True, REJECT)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(RECEIPT, CASES, name)
