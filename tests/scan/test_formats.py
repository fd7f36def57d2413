"""The one table of formats (bot/scan/formats.py): sniffing and reading both follow it."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
from importlib import import_module

import pytest

from bot.scan import formats
from bot.scan.readers.base import kind_label
from bot.scan.sniff import describe_unsupported, sniff, sniff_format

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole_with_stream(name: str, text_before: bytes = b"") -> bytes:
    """An OLE2 header sector, then a directory entry (128-byte aligned) naming one stream."""
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    entry = encoded + bytes(64 - len(encoded)) + len(encoded).to_bytes(2, "little") + bytes(62)
    return OLE + bytes(504) + text_before + entry


def tar_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(name)
        info.size = len(content)
        archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def test_every_declared_reader_exists_and_takes_data_and_a_context():
    for declared in formats.FORMATS:
        if declared.readable:
            module_name, function_name = declared.reader.split(":")
            opener = getattr(import_module(f"bot.scan.readers.{module_name}"), function_name)
            assert opener.__code__.co_varnames[:2] == ("data", "ctx"), declared.kind


def test_labels_come_from_the_table():
    assert kind_label("xlsx") == "Excel file (.xlsx)"
    assert kind_label("xls") == formats.get("xls").label
    assert "Excel" in formats.readable_list() and "SQL dumps" in formats.readable_list()


@pytest.mark.parametrize("data, kind", [
    (gzip.compress(b"a,b\n1,2\n"), "gzip"),
    (bz2.compress(b"a,b\n1,2\n"), "bzip2"),
    (lzma.compress(b"a,b\n1,2\n"), "xz"),
    (tar_of("people.csv", b"a,b\n1,2\n"), "tar"),
    (ole_with_stream("Workbook"), "xls"),
    (ole_with_stream("__substg1.0_0037001F"), "msg"),
    (b"From alerts@example.org Mon Jun 16 09:12:44 2025\nFrom: a@example.org\nSubject: x\n\nbody\n", "mbox"),
    (b"Received: from mx.example.org\nFrom: Intake <a@example.org>\nTo: b@example.org\nSubject: roster\n\nhi\n", "eml"),
    (b"<?xml version='1.0'?>\n<Export><Person><fullName>x</fullName></Person></Export>", "xml"),
    (b"-- MySQL dump 10.13\n\nCREATE TABLE `people` (\n  `id` int\n);\nINSERT INTO `people` VALUES (1);\n", "sql"),
])
def test_kinds_from_bytes(data, kind):
    assert sniff(data) == kind


def test_prose_that_mentions_headers_or_tables_stays_text():
    assert sniff(b"Subject to approval, the board met.\nFrom the minutes: nothing to report.\n") == "text"
    assert sniff(b"We will create table settings for the event next week.\nThanks.\n") == "text"


@pytest.mark.parametrize("data, says", [
    (ole_with_stream("WordDocument"), "legacy Word .doc"),
    (ole_with_stream("PowerPoint Document"), "legacy PowerPoint .ppt"),
    (ole_with_stream("EncryptedPackage"), "password-protected Office file"),
    (OLE + bytes(600), "legacy Office file"),
    (b"7z\xbc\xaf\x27\x1c" + bytes(30), "7-Zip archive"),
    (b"\x00\x01\x02\x03" * 100, "binary data"),
])
def test_files_that_are_not_read_say_what_they_are(data, says):
    assert sniff(data) == "unsupported"
    assert says in describe_unsupported(data)


def test_a_stream_name_in_a_documents_text_is_not_a_stream():
    # "Workbook" in UTF-16 text, not at a directory entry's start: the file is still a .doc
    data = ole_with_stream("WordDocument", text_before=b"\x00" + "Workbook".encode("utf-16-le") + bytes(111))
    assert sniff_format(data).kind == "doc"


def test_media_is_recognised_as_holding_no_text():
    assert sniff_format(b"\x89PNG\r\n\x1a\n" + bytes(40)).media
    assert not sniff_format(b"a,b\n1,2\n").media
