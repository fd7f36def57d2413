import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import REJECT, check_case

IP = REGISTRY["IP_ADDRESS"]
CASES = {
    "public v4": ("8.8.4.4", False, "8.8.4.4"),
    "public v6": ("2001:4860:4860::8888", False, None),
    "private": ("10.0.0.1", False, REJECT),
    "loopback": ("127.0.0.1", False, REJECT),
    "not an address": ("300.1.1.1", False, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(IP, CASES, name)
