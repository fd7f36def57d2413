"""xlsx reader: header under a merged title, hidden sheets and columns, typed values, closing."""

from __future__ import annotations

import datetime
import io
import zipfile

import openpyxl
import pytest

import bot.scan.readers.xlsx as xlsx_reader
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, traced_peak

HEADER = ["Last Name", "First Name", "Country of Citizenship", "A-Number", "Detention Facility",
          "Book-In Date", "Gender"]


def person(index: int) -> list:
    return [f"Testperson{index}", "Alpha", "Freedonia", f"A{100000000 + index:09d}", "North Center",
            datetime.datetime(2024, 1, 1) + datetime.timedelta(days=index), "F"]


def leak_workbook(rows: int = 10) -> bytes:
    """Title merged over A1:G1, blank rows 2-3, header on row 4, data from row 5."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Detained Population"
    sheet["A1"] = "Detained population report"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append([])
    sheet.append(HEADER)
    for index in range(rows):
        sheet.append(person(index))
    return _save(workbook)


def _save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_header_on_row_four_under_a_merged_title():
    data = leak_workbook(rows=10)
    assert sniff(data) == "xlsx"
    document, parts = read_all(data)
    [(table, rows)] = parts
    assert table.style == "sheet"
    assert table.name == "Detained Population"
    assert table.header == HEADER
    assert table.header_row == 4
    assert table.title == "Detained population report"
    assert [number for number, _ in rows] == list(range(5, 15))
    assert [fp(cells) for _, cells in rows] == [fp(person(index)) for index in range(10)]
    assert table.where(3, rows[0][0], rows[-1][0]) == "Detained Population!D5:D14"
    assert table.where(0, 7, 7) == "Detained Population!A7"
    assert table.column_name(3) == "A-Number"
    assert document.kind == "xlsx"
    assert document.counters == {"sheets": 1, "rows": 10, "cells": 70}


def test_numbers_and_dates_stay_typed():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Case", "Amount", "Count", "Filed"])
    sheet.append(["C-1", 12.5, 3, datetime.datetime(2023, 5, 6, 7, 8)])
    _, [(_, [(number, cells)])] = read_all(_save(workbook))
    assert number == 2
    assert type(cells[1]) is float and cells[1] == 12.5
    assert type(cells[2]) is int and cells[2] == 3
    assert cells[3] == datetime.datetime(2023, 5, 6, 7, 8)


def test_hidden_and_very_hidden_sheets_are_read_and_marked():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Visible"
    workbook.active.append(["Name", "Amount"])
    workbook.active.append(["Testperson Alpha", 1])
    for title, state in (("Hidden", "hidden"), ("Deep", "veryHidden")):
        sheet = workbook.create_sheet(title)
        sheet.sheet_state = state
        sheet.append(["Name", "A-Number"])
        sheet.append(["Testperson Beta", "A000000002"])
    document, parts = read_all(_save(workbook))
    flags = {table.name: table.hidden for table, _ in parts}
    assert flags == {"Visible": False, "Hidden": True, "Deep": True}
    assert all(len(rows) == 1 for _, rows in parts)
    assert "Read 2 hidden sheets too." in document.notes
    assert document.counters["sheets"] == 3


def test_hidden_columns_are_read_like_the_rest():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Secret", "City"])
    sheet.append(["Testperson Alpha", "A000000001", "Springfield"])
    sheet.column_dimensions["B"].hidden = True
    document, [(table, rows)] = read_all(_save(workbook))
    assert table.hidden_columns == {1}
    assert fp(rows[0][1][1]) == fp("A000000001")
    assert "Read 1 hidden column too." in document.notes


def test_headerless_sheet_and_trailing_empty_cells():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([1, 2, 3])
    sheet.append([4, 5, None])
    sheet["E2"].number_format = "0.00"  # a styled empty cell past the data
    _, [(table, rows)] = read_all(_save(workbook))
    assert table.header is None and table.header_row is None
    assert rows == [(1, [1, 2, 3]), (2, [4, 5])]


def test_xlsm_is_reported_as_xlsx_and_read():
    data = leak_workbook(rows=2)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            target.writestr(info, content)
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    macro = buffer.getvalue()
    assert sniff(macro) == "xlsx"
    document, [(table, rows)] = read_all(macro)
    assert document.kind == "xlsx" and table.header == HEADER and len(rows) == 2


class _Recorder:
    """Wraps the reader's workbook loading to see whether the workbook ends up closed."""

    def __init__(self, monkeypatch):
        self.workbooks = []
        original = xlsx_reader._load

        def load(*args, **kwargs):
            workbook = original(*args, **kwargs)
            self.workbooks.append(workbook)
            return workbook

        monkeypatch.setattr(xlsx_reader, "_load", load)

    @property
    def closed(self) -> bool:
        return all(workbook._archive.fp is None for workbook in self.workbooks) and bool(self.workbooks)


