"""The batch kernels give exactly what parsing value by value gives."""

import random

import pytest

from bot.scan.detectors import REGISTRY
from tests.scan.detectors.checks import expect


def _variants(rng: random.Random) -> list:
    digits = f"{rng.randint(1, 999_999_999):09d}"
    ssn = f"{rng.randint(0, 999):03d}-{rng.randint(0, 99):02d}-{rng.randint(0, 9999):04d}"
    name = rng.choice(["María José", "O'Brien", "Nguyen Van An", "LÓPEZ, Ana", "x1", "de la Cruz", "Ana  Lucía",
                       "Press Office", "Centro de Detención Sur", "Adam West"])
    return [
        None, "", "   ", f"A{digits}", f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"a# {digits}", digits,
        digits.lstrip("0"), int(digits), f" {digits} ", f"A\u00a0{digits}", ssn, ssn.replace("-", " "),
        ssn.replace("-", ""), "078-05-1120", f"{name}", f"  {name}  ", f"{name}, Jr", "Unknown", "N/A",
        f"user{rng.randint(1, 99)}@Example.org", f"mailto:Ana.B{rng.randint(1, 9)}@example.com", "a..b@example.org",
        ".x@example.org", "ana@example", "Ana López García", "ÅSA ÖBERG", "Zhang Wei", 12.5,
    ]


@pytest.mark.parametrize("kind", ["A_NUMBER", "SSN", "EMAIL", "PERSON_NAME", "PHONE", "IBAN"])
@pytest.mark.parametrize("context", [True, False])
def test_kernel_equals_one_by_one(kind, context):
    detector = REGISTRY[kind]
    rng = random.Random(f"{kind}{context}")
    values = [v for _ in range(60) for v in _variants(rng)]
    rng.shuffle(values)
    one_by_one = [None if v is None or v == "" else
                  (detector.column_parser(context=context)(v) if isinstance(v, str) else
                   detector.parse_cell(v, context=context)) for v in values]
    batched = detector.parse_column(values, context=context)
    differences = sum(a != b for a, b in zip(one_by_one, batched, strict=True))
    expect(len(batched) == len(values) and differences == 0, f"{kind}: {differences} values differ")


def test_a_value_with_a_line_break_falls_back_to_one_by_one():
    detector = REGISTRY["A_NUMBER"]
    values = ["A273456189", "A273\n456189", "A978654321"]
    got = detector.parse_column(values, context=False)
    expect(got[0] == "273456189" and got[1] is None and got[2] == "978654321", "line break handled")
