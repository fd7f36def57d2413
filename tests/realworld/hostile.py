"""Hostile versions of the real-world corpus formats: files built to exhaust or escape a reader.

Contract:
- `hostile_files()` returns name -> bytes for the small ones (kilobytes to a few megabytes).
- `write_hostile(out)` writes those and the large ones, streamed to disk so no test holds them in
  memory (a 60 MB single-line SQL dump, over the default 50 MB SCAN_MAX_BYTES; a gzip that inflates
  to 1 GiB), and returns name -> path.
- `TRAVERSAL_PROBE` is where the tar's path-traversal member would land if a reader extracted it.
Every file must make `python -m bot scan FILE --json` exit 2 in bounded time with one plain sentence.
"""

from __future__ import annotations

import gzip
import io
import struct
import tarfile
import zipfile
from pathlib import Path

from tests.realworld.office import _ODF_NS

TRAVERSAL_PROBE = Path("/tmp/leakwatch_realworld_traversal_probe.csv")
GIB = 1 << 30


def _ods(content_body: str) -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_ODF_NS}><office:body>'
               f"<office:spreadsheet>{content_body}</office:spreadsheet></office:body></office:document-content>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
                    zipfile.ZIP_DEFLATED)
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def ods_repeated_columns() -> bytes:
    cell = '<table:table-cell office:value-type="string" table:number-columns-repeated="1000000000"><text:p>A123456780</text:p></table:table-cell>'
    return _ods(f'<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>'
                f"A-Number</text:p></table:table-cell></table:table-row><table:table-row>{cell}</table:table-row>"
                "</table:table>")


def ods_repeated_rows() -> bytes:
    row = ('<table:table-row table:number-rows-repeated="1000000000"><table:table-cell office:value-type="string">'
           '<text:p>Maria Lopez</text:p></table:table-cell><table:table-cell office:value-type="string">'
           '<text:p>A204518733</text:p></table:table-cell></table:table-row>')
    return _ods(f'<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string"><text:p>'
                f"Name</text:p></table:table-cell><table:table-cell office:value-type=\"string\"><text:p>A-Number"
                f"</text:p></table:table-cell></table:table-row>{row}</table:table>")


def _claim_size(data: bytes, member: str, claimed: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for `member` (local header and central directory)."""
    out = bytearray(data)
    name = member.encode()
    for signature, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        start = 0
        while (start := out.find(signature, start)) >= 0:
            length = struct.unpack_from("<H", out, start + name_len_at)[0]
            if bytes(out[start + name_at:start + name_at + length]) == name:
                struct.pack_into("<I", out, start + size_at, claimed)
            start += 4
    return bytes(out)


def docx_zip_bomb(megabytes: int = 256) -> bytes:
    """A real document.xml of `megabytes` MiB of spaces, deflated about 1000:1, in a docx that opens."""
    from tests.realworld.office import write_docx

    buf = io.BytesIO()
    write_docx(buf, ["<w:p><w:r><w:t>x</w:t></w:r></w:p>"])  # a valid package to borrow parts from
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                zf.writestr(info.filename, src.read(info.filename))
        head = (b'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t xml:space="preserve">')
        tail = b"</w:t></w:r></w:p></w:body></w:document>"
        with zf.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write(head)
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                entry.write(block)
            entry.write(tail)
    return out.getvalue()


def pptx_claims_gigabytes() -> bytes:
    """A pptx whose slide entry declares 4 GiB - 1 uncompressed (the bytes are a small deflate stream)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>')
        zf.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                    'officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>')
        zf.writestr("ppt/presentation.xml", '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats'
                    '.org/presentationml/2006/main"/>')
        zf.writestr("ppt/slides/slide1.xml", "<p:sld/>" + " " * (8 << 20))
    return _claim_size(buf.getvalue(), "ppt/slides/slide1.xml", 0xFFFFFFFF)


def eml_many_attachments(count: int = 10_000) -> bytes:
    """A multipart/mixed message with `count` tiny text attachments (written by hand: fast)."""
    boundary = "==rw-many-parts=="
    parts = [f"From: a@example.org\r\nTo: b@example.org\r\nSubject: many parts\r\nMIME-Version: 1.0\r\n"
             f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n--{boundary}\r\n'
             "Content-Type: text/plain; charset=utf-8\r\n\r\nSee attachments.\r\n"]
    parts += [f"--{boundary}\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; "
              f'filename="p{i:05d}.txt"\r\n\r\npart {i}\r\n' for i in range(count)]
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode()


def xml_billion_laughs() -> bytes:
    ents = ['<!ENTITY lol "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                                      for i in range(1, 10)]
    return ('<?xml version="1.0"?>\n<!DOCTYPE people [\n' + "\n".join(ents) + "\n]>\n"
            "<people><person><fullName>&lol9;</fullName><alienNumber>A204518733</alienNumber></person></people>\n").encode()


def xml_external_entity() -> bytes:
    return (b'<?xml version="1.0"?>\n<!DOCTYPE people [<!ENTITY xxe SYSTEM "file:///etc/passwd">'
            b'<!ENTITY remote SYSTEM "http://127.0.0.1:9/x.dtd">]>\n'
            b"<people><person><fullName>&xxe;</fullName><note>&remote;</note></person></people>\n")


def tar_traversal_and_huge() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tar:
        data = b"Name,A-Number\nMaria Lopez,A204518733\n"
        info = tarfile.TarInfo("../../../../../../.." + str(TRAVERSAL_PROBE))
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("exports/passwd_link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
        big = tarfile.TarInfo("exports/huge.csv")
        big.size = 8 * GIB
        tar.addfile(big)  # header only: the declared 8 GiB of data is not there
    raw = buf.getvalue()
    return raw[: raw.rfind(b"exports/huge.csv") + 512]


def hostile_files() -> dict[str, bytes]:
    return {
        "ods_billion_repeated_columns.ods": ods_repeated_columns(),
        "ods_billion_repeated_rows.ods": ods_repeated_rows(),
        "docx_zip_bomb_256mb.docx": docx_zip_bomb(),
        "pptx_claims_4gb_entry.pptx": pptx_claims_gigabytes(),
        "eml_10000_attachments.eml": eml_many_attachments(),
        "xml_billion_laughs.xml": xml_billion_laughs(),
        "xml_external_entity.xml": xml_external_entity(),
        "tar_traversal_huge_member.tar": tar_traversal_and_huge(),
    }


def _write_one_line_sql(path: Path, megabytes: int = 60) -> None:
    with open(path, "wb") as out:
        out.write(b"CREATE TABLE t (id int, note varchar(40));\nINSERT INTO `t` VALUES ")
        row = b"(1,'lorem ipsum dolor sit amet'),"
        block = row * ((1 << 20) // len(row))
        for _ in range(megabytes):
            out.write(block)
        out.write(b"(2,'end');\n")


def _write_gzip_bomb(path: Path, gib: int = 1) -> None:
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1, mtime=0) as gz:
        gz.write(b"Name,A-Number\n")
        block = b"\0" * (1 << 20)
        for _ in range(1024 * gib):
            gz.write(block)


def write_hostile(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, data in hostile_files().items():
        paths[name] = out / name
        paths[name].write_bytes(data)
    paths["sql_one_line_60mb.sql"] = out / "sql_one_line_60mb.sql"
    _write_one_line_sql(paths["sql_one_line_60mb.sql"])
    paths["gzip_bomb_1gib.csv.gz"] = out / "gzip_bomb_1gib.csv.gz"
    _write_gzip_bomb(paths["gzip_bomb_1gib.csv.gz"])
    return paths
