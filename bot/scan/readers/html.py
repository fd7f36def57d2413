"""HTML -> a Table per <table> ("table N") plus TextBlocks of the visible text.

Cells are placed on a grid by html_grid.TableBuilder (colspan and rowspan line columns up; a
header of 2+ rows of <th> under spanning cells is combined into one name per column, "Name First").
Parsed by html_parse.PageParser (regex tokens, pulled a chunk at a time with the deadline
checked between chunks). Input is bounded by limits.max_html_bytes before any parsing. A table
is handed over when it opens and its rows stream as they close, so a 100,000-row table is never
held whole; only the first rows are peeked to find its header. Table rows yield
`(row index in the table, cells)` counting the header row as row 1; text lines are numbered by
the source line they start on. A <pre> block keeps its line breaks; one holding delimited text
(a CSV pasted into a paste site) is read as tables named "preformatted text N", rows numbered
by source line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import chain, islice

from bot.errors import LimitExceeded
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines, counted_rows
from bot.scan.readers.delimited import csv_rows
from bot.scan.readers.headers import PEEK_ROWS, header_names, locate_header
from bot.scan.readers.html_parse import PageParser, TableBuilder
from bot.scan.readers.tables import segments
from bot.scan.readers.textcodec import detect_encoding


def open_html(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    if len(data) > ctx.limits.max_html_bytes:
        raise LimitExceeded(
            f"This {ctx.label} is {len(data) / 1e6:,.1f} MB, larger than the "
            f"{ctx.limits.max_html_bytes / 1e6:,.0f} MB one scan reads."
        )
    return _parts(data, ctx)


def _parts(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    page = PageParser(data.decode(detect_encoding(data), errors="replace"), ctx.limits.max_text_line_chars)
    while True:
        while not page.out:
            if not page.step():
                return
            ctx.deadline.check(f"Reading the {ctx.label}")
        item = page.out.popleft()
        if item[0] == "lines":
            yield TextBlock(name=ctx.name or "body", lines=counted_lines(iter(item[1]), ctx),
                            container=ctx.container)
        elif item[0] == "table":
            table = _table_part(page, item[1], ctx)
            yield table
            for _ in table.rows:  # whatever the consumer left of this table
                pass
        else:
            yield from _pre_tables(*item[1:], ctx)


def _builder_rows(page: PageParser, builder: TableBuilder, ctx: ReadContext) -> Iterator[tuple[int, list]]:
    """The table's rows as they close, parsing on while it is open."""
    rows = builder.rows
    while True:
        while rows:
            yield rows.popleft()
        if builder.closed or not page.step():
            return
        ctx.deadline.check(f"Reading the {ctx.label}")


def _table_part(page: PageParser, builder: TableBuilder, ctx: ReadContext) -> Table:
    stream = _builder_rows(page, builder, ctx)
    peeked = list(islice(stream, PEEK_ROWS))
    title = builder.title
    header = header_row = None
    first_data = 0
    combined = builder.combined_header() if peeked and builder.first_all_th else None
    if combined is not None:  # "Name" over "First | Last" -> "Name First", "Name Last"
        header, header_row = combined[0], combined[1]
        first_data = next((index for index, (number, _) in enumerate(peeked) if number > header_row), len(peeked))
    elif peeked and builder.first_all_th:
        header, header_row, first_data = header_names(peeked[0][1]), 1, 1
    elif peeked:
        guess = locate_header(peeked)
        if guess.index is not None:
            header, header_row, first_data = header_names(peeked[guess.index][1]), guess.index + 1, guess.index + 1
            title = title or guess.title
    return Table(style="table", name=f"table {builder.number}", header=header, header_row=header_row,
                 rows=counted_rows(chain(peeked[first_data:], stream), ctx), title=title or None,
                 container=ctx.container)


def _pre_tables(number: int, first_line: int, text: str, delimiter: str, ctx: ReadContext) -> Iterator[Table]:
    """A <pre> block of delimited text (a CSV pasted into a page) read as tables."""
    csv.field_size_limit(ctx.limits.max_csv_field_bytes)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = ((first_line + row - 1, cells) for row, cells in csv_rows(reader, ctx))
    for index, segment in enumerate(segments(rows), start=1):
        suffix = "" if index == 1 else f" table {index}"
        yield Table(style="table", name=f"preformatted text {number}{suffix}",
                    header=segment.header, header_row=segment.header_row,
                    rows=counted_rows(segment.rows, ctx), title=segment.title, container=ctx.container)
