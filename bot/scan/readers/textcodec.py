"""Which text encoding bytes are in, and a streaming decoder over them.

Order tried: utf-8 with BOM, utf-16 (BOM, or the NUL pattern of ASCII in UTF-16), utf-8, cp1252,
latin-1 (never fails). Validation walks the bytes in chunks with an incremental decoder, so a
50 MB file is never turned into one big str just to learn its encoding.
"""

from __future__ import annotations

import codecs
import io

from bot.scan import progress

CHUNK = 1 << 20


def detect_encoding(data: bytes, *, sample_only: bool = False) -> str:
    """The first encoding in the house order that decodes `data` (or its first 64 KB)."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = utf16_without_bom(data[:4096])
    if utf16:
        return utf16
    body = data[: 1 << 16] if sample_only else data
    for encoding in ("utf-8", "cp1252"):
        if decodes(body, encoding, final=not sample_only):
            return encoding
    return "latin-1"


def utf16_without_bom(sample: bytes) -> str | None:
    """ASCII text in UTF-16 has a NUL in every other byte; say which half holds them."""
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def decodes(data: bytes, encoding: str, *, final: bool = True) -> bool:
    """True when `data` is valid in `encoding`; checked chunk by chunk, output thrown away."""
    if encoding == "utf-8" and data.isascii():
        return True
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), CHUNK):
            decoder.decode(view[start:start + CHUNK], final=False)
        if final:
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def text_stream(data: bytes, encoding: str, *, newline: str | None = None, watch: bool = False) -> io.TextIOWrapper:
    """A text stream over the bytes, decoded chunk by chunk (BytesIO shares the buffer).

    `watch`: this is the document itself (not an entry of an archive), so how far it has been
    read is how far the scan is (bot/scan/progress.py)."""
    raw = io.BytesIO(data)
    if watch:
        progress.watch(raw.tell)
    return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=newline)


def decode_sample(data: bytes, limit: int = 1 << 16) -> tuple[str, str]:
    """(encoding, text of the first `limit` bytes), for sniffing and sampling."""
    encoding = detect_encoding(data, sample_only=True)
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return encoding, decoder.decode(data[:limit], final=len(data) <= limit)
