import pytest
from stdnum.us import itin as stdnum_itin

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect

ITIN = REGISTRY["ITIN"]
CASES = {f"group {g}": (f"912-{g}-3456", False, f"912{g}3456") for g in ("50", "65", "70", "88", "90", "92", "94", "99")}
CASES |= {f"group {g} rejected": (f"912-{g}-3456", True, REJECT) for g in ("49", "66", "69", "89", "93", "00")}
CASES |= {"bare without context": ("912783456", False, REJECT), "bare with context": ("912783456", True, None),
          "not 9xx": ("123-78-4567", True, REJECT)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(ITIN, CASES, name)


#: the IRS added group numbers 50-65 in 2011; python-stdnum's list predates them
IRS_ADDED = set(range(50, 66))


def test_groups_match_python_stdnum_plus_the_groups_the_irs_added():
    mismatched = [g for g in range(100)
                  if (ITIN.parse(f"955-{g:02d}-1234", context=True) is not None)
                  != (stdnum_itin.is_valid(f"955-{g:02d}-1234") or g in IRS_ADDED)]
    expect(not mismatched, f"groups judged differently: {mismatched}")
