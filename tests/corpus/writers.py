"""Byte-stable writers: the same seed gives the same bytes (fixed timestamps in xlsx, zip, pdf)."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

FIXED_TIME = datetime(2025, 6, 30, 12, 0, 0)
_ZIP_TIME = (2025, 6, 30, 12, 0, 0)


def restamp_zip(data: bytes) -> bytes:
    """Rewrite every entry of a zip with one fixed timestamp (openpyxl stamps 'now')."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stamped = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            stamped.compress_type = zipfile.ZIP_DEFLATED
            stamped.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl writes the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-06-30T12:00:00Z", data)
            target.writestr(stamped, data)
    return out.getvalue()


def save_workbook(workbook: Workbook, path: Path) -> None:
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.properties.creator = "corpus"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(restamp_zip(buffer.getvalue()))


def csv_text(rows: list[list[object]], *, delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)


def write_json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


def html_page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>table{{border-collapse:collapse}}td,th{{border:1px solid #999;padding:2px 6px}}</style>"
            f"</head>\n<body>\n{body}\n</body></html>\n")


def html_table(header: list[str] | None, rows: list[list[object]], *, caption: str = "",
               header_in_td: bool = False) -> str:
    """`header_in_td`: the header is a first row of bold <td> cells, as old CMS pages write it."""
    from html import escape

    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    if header and header_in_td:
        parts.append("<tr>" + "".join(f"<td><b>{escape(str(h))}</b></td>" for h in header) + "</tr>")
    elif header:
        parts.append("<thead><tr>" + "".join(f"<th>{escape(str(h))}</th>" for h in header) + "</tr></thead>")
    parts.append("<tbody>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def pdf_document():
    """An fpdf2 document with fixed metadata so its bytes are stable."""
    from fpdf import FPDF

    pdf = FPDF(orientation="P", unit="mm", format="Letter")
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_producer("corpus")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    return pdf
