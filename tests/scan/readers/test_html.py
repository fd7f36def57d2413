"""HTML reader: tables as Tables, visible text as numbered lines, invisible content skipped."""

from __future__ import annotations

import pytest

from bot.errors import LimitExceeded
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Table
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, tables, texts

PAGE = b"""<!doctype html>
<html><head><title>Case list</title>
<script>var hiddenId = "A000000099";</script>
<style>.x { color: red }</style>
</head><body>
<h1>Detainees &amp; cases</h1>
<p>Contact Testperson
   Alpha for details.</p>
<noscript>Enable scripts, Testperson Noscript</noscript>
<template><p>Testperson Template</p></template>
<table>
  <caption>Current detainees</caption>
  <tr><th>Name</th><th>A-Number</th><th>Facility</th></tr>
  <tr><td>Testperson Alpha</td><td>A000000001</td><td>North</td></tr>
  <tr><td>Testperson Beta</td><td>A000000002</td><td>South</td></tr>
</table>
<table>
  <tr><td>Name</td><td>Phone</td></tr>
  <tr><td>Testperson Gamma</td><td>555 0100</td></tr>
</table>
</body></html>
"""


def test_sniffed_as_html():
    assert sniff(PAGE) == "html"
    assert sniff(b"  <table><tr><td>a</td></tr></table>") == "html"


def test_tables_and_text():
    document, parts = read_all(PAGE)
    found = tables(parts)
    assert [table.name for table, _ in found] == ["table 1", "table 2"]
    first, rows = found[0]
    assert first.style == "table"
    assert first.header == ["Name", "A-Number", "Facility"] and first.header_row == 1
    assert first.title == "Current detainees"
    assert [number for number, _ in rows] == [2, 3]
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Alpha", "A000000001", "North"]),
                                               fp(["Testperson Beta", "A000000002", "South"])]
    assert first.where(1, 2, 3) == 'table 1 column "A-Number", rows 2-3'
    second, rows = found[1]
    assert second.header == ["Name", "Phone"]  # no <th>: the label row is still the header
    assert len(rows) == 1
    assert document.counters["rows"] == 3


def test_visible_text_has_source_line_numbers_and_decoded_entities():
    _, parts = read_all(PAGE)
    lines = [line for _, items in texts(parts) for line in items]
    by_text = {text: number for number, text in lines}
    assert by_text["Detainees & cases"] == 6
    assert by_text["Contact Testperson Alpha for details."] == 7
    assert by_text["Case list"] == 2


def test_script_style_template_noscript_are_not_read():
    _, parts = read_all(PAGE)
    everything = " ".join(
        str(cell) for part, items in parts for item in items
        for cell in (item[1] if isinstance(part, Table) else [item[1]])
    )
    for absent in ("A000000099", "color: red", "Testperson Noscript", "Testperson Template"):
        assert absent not in everything, fp(absent)


def test_colspan_keeps_columns_aligned_and_nested_tables_stand_alone():
    page = (b"<table><tr><th>A</th><th>B</th><th>C</th></tr>"
            b"<tr><td colspan=2>wide</td><td>c</td></tr>"
            b"<tr><td>x<table><tr><th>Inner</th></tr><tr><td>i</td></tr></table></td><td>y</td><td>z</td></tr>"
            b"</table>")
    _, parts = read_all(page)
    found = {table.name: rows for table, rows in tables(parts)}
    assert found["table 1"] == [(2, ["wide", "", "c"]), (3, ["x", "y", "z"])]
    assert found["table 2"] == [(2, ["i"])]


def test_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(LimitExceeded, match="larger than the"):
        read_document(PAGE * 10, kind="html", limits=ReadLimits(max_html_bytes=1000), deadline=Deadline(5))


def test_line_breaks_inside_cells_separate_words():
    page = b"<table><tr><th>Name</th><th>Address</th></tr><tr><td>Testperson<br>Alpha</td><td>1 Main St<br/>Springfield</td></tr></table>"
    _, [(_, rows)] = read_all(page)
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Alpha", "1 Main St Springfield"])]


def test_csv_pasted_in_a_pre_block_is_a_table_and_other_pre_text_keeps_its_lines():
    page = (b"<html><body><h1>Paste 123</h1>\n"
            b"<pre>\nname,anum,dob\nTestperson Alpha,A000000001,1990-01-02\nTestperson Beta,A000000002,1991-02-03\n</pre>\n"
            b"<pre>first line\n  second   line\n</pre></body></html>")
    _, parts = read_all(page)
    [(table, rows)] = tables(parts)
    assert table.name == "preformatted text 1"
    assert table.header == ["name", "anum", "dob"] and table.header_row == 3
    assert [number for number, _ in rows] == [4, 5]
    assert table.where(1, 4, 5) == 'preformatted text 1 column "anum", rows 4-5'
    lines = [line for _, items in texts(parts) for line in items]
    assert (7, "first line") in lines and (8, "second   line") in lines
