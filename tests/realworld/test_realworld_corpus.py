"""Checks of the real-world corpus itself, without the scanner: its truth must be right before a
scan can be judged against it.

- every leak's identifiers are valid values (SSA rules, ITIN groups, Luhn, IBAN, libphonenumber,
  A-number range) and none is a published test or dummy value;
- every identifier in the truth can be found in the file's own text, extracted with independent
  libraries (zipfile, pypdf, email, openpyxl, tarfile, the decompressors), so the truth holds no
  value the file lacks;
- the same seed gives the same files and truth; sizes and counts stay within the corpus's budget.
Failure messages name files, types and counts only.
"""

from __future__ import annotations

import bz2
import email
import gzip
import io
import lzma
import mailbox
import re
import tarfile
import zipfile
from pathlib import Path

import openpyxl
import phonenumbers
import pytest
from pypdf import PdfReader
from stdnum import iban, luhn
from stdnum.us import itin, ssn

from tests.realworld import generate_realworld, idents

SCALE = 0.25


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate_realworld(tmp_path_factory.mktemp("rw_self"), scale=SCALE)


def _zip_text(data: bytes) -> str:
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            inner = zf.read(name)
            if name.endswith(".zip"):
                out.append(_zip_text(inner))
            elif name.endswith((".xml", ".csv", ".rels")):
                out.append(re.sub(r"<[^>]+>", " ", inner.decode("utf-8", "replace")))
    return " ".join(out)


def _xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
                    if v is not None)


def _message_text(msg: email.message.Message) -> str:
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        payload = part.get_payload(decode=True) or b""
        if (part.get_filename() or "").endswith(".xlsx"):
            out.append(_xlsx_text(payload))
        else:
            out.append(payload.decode("utf-8", "replace"))
    return " ".join(out)


def _tar_text(data: bytes) -> str:
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        return " ".join(tar.extractfile(m).read().decode("utf-8", "replace") for m in tar.getmembers() if m.isfile())


def file_text(path: Path, fmt: str) -> str:
    data = path.read_bytes()
    if fmt == "pdf":
        return " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    if fmt == "xlsx":
        return _xlsx_text(data)
    if fmt in ("xls", "doc"):  # BIFF / Word 97 strings: 8-bit or UTF-16LE
        return data.decode("latin-1") + " " + data.decode("utf-16-le", "replace")
    if fmt == "eml":
        return _message_text(email.message_from_bytes(data))
    if fmt == "mbox":
        return " ".join(_message_text(m) for m in mailbox.mbox(str(path)))
    if fmt in ("tar", "tgz"):
        return _tar_text(data)
    decompress = {"gz": gzip.decompress, "bz2": bz2.decompress, "xz": lzma.decompress}.get(fmt)
    if decompress:
        return decompress(data).decode("utf-8")
    if zipfile.is_zipfile(io.BytesIO(data)):
        return _zip_text(data)
    return data.decode("utf-8")


def _present(kind: str, value: str, digits: str, alnum: str, lower: str) -> bool:
    if kind == "A_NUMBER":
        return value in digits or (value.startswith("0") and value[1:] in digits)
    if kind in ("SSN", "ITIN", "CREDIT_CARD"):
        return value in digits
    if kind == "PHONE":
        return str(phonenumbers.parse(value).national_number) in digits
    if kind == "EMAIL":
        return value in lower
    return value in alnum


def test_truth_values_are_in_the_files(corpus):
    missing = {}
    for entry in corpus:
        if not entry.identifiers:
            continue
        text = file_text(entry.path, entry.format)
        digits, alnum, lower = re.sub(r"\D", "", text), re.sub(r"[^0-9A-Za-z]", "", text).upper(), text.lower()
        for kind, values in entry.identifiers.items():
            lost = sum(not _present(kind, v, digits, alnum, lower) for v in values)
            if lost:
                missing[f"{entry.name} {kind}"] = f"{lost} of {len(values)}"
    assert not missing, f"truth values not found in their files: {missing}"


CHECKS = {"SSN": ssn.is_valid, "ITIN": itin.is_valid, "CREDIT_CARD": luhn.is_valid, "IBAN": iban.is_valid,
          "PHONE": lambda v: phonenumbers.is_valid_number(phonenumbers.parse(v)),
          "A_NUMBER": lambda v: len(v) == 9 and v.isdigit() and v[0] in "012",
          "EMAIL": lambda v: v == v.lower().strip() and "@" in v,
          "PASSPORT": lambda v: v == v.upper() and v.isalnum()}


def test_leak_identifiers_are_valid_and_not_test_values(corpus):
    bad = {}
    for entry in corpus:
        for kind, values in entry.identifiers.items():
            invalid = sum(not CHECKS[kind](v) or v in idents.TEST_VALUES for v in values)
            reserved = sum(kind == "PHONE" and v.startswith("+1") and v[5:8] == "555" for v in values)
            if invalid or reserved:
                bad[f"{entry.name} {kind}"] = invalid + reserved
    assert not bad, f"invalid, reserved or test values in leaks: {bad}"


def test_same_seed_same_corpus(corpus, tmp_path):
    again = {e.name: e for e in generate_realworld(tmp_path, scale=SCALE)}
    differs = [e.name for e in corpus if again[e.name].identifiers != e.identifiers or again[e.name].people != e.people]
    assert not differs, f"truth differs between two runs: {differs}"
    hand_made = ("csv.gz", "bz2", "xz", ".sql", ".xml", ".html", ".eml", ".mbox", ".ods", ".odt", ".docx", ".pdf", ".tar")
    byte_diff = [e.name for e in corpus if e.name.endswith(hand_made) and not e.name.startswith("lo_")
                 and e.name != "tanpri_lis_kliyan.eml"  # holds an .xlsx openpyxl stamps with the time of saving
                 and e.path.read_bytes() != again[e.name].path.read_bytes()]
    assert not byte_diff, f"bytes differ between two runs: {byte_diff}"


def test_corpus_budget(corpus):
    leaks = [e for e in corpus if e.is_leak]
    looks = [e for e in corpus if not e.is_leak]
    assert 30 <= len(leaks) <= 45 and 15 <= len(looks) <= 25, (len(leaks), len(looks))
    big = [e.name for e in corpus if e.path.stat().st_size > 200_000]
    assert not big, f"files over 200 KB: {big}"
    formats = {e.format for e in corpus}
    assert {"xls", "ods", "odt", "docx", "pptx", "eml", "mbox", "gz", "bz2", "xz", "tar", "tgz", "zip", "sql", "xml",
            "html", "pdf", "doc"} <= formats
