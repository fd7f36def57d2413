"""Office files for reader tests: built with real libraries (xlwt, odfpy, python-docx, python-pptx)
where they can express the case, by hand (minimal, spec-faithful XML) where they cannot (tracked
deletions, merged grids, hostile repeats, entity declarations).

All values are synthetic: common first and last names combined, A-numbers from a seeded generator.
OpenDocument files are built in odf_files.py; `python -m tests.scan.readers.libreoffice_files`
regenerates the committed files under files/ with LibreOffice (soffice), which writes what the
libraries cannot (an .xls with cell notes).
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile

FIRST = ["Maria", "Jose", "Ana", "Luis", "Carmen", "Juan", "Rosa", "Carlos", "Elena", "Miguel", "Sofia", "Pedro"]
LAST = ["Garcia", "Lopez", "Martinez", "Hernandez", "Gonzalez", "Perez", "Rodriguez", "Sanchez", "Ramirez",
        "Torres", "Flores", "Rivera"]
ROSTER_HEADER = ["Full Name", "A-Number", "Date of Birth", "Country of Citizenship"]
COUNTRIES = ["Mexico", "Guatemala", "Honduras", "El Salvador"]


def roster(count: int = 12, seed: int = 7) -> list[list]:
    """Rows of [name, A-number, date of birth (date), country]; names and A-numbers distinct."""
    rng = random.Random(seed)
    numbers: set[str] = set()
    while len(numbers) < count:
        numbers.add(f"A{rng.randrange(200_000_000, 299_999_999):09d}")
    ordered = sorted(numbers)
    rng.shuffle(ordered)
    rows = []
    for index, number in enumerate(ordered):
        name = f"{FIRST[index % len(FIRST)]} {LAST[(index * 5 + index // len(FIRST)) % len(LAST)]}"
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 14_000))
        rows.append([name, number, born, COUNTRIES[index % len(COUNTRIES)]])
    return rows


def as_text(rows: list[list]) -> list[list[str]]:
    return [[value.isoformat() if isinstance(value, datetime.date) else str(value) for value in row]
            for row in rows]


# --- .xls (xlwt) -------------------------------------------------------------------------------------
def xls(sheets: dict[str, list[list]], *, hidden: set[str] = frozenset(), title_rows: int = 0) -> bytes:
    import xlwt

    workbook = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    time_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for name, rows in sheets.items():
        sheet = workbook.add_sheet(name)
        if name in hidden:
            sheet.visibility = 1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, datetime.datetime):
                    sheet.write(r + title_rows, c, value, time_style)
                elif isinstance(value, datetime.date):
                    sheet.write(r + title_rows, c, value, date_style)
                elif value is not None:
                    sheet.write(r + title_rows, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- .docx (python-docx, or raw XML) -------------------------------------------------------------
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_roster(rows: list[list], *, before: list[str] = (), after: list[str] = ()) -> bytes:
    import docx

    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    text = as_text([ROSTER_HEADER, *rows])
    table = document.add_table(rows=len(text), cols=len(text[0]))
    for r, row in enumerate(text):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for line in after:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_member(data: bytes, member: str, content: bytes | str, extra: dict[str, str] | None = None) -> bytes:
    """A copy of a zip with one member's content replaced (and members added)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == member else source.read(info))
        for name, text in (extra or {}).items():
            target.writestr(name, text)
    return buffer.getvalue()


def docx_with_body(body: str, *, prolog: str = "") -> bytes:
    """A real python-docx document whose body is replaced by `body` (w:p / w:tbl elements)."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{prolog}'
           f'<w:document {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
           f"<w:body>{body}<w:sectPr/></w:body></w:document>")
    return replace_member(buffer.getvalue(), "word/document.xml", xml)


def w_p(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def w_r(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def w_cell(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{w_p(w_r(text)) if text else '<w:p/>'}</w:tc>"


STRICT = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main": "http://purl.oclc.org/ooxml/wordprocessingml/main",
          "http://schemas.openxmlformats.org/drawingml/2006/main": "http://purl.oclc.org/ooxml/drawingml/main",
          "http://schemas.openxmlformats.org/presentationml/2006/main": "http://purl.oclc.org/ooxml/presentationml/main",
          "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              "http://purl.oclc.org/ooxml/officeDocument/relationships"}


def as_strict(data: bytes) -> bytes:
    """The package with its XML in ISO Strict namespaces (as Office's "Strict Open XML" saves it)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith(".xml") and "_rels" not in info.filename:
                text = content.decode()
                for transitional, strict in STRICT.items():
                    text = text.replace(f'"{transitional}"', f'"{strict}"')
                content = text.encode()
            target.writestr(info, content)
    return buffer.getvalue()


# --- .pptx (python-pptx) -----------------------------------------------------------------------------
def pptx_roster(rows: list[list], *, notes: str = "", hidden_second: bool = False) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "Weekly roster"
    text = as_text([ROSTER_HEADER, *rows])
    table = slide.shapes.add_table(len(text), len(text[0]), Inches(0.5), Inches(1.5), Inches(9), Inches(4)).table
    for r, row in enumerate(text):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    if notes:
        slide.notes_slide.notes_text_frame.text = notes
    second = presentation.slides.add_slide(presentation.slide_layouts[1])
    second.shapes.title.text = "Contacts"
    second.placeholders[1].text = "Call the office"
    if hidden_second:
        second._element.set("show", "0")
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


# --- hostile -----------------------------------------------------------------------------------------
def billion_laughs(root: str) -> str:
    """An entity-expansion bomb opening an XML part whose root element is `root`."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [{entities}]>'


def zip_bomb(member: str, marker: str, size: int = 300 << 20) -> bytes:
    """A zip whose `member` declares (and would inflate to) `size` bytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(marker, "x")
        with archive.open(member, "w", force_zip64=True) as target:
            chunk = b"\x00" * (1 << 20)
            for _ in range(size >> 20):
                target.write(chunk)
    return buffer.getvalue()


# --- committed files (LibreOffice) ------------------------------------------------------------------
def tracked_docx() -> bytes:
    """A python-docx roster with a header, a comment and a tracked deletion in its first paragraph."""
    import docx

    data = docx_roster(roster(4, seed=13), before=["Intake list"], after=["Reviewed weekly"])
    document = docx.Document(io.BytesIO(data))
    document.sections[0].header.paragraphs[0].text = "Field office copy"
    document.add_comment(document.paragraphs[-1].runs, text="Ask the front desk", author="Reviewer")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    body = source.read("word/document.xml").decode()
    deletion = ('<w:del w:id="901" w:author="Reviewer" w:date="2024-01-01T00:00:00Z"><w:r>'
                '<w:delText xml:space="preserve"> for Rosa Torres</w:delText></w:r></w:del>')
    body = body.replace("Intake list</w:t></w:r>", "Intake list</w:t></w:r>" + deletion, 1)
    return replace_member(buffer.getvalue(), "word/document.xml", body)
