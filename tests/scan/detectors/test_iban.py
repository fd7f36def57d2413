import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect, prose_hits

IBAN = REGISTRY["IBAN"]
CASES = {
    "gb grouped": ("GB82 WEST 1234 5698 7654 32", False, "GB82WEST12345698765432"),
    "de dashed lower": ("de89-3704-0044-0532-0130-00", False, "DE89370400440532013000"),
    "bad checksum": ("GB82 WEST 1234 5698 7654 33", True, REJECT),
    "too short": ("GB82", True, REJECT),
}
PROSE = "Refund to GB82 WEST 1234 5698 7654 32 please"


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(IBAN, CASES, name)


def test_prose():
    expect(len(prose_hits(IBAN, PROSE)) == 1, "one IBAN in prose")
