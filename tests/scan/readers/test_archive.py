"""Zip archives: every entry read by its own reader, places prefixed, bounds shared across nesting."""

from __future__ import annotations

import io
import json
import struct
import zipfile

import pytest

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
from bot.scan.readers.zipcheck import directory_end
from bot.scan.sniff import sniff
from tests.scan.readers import read_all, tables, texts
from tests.scan.readers.test_pdf import report_pdf
from tests.scan.readers.test_xlsx import leak_workbook


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def several_formats() -> bytes:
    return make_zip({
        "export/people.csv": b"Name,A-Number\nTestperson Alpha,A000000001\n",
        "export/book.xlsx": leak_workbook(rows=3),
        "data/records.json": json.dumps([{"name": "Testperson Beta", "id": 7}]).encode(),
        "site/index.html": b"<html><body><p>Hello Testperson Gamma</p></body></html>",
        "docs/report.pdf": report_pdf(pages=1),
        "notes.txt": b"plain note\n",
        "pictures/logo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "broken/bad.json": b'{"a": [1, 2',
        "empty-dir/": b"",
    })


def test_every_entry_read_by_its_reader_with_its_path_as_container():
    data = several_formats()
    assert sniff(data) == "zip"
    document, parts = read_all(data)
    by_container = {}
    for part, _ in parts:
        by_container.setdefault(part.container, []).append(part)
    assert set(by_container) == {"export/people.csv", "export/book.xlsx", "data/records.json",
                                 "site/index.html", "docs/report.pdf", "notes.txt"}
    [csv_table] = by_container["export/people.csv"]
    assert csv_table.name == "table 1"
    assert csv_table.where(1, 2, 2) == 'export/people.csv › table 1 column "A-Number", row 2'
    [sheet] = by_container["export/book.xlsx"]
    assert sheet.where(3, 5, 7) == "export/book.xlsx › Detained Population!D5:D7"
    [records] = by_container["data/records.json"]
    assert records.where(1, 0, 0) == "data/records.json › $[*].id"
    [note_block] = by_container["notes.txt"]
    assert note_block.where(1, 1) == "notes.txt › line 1"
    pdf_parts = by_container["docs/report.pdf"]
    assert pdf_parts[0].where(1, 2) == "docs/report.pdf › page 1, lines 1-2"
    assert document.counters["files"] == 7
    assert document.counters["sheets"] == 1 and document.counters["pages"] == 1
    # the damaged entry is listed as not read (the scan is then partly read); the image holds no text
    [skipped] = document.skipped
    assert skipped["where"] == "broken/bad.json" and skipped["reason"].startswith("it could not be read")
    assert document.counters["media"] == 1
    assert len(tables(parts)) >= 3 and len(texts(parts)) >= 3


def test_nested_archives_are_read_to_the_depth_limit():
    inner = make_zip({"people.csv": b"Name,ID\nTestperson Alpha,A000000001\n"})
    middle = make_zip({"inner.zip": inner, "top.csv": b"Name,ID\nTestperson Beta,A000000002\n"})
    outer = make_zip({"middle.zip": middle})
    document, parts = read_all(outer, limits=ReadLimits(max_zip_depth=2))
    assert [part.container for part, _ in parts] == ["middle.zip › top.csv"]
    assert document.skipped == [{"where": "middle.zip › inner.zip",
                                 "reason": "it is an archive nested deeper than 2 levels"}]
    _, parts = read_all(outer, limits=ReadLimits(max_zip_depth=3))
    assert [part.container for part, _ in parts] == ["middle.zip › inner.zip › people.csv", "middle.zip › top.csv"]


