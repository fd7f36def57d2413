"""Plain text and logs: numbered lines, long lines in bounded pieces."""

from __future__ import annotations

from bot.scan.limits import ReadLimits
from bot.scan.model import TextBlock
from bot.scan.sniff import sniff
from tests.scan.readers import fp, read_all, tables, texts


def test_lines_keep_their_numbers_across_blank_lines_and_crlf():
    data = b"2024-01-01 INFO started\r\n\r\nuser Testperson Alpha logged in\r\nend\n"
    assert sniff(data) == "text"
    document, [(block, lines)] = read_all(data)
    assert isinstance(block, TextBlock) and block.style == "line"
    assert [number for number, _ in lines] == [1, 3, 4]
    assert fp(lines[1][1]) == fp("user Testperson Alpha logged in")
    assert block.where(3, 4) == "lines 3-4"
    assert document.counters == {"lines": 3}


def test_a_long_line_comes_in_bounded_pieces_with_one_number():
    data = b"short\n" + b"y" * 2500 + b"\nlast\n"
    _, [(_, lines)] = read_all(data, kind="text", limits=ReadLimits(max_text_line_chars=1000))
    assert [(number, len(text)) for number, text in lines] == [(1, 5), (2, 1000), (2, 1000), (2, 500), (3, 4)]


def test_latin1_text_is_decoded():
    data = "Grüße aus Köln\n".encode("latin-1")
    _, [(_, lines)] = read_all(data, kind="text")
    assert lines == [(1, "Grüße aus Köln")]


def test_empty_input_is_an_empty_text_document():
    assert sniff(b"") == "text"
    document, parts = read_all(b"", kind="text")
    assert parts == [] and document.counters == {}


def listing(pages: int = 2, per_page: int = 4) -> bytes:
    """A mainframe-style listing: page headers, a ruler, names with commas, fixed columns."""
    lines = []
    for page in range(1, pages + 1):
        lines += ["\f" if page > 1 else "", f"RUN DATE: 06/15/25      DETAINEE LISTING      PAGE {page:>4}",
                  "FACILITY: NORTH CENTER", "",
                  f"{'A-NUMBER':<12}{'NAME (LAST, FIRST)':<24}{'COB':<12}DOB",
                  f"{'-' * 10:<12}{'-' * 22:<24}{'-' * 10:<12}{'-' * 10}"]
        for row in range(per_page):
            index = (page - 1) * per_page + row
            lines.append(f"{f'A{index:09d}':<12}{f'TESTPERSON, NUMBER{index}':<24}{'FREEDONIA':<12}01/02/1990")
    lines += ["", "TOTAL RECORDS: 8", "*** END OF REPORT ***"]
    return "\n".join(lines).encode()


def test_fixed_width_listing_is_one_table_across_page_headers():
    data = listing()
    assert sniff(data) == "text"  # the comma inside names does not make it a CSV
    document, parts = read_all(data)
    [(table, rows)] = tables(parts)
    assert table.name == "table 1" and table.style == "table"
    assert table.header == ["A-NUMBER", "NAME (LAST, FIRST)", "COB", "DOB"] and table.header_row == 5
    assert [number for number, _ in rows] == [7, 8, 9, 10, 17, 18, 19, 20]
    assert [fp(cells) for _, cells in rows[:1]] == [fp(["A000000000", "TESTPERSON, NUMBER0", "FREEDONIA", "01/02/1990"])]
    assert table.where(1, 7, 20) == 'table 1 column "NAME (LAST, FIRST)", rows 7-20'
    prose = [text for _, items in texts(parts) for _, text in items]
    assert "TOTAL RECORDS: 8" in prose and "FACILITY: NORTH CENTER" in prose
    assert not any("A000000001" in text for text in prose)
    assert document.counters["rows"] == 8


def test_prose_with_double_spaces_stays_prose():
    data = (b"First sentence here.  Second one follows.  Third.\n"
            b"Another line.  With spaces.\n"
            b"A third line, plain.\n")
    _, parts = read_all(data, kind="text")
    assert tables(parts) == [] and sum(len(items) for _, items in parts) == 3


def test_lined_up_label_value_fields_stay_prose():
    form = "\n".join(f"Name: Testperson {i}     A-Number: A00000000{i}     DOB: 199{i}-01-02" for i in range(1, 6))
    _, parts = read_all(form.encode())
    assert tables(parts) == []
    assert sum(len(items) for _, items in texts(parts)) == 5


def test_columns_split_by_tabs_or_wide_spaces_are_still_found_without_double_spaces():
    """Lines without "  " skip the field split; tabs and non-ASCII spaces must still reach it."""
    for gap in ("\t\t", "\u00a0\u00a0", " \t"):
        rows = [gap.join(["Name", "A-Number", "Facility"])]
        rows += [gap.join([f"Testperson {i}", f"A00000000{i}", "North"]) for i in range(1, 5)]
        _, parts = read_all("\n".join(rows).encode(), kind="text")
        [(_, table_rows)] = tables(parts)
        assert len(table_rows) >= 3, repr(gap)
