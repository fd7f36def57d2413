"""Delimited text: encodings, delimiters, header detection, line numbers, field limits."""

from __future__ import annotations

import codecs

import pytest

from bot.errors import LimitExceeded
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, traced_peak


def single_table(data: bytes, **kwargs):
    document, parts = read_all(data, **kwargs)
    assert len(parts) == 1
    table, rows = parts[0]
    return document, table, rows


def test_latin1_semicolon_csv():
    text = "Name;Stadt;Betrag\nTestperson Müller;Köln;12\nTestperson Ärger;Zürich;13\n"
    data = text.encode("latin-1")
    assert sniff(data) == "csv"
    document, table, rows = single_table(data)
    assert table.style == "table" and table.name == "table 1"
    assert table.header == ["Name", "Stadt", "Betrag"] and table.header_row == 1
    assert [number for number, _ in rows] == [2, 3]
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Müller", "Köln", "12"]),
                                               fp(["Testperson Ärger", "Zürich", "13"])]
    assert table.where(1, 2, 3) == 'table 1 column "Stadt", rows 2-3'
    assert document.counters == {"rows": 2, "cells": 6}


def test_cp1252_bytes_decode_as_cp1252():
    data = "Item,Price\nTicket,\u20ac 12\n".encode("cp1252")
    _, _, rows = single_table(data)
    assert rows[0][1][1] == "\u20ac 12"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_tsv_with_and_without_bom(encoding):
    text = "Name\tA-Number\tCity\nTestperson Alpha\tA000000001\tSpringfield\nTestperson Beta\tA000000002\tShelbyville\n"
    data = text.encode(encoding)
    assert sniff(data) == "csv"
    _, table, rows = single_table(data)
    assert table.header == ["Name", "A-Number", "City"]
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Alpha", "A000000001", "Springfield"]),
                                               fp(["Testperson Beta", "A000000002", "Shelbyville"])]


def test_utf8_bom_is_not_part_of_the_first_label():
    data = codecs.BOM_UTF8 + b"Name,Age\nTestperson Alpha,41\n"
    _, table, _ = single_table(data)
    assert table.header == ["Name", "Age"]


def test_headerless_csv_yields_its_first_line():
    data = b"Testperson Alpha,A000000001,2021-03-04,55\nTestperson Beta,A000000002,2021-03-05,66\n"
    _, table, rows = single_table(data)
    assert table.header is None and table.header_row is None
    assert [number for number, _ in rows] == [1, 2]
    assert table.where(1, 1, 2) == 'table 1 column "B", rows 1-2'


def test_pipe_delimiter_and_title_rows_above_the_header():
    data = b"Export of cases\n\nCase|Owner|Opened\nC-1|Testperson Alpha|2020-01-01\nC-2|Testperson Beta|2020-02-02\n"
    _, table, rows = single_table(data)
    assert table.title == "Export of cases"
    assert table.header == ["Case", "Owner", "Opened"] and table.header_row == 3
    assert [number for number, _ in rows] == [4, 5]


def test_quoted_multiline_field_keeps_line_numbers_right():
    data = b'Name,Note\nTestperson Alpha,"line one\nline two"\nTestperson Beta,plain\n'
    _, _, rows = single_table(data)
    assert [number for number, _ in rows] == [2, 4]
    assert rows[0][1][1] == "line one\nline two"


def test_file_name_names_the_table():
    _, table, rows = single_table(b"Name,ID\nTestperson Alpha,A000000001\n", name="people.csv")
    assert table.where(1, rows[0][0], rows[0][0]) == 'people.csv column "ID", row 2'


def test_field_over_the_limit_is_one_plain_sentence():
    field = b"q" * 1_500_000
    data = b"name,notes\nTestperson Alpha,\"" + field + b"\"\n"
    document = read_document(data, limits=ReadLimits(), deadline=Deadline(30))
    with pytest.raises(LimitExceeded) as caught:
        for part in document.parts:
            for _ in part.rows:
                pass
    message = str(caught.value)
    assert message == "This CSV file has a field longer than 1,048,576 characters, more than one scan reads."


def test_row_limit_applies_across_the_stream():
    data = b"n,v\n" + b"".join(b"%d,x\n" % index for index in range(2000))
    document = read_document(data, limits=ReadLimits(max_rows=1000), deadline=Deadline(30))
    with pytest.raises(LimitExceeded):
        for part in document.parts:
            for _ in part.rows:
                pass


def test_a_line_of_millions_of_fields_is_refused_before_parsing():
    data = b"a,b\n" + b"," * 9_000_000 + b"\n"
    with pytest.raises(LimitExceeded, match="line longer than"):
        read_document(data, kind="csv", limits=ReadLimits(), deadline=Deadline(30))


def test_rows_are_streamed_not_materialized():
    data = b"n,v\n" + b"".join(b"%d,x\n" % index for index in range(5000))
    document = read_document(data, limits=ReadLimits(), deadline=Deadline(30))
    table = next(document.parts)
    first = next(table.rows)
    assert first == (2, ["0", "x"])
    # only the peeked rows have been counted so far: the rest is still in the stream
    assert document.counters.get("rows", 0) < 100


def test_memory_stays_flat_as_the_file_grows():
    def csv_of(rows: int) -> bytes:
        return b"Name,ID,City\n" + b"".join(b"Testperson %d,A%09d,Springfield\n" % (index, index)
                                            for index in range(rows))

    small, large = traced_peak(csv_of(10_000)), traced_peak(csv_of(100_000))
    assert large < small + 256 * 1024, (small, large)


def test_two_sections_in_one_csv_are_two_tables():
    data = (b"Unit,Beds\nNorth,30\nSouth,40\n\nName,A-Number,Booked\n"
            b"Testperson Alpha,A000000001,2024-01-01\nTestperson Beta,A000000002,2024-01-02\n")
    _, parts = read_all(data, name="report.csv")
    assert [(table.name, table.header_row) for table, _ in parts] == [("report.csv", 1), ("report.csv table 2", 5)]
    assert [number for number, _ in parts[1][1]] == [6, 7]
