"""OpenDocument reader: .ods sheets (typed, repeats within bounds, hidden parts, comments), .odt text
(tables, tracked deletions, notes, headers), .odp slides; hostile packages end in one sentence."""

from __future__ import annotations

import datetime
import pathlib
import time
import tracemalloc

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import drain, fp, read_all, tables, texts, traced_peak
from tests.scan.readers.odf_files import (
    odf_content,
    odf_styles,
    odf_table_xml,
    odf_zip,
    odp_roster,
    ods,
    odt_roster,
)
from tests.scan.readers.office_files import ROSTER_HEADER, as_text, billion_laughs, roster

FILES = pathlib.Path(__file__).parent / "files"
KEY_TYPES = ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")


def _cell(text: str, attrs: str = "") -> str:
    return f'<table:table-cell office:value-type="string" {attrs}><text:p>{text}</text:p></table:table-cell>'


def _sheet(rows_xml: str, name: str = "S", attrs: str = "") -> str:
    return f'<table:table table:name="{name}" {attrs}>{rows_xml}</table:table>'


def _row(*cells: str, attrs: str = "") -> str:
    return f"<table:table-row {attrs}>{''.join(cells)}</table:table-row>"


def _counts(data: bytes, target: str) -> dict:
    report = scan_bytes(data, target=target, settings=ScanSettings(fingerprint_key="k"))
    assert report.error is None, "the scan failed"
    counts = {finding.type: finding.count for finding in report.findings}
    return {kind: counts.get(kind) for kind in KEY_TYPES}


# --- spreadsheets ------------------------------------------------------------------------------------
def test_ods_roster_is_a_typed_table_and_padding_is_not_expanded():
    rows = roster(5)
    data = ods({"Roster": [ROSTER_HEADER, *rows]})
    assert sniff(data) == "ods"
    started = time.monotonic()
    document, [(table, read)] = read_all(data)
    assert time.monotonic() - started < 2  # the 1,048,571 padding rows cost nothing
    assert (table.style, table.name, table.header, table.header_row) == ("sheet", "Roster", ROSTER_HEADER, 1)
    assert [number for number, _ in read] == [2, 3, 4, 5, 6]
    assert [fp(cells) for _, cells in read] == [fp(row) for row in rows]
    assert all(type(cells[2]) is datetime.date for _, cells in read)
    assert table.where(1, 2, 6) == "Roster!B2:B6"
    assert document.counters == {"sheets": 1, "rows": 5, "cells": 20}


