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
    if isinstance(value, datetime.datetime):
        cell = TableCell(valuetype="date", datevalue=value.isoformat(), **extra)
    elif isinstance(value, datetime.date):
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


def paragraphs_xml(lines: list[str], tag: str = "text:p") -> str:
    return "".join(f"<{tag}>{line}</{tag}>" for line in lines)


def odf_table_xml(rows: list[list[str]], name: str = "Table1") -> str:
    body = "".join("<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p></table:table-cell>' for cell in row)
        + "</table:table-row>" for row in rows)
    return (f'<table:table table:name="{name}"><table:table-column table:number-columns-repeated="{len(rows[0])}"/>'
            f"{body}</table:table>")


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
def _regenerate() -> None:  # pragma: no cover - run by hand when soffice is installed
    import pathlib
    import subprocess
    import tempfile

    here = pathlib.Path(__file__).parent / "files"
    here.mkdir(exist_ok=True)
    rows = roster(6, seed=11)
    source = ods({"Roster": [ROSTER_HEADER, *rows], "Archive": [ROSTER_HEADER, *roster(3, seed=12)]},
                 hidden={"Archive"}, annotations={("Roster", 2, 0): "Checked by the front desk"})
    with tempfile.TemporaryDirectory() as folder:
        path = pathlib.Path(folder, "roster_notes.ods")
        path.write_bytes(source)
        subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{folder}/profile",
                        "--convert-to", "xls", "--outdir", folder, str(path)], check=True, capture_output=True)
        (here / "roster_notes.xls").write_bytes(pathlib.Path(folder, "roster_notes.xls").read_bytes())


if __name__ == "__main__":  # pragma: no cover
    _regenerate()
