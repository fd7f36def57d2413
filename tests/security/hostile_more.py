"""More hostile files, generated on demand (tests/scan/hostile_files.py has the first set).

`HOSTILE_MORE` maps a name to a function returning bytes; each must end in one plain
LeakwatchError sentence (exit 2), quickly and in bounded memory. `READABLE_ODDITIES` are odd but
harmless files that must be read (or refused) without a traceback: they may legitimately scan.
Every personal-looking value is synthetic.
"""

from __future__ import annotations

import io
import zipfile

from tests.scan.hostile_files import pdf_objects, valid_xlsx

_MB = 1 << 20


def _zip(entries: list[tuple[str, bytes]], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def many_sheets_xlsx(count: int = 10_000) -> bytes:
    """A workbook declaring 10,000 sheets (each tiny)."""
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i in range(count))
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(count))
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(count))
    sheet = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c>'
             b"</row></sheetData></worksheet>")
    entries = [
        ("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            f'officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>').encode()),
        ("_rels/.rels", (
            b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        )),
        ("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships"><sheets>{sheets}</sheets></workbook>').encode()),
        ("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships">{rels}</Relationships>').encode()),
    ]
    entries += [(f"xl/worksheets/sheet{i + 1}.xml", sheet) for i in range(count)]
    return _zip(entries, zipfile.ZIP_DEFLATED)


def many_rows_csv(rows: int = 10_000_000) -> bytes:
    """Ten million two-cell rows (40 MB): past the row cap long before the end."""
    return b"a,b\n" + b"1,2\n" * rows


def many_entries_zip(count: int = 100_000) -> bytes:
    """A zip of 100,000 empty entries (the directory alone is a few MB)."""
    return _zip([(f"f{i}.txt", b"") for i in range(count)])


def nested_zips(depth: int = 30) -> bytes:
    """A zip in a zip in a zip... 30 deep, a CSV with one row at the bottom."""
    data = b"Name,A-Number\nTestperson Alpha,A000000001\n"
    name = "people.csv"
    for level in range(depth):
        data, name = _zip([(name, data)]), f"level{level}.zip"
    return data


def pdf_with_declared_pages(declared: int = 100_000) -> bytes:
    """A PDF whose page tree claims 100,000 pages but holds one (a /Count that lies)."""
    return pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count " + str(declared).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ])


def pdf_with_many_pages(pages: int = 100_000) -> bytes:
    """A PDF with 100,000 real (empty) pages sharing one content stream."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    return pdf_objects([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ])


def deeply_nested_html(depth: int = 1_000_000) -> bytes:
    """A million unclosed <div>s (about 5 MB), a name and an A-number at the bottom."""
    return b"<html><body>" + b"<div>" * depth + b"Testperson Alpha A000000001" + b"</body></html>"


def huge_json_number(digits: int = 1_000_000) -> bytes:
    """A JSON record whose number has a million digits (CPython refuses over 4,300 by default)."""
    return b'[{"name": "Testperson Alpha", "count": ' + b"7" * digits + b"}]"


def invalid_utf16() -> bytes:
    """A UTF-16 BOM, then lone surrogates and an odd trailing byte."""
    return b"\xff\xfe" + "Name,A-Number\n".encode("utf-16-le") + b"\x00\xd8\x00\xd8\x41" * 2000 + b"\x41"


def nul_bytes_csv() -> bytes:
    """A CSV with NUL bytes inside fields and between rows."""
    return b"Name,A-Number\n" + b"Testperson\x00Alpha,A000000001\n\x00\x00\n" * 500


HOSTILE_MORE = {
    "ten-thousand-sheets.xlsx": many_sheets_xlsx,
    "ten-million-rows.csv": many_rows_csv,
    "hundred-thousand-entries.zip": many_entries_zip,
    "nested-30-deep.zip": nested_zips,
    "hundred-thousand-pages.pdf": pdf_with_many_pages,
    "million-digit-number.json": huge_json_number,
}

READABLE_ODDITIES = {
    "lying-page-count.pdf": pdf_with_declared_pages,
    "invalid-utf16.csv": invalid_utf16,
    "nul-bytes.csv": nul_bytes_csv,
    "valid.xlsx": valid_xlsx,
}


def xlsx_with_external_references(base_url: str) -> bytes:
    """Formulas that would fetch or run something if evaluated (WEBSERVICE, HYPERLINK, DDE), an
    external workbook link, and a hyperlink relationship, all pointing at `base_url`; one person
    in plain cells so there is something to find."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "People"
    sheet.append(["Full Name", "A-Number", "Lookup", "Link", "Command"])
    sheet.append(["Testperson Alpha", "A000000001", f'=WEBSERVICE("{base_url}/webservice")',
                  f'=HYPERLINK("{base_url}/hyperlink","open")', "=cmd|' /C curl " + base_url + "/dde'!A0"])
    sheet.append(["Testperson Beta", "A000000002", f"='{base_url}/[external.xlsx]Sheet1'!A1", "", ""])
    sheet["D3"].hyperlink = f"{base_url}/cell-hyperlink"
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdExt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>'
                ))
            archive.writestr(item, data)
        archive.writestr("xl/externalLinks/externalLink1.xml", (
            b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships"><externalBook r:id="rId1"/></externalLink>'))
        archive.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships/externalLinkPath" Target="{base_url}/external.xlsx" '
            'TargetMode="External"/></Relationships>').encode())
    return out.getvalue()


def log_lines(lines: int = 10_000_000) -> bytes:
    """Ten million short log lines with a digit each (20 MB): only the time budget ends it."""
    return b"1\n" * lines
