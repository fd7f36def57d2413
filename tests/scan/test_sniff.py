"""sniff(): the kind of content from its bytes alone."""

from __future__ import annotations

import io
import json
import random
import zipfile

import pytest

from bot.scan.sniff import describe_unsupported, sniff, sniff_delimiter
from tests.scan.hostile_files import HOSTILE, truncated_xlsx, valid_xlsx


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "kind"), [
    (valid_xlsx(), "xlsx"),
    (truncated_xlsx(), "xlsx"),
    (_zip({"a.csv": b"a,b\n1,2\n"}), "zip"),
    (_zip({"xl/workbook.bin": b"\x00"}), "unsupported"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
    (b'{"a": 1}', "json"),
    (b'  [\n {"a": 1},\n {"a": 2}\n]\n', "json"),
    (b'{"a": 1}\n{"a": 2}\n', "json"),
    (b"[" + b'{"k": "' + b"v" * 70_000 + b'"}]', "json"),
    (b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"<?xml version='1.0'?><html xmlns='http://www.w3.org/1999/xhtml'><body/></html>", "html"),
    (b"<div><p>Hello</p></div>", "html"),
    (b"<?xml version='1.0'?><catalog><item>1</item></catalog>", "xml"),
    (b"a,b,c\n1,2,3\n4,5,6\n", "csv"),
    (b"a;b\n1;2\n", "csv"),
    (b"a\tb\n1\t2\n", "csv"),
    (b"a|b|c\n1|2|3\n", "csv"),
    ("Name\tCity\nTestperson Alpha\tSpringfield\n".encode("utf-16"), "csv"),
    (b"The quick brown fox.\nJumps over, the lazy dog.\nAnd then, it ran away, far.\n", "text"),
    (b"2024-01-01 12:00:00 INFO service started\n2024-01-01 12:00:01 WARN slow\n", "text"),
    (b"", "text"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "unsupported"),
    (random.Random(1).randbytes(4096), "unsupported"),
])
def test_kinds(data, kind):
    assert sniff(data) == kind


def test_name_is_never_needed_hostile_files_sniff_as_what_they_are():
    kinds = {name: sniff(make()) for name, make in HOSTILE.items() if name != "huge.html"}
    assert kinds == {
        "zip-bomb.xlsx": "xlsx", "billion-laughs.xlsx": "xlsx", "shared-strings-bomb.xlsx": "xlsx",
        "truncated.xlsx": "xlsx", "random-bytes.xlsx": "unsupported", "huge-field.csv": "csv",
        "deep.json": "json", "flate-bomb.pdf": "pdf",
    }


