"""CSV, TSV and other delimited text -> one Table, streamed by the C csv module.

The encoding is detected (textcodec), the delimiter sniffed from a sample, and the bytes are read
through an incremental decoder: no whole-file str. Rows yield `(first physical line, cells)`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from bot.errors import LimitExceeded
from bot.scan.model import Part, Table
from bot.scan.readers.base import ReadContext, counted_rows
from bot.scan.readers.headers import segments
from bot.scan.readers.textcodec import decode_sample, detect_encoding, text_stream
from bot.scan.textshape import sniff_delimiter

#: a physical line may hold this many longest-allowed fields' worth of bytes; beyond that it is
#: refused before parsing (a row of millions of empty fields would be a huge list)
LINE_FACTOR = 8


def open_delimited(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    encoding = detect_encoding(data)
    _, sample = decode_sample(data)
    delimiter = sniff_delimiter(sample) or ","
    _check_line_lengths(data, ctx, _line_limit(ctx))
    return _parts(lambda: text_stream(data, encoding, newline="", watch=ctx.container is None), ctx, delimiter)


def open_delimited_local(local, ctx: ReadContext) -> Iterator[Part]:
    """The same, over a large local file (bot/scan/localfile.py) read as a stream."""
    _, sample = decode_sample(local.head)  # the head is longer than the sample: the same text
    delimiter = sniff_delimiter(sample) or ","
    if local.longest_line > _line_limit(ctx):
        raise _line_too_long(ctx, _line_limit(ctx))
    return _parts(lambda: local.stream(newline=""), ctx, delimiter, source=(local, ctx, delimiter))


def _line_limit(ctx: ReadContext) -> int:
    return LINE_FACTOR * max(ctx.limits.max_text_line_chars, ctx.limits.max_csv_field_bytes)


def _line_too_long(ctx: ReadContext, limit: int) -> LimitExceeded:
    return LimitExceeded(f"This {ctx.label} has a line longer than {limit / 1e6:,.0f} MB, more than one scan reads.")


def _parts(open_stream, ctx: ReadContext, delimiter: str, source: tuple | None = None) -> Iterator[Part]:
    """`source`: (local file, ctx, delimiter) of a large local file, whose first table a second
    process may help scan (bot/scan/split_scan.py)."""
    # process-wide setting: every reader in this process uses the same bound
    csv.field_size_limit(ctx.limits.max_csv_field_bytes)
    stream = open_stream()
    reader = csv.reader(stream, delimiter=delimiter)
    base = ctx.name if ctx.name and not ctx.container else ""
    for number, segment in enumerate(segments(csv_rows(reader, ctx)), start=1):
        name = f"table {number}" if not base else base if number == 1 else f"{base} table {number}"
        yield Table(
            style="table",
            name=name,
            header=segment.header,
            header_row=segment.header_row,
            rows=counted_rows(segment.rows, ctx),
            title=segment.title,
            container=ctx.container,
            source=source if number == 1 else None,
        )


def csv_rows(reader, ctx: ReadContext) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        for row in reader:
            first = line + 1
            line = reader.line_num
            if row:
                yield first, row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise LimitExceeded(
                f"This {ctx.label} has a field longer than {ctx.limits.max_csv_field_bytes:,} characters, "
                "more than one scan reads."
            ) from None
        raise ctx.unreadable("its quoting is broken") from None


def _check_line_lengths(data: bytes, ctx: ReadContext, limit: int) -> None:
    """Refuse a physical line over `limit` bytes, in a few memchr calls.

    A line longer than `limit` wholly covers at least one aligned window of `limit // 2` bytes,
    so only windows without any newline need a closer look. Single fields are bounded by the csv
    module's field limit; this bounds the row as a whole.
    """
    window = max(limit // 2, 1)
    for start in range(0, len(data) - window + 1, window):
        if data.find(b"\n", start, start + window) != -1:
            continue
        line_start = data.rfind(b"\n", 0, start) + 1
        line_end = data.find(b"\n", start + window)
        if (len(data) if line_end == -1 else line_end) - line_start > limit:
            raise _line_too_long(ctx, limit)
