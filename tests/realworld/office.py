"""Office file writers for the real-world corpus: .xls (xlwt), .ods/.odt and .docx by hand, .pptx.

Contract: each `write_*` takes a path and plain content (tables as a header row plus rows of str,
int, float or datetime.date cells; paragraphs as strings) and writes a file a real office program
opens. The OpenDocument and OOXML parts are written by hand with zipfile so the shapes real files
have can be reproduced: repeated rows and columns, hidden sheets, runs split mid-value, comments,
headers and footers, tracked deletions.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import xlwt

Cell = str | int | float | dt.date


# ---- legacy Excel -----------------------------------------------------------------------------

def write_xls(path: Path, sheets: list[tuple[str, list[str], list[list[Cell]]]], date_format: str = "DD/MM/YYYY",
              title_rows: tuple[str, ...] = ()) -> None:
    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str=date_format)
    bold = xlwt.easyxf("font: bold on")
    for name, header, rows in sheets:
        sheet = book.add_sheet(name[:31])
        top = 0
        for text in title_rows:
            sheet.write(top, 0, text, bold)
            top += 1
        top += 1 if title_rows else 0
        for c, text in enumerate(header):
            sheet.write(top, c, text, bold)
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                elif value != "":
                    sheet.write(r, c, value)
    book.save(str(path))


# ---- OpenDocument -----------------------------------------------------------------------------

_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.3"')


def put(zf: zipfile.ZipFile, name: str, data: str | bytes, compress: bool = True) -> None:
    """One zip entry with a fixed timestamp (the same seed gives the same bytes)."""
    info = zipfile.ZipInfo(name, (2024, 1, 2, 3, 4, 6))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    zf.writestr(info, data)


def repack(data: bytes) -> bytes:
    """A zip rewritten with fixed timestamps (for files a library saved with the clock's time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            put(dst, info.filename, src.read(info.filename), info.compress_type != zipfile.ZIP_STORED)
    return out.getvalue()


def _odf_zip(path: Path, mimetype: str, body: str, styles: str = "") -> None:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF_NS}>'
               f'<office:automatic-styles>{styles}</office:automatic-styles><office:body>{body}'
               f'</office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    style_doc = f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_ODF_NS}/>'
    with zipfile.ZipFile(path, "w") as zf:
        put(zf, "mimetype", mimetype, compress=False)
        put(zf, "META-INF/manifest.xml", manifest)
        put(zf, "styles.xml", style_doc)
        put(zf, "content.xml", content)


