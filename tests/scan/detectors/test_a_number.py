import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.report import mask
from tests.scan.detectors.checks import REJECT, check_case, expect, header_verdicts, prose_hits, short_fp

A = REGISTRY["A_NUMBER"]
CASES = {
    "dashed 8 digits": ("A-27-345-618", False, "027345618"),
    "spaced 9 digits": ("A 273 456 189", False, "273456189"),
    "compact 9 digits": ("A273456189", False, "273456189"),
    "hash sign": ("A#273456189", False, "273456189"),
    "lower case, 7 digits": ("a2734561", False, "002734561"),
    "padded": (" A-027-345-618 ", False, "027345618"),
    "bare 9 without header": ("273456189", False, REJECT),
    "bare 9 under header": ("273456189", True, "273456189"),
    "bare dashed under header": ("27-345-618", True, "027345618"),
    "bare 7 under header": ("2734561", True, REJECT),
    "6 digits": ("A273456", True, REJECT),
    "10 digits": ("A2734561890", True, REJECT),
    "all zeros": ("A000000000", True, REJECT),
    "other letter": ("B273456189", True, REJECT),
    "word": ("Apple", True, REJECT),
}
PROSE = "Moved: A-27-345-618 and case 273456189 today."


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(A, CASES, name)


def test_int_cells_under_an_a_number_header():
    expect(A.parse_cell(27345618, context=True) == "027345618", "8-digit int cell")
    expect(A.parse_cell(273456189.0, context=True) == "273456189", "float cell")
    expect(A.parse_cell(27345618, context=False) is None, "int cell without header")
    expect(A.parse_cell(2734561, context=True) == "002734561", "7-digit int (an old A-number) under header")
    expect(A.parse_cell(123456, context=True) is None, "6 digits is too short")
    expect(A.parse_cell(2734561890, context=True) is None, "10 digits is too long")


def test_sample_keeps_the_marker_and_the_last_four():
    sample = A.mask_normalized("027345618")
    expect(sample == mask("A027345618", keep_prefix="A"), "mask() with keep_prefix")
    expect(sample.startswith("A•") and sample[-4:].isdigit() and sample.count("•") == 5, "shape A•••••dddd")


def test_prose_strong_and_context_forms():
    found = prose_hits(A, PROSE)
    expect((short_fp("A_NUMBER", "027345618"), True) in found, "prefixed form is strong")
    expect((short_fp("A_NUMBER", "273456189"), False) in found, "bare form needs context")
    expect(A.has_context("his Alien Registration number is") and A.has_context("número de extranjero"), "context")
    expect(not A.has_context("order number"), "no context in 'order number'")


def test_header_words_en_es_and_json_keys():
    assert header_verdicts(A, ("A-Number", "A#", "Alien No", "Alien Registration Number", "USCIS#", "Número A",
                               "Numero de Extranjero", "a_num", "alienNumber", "A-File No.")) == []
    assert header_verdicts(A, ("SKU", "Part No.", "Invoice #", "Account Number")) == [
        "SKU", "Part No.", "Invoice #", "Account Number"]


def test_placeholders_of_forms_and_docs_are_not_numbers():
    from bot.scan.detectors.a_number import DETECTOR

    for placeholder in ("A-12-345-678", "A123456789", "A 987 654 321", "A000000000", "A-111-111-111", "A0123456789"[:10]):
        assert DETECTOR.parse(placeholder, context=True) is None, "a placeholder was taken for a number"
    assert DETECTOR.parse_cell(123456789, context=True) is None
    assert DETECTOR.parse("A-12-345-679", context=False) == "012345679"
