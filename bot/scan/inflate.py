"""Compressed HTTP bodies unpacked a slice at a time, under a byte and a ratio bound.

`inflater_for(content_encoding, host, max_bytes)` gives None for an uncompressed body and a
BoundedInflater for gzip or deflate (any other encoding is refused with one sentence). The
inflater's `feed(chunk)` yields the unpacked pieces, at most one slice (_SLICE bytes) at a time,
so memory stays flat; `finish()` the rest. More than `max_bytes` unpacked, or more than
MAX_INFLATE_RATIO times what was unpacked from (past INFLATE_RATIO_GRACE_BYTES), stops the
download with LimitExceeded: a gzip bomb stops at once. Used by fetch.py.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from bot.errors import FetchFailed, LimitExceeded

#: compressed bodies that unpack to more than this many times their size are treated as bombs
MAX_INFLATE_RATIO = 200
#: ...once they are past this size (small, very repetitive files are harmless)
INFLATE_RATIO_GRACE_BYTES = 1 << 20
_SLICE = 64 * 1024


def size_text(n: int) -> str:
    """A byte count as people read it in a sentence: "3.2 MB" or "512 bytes"."""
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{n:,} bytes"


class BoundedInflater:
    """Unpacks gzip or deflate at most one slice at a time, under a byte and a ratio bound."""

    def __init__(self, encoding: str, host: str, max_bytes: int):
        self._raw_deflate_tried = encoding == "gzip"
        self._decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, auto-detected
        self._host = host
        self._max_bytes = max_bytes
        self.packed = 0
        self.unpacked = 0

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            try:
                piece = self._decoder.decompress(data, _SLICE)
                # the ratio is measured on input actually unpacked so far, not on the whole chunk
                self.packed += len(data) - len(self._decoder.unconsumed_tail)
            except zlib.error:
                if self._raw_deflate_tried or self.unpacked:
                    raise FetchFailed(f"{self._host} sent compressed content that is corrupt.") from None
                # some servers send "deflate" without the zlib header
                self._raw_deflate_tried = True
                self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
                continue
            yield self._count(piece)
            data = self._decoder.unconsumed_tail
            if self._decoder.eof and self._decoder.unused_data:  # another gzip member follows
                data = self._decoder.unused_data
                self._decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)

    def finish(self) -> bytes:
        return self._count(self._decoder.flush())

    def _count(self, piece: bytes) -> bytes:
        self.unpacked += len(piece)
        if self.unpacked > self._max_bytes:
            raise LimitExceeded(
                f"{self._host} sent compressed content that unpacks to more than the {size_text(self._max_bytes)} limit (SCAN_MAX_BYTES), so the download was stopped."
            )
        past_grace = self.unpacked > INFLATE_RATIO_GRACE_BYTES
        if past_grace and self.unpacked > MAX_INFLATE_RATIO * max(self.packed, 1):
            raise LimitExceeded(
                f"{self._host} sent compressed content that unpacks more than {MAX_INFLATE_RATIO} to 1, which looks like a decompression bomb, so it was not unpacked."
            )
        return piece


def inflater_for(content_encoding: str, host: str, max_bytes: int) -> BoundedInflater | None:
    """The inflater a response's Content-Encoding calls for: None for none or identity, one for gzip
    or deflate; any other encoding is refused with one sentence."""
    encoding = content_encoding.strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return BoundedInflater("gzip" if "gzip" in encoding else "deflate", host, max_bytes)
    raise FetchFailed(
        f"{host} sent the content compressed as {encoding[:40]!r}, which the scanner does not unpack (it asked for uncompressed content)."
    )
