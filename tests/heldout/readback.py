"""Read a held-out file's text back with the library that wrote it (never with the scanner).

xlsx through openpyxl, xls through xlrd (xlwt cannot read), ods through odfpy, docx through
python-docx, pptx through python-pptx, PDF through pypdf (fpdf2 cannot read), e-mail through the
standard library, archives through zipfile/tarfile/gzip. Used only by the self-check.
"""

from __future__ import annotations

import email
import gzip
import mailbox
import tarfile
import zipfile
from email import policy
from pathlib import Path


def decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if len(data) > 3 and data[1:2] == b"\x00" and data[3:4] == b"\x00":
        return data.decode("utf-16-le")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def text_of(path: Path, fmt: str) -> str:
    reader = READERS.get(fmt)
    return reader(path) if reader else decode(path.read_bytes())


def _xlsx(path: Path) -> str:
    import openpyxl
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None)


def _xls(path: Path) -> str:
    import xlrd
    book = xlrd.open_workbook(str(path))
    return "\n".join(str(sh.cell_value(r, c)) for sh in book.sheets() for r in range(sh.nrows) for c in range(sh.ncols))


def _ods(path: Path) -> str:
    from odf import teletype
    from odf.opendocument import load
    from odf.text import P
    doc = load(str(path))
    return "\n".join(teletype.extractText(p) for p in doc.getElementsByType(P))


def _docx(path: Path) -> str:
    import docx
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    parts += [cell.text for table in d.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pptx(path: Path) -> str:
    from pptx import Presentation
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(parts)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _message_text(msg) -> str:
    parts = [f"{k}: {v}" for k, v in msg.items()]
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        parts.append(decode(payload))
    return "\n".join(parts)


def _eml(path: Path) -> str:
    return _message_text(email.message_from_bytes(path.read_bytes(), policy=policy.default))


def _mbox(path: Path) -> str:
    return "\n\n".join(_message_text(m) for m in mailbox.mbox(str(path)))


def _zip(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(decode(zf.read(name)) for name in zf.namelist())


def _tar(path: Path) -> str:
    with tarfile.open(path) as tar:
        return "\n".join(decode(tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile())


def _gz(path: Path) -> str:
    return decode(gzip.decompress(path.read_bytes()))


READERS = {"xlsx": _xlsx, "xls": _xls, "ods": _ods, "docx": _docx, "pptx": _pptx, "pdf": _pdf, "eml": _eml,
           "mbox": _mbox, "zip": _zip, "tar": _tar, "gz": _gz}
