"""Hostile files, generated on demand (nothing binary is committed).

`HOSTILE` maps a file name to a function returning its bytes. Every one must end, through
`sniff` + `read_document`, in one plain LeakwatchError sentence, quickly and in bounded memory.
The CLI-level tests reuse this dict, so keep it a plain {name: make_function}.

All personal-looking values are synthetic ("Testperson ...", "A0000000..").
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable

_MB = 1 << 20

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="People" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_SHEET_ROWS = (
    '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    '<row r="2"><c r="A2" t="inlineStr"><is><t>Testperson Alpha</t></is></c>'
    '<c r="B2" t="inlineStr"><is><t>A000000001</t></is></c></row></sheetData>'
)
_SHARED_STRINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">'
    "<si><t>Name</t></si><si><t>A-Number</t></si></sst>"
)


def _xlsx(sheet: bytes | Callable[[zipfile.ZipFile], None], shared_strings: bytes | None = None,
          shared_compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal workbook; `sheet` is the sheet XML or a function that writes it streaming."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/sharedStrings.xml", shared_strings or _SHARED_STRINGS.encode(),
                         compress_type=shared_compression)
        if callable(sheet):
            sheet(archive)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def valid_xlsx() -> bytes:
    """The small well-formed workbook the hostile ones are built from (a control)."""
    return _xlsx((_SHEET_HEAD + _SHEET_ROWS + "</worksheet>").encode())


def zip_bomb_xlsx() -> bytes:
    """A sheet that inflates from well under 1 MB to 200 MB of whitespace inside valid XML."""
    def write_sheet(archive: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as entry:
            entry.write(_SHEET_HEAD.encode())
            blank = b" " * _MB
            for _ in range(200):
                entry.write(blank)
            entry.write((_SHEET_ROWS + "</worksheet>").encode())
    return _xlsx(write_sheet)


def billion_laughs_xlsx() -> bytes:
    """Entity expansion inside the sheet XML: 10 levels of 10x, a billion "lol"s."""
    entities = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">'
        for level in range(1, 10)
    ]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE worksheet [' + "".join(entities) + "]>"
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )
    return _xlsx(sheet.encode())


def shared_strings_bomb_xlsx() -> bytes:
    """36 MB of distinct tiny shared strings (millions of Python objects if loaded), stored so the
    compression ratio looks innocent: only the size of the part gives it away."""
    block = "".join(f"<si><t>s{index}</t></si>" for index in range(60_000)).encode()
    repeats = 36 * _MB // len(block) + 1
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    body = head + block * repeats + b"</sst>"
    return _xlsx((_SHEET_HEAD + _SHEET_ROWS + "</worksheet>").encode(), shared_strings=body,
                 shared_compression=zipfile.ZIP_STORED)


def truncated_xlsx() -> bytes:
    data = valid_xlsx()
    return data[: len(data) // 2]


def random_bytes_xlsx() -> bytes:
    """Noise with an .xlsx name (fixed seed; never starts like a zip or a PDF)."""
    noise = bytearray(random.Random(2024).randbytes(256 * 1024))
    noise[0] = 0x00
    return bytes(noise)


def huge_field_csv() -> bytes:
    """One quoted field of 5 MB."""
    return b'name,notes\nTestperson Alpha,"' + b"x" * (5 * _MB) + b'"\nTestperson Beta,short\n'


def deep_json() -> bytes:
    return b"[" * 100_000 + b"]" * 100_000


def flate_bomb_pdf() -> bytes:
    """A page whose content stream is FlateDecode of FlateDecode of FlateDecode: about 1 KB
    on disk that would become 128 MB of content."""
    compressor = zlib.compressobj(9)
    zeros = b"\n" * _MB
    inner = b"".join(compressor.compress(zeros) for _ in range(128)) + compressor.flush()
    stream = zlib.compress(zlib.compress(inner, 9), 9)
    return _pdf(stream, b"/Filter [/FlateDecode /FlateDecode /FlateDecode]")


def _pdf(content: bytes, filters: bytes) -> bytes:
    """A one-page PDF with the given content stream, with a correct xref table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" " + filters + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_objects(objects)


def pdf_objects(objects: list[bytes]) -> bytes:
    """Numbered objects 1..n, a correct xref table, object 1 as the root."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def huge_html() -> bytes:
    """50 MB of HTML (over the 20 MB page limit)."""
    row = b"<tr><td>Testperson Alpha</td><td>A000000001</td></tr>\n"
    body = row * (50 * _MB // len(row) + 1)
    return b"<!doctype html><html><body><table>" + body + b"</table></body></html>"


HOSTILE: dict[str, Callable[[], bytes]] = {
    "zip-bomb.xlsx": zip_bomb_xlsx,
    "billion-laughs.xlsx": billion_laughs_xlsx,
    "shared-strings-bomb.xlsx": shared_strings_bomb_xlsx,
    "truncated.xlsx": truncated_xlsx,
    "random-bytes.xlsx": random_bytes_xlsx,
    "huge-field.csv": huge_field_csv,
    "deep.json": deep_json,
    "flate-bomb.pdf": flate_bomb_pdf,
    "huge.html": huge_html,
}

#: substrings of the hostile files' content that must never appear in an error message
CONTENT_MARKERS = ("Testperson", "A000000001", "lol", "xxxx", "<si>", "<tr>", "[[[")
