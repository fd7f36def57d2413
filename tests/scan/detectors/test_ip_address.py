import random
import re

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


def test_narrow_spans_find_what_the_narrow_pattern_finds():
    """The dot-first IPv4 finder used on screened (ASCII) log lines equals the pattern it stands for."""
    pattern = re.compile(IP.narrow_pattern.pattern, re.ASCII)
    rng = random.Random(3)
    pieces = ("1", "12", "123", "1234", ".", ".", ":", "a", "_", "-", " ", "/", "[", "8.8.8.8", "10.0.0.1")
    for _ in range(5000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        expected = [m.span() for m in pattern.finditer(line)]
        assert IP.narrow_spans(line) == expected, f"{len(expected)} spans expected"
