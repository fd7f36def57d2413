import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case, expect, header_verdicts, prose_hits

CUSTODY = REGISTRY["CUSTODY_LOCATION"]
PROSE = "transferred to Cold Creek County Jail on Monday"
CASES = {
    "facility name": ("Red Mesa Processing Center", False, "red mesa processing center"),
    "bare name under header": ("Krome", True, "krome"),
    "bare name without header": ("Krome", False, REJECT),
    "number": ("12", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(CUSTODY, CASES, name)


def test_headers_and_prose():
    assert header_verdicts(CUSTODY, ("Detention Facility", "Centro de detención", "custody.facility", "Jail")) == []
    expect(len(prose_hits(CUSTODY, PROSE)) == 1, "facility in prose")