def _ods_cell(value: Cell, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value == "" or value is None:
        return f"<table:table-cell{rep}/>"
    if isinstance(value, dt.date):
        return (f'<table:table-cell{rep} table:style-name="cedate" office:value-type="date" '
                f'office:date-value="{value.isoformat()}"><text:p>{value.strftime("%d/%m/%Y")}</text:p>'
                f'</table:table-cell>')
    if isinstance(value, int | float):
        return (f'<table:table-cell{rep} office:value-type="float" office:value="{value}">'
                f'<text:p>{value}</text:p></table:table-cell>')
    return f'<table:table-cell{rep} office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def _ods_row(row: list[Cell]) -> str:
    """Cells with runs of equal values collapsed as LibreOffice writes them."""
    out, i = [], 0
    while i < len(row):
        j = i
        while j + 1 < len(row) and row[j + 1] == row[i]:
            j += 1
        out.append(_ods_cell(row[i], j - i + 1))
        i = j + 1
    return "<table:table-row>" + "".join(out) + "</table:table-row>"


def ods_table(name: str, header: list[str], rows: list[list[Cell]], *, hidden: bool = False,
              blank_rows_before: int = 0, title: str = "", tail: bool = True) -> str:
    parts = [f'<table:table table:name={quoteattr(name)} table:style-name="{"tahidden" if hidden else "ta1"}">',
             f'<table:table-column table:number-columns-repeated="{max(1, len(header))}"/>']
    if title:
        parts.append(_ods_row([title]))
    if blank_rows_before:
        parts.append(f'<table:table-row table:number-rows-repeated="{blank_rows_before}">'
                     f'<table:table-cell table:number-columns-repeated="{len(header)}"/></table:table-row>')
    parts.append(_ods_row(header))
    parts.extend(_ods_row(row) for row in rows)
    if tail:  # what LibreOffice writes after the last used row
        parts.append('<table:table-row table:number-rows-repeated="1048000">'
                     '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
    parts.append("</table:table>")
    return "".join(parts)


def write_ods(path: Path, tables: list[str]) -> None:
    styles = ('<style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/>'
              '</style:style><style:style style:name="tahidden" style:family="table">'
              '<style:table-properties table:display="false"/></style:style>'
              '<number:date-style style:name="N37"><number:day number:style="long"/><number:text>/</number:text>'
              '<number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>'
              '</number:date-style><style:style style:name="cedate" style:family="table-cell" '
              'style:data-style-name="N37"/>')
    _odf_zip(path, "application/vnd.oasis.opendocument.spreadsheet",
             "<office:spreadsheet>" + "".join(tables) + "</office:spreadsheet>", styles)


def write_odt(path: Path, before: list[str], header: list[str], rows: list[list[Cell]], after: list[str]) -> None:
    def para(text: str) -> str:
        return f"<text:p>{escape(text)}</text:p>"

    def cell(value: Cell) -> str:
        text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
        return f'<table:table-cell office:value-type="string">{para(text)}</table:table-cell>'
    table = (f'<table:table table:name="Table1"><table:table-column table:number-columns-repeated="{len(header)}"/>'
             '<table:table-header-rows><table:table-row>' + "".join(cell(h) for h in header) +
             "</table:table-row></table:table-header-rows>" +
             "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows) +
             "</table:table>")
    body = "".join(para(t) for t in before) + table + "".join(para(t) for t in after)
    _odf_zip(path, "application/vnd.oasis.opendocument.text", f"<office:text>{body}</office:text>")


# ---- Word -------------------------------------------------------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def w_run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def w_para(text: str | list[str], style: str = "") -> str:
    """A paragraph; a list of strings becomes one run each (Word splits runs mid-word)."""
    runs = "".join(w_run(t) for t in ([text] if isinstance(text, str) else text))
    props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{props}{runs}</w:p>"


def w_table(header: list[str], rows: list[list[str | list[str]]]) -> str:
    def tr(cells):
        return "<w:tr>" + "".join(f"<w:tc><w:tcPr><w:tcW w:w=\"0\" w:type=\"auto\"/></w:tcPr>{w_para(c)}</w:tc>"
                                  for c in cells) + "</w:tr>"
    return ('<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
            + tr(header) + "".join(tr(r) for r in rows) + "</w:tbl>")


def w_deleted(text: str, author: str = "Reviewer") -> str:
    return (f'<w:del w:id="9" w:author="{escape(author)}" w:date="2024-03-01T10:00:00Z">'
            f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def write_docx(path: Path, body: list[str], *, header: str = "", footer: str = "",
               comments: list[str] = ()) -> None:
    """`body`: paragraph/table XML (w_para, w_table); comments anchor on the first paragraph."""
    rels = ['<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/>']
    types = ['<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument'
             '.wordprocessingml.document.main+xml"/>',
             '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument'
             '.wordprocessingml.styles+xml"/>']
    parts: dict[str, str] = {}
    sect = ""
    for kind, text in (("header", header), ("footer", footer)):
        if text:
            parts[f"word/{kind}1.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' \
                f'<w:{"hdr" if kind == "header" else "ftr"} {_W}>{w_para(text)}</w:{"hdr" if kind == "header" else "ftr"}>'
            rels.append(f'<Relationship Id="rId{kind}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/{kind}" Target="{kind}1.xml"/>')
            types.append(f'<Override PartName="/word/{kind}1.xml" ContentType="application/vnd.openxmlformats-'
                         f'officedocument.wordprocessingml.{kind}+xml"/>')
            sect += f'<w:{kind}Reference w:type="default" r:id="rId{kind}"/>'
    if comments:
        parts["word/comments.xml"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {_W}>' + \
            "".join(f'<w:comment w:id="{i}" w:author="Case worker" w:date="2024-02-0{1 + i % 9}T09:00:00Z" '
                    f'w:initials="CW">{w_para(text)}</w:comment>' for i, text in enumerate(comments)) + "</w:comments>"
        rels.append('<Relationship Id="rIdComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    'relationships/comments" Target="comments.xml"/>')
        types.append('<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-'
                     'officedocument.wordprocessingml.comments+xml"/>')
        marks = "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in range(len(comments)))
        ends = "".join(f'<w:commentRangeEnd w:id="{i}"/><w:r><w:commentReference w:id="{i}"/></w:r>'
                       for i in range(len(comments)))
        body = [f"<w:p>{marks}{w_run('Comments on this case file.')}{ends}</w:p>", *body]
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {_W}><w:body>'
                + "".join(body) + f'<w:sectPr>{sect}<w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>')
    styles = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {_W}><w:style w:type="paragraph" '
              'w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" '
              'w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>'
              '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style></w:styles>')
    with zipfile.ZipFile(path, "w") as zf:
        put(zf, "[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types '
                    'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
                    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
                    'ContentType="application/xml"/>' + "".join(types) + "</Types>")
        put(zf, "_rels/.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
                    '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
                    '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                    'Target="word/document.xml"/></Relationships>')
        put(zf, "word/document.xml", document)
        put(zf, "word/styles.xml", styles)
        put(zf, "word/_rels/document.xml.rels", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    + "".join(rels) + "</Relationships>")
        for name, xml in parts.items():
            put(zf, name, xml)


# ---- PowerPoint -------------------------------------------------------------------------------

def write_pptx(path: Path, slides: list[dict]) -> None:
    """Slides: {"title", "bullets": [...], "table": (header, rows) | None, "notes": str}."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    for spec in slides:
        layout = deck.slide_layouts[5 if spec.get("table") else 1]
        slide = deck.slides.add_slide(layout)
        slide.shapes.title.text = spec.get("title", "")
        if spec.get("bullets") and len(slide.placeholders) > 1:
            frame = slide.placeholders[1].text_frame
            frame.text = spec["bullets"][0]
            for line in spec["bullets"][1:]:
                frame.add_paragraph().text = line
        if spec.get("table"):
            header, rows = spec["table"]
            shape = slide.shapes.add_table(len(rows) + 1, len(header), Inches(0.3), Inches(1.4), Inches(9.4),
                                           Inches(0.3 * (len(rows) + 1)))
            for c, text in enumerate(header):
                shape.table.cell(0, c).text = text
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    cell = shape.table.cell(r, c)
                    cell.text = str(value)
                    cell.text_frame.paragraphs[0].runs[0].font.size = Pt(9)
        if spec.get("notes"):
            slide.notes_slide.notes_text_frame.text = spec["notes"]
    deck.save(str(path))
