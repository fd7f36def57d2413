import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect, header_verdicts, prose_hits

PASSPORT = REGISTRY["PASSPORT"]
CASES = {
    "us 9 digits": ("123456789", True, "123456789"),
    "letter and digits": ("x1234567", True, "X1234567"),
    "two letters spaced": ("GK 1234567", True, "GK1234567"),
    "dash": ("C-12345678", True, "C12345678"),
    "never without context": ("X1234567", False, REJECT),
    "three letters": ("ABC12345", True, REJECT),
    "short": ("12345", True, REJECT),
    "word": ("hello", True, REJECT),
}
PROSE = "passport X1234567"


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(PASSPORT, CASES, name)


def test_prose_and_headers():
    expect([strong for _, strong in prose_hits(PASSPORT, PROSE)] == [False], "prose candidates need context")
    expect(PASSPORT.has_context("número de pasaporte") and not PASSPORT.has_context("invoice"), "context words")
    assert header_verdicts(PASSPORT, ("Passport No.", "Pasaporte", "ids.passport.number")) == []
