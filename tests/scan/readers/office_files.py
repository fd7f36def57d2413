"""Office files for reader tests: built with real libraries (xlwt, odfpy, python-docx, python-pptx)
where they can express the case, by hand (minimal, spec-faithful XML) where they cannot (tracked
deletions, merged grids, hostile repeats, entity declarations).

All values are synthetic: common first and last names combined, A-numbers from a seeded generator.
`python -m tests.scan.readers.office_files` regenerates the committed files under files/ with
LibreOffice (soffice), which writes what the libraries cannot (an .xls with cell notes).
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


# --- OpenDocument (odfpy, or raw XML) -------------------------------------------------------------
def _odf_cell(value, *, annotation: str | None = None, repeat: int = 1):
    from odf.office import Annotation
    from odf.table import TableCell
    from odf.text import P

    extra = {"numbercolumnsrepeated": repeat} if repeat > 1 else {}
    if value is None:
        return TableCell(**extra)
    if isinstance(value, datetime.date):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **extra)
    elif isinstance(value, bool):
        cell = TableCell(valuetype="boolean", booleanvalue=str(value).lower(), **extra)
    elif isinstance(value, int | float):
        cell = TableCell(valuetype="float", value=str(value), **extra)
    else:
        cell = TableCell(valuetype="string", **extra)
    if annotation:
        note = Annotation()
        note.addElement(P(text=annotation))
        cell.addElement(note)
    cell.addElement(P(text=value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)))
    return cell


def ods(sheets: dict[str, list[list]], *, hidden: set[str] = frozenset(), annotations: dict | None = None,
        hidden_columns: dict[str, int] | None = None, padding: bool = True) -> bytes:
    """A spreadsheet as LibreOffice writes one: column declarations, trailing empty padding rows.

    `annotations` maps (sheet, row index, column index) to a comment's text; `hidden_columns`
    maps a sheet to one 0-based column to hide.
    """
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TableProperties
    from odf.table import Table, TableColumn, TableRow

    document = OpenDocumentSpreadsheet()
    hidden_style = Style(name="taHidden", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden_style)
    column_style = Style(name="co1", family="table-column")
    column_style.addElement(TableColumnProperties(columnwidth="2cm"))
    document.automaticstyles.addElement(column_style)
    for name, rows in sheets.items():
        table = Table(name=name, **({"stylename": hidden_style} if name in hidden else {}))
        hide = (hidden_columns or {}).get(name)
        if hide is not None:
            if hide:
                table.addElement(TableColumn(numbercolumnsrepeated=hide, stylename=column_style))
            table.addElement(TableColumn(visibility="collapse", stylename=column_style))
            table.addElement(TableColumn(numbercolumnsrepeated=1023 - hide, stylename=column_style))
        else:
            table.addElement(TableColumn(numbercolumnsrepeated=1024, stylename=column_style))
        for r, row in enumerate(rows):
            element = TableRow()
            for c, value in enumerate(row):
                element.addElement(_odf_cell(value, annotation=(annotations or {}).get((name, r, c))))
            element.addElement(_odf_cell(None, repeat=1024 - len(row)))
            table.addElement(element)
        if padding:  # what every LibreOffice sheet ends with
            element = TableRow(numberrowsrepeated=1_048_576 - len(rows))
            element.addElement(_odf_cell(None, repeat=1024))
            table.addElement(element)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


ODF_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
ODF_MIME = {"ods": "application/vnd.oasis.opendocument.spreadsheet",
            "odt": "application/vnd.oasis.opendocument.text",
            "odp": "application/vnd.oasis.opendocument.presentation"}


def odf_content(body: str, kind: str = "ods", *, styles: str = "", prolog: str = "") -> str:
    element = {"ods": "spreadsheet", "odt": "text", "odp": "presentation"}[kind]
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}<office:document-content {ODF_NAMESPACES}>'
            f"<office:automatic-styles>{styles}</office:automatic-styles>"
            f"<office:body><office:{element}>{body}</office:{element}></office:body></office:document-content>")


def odf_zip(content: str | bytes, kind: str = "ods", *, styles_xml: str | None = None,
            manifest_extra: str = "") -> bytes:
    """An OpenDocument package as the spec lays it out: mimetype stored first, then the manifest."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODF_MIME[kind], compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", (
            '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODF_MIME[kind]}"/>'
            f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
            "</manifest:file-entry></manifest:manifest>"))
        archive.writestr("content.xml", content)
        if styles_xml is not None:
            archive.writestr("styles.xml", styles_xml)
    return buffer.getvalue()