def test_a_bomb_inside_fails_the_whole_archive():
    bomb_sheet = b"<worksheet>" + b" " * (3 << 20) + b"</worksheet>"
    book = leak_workbook(rows=1)
    source = zipfile.ZipFile(io.BytesIO(book))
    bombed = make_zip({info.filename: (bomb_sheet if info.filename == "xl/worksheets/sheet1.xml"
                                       else source.read(info)) for info in source.infolist()})
    outer = make_zip({"ok.csv": b"a,b\n1,2\n", "bomb.xlsx": bombed}, compression=zipfile.ZIP_STORED)
    with pytest.raises(LimitExceeded, match="zip bomb"):
        read_all(outer)


def test_entry_count_and_total_size_limits():
    many = make_zip({f"f{index}.txt": b"x\n" for index in range(12)})
    with pytest.raises(LimitExceeded, match="holds 12 files"):
        read_document(many, limits=ReadLimits(max_zip_entries=10), deadline=Deadline(5))
    big = make_zip({"a.txt": b"y" * 5000, "b.txt": b"z" * 5000})
    with pytest.raises(LimitExceeded, match="would expand to"):
        read_document(big, limits=ReadLimits(max_unzipped_bytes=8000), deadline=Deadline(5))


def test_total_size_is_shared_across_nesting():
    inner = make_zip({"a.txt": b"y" * 7000})
    outer = make_zip({"one.zip": inner, "two.zip": inner}, compression=zipfile.ZIP_STORED)
    limits = ReadLimits(max_unzipped_bytes=12000)
    read_all(inner, limits=limits)  # each archive alone is within the budget
    with pytest.raises(LimitExceeded, match="and the files inside it"):
        read_all(outer, limits=limits)


def test_encrypted_entries_are_listed_as_not_read_and_the_rest_is_read():
    data = bytearray(make_zip({"secret.csv": b"a,b\n1,2\n", "open.csv": b"Name,ID\nTestperson Beta,7\n"},
                              compression=zipfile.ZIP_STORED))
    # set the "encrypted" flag bit in both the local header and the central directory entry
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x01
    document, parts = read_all(bytes(data))
    assert [part.container for part, _ in parts] == ["open.csv"]
    assert document.skipped == [{"where": "secret.csv", "reason": "it is password-protected inside the archive"}]


def test_an_encrypted_part_of_a_workbook_refuses_the_workbook():
    data = bytearray(leak_workbook(rows=1))
    at = data.index(b"PK\x01\x02") + 8
    data[at] |= 0x01
    with pytest.raises(UnreadableContent, match="password-protected"):
        read_document(bytes(data), limits=ReadLimits(), deadline=Deadline(5))


def test_a_damaged_entry_is_listed_as_not_read_and_the_rest_is_read():
    data = bytearray(make_zip({"a.csv": b"Name,ID\n" + b"Testperson Alpha,A000000001\n" * 50,
                               "b.csv": b"Name,ID\nTestperson Beta,A000000002\n"}))
    start = data.index(b"a.csv") + len(b"a.csv") + 5
    data[start:start + 4] = b"\xff\xff\xff\xff"  # corrupt a.csv's compressed bytes
    document, parts = read_all(bytes(data))
    assert [part.container for part, _ in parts] == ["b.csv"]
    assert document.skipped == [{"where": "a.csv", "reason": "it is damaged inside the archive"}]


def test_declared_entry_count_is_checked_before_zipfile_parses_the_directory():
    data = make_zip({"a.csv": b"a,b\n1,2\n"})
    end = directory_end(data)
    assert end is not None and end.entries == 1
    forged = bytearray(data)
    struct.pack_into("<HH", forged, end.position + 8, 60_000, 60_000)
    with pytest.raises(LimitExceeded, match="holds 60,000 files"):
        read_document(bytes(forged), kind="zip", limits=ReadLimits(), deadline=Deadline(5))
    struct.pack_into("<HHI", forged, end.position + 8, 1, 1, 900_000_000)
    with pytest.raises(LimitExceeded, match="file list too large"):
        read_document(bytes(forged), kind="zip", limits=ReadLimits(), deadline=Deadline(5))