def test_memory_stays_flat_as_the_sheet_grows():
    def sheet(count: int) -> bytes:
        return ods({"Roster": [ROSTER_HEADER, *(roster(50) * (count // 50))]}, padding=False)

    small, large = traced_peak(sheet(500)), traced_peak(sheet(10_000))
    assert large < small + 1024 * 1024, (small, large)


def test_cell_types_from_office_value_type():
    moment = datetime.datetime(2023, 5, 6, 7, 8)
    data = ods({"S": [["Case", "Count", "Amount", "Filed", "Flag"], ["C-1", 3, 12.5, moment, True]]})
    _, [(_, [(number, cells)])] = read_all(data)
    assert number == 2
    assert cells[0] == "C-1"
    assert type(cells[1]) is int and cells[1] == 3
    assert type(cells[2]) is float and cells[2] == 12.5
    assert cells[3] == moment and isinstance(cells[3], datetime.datetime)
    assert cells[4] is True


def test_hidden_sheet_column_and_row_are_read_and_noted():
    hidden_row = _row(_cell("Testperson Gamma"), _cell("A000000003"), attrs='table:visibility="collapse"')
    content = odf_content(
        _sheet(_row(_cell("Name"), _cell("A-Number")) + _row(_cell("Testperson Alpha"), _cell("A000000001"))
               + hidden_row, "Visible")
        + _sheet(_row(_cell("Name")) + _row(_cell("Testperson Beta")), "Old", 'table:style-name="ta2"'),
        styles='<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
               "</style:style>")
    document, parts = read_all(odf_zip(content))
    assert {table.name: table.hidden for table, _ in parts} == {"Visible": False, "Old": True}
    assert [len(read) for _, read in parts] == [2, 1]
    assert {"Read 1 hidden sheet too.", "Read 1 hidden row too."} <= set(document.notes)

    data = ods({"S": [["Name", "Secret", "City"], ["Testperson Alpha", "A000000001", "Springfield"]]},
               hidden_columns={"S": 1})
    document, [(table, read)] = read_all(data)
    assert table.hidden_columns == {1}
    assert fp(read[0][1][1]) == fp("A000000001")
    assert "Read 1 hidden column too." in document.notes


def test_cell_comments_are_a_text_block_per_sheet():
    data = ods({"Roster": [["Name", "Amount"], ["Testperson Alpha", 4]]},
               annotations={("Roster", 1, 0): "Moved to the north unit"})
    _, parts = read_all(data)
    [(table, read)] = tables(parts)
    assert fp(read[0][1]) == fp(["Testperson Alpha", 4])  # the comment is not part of the cell
    [(comments, lines)] = texts(parts)
    assert comments.name == "Roster comments" and comments.label_from_content
    assert [fp(text) for _, text in lines] == [fp("Moved to the north unit")]


def test_repeated_content_is_expanded_within_bounds():
    rows = (_row(_cell("Name"), _cell("Code"))
            + _row(_cell("Testperson Alpha"), _cell("X", 'table:number-columns-repeated="2"'),
                   attrs='table:number-rows-repeated="3"')
            + _row('<table:table-cell table:number-columns-repeated="5"/>', attrs='table:number-rows-repeated="100"')
            + _row(_cell("Testperson Beta"), '<table:table-cell table:number-columns-repeated="2"/>', _cell("Y")))
    document, [(table, read)] = read_all(odf_zip(odf_content(_sheet(rows))))
    assert [number for number, _ in read] == [2, 3, 4, 105]
    assert [len(cells) for _, cells in read] == [3, 3, 3, 4]
    assert read[3][1][1:3] == [None, None]
    assert document.skipped == []


def test_repeat_budget_is_recorded_as_skipped(monkeypatch):
    import bot.scan.readers.opendocument as reader

    monkeypatch.setattr(reader, "REPEAT_BUDGET", 10)
    rows = _row(_cell("Name"), _cell("Code")) + _row(_cell("Testperson Alpha"), _cell("X"),
                                                      attrs='table:number-rows-repeated="50"')
    document, [(_, read)] = read_all(odf_zip(odf_content(_sheet(rows))))
    assert len(read) == 6  # the first row and 5 copies of 2 cells
    [skip] = document.skipped
    assert skip["reason"] == "copies of a repeated row past the bound one scan expands"
    assert skip["where"] == "sheet 1 rows 8-51"


@pytest.mark.parametrize("rows_xml", [
    _row(_cell("A000000001", 'table:number-columns-repeated="1000000000"'), attrs='table:number-rows-repeated="1000000000"'),
    _row(_cell("Testperson Alpha"), _cell("A000000001"), attrs='table:number-rows-repeated="1000000000"'),
    _row(_cell("A000000001", 'table:number-columns-repeated="1000000000"')),
    _row('<table:table-cell table:number-columns-repeated="1000000000"/>', _cell("A000000001")),
], ids=["rows-and-columns", "rows", "columns", "content-past-an-empty-billion"])
def test_a_billion_repeats_end_in_one_sentence_quickly(rows_xml):
    data = odf_zip(odf_content(_sheet(_row(_cell("Name"), _cell("A-Number")) + rows_xml)))
    started = time.monotonic()
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as caught:
            drain(read_document(data, limits=ReadLimits(), deadline=Deadline(30)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 5
    assert peak < 64 << 20, peak
    assert str(caught.value).startswith("This OpenDocument spreadsheet (.ods)") and "\n" not in str(caught.value)


def test_empty_billion_rows_then_content_keeps_the_row_number():
    rows = (_row(_cell("Name")) + _row(_cell("Testperson Alpha"))
            + _row('<table:table-cell/>', attrs='table:number-rows-repeated="1000000000"') + _row(_cell("Testperson Beta")))
    _, [(_, read)] = read_all(odf_zip(odf_content(_sheet(rows))))
    assert [number for number, _ in read] == [2, 1_000_000_003]


def test_sheets_past_the_limit_are_skipped():
    data = ods({f"S{index}": [["Name"], [f"row {index}"]] for index in range(4)}, padding=False)
    document, parts = read_all(data, limits=ReadLimits(max_sheets=2))
    assert [table.name for table, _ in parts] == ["S0", "S1"]
    assert document.skipped == [{"where": "sheets 3-4 of 4", "reason": "past the 2-sheet limit of one scan"}]


# --- hostile packages ------------------------------------------------------------------------------
def test_entity_expansion_is_refused_at_open():
    content = odf_content(_sheet(_row(_cell("&lol9;"))), prolog=billion_laughs("office:document-content"))
    started = time.monotonic()
    with pytest.raises(UnreadableContent) as caught:
        read_document(odf_zip(content), limits=ReadLimits(), deadline=Deadline(10))
    assert time.monotonic() - started < 2
    assert str(caught.value) == ("This OpenDocument spreadsheet (.ods) could not be read: it declares an XML document "
                                 "type or entities, which office programs never write (a possible XML bomb).")


def test_doctype_hidden_after_a_long_comment_is_refused_while_streaming():
    prolog = "<!--" + "x" * 200_000 + "-->" + billion_laughs("office:document-content").split("\n", 1)[1]
    content = odf_content(_sheet(_row(_cell("&lol9;"))), prolog=prolog)
    document = read_document(odf_zip(content), limits=ReadLimits(), deadline=Deadline(10))
    with pytest.raises(UnreadableContent, match="possible XML bomb"):
        drain(document)


def test_encrypted_package_is_one_sentence():
    data = odf_zip(odf_content(_sheet(_row(_cell("x")))),
                   manifest_extra='<manifest:encryption-data manifest:checksum-type="SHA1"/>')
    with pytest.raises(UnreadableContent, match="it is password-protected"):
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))


def test_damaged_xml_mid_stream_is_one_sentence():
    content = odf_content(_sheet(_row(_cell("Name")) + _row(_cell("Testperson Alpha")) + "<table:table-row>"))
    with pytest.raises(UnreadableContent, match="damaged"):
        read_all(odf_zip(content.replace("</table:table>", "</table:tableX>")))


# --- text documents ----------------------------------------------------------------------------------
def test_odt_paragraphs_and_table_with_its_header():
    rows = roster(4)
    data = odt_roster(rows, before=["Weekly list"], after=["Reviewed"])
    assert sniff(data) == "odt"
    document, parts = read_all(data)
    kinds = [(type(part).__name__, part.name) for part, _ in parts]
    assert kinds == [("TextBlock", "body"), ("Table", "table 1"), ("TextBlock", "body")]
    (_, first), (table, read), (_, last) = parts
    assert [number for number, _ in first] == [1, 2] and [number for number, _ in last] == [3]
    assert (table.style, table.header, table.header_row) == ("table", ROSTER_HEADER, 1)
    assert [fp(cells) for _, cells in read] == [fp(row) for row in as_text(rows)]
    assert table.where(1, 2, 5) == 'table 1 column "A-Number", rows 2-5'


def test_odt_notes_comments_tracked_deletions_headers_and_nesting():
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info>'
        "<dc:creator>Editor Name</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info>"
        "<text:p>removed line about Rosa Torres</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        "<text:h>Case<text:s text:c=\"3\"/>list</text:h>"
        '<text:p>See<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>footnote text</text:p></text:note-body></text:note> below"
        "<office:annotation><dc:creator>Reviewer Name</dc:creator><text:p>check this</text:p></office:annotation>"
        "</text:p>"
        "<text:list><text:list-item><text:p>first item</text:p></text:list-item></text:list>"
        + odf_table_xml([["Name", "Detail"], ["Testperson Alpha", "inner"]]).replace(
            "<text:p>inner</text:p>", odf_table_xml([["a", "b"], ["c", "d"]], "Inner")))
    styles = odf_styles('<style:master-page style:name="Standard"><style:header><text:p>Field office copy</text:p>'
                        "</style:header><style:footer><text:p>Page footer</text:p></style:footer></style:master-page>")
    document, parts = read_all(odf_zip(odf_content(body, "odt"), "odt", styles_xml=styles))
    blocks = {part.name: [text for _, text in lines] for part, lines in texts(parts)}
    assert blocks["body"] == ["Case   list", "See below", "first item"]
    assert blocks["footnotes"] == ["footnote text"]
    assert blocks["comments"] == ["check this"]
    assert blocks["tracked changes"] == ["removed line about Rosa Torres"]
    assert blocks["headers and footers"] == ["Field office copy", "Page footer"]
    [(table, read)] = tables(parts)
    assert table.header == ["Name", "Detail"]
    assert read == [(2, ["Testperson Alpha", "a\tb\nc\td"])]  # the inner table flattened into its cell
    assert "Read tracked changes (deleted text) too." in document.notes


def test_libreoffice_odt_with_a_tracked_deletion_comment_and_header():
    """files/roster_tracked.odt: a python-docx file converted by LibreOffice (libreoffice_files.py)."""
    data = (FILES / "roster_tracked.odt").read_bytes()
    assert sniff(data) == "odt"
    document, parts = read_all(data)
    blocks = {part.name: [text for _, text in lines] for part, lines in texts(parts)}
    assert [fp(line) for line in blocks["tracked changes"]] == [fp("for Rosa Torres")]
    assert [fp(line) for line in blocks["comments"]] == [fp("Ask the front desk")]
    assert [fp(line) for line in blocks["headers and footers"]] == [fp("Field office copy")]
    [(table, read)] = tables(parts)
    assert table.header == ROSTER_HEADER
    assert [fp(cells) for _, cells in read] == [fp(row) for row in as_text(roster(4, seed=13))]


# --- presentations -----------------------------------------------------------------------------------
def test_odp_slides_tables_notes_and_hidden_slides():
    data = (FILES / "roster_slides.odp").read_bytes()
    assert sniff(data) == "odp"
    document, parts = read_all(data)
    names = [part.name for part, _ in parts]
    assert names == ["slide 1", "slide 1 table 1", "slide 1 notes", "slide 2"]
    [(table, read)] = tables(parts)
    assert table.header == ROSTER_HEADER
    assert [fp(cells) for _, cells in read] == [fp(row) for row in as_text(roster(5, seed=14))]
    [notes] = [lines for part, lines in texts(parts) if part.name == "slide 1 notes"]
    assert fp("Speaker notes: confirm with Luis Perez") in [fp(text) for _, text in notes]
    assert "Read 1 hidden slide too." in document.notes
    assert document.counters["slides"] == 2


def test_sniff_tells_the_three_kinds_apart():
    assert sniff(odf_zip(odf_content("", "ods"), "ods")) == "ods"
    assert sniff(odf_zip(odf_content("", "odt"), "odt")) == "odt"
    assert sniff(odf_zip(odf_content("", "odp"), "odp")) == "odp"


# --- end to end --------------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["ods", "odt", "odp"])
def test_roster_is_found_end_to_end(kind):
    rows = roster(12)
    data = {"ods": lambda: ods({"Roster": [ROSTER_HEADER, *rows]}),
            "odt": lambda: odt_roster(rows, before=["Weekly list"]),
            "odp": lambda: odp_roster(rows, notes="Weekly review")}[kind]()
    assert _counts(data, f"roster.{kind}") == {"A_NUMBER": 12, "PERSON_NAME": 12, "DATE_OF_BIRTH": 12}