def odf_styles(master: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {ODF_NAMESPACES}>'
            '<office:styles><style:style style:name="Standard" style:family="paragraph"/></office:styles>'
            f"<office:master-styles>{master}</office:master-styles></office:document-styles>")


def odf_table_xml(rows: list[list[str]], name: str = "Table1") -> str:
    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>' for cell in row)
        + "</table:table-row>" for row in rows)
    return (f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
            f"{body}</table:table>")


def odt_roster(rows: list[list], *, before: list[str] = (), after: list[str] = ()) -> bytes:
    """A text document (odfpy): a heading, paragraphs, and the roster as a table with a header row."""
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableColumn, TableHeaderRows, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Intake"))
    for line in before:
        document.text.addElement(P(text=line))
    table = Table(name="Roster")
    table.addElement(TableColumn(numbercolumnsrepeated=len(ROSTER_HEADER)))
    head = TableHeaderRows()
    header = TableRow()
    for value in ROSTER_HEADER:
        header.addElement(_odf_cell(value))
    head.addElement(header)
    table.addElement(head)
    for row in as_text(rows):
        element = TableRow()
        for value in row:
            element.addElement(_odf_cell(value))
        table.addElement(element)
    document.text.addElement(table)
    for line in after:
        document.text.addElement(P(text=line))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odp_roster(rows: list[list], *, notes: str = "") -> bytes:
    """A presentation: a slide with a title frame and the roster as a table, speaker notes."""
    table = odf_table_xml(as_text([ROSTER_HEADER, *rows]), name="Roster")
    notes_xml = (f'<presentation:notes><draw:frame presentation:class="notes"><draw:text-box>'
                 f"<text:p>{notes}</text:p></draw:text-box></draw:frame></presentation:notes>" if notes else "")
    body = ('<draw:page draw:name="page1" draw:master-page-name="Default">'
            '<draw:frame presentation:class="title"><draw:text-box><text:p>Weekly roster</text:p></draw:text-box>'
            f"</draw:frame><draw:frame>{table}</draw:frame>{notes_xml}</draw:page>")
    return odf_zip(odf_content(body, "odp"), "odp")


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


def _convert(source: bytes, name: str, target: str, folder: str) -> bytes:
    import pathlib
    import subprocess

    path = pathlib.Path(folder, name)
    path.write_bytes(source)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
                    "--convert-to", target, "--outdir", folder, str(path)], check=True, capture_output=True)
    return path.with_suffix("." + target).read_bytes()


def _regenerate() -> None:  # pragma: no cover - run by hand when soffice is installed
    import pathlib
    import tempfile

    here = pathlib.Path(__file__).parent / "files"
    here.mkdir(exist_ok=True)
    source = ods({"Roster": [ROSTER_HEADER, *roster(6, seed=11)], "Archive": [ROSTER_HEADER, *roster(3, seed=12)]},
                 hidden={"Archive"}, annotations={("Roster", 2, 0): "Checked by the front desk"})
    with tempfile.TemporaryDirectory() as folder:
        (here / "roster_notes.xls").write_bytes(_convert(source, "roster_notes.ods", "xls", folder))
        (here / "roster_tracked.odt").write_bytes(_convert(tracked_docx(), "roster_tracked.docx", "odt", folder))
        slides = pptx_roster(roster(5, seed=14), notes="Speaker notes: confirm with Luis Perez", hidden_second=True)
        (here / "roster_slides.odp").write_bytes(_convert(slides, "roster_slides.pptx", "odp", folder))


if __name__ == "__main__":  # pragma: no cover
    _regenerate()
