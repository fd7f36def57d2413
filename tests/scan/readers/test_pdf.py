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


# --- rotated pages, sideways text and long printed tables -----------------------------------------

def _roster_rows(count: int, seed: int = 21) -> list[list[str]]:
    import random

    from tests.corpus.values import Factory, ascii_fold

    factory = Factory(random.Random(seed))  # the core fonts print Latin-1 only
    return [[ascii_fold(person.full_name), f"A{factory.a_number()}", person.dob.isoformat()] for person in factory.people(count)]


def _draw_roster(pdf: FPDF, rows: list[list[str]], x: float, widths=(60, 40, 30)) -> None:
    for row in [["Name", "A-Number", "Date of Birth"], *rows]:
        pdf.set_x(x)
        for width, cell in zip(widths, row, strict=True):
            pdf.cell(width, 7, cell)
        pdf.ln(7)


def _table_rows(data: bytes) -> list[list[str]]:
    return [cells for _, rows in tables(read_all(data)[1]) for _, cells in rows]


def _with_rotate(data: bytes, degrees: int) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.rotate(degrees)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


ROSTER = _roster_rows(12)


def test_a_landscape_page_and_a_rotate_90_page_read_their_roster():
    landscape = FPDF(orientation="L")
    landscape.set_font("Helvetica", size=10)
    landscape.add_page()
    _draw_roster(landscape, ROSTER, 20)
    portrait = FPDF()
    portrait.set_font("Helvetica", size=10)
    portrait.add_page()
    _draw_roster(portrait, ROSTER, 10)
    for data in (bytes(landscape.output()), _with_rotate(bytes(portrait.output()), 90)):
        assert [fp(cells) for cells in _table_rows(data)] == [fp(row) for row in ROSTER]


@pytest.mark.parametrize("angle", [90, 270, 180])
def test_text_drawn_sideways_reads_in_reading_order(angle):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.add_page()
    pdf.set_xy(10, 10)
    pdf.cell(0, 7, "Upright heading above the sideways roster")
    with pdf.rotation(angle, x=105, y=148):
        pdf.set_xy(20, 110)
        _draw_roster(pdf, ROSTER, 20)
    data = bytes(pdf.output())
    for document in (data, _with_rotate(data, (360 - angle) % 360)):  # also shown upright with /Rotate
        _, parts = read_all(document)
        assert [fp(cells) for cells in _table_rows(document)] == [fp(row) for row in ROSTER]
        prose = [text for _, items in texts(parts) for _, text in items]
        assert "Upright heading above the sideways roster" in prose


def test_a_120_row_hearing_calendar_over_several_pages_keeps_every_row_and_a_number():
    rows = _roster_rows(120, seed=4)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=8)
    pdf.set_auto_page_break(True, margin=15)
    pdf.c_margin = 0  # no padding inside cells: columns as close as the widths say
    header = ["Date", "Time", "Respondent", "A-Number", "Alien No. (printed)", "Judge", "Room"]
    # tight columns, as exports size them to their longest value: the longest name ends about one
    # character before the next column, so fields are told apart by position, not by double spaces
    name_width = max(pdf.get_string_width(name) for name, _, _ in rows) + 0.7
    widths = (18, 11, name_width, 20, 28, 38, 10)

    def header_row():
        for width, cell in zip(widths, header, strict=True):
            pdf.cell(width, 5, cell)
        pdf.ln(5)

    pdf.add_page()
    pdf.cell(0, 6, "Master calendar hearings - Courtroom schedule")
    pdf.ln(8)
    header_row()
    for index, (name, a_number, _) in enumerate(rows):
        if pdf.will_page_break(5):
            pdf.add_page()
            header_row()
        digits = a_number[1:]
        printed = f"A {digits[0:3]} {digits[3:6]} {digits[6:9]}"
        cells = [f"2025-07-{1 + index % 28:02d}", f"{8 + index % 9:02d}:30", name, a_number, printed,
                 "Hon. Testperson Judge", str(1 + index % 9)]
        for width, cell in zip(widths, cells, strict=True):
            pdf.cell(width, 5, cell)
        pdf.ln(5)
    data = bytes(pdf.output())
    document, parts = read_all(data)
    assert document.counters["pages"] >= 3
    found = _table_rows(data)
    count = len(found)
    assert count == 120
    assert {fp(cells[3]) for cells in found} == {fp(a_number) for _, a_number, _ in rows}
    printed = {fp("".join(cells[4].split())) for cells in found}
    assert printed == {fp(a_number) for _, a_number, _ in rows}


def test_end_to_end_a_sideways_roster_is_found():
    import random

    from bot.config import ScanSettings
    from bot.scan.pipeline import scan_bytes
    from tests.corpus.values import Factory, ascii_fold

    factory = Factory(random.Random(31))
    pdf = FPDF()
    pdf.set_font("Helvetica", size=8)
    pdf.add_page()
    with pdf.rotation(90, x=105, y=148):
        pdf.set_xy(0, 60)
        columns = (45, 25, 25, 25)
        people = []
        for person in factory.people(25):
            ssn = factory.ssn(min_area=100)
            people.append([ascii_fold(person.full_name), f"A{factory.a_number()}",
                           f"{ssn[:3]}-{ssn[3:5]}-{ssn[5:]}", person.dob.isoformat()])
        for row in [["Full Name", "A-Number", "SSN", "Date of Birth"], *people]:
            pdf.set_x(0)
            for width, cell in zip(columns, row, strict=True):
                pdf.cell(width, 5, cell)
            pdf.ln(5)
    report = scan_bytes(bytes(pdf.output()), target="roster.pdf", settings=ScanSettings(fingerprint_key="k"))
    counts = {finding.type: finding.count for finding in report.findings}
    for kind in ("A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"):
        assert counts.get(kind, 0) >= 22, (kind, counts)
