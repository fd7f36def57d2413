"""What content really is, from its bytes only (never its name or Content-Type).

Kinds: xlsx (also xlsm/xltx: a zip holding xl/workbook.xml), zip, pdf, json, html, csv
(delimited text), text, unsupported (binary). Only a sample of the bytes is looked at, except a
zip's central directory, searched as bytes at the end of the data.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter

from bot.scan.readers.aligned import RULER, split_fields
from bot.scan.readers.textcodec import decode_sample
from bot.scan.readers.zipcheck import directory_end

SAMPLE_BYTES = 1 << 16
DELIMITERS = (",", ";", "\t", "|")

_BINARY_MAGIC = {
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "a legacy or password-protected Office file (.xls, .doc)",
    b"\x89PNG": "an image",
    b"\xff\xd8\xff": "an image",
    b"GIF8": "an image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
    b"\x7fELF": "a program",
}
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|table|div|p|h[1-6]|ul|ol|span|a|meta|title|br|form)[\s/>]",
                         re.IGNORECASE)
_HTML_ANYWHERE = re.compile(r"<(?:html|body|table)[\s>]", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def sniff(data: bytes) -> str:
    """xlsx | zip | pdf | json | html | csv | text | unsupported."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data)
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if any(data.startswith(magic) for magic in _BINARY_MAGIC):
        return "unsupported"
    _, text = decode_sample(data, SAMPLE_BYTES)
    if _looks_binary(text):
        return "unsupported"
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return "text"
    if stripped[0] in "[{" and _looks_json(stripped, complete=len(data) <= SAMPLE_BYTES):
        return "json"
    if _looks_html(stripped):
        return "html"
    if sniff_delimiter(text) is not None:
        return "csv"
    return "text"


def describe_unsupported(data: bytes) -> str:
    """What a binary file probably is, for the sentence that refuses it."""
    for magic, what in _BINARY_MAGIC.items():
        if data.startswith(magic):
            return what
    if data.startswith(b"PK"):
        return "a zip-based format other than Excel"
    if data.startswith(b"MZ") and b"\x00" in data[:512]:
        return "a program"
    return "binary data"


def _sniff_zip(data: bytes) -> str:
    """xlsx when the zip's directory names xl/workbook.xml (searched as bytes: no parsing)."""
    end = directory_end(data)
    if end is None:
        # a truncated xlsx has no central directory, but its first entries still name xl/ parts
        head = data[:SAMPLE_BYTES]
        return "xlsx" if b"xl/" in head and b"[Content_Types].xml" in head else "zip"
    directory = end.directory_bytes(data)
    if b"xl/workbook.xml" in directory:
        return "xlsx"
    if b"xl/workbook.bin" in directory:
        return "unsupported"
    return "zip"


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    replaced = sample.count("\ufffd")
    return "\x00" in sample or (controls + replaced) > 0.05 * len(sample)


def _looks_json(text: str, *, complete: bool) -> bool:
    if complete:
        try:
            json.loads(text)
            return True
        except RecursionError:
            return True  # absurdly deep, still JSON: the reader refuses it with a sentence
        except ValueError:
            pass
    first_line = text.split("\n", 1)[0].strip()
    try:
        json.loads(first_line)
        return True  # NDJSON, or JSON whose first line is a whole value
    except (ValueError, RecursionError):
        pass
    # a large document: an opening bracket followed by what JSON allows there
    match = re.match(r'[\[{]\s*(.)', text, re.DOTALL)
    if not match:
        return False
    nxt = match.group(1)
    if text[0] == "{":
        return nxt in '"}'
    return nxt in '[{"]-0123456789tfn'


def _looks_html(text: str) -> bool:
    if text.startswith("<"):
        if text[:5].lower() == "<?xml":
            return bool(_HTML_ANYWHERE.search(text[:4096]))
        return bool(_HTML_START.match(text)) or bool(_HTML_ANYWHERE.search(text[:4096]))
    return bool(_HTML_ANYWHERE.search(text[:1024]))


def sniff_delimiter(text: str, max_lines: int = 50) -> str | None:
    """The delimiter that splits the sample's lines into the same number (≥2) of fields.

    Lines are parsed with the csv module (quotes respected); the last, probably cut, line of the
    sample is dropped. Returns None for prose, logs and single-column text.
    """
    lines = [line for line in text.splitlines()[:max_lines + 1] if line.strip()]
    if len(text) >= SAMPLE_BYTES - 1 and len(lines) > 2:
        lines = lines[:-1]  # probably cut by the sample's end
    lines = lines[:max_lines]
    if len(lines) < 2:
        return None
    best: tuple[float, int, str] | None = None
    for delimiter in DELIMITERS:
        if not any(delimiter in line for line in lines):
            continue
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        share_all = Counter(widths).most_common(1)[0][1] / len(widths)
        # title lines above a header have no delimiter: judge the lines below them
        while len(widths) > 2 and widths[0] == 1 and len(lines) - len(widths) < 5:
            widths.pop(0)
        width, agreeing = Counter(widths).most_common(1)[0]
        if width < 2 or (agreeing / len(widths) < 0.8 and not _sections(widths)):
            continue
        score = (share_all, width, delimiter)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        return None
    # a fixed-width listing whose names hold a comma ("DOE, JANE") is aligned text, not CSV
    return None if _fixed_width(lines) > best[1] else best[2]


def _fixed_width(lines: list[str]) -> int:
    """How many columns the lines agree on when split at runs of 2+ spaces (0: they do not)."""
    widths = [len(split_fields(line)) for line in lines if not RULER.match(line)]
    if not widths:
        return 0
    width, agreeing = Counter(widths).most_common(1)[0]
    return width if width >= 3 and agreeing >= 0.6 * len(widths) else 0


def _sections(widths: list[int]) -> bool:
    """Tables one under another: nearly every line split, in a few runs of equal width."""
    split = sum(1 for width in widths if width >= 2)
    changes = sum(1 for before, after in zip(widths, widths[1:], strict=False) if before != after)
    return len(widths) >= 5 and split >= 0.9 * len(widths) and changes <= max(1, len(widths) // 10)
