"""Header-row location: titles above, labels vs data, shapes of the values below."""

from __future__ import annotations

import datetime

from bot.scan.readers.headers import is_label, locate_header, shape


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
