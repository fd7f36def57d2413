"""Hostile shapes that used to make a reader's work grow faster than the file: each is scanned
through the isolated pipeline under a time limit and must come back read, not timed out.

- a JSON file of 200 KB of escaped quotes in a string that never closes (it was quadratic: every
  quote started a new scan for the string's end), and the same at 400 KB;
- a workbook whose rows jump from row 1 to row 1,000,000,000 (openpyxl made up a billion empty
  rows in between), whose last row still holds a person's data.
"""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from bot.config import ScanSettings
from bot.scan.pipeline import scan_content

#: far above what each file needs now; far below what it needed before
SETTINGS = ScanSettings(fingerprint_key="linear-test", timeout_seconds=20.0)


@pytest.mark.parametrize("quotes", [100_000, 200_000])
def test_json_of_escaped_quotes_is_read_in_linear_time(quotes):
    data = b'["' + b'\\"' * quotes
    report = scan_content(data, target="quotes.json", settings=SETTINGS, name="quotes.json")
    assert report.kind == "json"
    assert report.error_code != "limit", report.error
    assert "not valid JSON" in (report.error or "") or "damaged" in (report.error or "")


def _far_rows_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "SSN"])
    sheet.append(["Maria Lopez Garcia", "123-45-6780"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                # the second row moves to row 1,000,000,000 (and its cells with it)
                text = re.sub(r'<row r="2"', '<row r="1000000000"', text)
                text = re.sub(r'r="([A-Z]+)2"', r'r="\g<1>1000000000"', text)
                text = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:B1000000000"', text)
                assert "1000000000" in text
                body = text.encode("utf-8")
            target.writestr(info, body)
    return out.getvalue()


def test_workbook_rows_jumping_to_a_billion_are_read_within_the_deadline():
    report = scan_content(_far_rows_workbook(), target="far.xlsx", settings=SETTINGS, name="far.xlsx")
    assert report.error is None, report.error
    found = {f.type: f for f in report.findings}
    assert found["SSN"].count == 1
    assert any("1000000000" in place for place in found["SSN"].where)
