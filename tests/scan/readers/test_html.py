"""HTML reader: tables as Tables, visible text as numbered lines, invisible content skipped."""

from __future__ import annotations

import time

import pytest

from bot.errors import LimitExceeded
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Table
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, tables, texts, traced_peak

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


# --- the regex tokenizer: markup that html.parser handled for us -----------------------------------

CELL_VARIANTS = [
    "Testperson Alpha",
    "  Testperson\n   Alpha  ",
    "Test&amp;person &lt;Alpha&gt; &#65;&#x42;",
    "Testperson&nbsp;Alpha",
    '<a href="/p?a=1&amp;b=2" title="x > y">Testperson</a> Alpha',
    "Test<b>person</b><br>Alpha",
    "<span class='n'>Testperson</span><p>Alpha</p>",
    "",
    "A000000001 &gt 5",
]


@pytest.mark.parametrize("index", range(len(CELL_VARIANTS)))
def test_a_row_matched_whole_reads_like_the_same_row_tag_by_tag(index):
    """Rows with closed cells take the one-regex path; leaving the end tags out (legal HTML)
    forces the tag-by-tag path. Both must give the same cells."""
    cell = CELL_VARIANTS[index]
    header = "<tr><th>Name</th><th>Note</th><th>Id</th></tr>"
    closed = f"<table>{header}<tr><td>{cell}</td><TD class=\"x\">{cell}</TD><td>A000000001</td></tr></table>"
    open_ended = f"<table>{header}<tr><td>{cell}<TD class=\"x\">{cell}<td>A000000001</table>"
    [(_, whole)] = tables(read_all(closed.encode())[1])
    [(_, tag_by_tag)] = tables(read_all(open_ended.encode())[1])
    assert len(whole) == 1
    assert [fp(cells) for _, cells in whole] == [fp(cells) for _, cells in tag_by_tag]


def test_markup_inside_comments_scripts_and_attributes_is_not_content():
    page = (b"<html><body><!-- <table><tr><td>A000000091</td></tr></table> -->"
            b"<script type='text/javascript'>if (a < b) { document.write('<td>A000000092</td>') }</script>"
            b"<STYLE>td::after { content: '<td>A000000093' }</STYLE>"
            b"<table><tr><th title=\"a>b\">Name</th><th data-x='<td>'>A-Number</th></tr>"
            b"<tr><td>Testperson Alpha</td><td>A000000001</td></tr></table>"
            b"<p>1 < 2 and 3 > 2</p><!-- never closed <td>A000000094</td>")
    _, parts = read_all(page)
    [(table, rows)] = tables(parts)
    assert table.header == ["Name", "A-Number"]
    assert [fp(cells) for _, cells in rows] == [fp(["Testperson Alpha", "A000000001"])]
    lines = [text for _, items in texts(parts) for _, text in items]
    assert lines == ["1 < 2 and 3 > 2"]
    everything = repr([items for _, items in parts])
    for absent in ("A000000091", "A000000092", "A000000093", "A000000094"):
        assert absent not in everything, fp(absent)


def test_colspan_and_header_cells_on_the_fast_path():
    page = (b"<table><TR><TH>A</TH><th colspan='2'>B</th></TR>"
            b"<tr><td COLSPAN=2>wide</td><td>c</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>")
    [(table, rows)] = tables(read_all(page)[1])
    assert table.header == ["A", "B", ""] and table.header_row == 1
    assert rows == [(2, ["wide", "", "c"]), (3, ["1", "2", "3"])]


def test_text_after_a_big_table_keeps_its_source_line_and_long_text_is_cut_between_entities():
    rows = "".join(f"<tr><td>Testperson {i}</td><td>A{i:09d}</td></tr>\n" for i in range(3000))
    filler = "word &amp; " * 20_000  # one text run far longer than a parse chunk
    page = f"<table><tr><th>Name</th><th>A-Number</th></tr>\n{rows}</table>\n<p>After the table</p>\n<p>{filler}</p>"
    document, parts = read_all(page.encode(), limits=ReadLimits(max_text_line_chars=1 << 20))
    [(_, table_rows)] = tables(parts)
    assert len(table_rows) == 3000 and table_rows[-1][0] == 3001
    lines = [line for _, items in texts(parts) for line in items]
    assert lines[0] == (3003, "After the table")  # "</table>" is on line 3002
    assert lines[1][0] == 3004 and "&amp" not in lines[1][1] and "amp;" not in lines[1][1]
    assert lines[1][1].count("word") == 20_000


