import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, header_verdicts

NAME = REGISTRY["PERSON_NAME"]
CASES = {
    "vietnamese": ("Nguyen Van An", True, None),
    "chinese": ("Zhang Wei", True, None),
    "haitian": ("Jean-Baptiste Pierre-Louis", True, None),
    "persian": ("Mohammadreza Hosseini", True, None),
    "spanish particles": ("María José de la Cruz", True, None),
    "russian": ("Svetlana Ivanova", True, None),
    "indian": ("Priya Venkataraman", True, None),
    "apostrophe and comma": ("O'Brien, Seán", True, None),
    "arabic": ("Abdullah bin Rashid al-Mansour", True, None),
    "last, first": ("HERNÁNDEZ PÉREZ, Xiomara", True, "xiomara hernández pérez"),
    "first last": ("Xiomara Hernández Pérez", True, "xiomara hernández pérez"),
    "facility": ("Otay Mesa Detention Center", True, REJECT),
    "country": ("El Salvador", True, REJECT),
    "identifier": ("A123456789", True, REJECT),
    "placeholder": ("N/A", True, REJECT),
    "email": ("x@example.org", True, REJECT),
    "unknown": ("Unknown", True, REJECT),
    "headerless listed": ("Maria Lopez", False, None),
    "headerless last, first": ("GARCIA, Jose", False, None),
    "headerless not in lists": ("Blue Widget", False, REJECT),
    "headerless one word": ("maria", False, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(NAME, CASES, name)


def test_name_headers():
    assert header_verdicts(NAME, ("Name", "Full Name", "Nombre completo", "Detainee Name", "person.fullName",
                                  "Employee", "Resident")) == []
