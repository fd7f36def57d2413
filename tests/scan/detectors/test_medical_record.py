import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect

MRN = REGISTRY["MEDICAL_RECORD"]
CASES = {
    "with context": ("MR-0012345", True, "MR0012345"),
    "without context": ("MR-0012345", False, REJECT),
    "letters only": ("ABC", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(MRN, CASES, name)


def test_context_words():
    expect(MRN.has_context("MRN:") and MRN.has_context("historia clínica"), "context EN and ES")
