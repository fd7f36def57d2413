"""PDF reader: page text as TextBlocks, aligned columns as Tables, encryption and bombs refused."""

from __future__ import annotations

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import TextBlock
from bot.scan.readers import read_document
from bot.scan.readers.pdf import find_tables
from bot.scan.sniff import sniff
from tests.scan.hostile_files import flate_bomb_pdf
from tests.scan.readers import fp, read_all, tables, texts

COLUMNS = ["Last Name", "First Name", "A-Number", "Facility"]
PEOPLE = [["Testperson", "Alpha", "A000000001", "North Center"],
          ["Testperson", "Beta", "A000000002", "South Center"],
          ["Testperson", "Gamma", "A000000003", "East Center"]]


def report_pdf(pages: int = 2, encrypt: bool = False) -> bytes:
    pdf = FPDF()
    if encrypt:
        pdf.set_encryption(owner_password="owner-secret", user_password="user-secret",
                           encryption_method=EncryptionMethod.RC4)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "Quarterly detention summary.\nPrepared for review by Testperson Reviewer.")
    pdf.ln(4)
    for row in [COLUMNS, *PEOPLE]:
        for cell in row:
            pdf.cell(45, 7, cell)
        pdf.ln(7)
    for number in range(2, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Page {number} has prose only.")
    return bytes(pdf.output())


def test_text_and_aligned_table():
    data = report_pdf()
    assert sniff(data) == "pdf"
    document, parts = read_all(data)
    blocks = texts(parts)
    assert [block.name for block, _ in blocks] == ["page 1", "page 2"]
    first_block, lines = blocks[0]
    assert isinstance(first_block, TextBlock) and first_block.style == "page"
    assert [number for number, _ in lines] == [1, 2]
    assert fp(lines[1][1]) == fp("Prepared for review by Testperson Reviewer.")
    assert first_block.where(1, 2) == "page 1, lines 1-2"

    [(table, rows)] = tables(parts)
    assert table.name == "page 1 table 1" and table.style == "table"
    assert table.header == COLUMNS
    assert [fp(cells) for _, cells in rows] == [fp(person) for person in PEOPLE]
    first, last = rows[0][0], rows[-1][0]
    assert last - first == 2
    assert table.where(2, first, last) == f'page 1 table 1 column "A-Number", rows {first}-{last}'
    # the table's lines are not repeated in the page's prose
    assert not any("A000000001" in text for _, text in lines)
    assert document.counters["pages"] == 2


def test_page_limit_reads_the_first_pages_and_says_so():
    document, parts = read_all(report_pdf(pages=4), limits=ReadLimits(max_pdf_pages=2))
    assert document.counters["pages"] == 2
    assert document.skipped == [{"where": "pages 3-4 of 4", "reason": "past the 2-page limit of one scan"}]


def test_password_protected_pdf_is_a_sentence():
    with pytest.raises(UnreadableContent, match="encrypted and needs a password"):
        read_document(report_pdf(encrypt=True), limits=ReadLimits(), deadline=Deadline(10))


def test_damaged_pdf_is_a_sentence():
    data = report_pdf()
    with pytest.raises(UnreadableContent) as caught:
        _, parts = read_all(b"%PDF-1.7\n" + bytes(range(256)) * 20, kind="pdf")
    assert str(caught.value).startswith("This PDF could not be read")
    assert data  # the control file itself is fine (see the test above)


def test_nested_flate_bomb_stops_with_a_limit():
    with pytest.raises(LimitExceeded, match="decompression bomb"):
        read_all(flate_bomb_pdf())


def test_find_tables_needs_three_lines_with_the_same_columns():
    lines = ["Name    City", "", "Alpha   North", "Beta    South", "a sentence with single spaces", "X  Y  Z"]
    [run] = find_tables(lines)
    assert [number for number, _ in run] == [1, 3, 4]
    assert find_tables(["A  B", "C  D"]) == []


def test_lines_of_label_value_fields_stay_lines_not_a_table():
    form = [f"Name: Testperson {i}   A-Number: A00000000{i}   DOB: 199{i}-01-02" for i in range(1, 5)]
    assert find_tables(form) == []
    listing = ["Name       A-Number     DOB", *[f"Testperson {i}   A00000000{i}   199{i}-01-02" for i in range(1, 4)]]
    assert len(find_tables(listing)) == 1