def _open(data: bytes):
    return read_document(data, limits=ReadLimits(), deadline=Deadline(30))


def test_workbook_closed_after_full_read(monkeypatch):
    recorder = _Recorder(monkeypatch)
    document = _open(leak_workbook(rows=3))
    for part in document.parts:
        for _ in part.rows:
            pass
    assert recorder.closed


def test_workbook_closed_when_consumer_stops_early(monkeypatch):
    recorder = _Recorder(monkeypatch)
    document = _open(leak_workbook(rows=600))
    table = next(document.parts)
    next(table.rows)
    assert not recorder.closed
    del table, document
    assert recorder.closed


def test_workbook_closed_when_the_document_is_never_read(monkeypatch):
    recorder = _Recorder(monkeypatch)
    document = _open(leak_workbook(rows=3))
    assert not recorder.closed
    del document
    assert recorder.closed


def test_workbook_closed_when_parts_are_closed(monkeypatch):
    recorder = _Recorder(monkeypatch)
    document = _open(leak_workbook(rows=3))
    next(document.parts)
    document.parts.close()
    assert recorder.closed


def test_damaged_sheet_xml_mid_stream_is_a_sentence_and_closes(monkeypatch):
    data = leak_workbook(rows=50)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cut = content.index(b'<row r="40"')
                content = content[:cut] + b"<row r='40'><c r='A40'><v>1</v></c></rowX></sheetData></worksheet>"
            target.writestr(info, content)
    recorder = _Recorder(monkeypatch)
    document = _open(buffer.getvalue())
    seen = 0
    with pytest.raises(UnreadableContent) as caught:
        for part in document.parts:
            for _ in part.rows:
                seen += 1
    assert seen > 0
    assert str(caught.value).startswith("This Excel file (.xlsx) could not be read")
    assert recorder.closed


def test_refuses_to_run_without_defusedxml(monkeypatch):
    monkeypatch.setattr(xlsx_reader.openpyxl, "DEFUSEDXML", False)
    with pytest.raises(UnreadableContent, match="defusedxml"):
        _open(leak_workbook(rows=1))


def test_defusedxml_is_in_force_here():
    assert openpyxl.DEFUSEDXML is True
    assert xlsx_reader.defusedxml_in_force()


def test_spent_deadline_stops_a_long_sheet():
    data = leak_workbook(rows=1200)
    document = read_document(data, limits=ReadLimits(), deadline=Deadline(0))
    with pytest.raises(LimitExceeded, match="took longer than"):
        for part in document.parts:
            for _ in part.rows:
                pass


def test_too_many_rows_is_a_limit():
    document = read_document(leak_workbook(rows=1100), limits=ReadLimits(max_rows=1000), deadline=Deadline(30))
    with pytest.raises(LimitExceeded, match="more than 1,000 rows"):
        for part in document.parts:
            for _ in part.rows:
                pass


def test_sheet_limit_reads_the_first_sheets_and_says_so():
    workbook = openpyxl.Workbook()
    for index in range(4):
        sheet = workbook.active if index == 0 else workbook.create_sheet(f"S{index}")
        sheet.append(["Name"])
        sheet.append([f"row {index}"])
    document, parts = read_all(_save(workbook), limits=ReadLimits(max_sheets=2))
    assert len(parts) == 2
    assert document.skipped == [{"where": "sheets 3-4 of 4", "reason": "past the 2-sheet limit of one scan"}]


def test_memory_stays_flat_as_the_sheet_grows():
    # tracemalloc counts every thread's allocations; other tests' server threads can add to one
    # reading, never take away: the least of three readings is the reader's own
    small_book, large_book = leak_workbook(rows=200), leak_workbook(rows=2000)
    small = min(traced_peak(small_book) for _ in range(3))
    large = min(traced_peak(large_book) for _ in range(3))
    assert large < small + 512 * 1024, (small, large)


def test_roster_below_a_summary_on_one_sheet_is_its_own_table():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Unit Report"
    sheet["A1"] = "Daily unit report"
    sheet.append([])
    sheet.append(["Unit", "Beds", "Occupied"])
    for unit in ("North", "South", "East"):
        sheet.append([unit, 40, 30])
    sheet.append([])
    sheet.append(["Roster"])
    sheet.append(HEADER)
    for index in range(5):
        sheet.append(person(index))
    document, parts = read_all(_save(workbook))
    [(summary, summary_rows), (roster, roster_rows)] = parts
    assert summary.header == ["Unit", "Beds", "Occupied"] and summary.header_row == 3
    assert [number for number, _ in summary_rows] == [4, 5, 6]
    assert roster.header == HEADER and roster.header_row == 9 and roster.title == "Roster"
    assert roster.where(3, roster_rows[0][0], roster_rows[-1][0]) == "Unit Report!D10:D14"
    assert document.counters["sheets"] == 1 and document.counters["rows"] == 8
