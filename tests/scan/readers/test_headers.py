"""Header-row location: titles above, labels vs data, shapes of the values below."""

from __future__ import annotations

import datetime

from bot.scan.readers.headers import is_label, locate_header, shape
from bot.scan.readers.tables import segments


def numbered(*rows):
    return [(number, list(cells)) for number, cells in enumerate(rows, start=1)]


def test_header_under_title_and_blank_rows():
    rows = numbered(["Report title", None, None], [], [None], ["Name", "ID", "Date"],
                    ["Testperson Alpha", "A000000001", datetime.date(2020, 1, 1)])
    guess = locate_header(rows)
    assert guess.index == 3 and guess.title == "Report title"


def test_first_wide_row_of_data_means_headerless():
    rows = numbered(["Testperson Alpha", "A000000001", "2021-03-04", "55"],
                    ["Testperson Beta", "A000000002", "2021-03-05", "66"])
    assert locate_header(rows).index is None


def test_year_columns_are_labels_when_the_data_below_looks_different():
    rows = numbered(["Office", "Q1 2023", "Q2 2023"], ["North", "12.5", "13.0"], ["South", "7.5", "8.0"])
    assert locate_header(rows).index == 0


def test_header_cells_shaped_like_the_data_below_are_data():
    rows = numbered(["Office", "2022", "2023"], ["North", "12", "13"])
    assert locate_header(rows).index is None


def test_numbers_only_and_repeated_labels_are_not_headers():
    assert locate_header(numbered([1, 2, 3], [4, 5, 6])).index is None
    assert locate_header(numbered(["x", "x", "x", "x"], ["a", "b", "c", "d"])).index is None


def test_is_label_and_shape():
    assert is_label("Book-In Date") and is_label("A-Number")
    assert not is_label("A000000001") and not is_label("person@example.org") and not is_label(12)
    assert shape("A000000001") == "a9" and shape("2021-03-04") == "9-9-9" and shape(1.5) == "float"


def _stream(*rows):
    """Rows with explicit numbers; a jump in numbers is a blank gap."""
    return iter([(number, list(cells)) for number, cells in rows])


def _collect(rows):
    return [(segment.header, segment.header_row, segment.title, list(segment.rows)) for segment in segments(rows)]


def test_a_roster_under_a_summary_is_a_second_table():
    rows = _stream((1, ["Unit", "Beds"]), (2, ["North", 30]), (3, ["South", 40]),
                   (6, ["Roster"]), (7, ["Name", "A Number"]),
                   (8, ["Testperson Alpha", "A000000001"]), (9, ["Testperson Beta", "A000000002"]))
    [first, second] = _collect(rows)
    assert first[:3] == (["Unit", "Beds"], 1, None) and [n for n, _ in first[3]] == [2, 3]
    assert second[:3] == (["Name", "A Number"], 7, "Roster") and [n for n, _ in second[3]] == [8, 9]


def test_a_repeated_header_after_a_gap_is_dropped_not_split():
    rows = _stream((1, ["Name", "Amount"]), (2, ["Testperson Alpha", 1]),
                   (4, ["Name", "Amount"]), (5, ["Testperson Beta", 2]), (6, ["Testperson Gamma", 3]))
    [only] = _collect(rows)
    assert [n for n, _ in only[3]] == [2, 5, 6]


def test_text_rows_after_a_blank_line_stay_in_the_table():
    rows = _stream((1, ["Name", "City"]), (2, ["Testperson Alpha", "Springfield"]),
                   (4, ["Testperson Beta", "Shelbyville"]), (5, ["Testperson Gamma", "Ogdenville"]),
                   (6, ["Testperson Delta", "North Haverbrook"]))
    [only] = _collect(rows)
    assert [n for n, _ in only[3]] == [2, 4, 5, 6]


def test_a_table_left_half_read_still_lets_the_next_one_start_right():
    rows = _stream((1, ["Unit", "Beds"]), (2, ["North", 30]), (3, ["South", 40]),
                   (5, ["Name", "A Number"]), (6, ["Testperson Alpha", "A000000001"]),
                   (7, ["Testperson Beta", "A000000002"]))
    tables = segments(rows)
    first = next(tables)
    next(first.rows)
    second = next(tables)
    assert second.header_row == 5 and [n for n, _ in second.rows] == [6, 7]


def test_shape_and_is_label_over_letters_digits_and_other_numerals():
    """The shortcuts (all digits, all letters) give what the two patterns give: \\d is the
    decimal digits only, other numerals ("²", "Ⅻ") are word characters, as letters are."""
    cases = {"١٢٣": "9", "42": "9", " 7 ": "9", "²": "a", "Ⅻ": "a", "Ärzte": "a", "x²": "a",
             "ab_cd": "a_a", "": "", "A-1 b": "a-9 a", "555-0100": "9-9"}
    assert {value: shape(value) for value in cases} == cases
    assert is_label("Ⅻ Ärzte") and is_label("x1") and not is_label("x12") and not is_label("²³")
    assert not is_label(" ") and not is_label("a" * 81) and is_label(" Name ")


def test_a_header_needs_every_test_whichever_fails_first():
    """Distinct cells, a label, and no cell shaped like its column: each alone is a no."""
    below = (["North", "12", "x"], ["South", "13", "y"])
    assert locate_header(numbered(["Office", "Count", "Code"], *below)).index == 0
    assert locate_header(numbered(["Office", "2022", "Code"], *below)).index is None  # shaped like data
    assert locate_header(numbered(["12", "13", "14"], *below)).index is None  # no label
    assert locate_header(numbered(["Office", "Office", "Office"], *below)).index is None  # not distinct


def test_a_cell_shaped_like_the_most_common_shape_below_ties_to_the_first_met():
    """No shape holds most of the values: the most common one decides, a tie going to the one
    met first (as Counter.most_common does)."""
    first_digits = numbered(["Office", "2022"], ["North", "12"], ["South", "A1"], ["East", "13"], ["West", "A2"])
    first_letters = numbered(["Office", "2022"], ["North", "A1"], ["South", "12"], ["East", "A2"], ["West", "13"])
    assert locate_header(first_digits).index is None
    assert locate_header(first_letters).index == 0
