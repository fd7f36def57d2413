import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect, prose_hits

ADDRESS = REGISTRY["ADDRESS"]
PROSE = "she lives at 1420 Elm Street, Springfield"
CASES = {
    "number and street": ("1420 Elm Street", False, "1420 elm street"),
    "spanish calle": ("Calle 5 #12-30", False, None),
    "under an address header": ("Apt 4, 77 Harbor Rd", True, None),
    "town only, header": ("Springfield", True, REJECT),
    "town only": ("Springfield", False, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(ADDRESS, CASES, name)


def test_prose():
    expect(len(prose_hits(ADDRESS, PROSE)) == 1, "one address")