def test_describe_unsupported():
    assert describe_unsupported(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1").startswith("a legacy")
    assert describe_unsupported(b"\x00\x01") == "binary data"


def test_delimiter_sniffing_respects_quotes_and_titles():
    assert sniff_delimiter('name,note\n"A","x;y;z"\n"B","p;q;r"\n') == ","
    assert sniff_delimiter("Report title\n\nA;B;C\n1;2;3\n4;5;6\n") == ";"
    assert sniff_delimiter("one line only, with commas\n") is None


def test_json_sniff_does_not_need_the_whole_document():
    big = json.dumps([{"n": index} for index in range(20_000)]).encode()
    assert len(big) > 65536
    assert sniff(big) == "json"


def test_text_that_starts_like_a_magic_number_is_still_text():
    assert sniff(b"MZ Holdings quarterly note\nAll figures are estimates.\n") == "text"
    windows_program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
    assert sniff(windows_program) == "unsupported"
    assert describe_unsupported(windows_program) == "a program"


# --- e-mail and mailboxes (looks_email / looks_mbox) ---------------------------------------------

REAL_HEADERS = (
    "Delivered-To: staff@example.org\r\n"
    "Received: by 2002:a05:6a10:1234 with SMTP id abc;\r\n"
    "        Mon, 1 Jan 2024 10:00:01 -0800 (PST)\r\n"
    "X-Google-Smtp-Source: AGHT+IExample\r\n"
    "ARC-Seal: i=1; a=rsa-sha256; t=1704132001; cv=none;\r\n"
    "        d=example.com; s=arc-20160816;\r\n"
    "Return-Path: <records@example.org>\r\n"
    "Received-SPF: pass (example.com: domain of records@example.org designates 192.0.2.1)\r\n"
    "Authentication-Results: mx.example.com;\r\n"
    "       dkim=pass header.i=@example.org\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s1;\r\n"
    "        h=subject:to:from:date; bh=abc=; b=def=\r\n"
    "X_Odd_Field: kept by an old relay\r\n"
    "Subject:\r\n"
    "MIME-Version: 1.0\r\n"
    "From: Records Office <records@example.org>\r\n"
    "Date: Mon, 1 Jan 2024 10:00:00 -0800\r\n"
    "Message-ID: <abc123@mail.example.org>\r\n"
    "To: staff@example.org\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    "\r\n"
    "Hello,\r\nthe roster is attached.\r\n"
)


@pytest.mark.parametrize(("data", "kind"), [
    (REAL_HEADERS.encode(), "eml"),
    (b"From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n", "eml"),
    (b"Return-Path: <a@example.org>\nX-Mozilla-Status: 0001\nMessage-ID: <1@x>\nFrom: a\nSubject: s\n\nb\n", "eml"),
    (("From 1786553377123456789@xxx Mon Jan 01 10:00:00 +0000 2024\r\n" + REAL_HEADERS).encode(), "mbox"),
    (b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@example.org\nTo: b@example.org\n\nx\n", "mbox"),
    # prose and "key: value" files are not mail
    (b"From what I can tell, it works.\nNote: nothing else.\nTodo: more tests\n", "text"),
    (b"From: the committee\nTo: all members\nSubject: the picnic\n\nBring food.\n", "text"),
    (b"from: /old-page\nto: /new-page\ndate: 2024-01-01\n", "text"),
    (b"Subject: minutes\nDate: today\nThe meeting opened at ten.\nFrom: someone@example.org\n", "text"),
    (b"  To: indented@example.org\nFrom: a@example.org\n\nx\n", "text"),
])
def test_mail_and_what_is_not_mail(data, kind):
    assert sniff(data) == kind


def test_a_message_built_by_the_email_package_and_an_mbox_written_by_mailbox_sniff_as_mail(tmp_path):
    import mailbox
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@example.org", "b@example.org", "roster"
    message.set_content("From now on, weekly.\n")
    message.add_attachment(b"a,b\n1,2\n", maintype="text", subtype="csv", filename="roster.csv")
    assert sniff(message.as_bytes()) == "eml"
    box = mailbox.mbox(tmp_path / "box.mbox")
    box.add(message)
    box.close()
    assert sniff((tmp_path / "box.mbox").read_bytes()) == "mbox"


# --- SQL dumps and XML exports ------------------------------------------------------------------

MYSQLDUMP_HEAD = (b"-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: localhost    Database: intake\n"
                  b"-- ------------------------------------------------------\n-- Server version\t8.0.36\n\n"
                  b"/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n/*!50503 SET NAMES utf8mb4 */;\n\n"
                  b"DROP TABLE IF EXISTS `people`;\nCREATE TABLE `people` (\n  `id` int NOT NULL,\n  PRIMARY KEY (`id`)\n"
                  b") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\nLOCK TABLES `people` WRITE;\n"
                  b"INSERT INTO `people` VALUES (1),(2);\nUNLOCK TABLES;\n")
PG_DUMP_HEAD = (b"--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\nSET statement_timeout = 0;\nSET lock_timeout = 0;\n"
                b"SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n"
                b"SELECT pg_catalog.set_config('search_path', '', false);\n\nCREATE TABLE public.people (\n    id integer\n);\n\n"
                b"COPY public.people (id) FROM stdin;\n1\n\\.\n")
SQLITE_DUMP = (b"PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE people(id integer, note text);\n"
               b"INSERT INTO people VALUES(1,'two\nlines');\nCOMMIT;\n")


@pytest.mark.parametrize(("data", "kind"), [
    (MYSQLDUMP_HEAD, "sql"),
    (PG_DUMP_HEAD, "sql"),
    (SQLITE_DUMP, "sql"),
    (b"INSERT INTO people (id, name) VALUES (1, 'x');\n", "sql"),
    (b"-- notes for the team\nWe should CREATE TABLE people soon.\nThen INSERT INTO it.\n", "text"),
    (b"Set up the database.\nCREATE TABLE t (a int);\n", "text"),
    (b"<html><body><pre>INSERT INTO t VALUES (1);</pre></body></html>", "html"),
    (b"<?xml version='1.0' encoding='utf-8'?>\n<Export><Person><Name>x</Name></Person></Export>", "xml"),
    (b"<!-- exported -->\n<Export xmlns='urn:x'>\n<Person id='1'><Name>x</Name></Person>\n", "xml"),
    (b'<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>', "xml"),
    (b"<Records/>", "xml"),
    (b"<Name> asked whether 3 < 4 and wrote back later.\nThanks.\n", "text"),
    (b"<p>Hello</p>", "html"),
])
def test_dumps_and_exports(data, kind):
    assert sniff(data) == kind
