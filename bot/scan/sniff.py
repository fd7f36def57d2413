"""What content really is, from its bytes only (never its name or Content-Type).

The kinds and how each is recognised are declared once, in bot/scan/formats.py; this module
applies that table: leading magic bytes, then the member names of a zip or the stream names of an
OLE2 compound file (searched as bytes, nothing parsed), then tests of the decoded text in table
order. Only a sample of the bytes is looked at, except a zip's central directory and an OLE2
file's directory, which are searched as bytes.
"""

from __future__ import annotations

import re

from bot.scan import formats
from bot.scan.readers.textcodec import decode_sample
from bot.scan.readers.zipcheck import directory_end
from bot.scan.textshape import SAMPLE_BYTES, sniff_delimiter

__all__ = ["sniff", "sniff_format", "describe_unsupported", "sniff_delimiter", "SAMPLE_BYTES"]

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_ZIP_FORMATS = tuple(f for f in formats.FORMATS if f.zip_marker)
_OLE_FORMATS = tuple(f for f in formats.FORMATS if f.ole_stream)
_MAGIC_FORMATS = tuple(f for f in formats.FORMATS if f.magic)
_TEXT_FORMATS = tuple(f for f in formats.FORMATS if f.text_test)


def sniff(data: bytes) -> str:
    """The kind of the content: a readable kind (xlsx, csv, eml…), or `unsupported`."""
    found = sniff_format(data)
    return found.kind if found.readable else "unsupported"


def sniff_format(data: bytes) -> formats.Format:
    """The format the bytes are, readable or not (formats.UNSUPPORTED when nothing fits)."""
    for candidate in _MAGIC_FORMATS:
        if _has_magic(data, candidate):
            if candidate.kind == "zip":
                return _zip_format(data) or candidate
            if candidate.kind == "ole":
                return _ole_format(data) or candidate
            return candidate
    if data[:2] == b"MZ" and b"\x00" in data[:512]:
        return formats.get("program")
    _, text = decode_sample(data, SAMPLE_BYTES)
    if _looks_binary(text):
        return formats.UNSUPPORTED
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        return formats.get("text")
    whole = len(data) <= SAMPLE_BYTES
    for candidate in _TEXT_FORMATS:
        if candidate.text_test(text, whole):
            return candidate
    return formats.get("text")


def describe_unsupported(data: bytes) -> str:
    """What a file that is not read probably is, for the sentence that refuses it."""
    found = sniff_format(data)
    if found is formats.UNSUPPORTED or found.readable:
        return "binary data"
    return found.label


def _has_magic(data: bytes, candidate: formats.Format) -> bool:
    if candidate.magic_within:
        head = data[:candidate.magic_within]
        return any(magic in head for magic in candidate.magic)
    return any(data.startswith(magic, candidate.magic_at) for magic in candidate.magic)


def _zip_format(data: bytes) -> formats.Format | None:
    """A zip-based document, from member names in the zip's directory (or its first entries)."""
    end = directory_end(data)
    # a truncated file has no central directory, but its first entries still name its parts
    searched = (end.directory_bytes(data) if end else b"") + data[:4096]
    if end is None:
        searched += data[:SAMPLE_BYTES]
    for candidate in _ZIP_FORMATS:
        if candidate.zip_marker in searched:
            return candidate
    return None


def _ole_format(data: bytes) -> formats.Format | None:
    """A legacy Office or Outlook file, from its stream names.

    Directory entries are 128 bytes, aligned on 128 in every sector size, and start with the
    name in UTF-16: a name found at such an offset is a stream, not the same word in the text.
    """
    for candidate in _OLE_FORMATS:
        name = candidate.ole_stream.encode("utf-16-le")
        position = data.find(name, 512)
        while position >= 0:
            if position % 128 == 0:
                return candidate
            position = data.find(name, position + 1)
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:8192]
    controls = len(_CONTROL.findall(sample))
    replaced = sample.count("\ufffd")
    return "\x00" in sample or (controls + replaced) > 0.05 * len(sample)
