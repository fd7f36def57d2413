import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.report import mask
from tests.scan.detectors.checks import REJECT, check_case, expect, header_verdicts, prose_hits, short_fp

A = REGISTRY["A_NUMBER"]
CASES = {
    "dashed 8 digits": ("A-12-345-678", False, "012345678"),
    "spaced 9 digits": ("A 123 456 789", False, "123456789"),
    "compact 9 digits": ("A123456789", False, "123456789"),
    "hash sign": ("A#123456789", False, "123456789"),
    "lower case, 7 digits": ("a1234567", False, "001234567"),
    "padded": (" A-012-345-678 ", False, "012345678"),
    "bare 9 without header": ("123456789", False, REJECT),
    "bare 9 under header": ("123456789", True, "123456789"),
    "bare dashed under header": ("12-345-678", True, "012345678"),
    "bare 7 under header": ("1234567", True, REJECT),
    "6 digits": ("A123456", True, REJECT),
    "10 digits": ("A1234567890", True, REJECT),
    "all zeros": ("A000000000", True, REJECT),
    "other letter": ("B123456789", True, REJECT),
    "word": ("Apple", True, REJECT),
}
PROSE = "Moved: A-12-345-678 and case 123456789 today."


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(A, CASES, name)


def test_int_cells_under_an_a_number_header():
    expect(A.parse_cell(12345678, context=True) == "012345678", "8-digit int cell")
    expect(A.parse_cell(123456789.0, context=True) == "123456789", "float cell")
    expect(A.parse_cell(12345678, context=False) is None, "int cell without header")
    expect(A.parse_cell(1234567, context=True) == "001234567", "7-digit int (an old A-number) under header")
    expect(A.parse_cell(123456, context=True) is None, "6 digits is too short")
    expect(A.parse_cell(1234567890, context=True) is None, "10 digits is too long")


def test_sample_keeps_the_marker_and_the_last_four():
    sample = A.mask_normalized("012345678")
    expect(sample == mask("A012345678", keep_prefix="A"), "mask() with keep_prefix")
    expect(sample.startswith("A•") and sample[-4:].isdigit() and sample.count("•") == 5, "shape A•••••dddd")


def test_prose_strong_and_context_forms():
    found = prose_hits(A, PROSE)
    expect((short_fp("A_NUMBER", "012345678"), True) in found, "prefixed form is strong")
    expect((short_fp("A_NUMBER", "123456789"), False) in found, "bare form needs context")
    expect(A.has_context("his Alien Registration number is") and A.has_context("número de extranjero"), "context")
    expect(not A.has_context("order number"), "no context in 'order number'")


def test_header_words_en_es_and_json_keys():
    assert header_verdicts(A, ("A-Number", "A#", "Alien No", "Alien Registration Number", "USCIS#", "Número A",
                               "Numero de Extranjero", "a_num", "alienNumber", "A-File No.")) == []
    assert header_verdicts(A, ("SKU", "Part No.", "Invoice #", "Account Number")) == [
        "SKU", "Part No.", "Invoice #", "Account Number"]
