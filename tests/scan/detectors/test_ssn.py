import random

import pytest
from stdnum.us import ssn as stdnum_ssn

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.ssn import KNOWN_SAMPLES
from tests.scan.detectors.checks import REJECT, check_case, expect

SSN = REGISTRY["SSN"]
CASES = {
    "dashed": ("234-56-7891", False, "234567891"),
    "bare without context": ("234567891", False, REJECT),
    "bare with context": ("234567891", True, "234567891"),
    "spaced with context": ("234 56 7891", True, "234567891"),
    "area 000": ("000-12-3456", True, REJECT),
    "area 666": ("666-12-3456", True, REJECT),
    "area 9xx": ("912-34-5678", True, REJECT),
    "group 00": ("123-00-4567", True, REJECT),
    "serial 0000": ("123-45-0000", True, REJECT),
    "wallet sample": ("078-05-1120", True, REJECT),
    "advertising sample": ("219-09-9999", True, REJECT),
    "wrong grouping": ("12-345-6789", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(SSN, CASES, name)


def test_same_verdicts_as_python_stdnum():
    rng = random.Random(5)
    numbers = [f"{rng.randint(0, 999):03d}-{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}" for _ in range(3000)]
    numbers += [f"{n[:3]}-{n[3:5]}-{n[5:]}" for n in KNOWN_SAMPLES - {"123456789"}]
    numbers = [n for n in numbers if n != "123-45-6789"]  # the one published sample stdnum still accepts
    disagreements = sum((SSN.parse(n, context=True) is not None) != stdnum_ssn.is_valid(n) for n in numbers)
    expect(disagreements == 0, f"{disagreements} numbers judged differently from python-stdnum")


def test_number_cells_get_their_leading_zeros_back():
    expect(SSN.parse_cell(12345678, context=True) == "012345678", "8-digit int under an SSN header")
    expect(SSN.parse_cell(234567891, context=True) == "234567891", "9-digit int")
    expect(SSN.parse_cell(12345678, context=False) is None, "int without a header")
    expect(SSN.parse_cell(66612345, context=True) == "066612345", "area 066 is fine once padded")


def test_the_advertised_sample_number_is_nobodys():
    expect(SSN.parse("123-45-6789", context=True) is None, "123-45-6789 is a published sample")
