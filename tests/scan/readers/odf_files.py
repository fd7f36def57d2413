"""OpenDocument files for reader tests (.ods, .odt, .odp): built with odfpy where it can express the
case, by hand (minimal, spec-faithful XML) where it cannot (repeated rows and columns, hidden
sheets and columns, annotations, entity declarations). The roster's values come from
office_files.py (synthetic names and A-numbers)."""

from __future__ import annotations

import datetime
import io
import zipfile

from tests.scan.readers.office_files import ROSTER_HEADER, as_text


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
