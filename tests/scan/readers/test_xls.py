"""xls reader: sheets as typed Tables, hidden sheets, cell notes, limits, and refusals in one sentence."""

from __future__ import annotations

import datetime
import pathlib
import time

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, tables, texts
from tests.scan.readers.office_files import ROSTER_HEADER, roster, xls

FILES = pathlib.Path(__file__).parent / "files"


def test_roster_under_a_title_is_a_typed_table():
    rows = roster(5)
    data = xls({"Intake": [["Weekly intake"], [], ROSTER_HEADER, *rows]})
    assert sniff(data) == "xls"
    document, [(table, read)] = read_all(data)
    assert document.kind == "xls"
    assert (table.style, table.name, table.header, table.header_row) == ("sheet", "Intake", ROSTER_HEADER, 3)
    assert table.title == "Weekly intake"
    assert [number for number, _ in read] == [4, 5, 6, 7, 8]
    assert [fp(cells) for _, cells in read] == [fp(row) for row in rows]
    assert all(type(cells[2]) is datetime.date for _, cells in read)
    assert table.where(1, 4, 8) == "Intake!B4:B8"
    assert document.counters == {"sheets": 1, "rows": 5, "cells": 20}


def test_numbers_dates_and_booleans_stay_typed():
    moment = datetime.datetime(2023, 5, 6, 7, 8)
    data = xls({"S": [["Case", "Count", "Amount", "Filed", "Flag"], ["C-1", 3, 12.5, moment, True]]})
    _, [(_, [(number, cells)])] = read_all(data)
    assert number == 2
    assert type(cells[1]) is int and cells[1] == 3
    assert type(cells[2]) is float and cells[2] == 12.5
    assert cells[3] == moment
    assert cells[4] is True


def test_hidden_sheet_is_read_marked_and_noted():
    data = xls({"Visible": [["Name", "Amount"], ["Testperson Alpha", 1]],
                "Old": [["Name", "A-Number"], ["Testperson Beta", "A000000002"]]}, hidden={"Old"})
    document, parts = read_all(data)
    assert {table.name: table.hidden for table, _ in parts} == {"Visible": False, "Old": True}
    assert all(len(read) == 1 for _, read in parts)
    assert "Read 1 hidden sheet too." in document.notes


def test_libreoffice_file_with_a_cell_note_and_a_hidden_sheet():
    """files/roster_notes.xls: written by LibreOffice (libreoffice_files.py)."""
    data = (FILES / "roster_notes.xls").read_bytes()
    assert sniff(data) == "xls"
    document, parts = read_all(data)
    [(roster_table, roster_rows), (archive, archive_rows)] = tables(parts)
    assert roster_table.header == ROSTER_HEADER and len(roster_rows) == 6
    assert [fp(cells) for _, cells in roster_rows] == [fp(row) for row in roster(6, seed=11)]
    assert archive.hidden and len(archive_rows) == 3
    [(comments, lines)] = texts(parts)
    assert comments.name == "Roster comments"
    assert [fp(text) for _, text in lines] == [fp("Checked by the front desk")]
    assert "Read 1 hidden sheet too." in document.notes


def test_sheets_past_the_limit_are_skipped_and_listed():
    data = xls({f"S{index}": [["Name"], [f"row {index}"]] for index in range(4)})
    document, parts = read_all(data, limits=ReadLimits(max_sheets=2))
    assert [table.name for table, _ in parts] == ["S0", "S1"]
    assert document.skipped == [{"where": "sheets 3-4 of 4", "reason": "past the 2-sheet limit of one scan"}]


def _encrypted(data: bytes) -> bytes:
    """The CODEPAGE record (2 bytes of payload) turned into a FILEPASS record, as Excel's
    "encrypt with password" writes one in the workbook globals."""
    codepage = b"\x42\x00\x02\x00"
    position = data.index(codepage, 512)
    return data[:position] + b"\x2f\x00\x02\x00" + data[position + 4:]


def test_password_protected_workbook_is_one_sentence():
    data = _encrypted(xls({"S": [["Name"], ["Testperson Alpha"]]}))
    assert sniff(data) == "xls"
    with pytest.raises(UnreadableContent) as caught:
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))
    assert str(caught.value) == "This Excel 97-2003 file (.xls) could not be read: it is password-protected."


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_truncated_workbook_is_one_sentence(cut):
    data = xls({"S": [ROSTER_HEADER, *roster(40)]})
    started = time.monotonic()
    with pytest.raises(UnreadableContent) as caught:
        read_all(data[:int(len(data) * cut)], kind="xls")
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith("This Excel 97-2003 file (.xls) could not be read:") and "\n" not in message
    assert all(fp(value) not in message for row in roster(40) for value in row)


def test_garbage_in_an_ole_file_is_one_sentence():
    data = xls({"S": [["Name"], ["Testperson Alpha"]]})
    damaged = data[:1536] + bytes(range(256)) * 8 + data[1536 + 2048:]
    with pytest.raises((UnreadableContent, LimitExceeded)) as caught:
        read_all(damaged, kind="xls")
    assert str(caught.value).count(".") >= 1 and "\n" not in str(caught.value)


def test_spent_deadline_stops_the_read():
    document = read_document(xls({"S": [ROSTER_HEADER, *roster(20)]}), limits=ReadLimits(), deadline=Deadline(0))
    with pytest.raises(LimitExceeded, match="took longer than"):
        for part in document.parts:
            for _ in part.rows:
                pass


def test_too_many_rows_is_a_limit():
    rows = [[f"Row {index}", index] for index in range(1100)]
    document = read_document(xls({"S": [["Name", "Count"], *rows]}), limits=ReadLimits(max_rows=1000),
                             deadline=Deadline(30))
    with pytest.raises(LimitExceeded, match="more than 1,000 rows"):
        for part in document.parts:
            for _ in part.rows:
                pass


def test_roster_is_found_end_to_end():
    data = xls({"Roster": [ROSTER_HEADER, *roster(12)]})
    report = scan_bytes(data, target="roster.xls", settings=ScanSettings(fingerprint_key="k"))
    counts = {finding.type: finding.count for finding in report.findings}
    assert report.kind == "xls" and report.error is None
    assert {kind: counts.get(kind) for kind in ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")} == {
        "A_NUMBER": 12, "PERSON_NAME": 12, "DATE_OF_BIRTH": 12}
