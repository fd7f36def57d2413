"""Plain text and logs -> one TextBlock of numbered lines.

Decoded incrementally; a line longer than limits.max_text_line_chars is handed over in pieces
that all carry its line number, so one huge line never becomes one huge str.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.scan.model import Part, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines
from bot.scan.readers.textcodec import detect_encoding, text_stream


def open_text(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    encoding = detect_encoding(data)
    return _parts(data, ctx, encoding)


def _parts(data: bytes, ctx: ReadContext, encoding: str) -> Iterator[Part]:
    yield TextBlock(name=ctx.name or "text", lines=counted_lines(_lines(data, encoding, ctx), ctx),
                    container=ctx.container)


def _lines(data: bytes, encoding: str, ctx: ReadContext) -> Iterator[tuple[int, str]]:
    limit = ctx.limits.max_text_line_chars
    stream = text_stream(data, encoding)
    number = 1
    readline = stream.readline
    while True:
        piece = readline(limit)
        if not piece:
            return
        ended = piece.endswith("\n")
        text = piece.rstrip("\r\n")
        if text:
            yield number, text
        if ended:
            number += 1
