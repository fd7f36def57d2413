"""CSV, TSV and other delimited text -> one Table, streamed by the C csv module.

The encoding is detected (textcodec), the delimiter sniffed from a sample, and the bytes are read
through an incremental decoder: no whole-file str. Rows yield `(first physical line, cells)`.

Rows are read a block at a time (`csv_blocks`): the csv module parses BLOCK_ROWS rows in one C
call, and when they took as many physical lines as there are rows (no quoted line break), each
row's first line is known without asking the reader row by row. In a block with a quoted line
break, a row spans one line more than the line breaks its fields hold (the csv module keeps them
as they are): numbered in bulk too, exactly as `csv_rows` numbers it; only the rows of a block
that raised an error are read again one by one. The blocks go through the table split
(tables.segment_blocks) and the counting (base.counted_blocks) whole, and a table's `rows` is
a C-level `chain` over them: a consumer pulling rows with `islice` never enters Python per row.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import accumulate, chain, islice, repeat
from operator import add, sub

from bot.errors import LimitExceeded
from bot.scan.model import Part, Table
from bot.scan.readers.base import ReadContext, counted_blocks
from bot.scan.readers.table_cut import Cut
from bot.scan.readers.tables import segment_blocks
from bot.scan.readers.textcodec import decode_sample, detect_encoding, text_stream
from bot.scan.textshape import sniff_delimiter

#: a physical line may hold this many longest-allowed fields' worth of bytes; beyond that it is
#: refused before parsing (a row of millions of empty fields would be a huge list)
LINE_FACTOR = 8
#: rows the csv module parses in one call
BLOCK_ROWS = 512
#: characters of whole lines taken from the text stream at a time (the lines of the block being
#: parsed are kept, to number its rows one by one when a quoted field spans lines)
LINE_BLOCK_CHARS = 1 << 14


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
    return _parts(lambda: local.stream(newline=""), ctx, delimiter, source=(local, ctx, delimiter, Cut()))


def _line_limit(ctx: ReadContext) -> int:
    return LINE_FACTOR * max(ctx.limits.max_text_line_chars, ctx.limits.max_csv_field_bytes)


def _line_too_long(ctx: ReadContext, limit: int) -> LimitExceeded:
    return LimitExceeded(f"This {ctx.label} has a line longer than {limit / 1e6:,.0f} MB, more than one scan reads.")


def _parts(open_stream, ctx: ReadContext, delimiter: str, source: tuple | None = None) -> Iterator[Part]:
    """`source`: (local file, ctx, delimiter, table_cut.Cut) of a large local file, whose first
    table a second process may help scan (bot/scan/split_scan.py: the cut is where it starts)."""
    # process-wide setting: every reader in this process uses the same bound
    csv.field_size_limit(ctx.limits.max_csv_field_bytes)
    stream = open_stream()
    blocks = csv_blocks(stream, delimiter, lambda error: _csv_error(ctx, error))
    base = ctx.name if ctx.name and not ctx.container else ""
    for number, segment in enumerate(segment_blocks(blocks, cut=source[3] if source else None), start=1):
        name = f"table {number}" if not base else base if number == 1 else f"{base} table {number}"
        yield Table(
            style="table",
            name=name,
            header=segment.header,
            header_row=segment.header_row,
            rows=chain.from_iterable(counted_blocks(segment.blocks, ctx)),
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
        raise _csv_error(ctx, error) from None


def _csv_error(ctx: ReadContext, error: csv.Error) -> Exception:
    """The csv module's error as one plain sentence."""
    if "field larger than field limit" in str(error):
        return LimitExceeded(
            f"This {ctx.label} has a field longer than {ctx.limits.max_csv_field_bytes:,} characters, "
            "more than one scan reads."
        )
    return ctx.unreadable("its quoting is broken")