def test_table_rows_stream_instead_of_being_held_until_the_table_closes():
    rows = "".join(f'<tr class="r"><td>Testperson {i}</td><td>A{i:09d}</td><td>{i % 97}</td></tr>\n'
                   for i in range(60_000))
    page = f"<html><body><table><tr><th>Name</th><th>A-Number</th><th>N</th></tr>{rows}</table></body></html>"
    data = page.encode()
    # the decoded page is one str as large as the input; rows in flight must add little to it
    assert traced_peak(data) < 1.5 * len(data)


def test_text_before_a_table_comes_first_and_what_closes_inside_it_comes_after_it():
    page = (b"<p>Before</p><table><tr><th>Name</th><th>Id</th></tr><tr><td>a</td><td>1</td></tr>"
            b"loose words<tr><td>b<table><tr><th>Inner</th></tr><tr><td>i</td></tr></table></td><td>2</td></tr>"
            b"</table><p>After</p>")
    _, parts = read_all(page)
    kinds = [(part.name, [item[1] for item in items]) for part, items in parts]
    assert kinds == [("body", ["Before"]), ("table 1", [["a", "1"], ["b", "2"]]), ("table 2", [["i"]]),
                     ("body", ["loose words", "After"])]


def test_less_than_signs_that_start_no_tag_stay_text():
    soup = "if a<b and c<<d then <e " * 2000
    page = f"<p>{soup}</p><p>Testperson Alpha</p>".encode()
    _, parts = read_all(page, limits=ReadLimits(max_text_line_chars=1 << 20))
    lines = [text for _, items in texts(parts) for _, text in items]
    assert lines == [" ".join(soup.split()), "Testperson Alpha"]


# --- the grid: rowspan, colspan and headers of two rows ---------------------------------------------

def test_rowspan_fills_the_cells_below_and_columns_stay_aligned():
    page = (b"<table><tr><th>Facility</th><th>Name</th><th>A-Number</th></tr>"
            b"<tr><td rowspan=3>North</td><td>Testperson Alpha</td><td>A000000001</td></tr>"
            b"<tr><td>Testperson Beta</td><td>A000000002</td></tr>"
            b"<tr><td>Testperson Gamma</td><td rowspan='2'>A000000003</td></tr>"
            b"<tr><td>South</td><td>Testperson Delta</td></tr></table>")
    [(table, rows)] = tables(read_all(page)[1])
    assert table.header == ["Facility", "Name", "A-Number"]
    assert [fp(cells) for _, cells in rows] == [fp(cells) for cells in (
        ["North", "Testperson Alpha", "A000000001"], ["North", "Testperson Beta", "A000000002"],
        ["North", "Testperson Gamma", "A000000003"], ["South", "Testperson Delta", "A000000003"])]


def test_rowspan_on_the_tag_by_tag_path_matches_the_fast_path():
    closed = (b"<table><tr><th>F</th><th>N</th></tr><tr><td rowspan=2>North</td><td>a</td></tr>"
              b"<tr><td>b</td></tr></table>")
    open_ended = b"<table><tr><th>F<th>N<tr><td rowspan=2>North<td>a<tr><td>b</table>"
    assert tables(read_all(closed)[1])[0][1] == tables(read_all(open_ended)[1])[0][1] == [
        (2, ["North", "a"]), (3, ["North", "b"])]


def test_a_header_of_two_rows_is_combined_into_one_name_per_column():
    page = (b"<table><tr><th rowspan=2>Id</th><th colspan=2>Name</th><th colspan=2>Birth</th></tr>"
            b"<tr><th>First</th><th>Last</th><th>Date</th><th>Place</th></tr>"
            b"<tr><td>1</td><td>Alpha</td><td>Testperson</td><td>1990-01-02</td><td>North</td></tr></table>")
    [(table, rows)] = tables(read_all(page)[1])
    assert table.header == ["Id", "Name First", "Name Last", "Birth Date", "Birth Place"]
    assert table.header_row == 2
    assert rows == [(3, ["1", "Alpha", "Testperson", "1990-01-02", "North"])]


def test_absurd_spans_are_capped_within_bounded_time():
    huge = 10 ** 9
    cell = f'<td colspan="{huge}" rowspan="{huge}">x</td>'
    page = (f"<table><tr><th>A</th><th>B</th></tr><tr>{cell}{cell}</tr>"
            + "<tr><td>1</td><td>2</td></tr>" * 50 + f"<tr><td colspan={huge}>{'y' * 10}</td></tr>" * 2000
            + "</table>").encode()
    started = time.perf_counter()
    document, parts = read_all(page)
    assert time.perf_counter() - started < 20
    [(_, rows)] = tables(parts)
    assert max(len(cells) for _, cells in rows) <= 1000
    assert document.counters["cells"] <= 2_100_000
