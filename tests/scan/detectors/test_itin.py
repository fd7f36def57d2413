import pytest
from stdnum.us import itin as stdnum_itin

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect

ITIN = REGISTRY["ITIN"]
CASES = {f"group {g}": (f"912-{g}-3456", False, f"912{g}3456") for g in ("70", "88", "90", "92", "94", "99")}
CASES |= {f"group {g} rejected": (f"912-{g}-3456", True, REJECT) for g in ("69", "89", "93", "00", "50")}
CASES |= {"bare without context": ("912783456", False, REJECT), "bare with context": ("912783456", True, None),
          "not 9xx": ("123-78-4567", True, REJECT)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(ITIN, CASES, name)


def test_groups_match_python_stdnum():
    mismatched = [g for g in range(100)
                  if (ITIN.parse(f"955-{g:02d}-1234", context=True) is not None) != stdnum_itin.is_valid(f"955-{g:02d}-1234")]
    expect(not mismatched, f"groups judged differently from python-stdnum: {mismatched}")
