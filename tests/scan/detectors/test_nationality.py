import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, header_verdicts

NATIONALITY = REGISTRY["NATIONALITY"]
CASES = {
    "caps": ("GUATEMALA", True, "guatemala"),
    "spanish demonym": ("Guatemalteco", True, None),
    "accents": ("México", True, "méxico"),
    "iso name": ("Viet Nam", True, None),
    "official form": ("Iran, Islamic Republic of", True, None),
    "french": ("Haïti", True, None),
    "english demonym": ("Salvadoran", True, None),
    "spanish country": ("Estados Unidos", True, None),
    "a name": ("Maria Lopez", True, REJECT),
    "digits": ("1234", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(NATIONALITY, CASES, name)


def test_headers():
    assert header_verdicts(NATIONALITY, ("Country of Citizenship", "Nacionalidad", "País de origen", "citizenship",
                                         "Country of Birth")) == []
