"""PDF writers for the real-world corpus.

Contract: `table_pdf` prints a table the way report tools export one (fpdf2, core fonts, so text is
Latin-1: callers pass transliterated names); `rotated_pdf` stores a landscape roster on a portrait
page with `/Rotate 90` (text drawn turned, as scanners and some printers produce); `long_pdf` writes
a many-page PDF by hand, every page but the last sharing one small content stream, so 500+ pages
stay a few tens of kilobytes.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

FIXED_DATE = dt.datetime(2024, 5, 6, 7, 8, 9, tzinfo=dt.UTC)


def _latin1(text: str) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def table_pdf(path: Path, title: str, header: list[str], rows: list[list[str]], *, widths: list[float] | None = None,
              landscape: bool = False, font_size: float = 7.5, footer: str = "") -> None:
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="Letter")
    pdf.set_auto_page_break(True, margin=12)
    pdf.set_creator("Crystal Reports")
    pdf.set_creation_date(FIXED_DATE)
    usable = pdf.w - 20
    widths = widths or [usable / len(header)] * len(header)
    scale = usable / sum(widths)
    widths = [w * scale for w in widths]

    def head() -> None:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(0, 7, _latin1(title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "B", font_size)
        for text, w in zip(header, widths, strict=True):
            pdf.cell(w, 5, _latin1(text), border=1)
        pdf.ln()
        pdf.set_font("Helvetica", "", font_size)

    pdf.add_page()
    head()
    for row in rows:
        if pdf.get_y() > pdf.h - 18:
            if footer:
                pdf.set_font("Helvetica", "I", 6)
                pdf.cell(0, 4, _latin1(footer))
            pdf.add_page()
            head()
        for text, w in zip(row, widths, strict=True):
            pdf.cell(w, 4.2, _latin1(text), border=1)
        pdf.ln()
    pdf.output(str(path))


def rotated_pdf(path: Path, title: str, header: list[str], rows: list[list[str]], rotate: int = 90) -> None:
    """A landscape table drawn turned on a portrait page, and the page told to rotate so it reads upright."""
    pdf = FPDF(orientation="P", unit="pt", format="Letter")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_DATE)
    width, height = pdf.w, pdf.h
    per_page = 32
    col = (height - 60) / len(header)
    for start in range(0, len(rows), per_page):
        pdf.add_page()
        with pdf.rotation(90, x=width / 2, y=width / 2):
            pdf.set_xy(30, 30)
            pdf.set_font("Helvetica", "B", 11)
            pdf.cell(0, 14, _latin1(title), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "B", 8)
            pdf.set_x(30)
            for text in header:
                pdf.cell(col, 12, _latin1(text), border=1)
            pdf.ln()
            pdf.set_font("Helvetica", "", 8)
            for row in rows[start:start + per_page]:
                pdf.set_x(30)
                for text in row:
                    pdf.cell(col, 12, _latin1(text), border=1)
                pdf.ln()
    raw = io.BytesIO(pdf.output())
    writer = PdfWriter(clone_from=PdfReader(raw))
    for page in writer.pages:
        page.rotate(rotate)
    with open(path, "wb") as out:
        writer.write(out)


def _pdf_text(lines: list[str], size: float = 9, top: float = 760, lead: float = 11) -> bytes:
    out = [f"BT /F1 {size} Tf {lead} TL 40 {top} Td".encode()]
    for line in lines:
        safe = _latin1(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        out.append(f"({safe}) Tj T*".encode("latin-1"))
    out.append(b"ET")
    return b"\n".join(out)


def long_pdf(path: Path, filler_pages: int, filler_lines: list[str], last_pages: list[list[str]]) -> None:
    """`filler_pages` pages sharing one content stream, then one page per entry of `last_pages`."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    pages = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")

    def stream(data: bytes) -> int:
        return add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")

    shared = stream(_pdf_text(filler_lines))
    kids = []
    for _ in range(filler_pages):
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R >>" % (pages, shared)))
    for lines in last_pages:
        content = stream(_pdf_text(lines, size=7, lead=8.6))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R >>" % (pages, content)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = (b"<< /Type /Pages /MediaBox [0 0 612 792] /Resources << /Font << /F1 %d 0 R >> >> "
                          b"/Count %d /Kids [" % (font, len(kids)) + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    path.write_bytes(out.getvalue())
