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
    return _parts(lambda: text_stream(data, encoding, watch=ctx.container is None), ctx)


def open_text_local(local, ctx: ReadContext) -> Iterator[Part]:
    """The same, over a large local file (bot/scan/localfile.py) read as a stream."""
    return _parts(local.stream, ctx)


def _parts(open_stream, ctx: ReadContext) -> Iterator[Part]:
    def block(lines: list[tuple[int, str]]) -> TextBlock:
        return TextBlock(name=ctx.name or "text", lines=counted_lines(iter(lines), ctx), container=ctx.container)

    yield from aligned_parts(_lines(open_stream, ctx), ctx, block)


def _lines(open_stream, ctx: ReadContext) -> Iterator[tuple[int, str]]:
    limit = ctx.limits.max_text_line_chars
    stream = open_stream()
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
