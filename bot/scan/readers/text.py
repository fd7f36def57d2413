"""Plain text and logs -> TextBlocks of numbered lines, and Tables where columns line up.

Decoded incrementally; a line longer than limits.max_text_line_chars is handed over in pieces
that all carry its line number, so one huge line never becomes one huge str. Fixed-width
listings (columns separated by 2+ spaces) become Tables "table N" (see aligned.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.scan.model import Part, TextBlock
from bot.scan.readers.aligned import aligned_parts
from bot.scan.readers.base import ReadContext, counted_lines
from bot.scan.readers.textcodec import detect_encoding, text_stream


def open_text(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    encoding = detect_encoding(data)
    return _parts(data, ctx, encoding)


def _parts(data: bytes, ctx: ReadContext, encoding: str) -> Iterator[Part]:
    def block(lines: list[tuple[int, str]]) -> TextBlock:
        return TextBlock(name=ctx.name or "text", lines=counted_lines(iter(lines), ctx), container=ctx.container)

    yield from aligned_parts(_lines(data, encoding, ctx), ctx, block)


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