def csv_blocks(stream, delimiter: str, on_error: Callable[[csv.Error], Exception],
               first_line: int = 0) -> Iterator[list[tuple[int, list[str]]]]:
    """What `csv_rows(csv.reader(stream, delimiter=delimiter))` yields, in non-empty lists.

    Line numbers are counted from `first_line` (the lines before the stream). A csv.Error ends
    the blocks with `on_error(error)` raised, after every row before it was yielded.
    """
    lines = _KeptLines(stream)
    reader = csv.reader(chain.from_iterable(lines), delimiter=delimiter)
    done = 0  # physical lines behind the rows yielded so far
    while True:
        error = None
        try:
            rows = list(islice(reader, BLOCK_ROWS))
        except csv.Error as raised:
            rows, error = None, raised
        after = reader.line_num
        count = len(rows) if rows is not None else -1
        if count == after - done:  # one physical line per row: numbered in bulk
            block = list(zip(range(first_line + done + 1, first_line + after + 1), rows, strict=True))
        else:  # a quoted line break: rows numbered from their line breaks, in bulk
            block = _spanning(rows, first_line + done, after - done) if rows is not None else None
        if block is None:  # an error: the block's lines again, row by row, to the row that raised it
            again = csv.reader(lines.between(done, after), delimiter=delimiter)
            block, count, again_error = _numbered(again, first_line + done)
            if error is not None:
                error = again_error or error  # the same error, met again at the same row
        elif not all(rows):  # blank lines: no row
            block = [item for item in block if item[1]]
        if block:
            yield block
        block = rows = None  # not kept alive while the next block is read
        if error is not None:
            raise on_error(error) from None
        if count == 0:
            return
        done = after
        lines.forget(done)


def _spanning(rows: list[list[str]], before: int, lines: int) -> list[tuple[int, list[str]]] | None:
    """Rows some of which span lines, numbered by their first line in bulk (in C): a quoted field
    keeps every line break it holds as it is (CR LF one, a lone CR or LF one), and a row
    spans one line more than the line breaks in its fields. None if that does not add up to the
    `lines` the reader read (it always does: then numbered row by row)."""
    joined = list(map("\0".join, rows))  # no CR LF pair made of two fields
    before_each = list(accumulate(map(str.count, joined, repeat("\n")), initial=0))
    if len(rows) + before_each[-1] != lines:  # lone CRs too (no row has fewer breaks than its LFs)
        breaks = map(sub, map(add, map(str.count, joined, repeat("\n")), map(str.count, joined, repeat("\r"))),
                     map(str.count, joined, repeat("\r\n")))
        before_each = list(accumulate(breaks, initial=0))
        if len(rows) + before_each[-1] != lines:
            return None
    return list(zip(map(add, range(before + 1, before + 1 + len(rows)), before_each), rows, strict=True))


def _numbered(reader, before: int) -> tuple[list, int, csv.Error | None]:
    """(the non-empty rows of `reader` numbered by their first line, rows read, the csv.Error
    that ended them or None), as csv_rows numbers them."""
    block = []
    count = 0
    line = reader.line_num
    start = line
    try:
        for row in reader:
            count += 1
            first = line + 1
            line = reader.line_num
            if row:
                block.append((before - start + first, row))
    except csv.Error as error:
        return block, count, error
    return block, count, None


class _KeptLines:
    """The stream's lines in lists (iterated by the csv reader through a C-level chain), kept
    until the rows they hold are behind: `between` hands them out again."""

    def __init__(self, stream):
        self._stream = stream
        self._kept: list[list[str]] = []
        self._start = 0  # lines before the first kept list

    def __iter__(self) -> Iterator[list[str]]:
        while lines := self._stream.readlines(LINE_BLOCK_CHARS):
            self._kept.append(lines)
            yield lines

    def between(self, start: int, end: int) -> list[str]:
        """Lines `start` to `end` (0-based, end excluded) of the stream."""
        kept = list(chain.from_iterable(self._kept))
        return kept[start - self._start:end - self._start]

    def forget(self, done: int) -> None:
        """Lines before `done` are not asked for again."""
        while self._kept and self._start + len(self._kept[0]) <= done:
            self._start += len(self._kept.pop(0))


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
