"""HTML -> a Table per <table> ("table N") plus TextBlocks of the visible text.

stdlib html.parser, fed in chunks with the deadline checked between them. Input is bounded by
limits.max_html_bytes before any parsing. Table rows yield `(row index in the table, cells)`
counting the header row as row 1; text lines are numbered by the source line they start on.
script, style, template and noscript content is not visible and is skipped; entities are decoded.
A <pre> block keeps its line breaks; one holding delimited text (a CSV pasted into a paste site)
is read as tables named "preformatted text N", rows numbered by source line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from bot.errors import LimitExceeded
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines, counted_rows
from bot.scan.readers.delimited import csv_rows
from bot.scan.readers.headers import header_names, locate_header, segments
from bot.scan.readers.textcodec import detect_encoding
from bot.scan.sniff import sniff_delimiter

CHUNK_CHARS = 1 << 16
LINES_PER_BLOCK = 2000
MAX_COLSPAN = 50

_INVISIBLE = {"script", "style", "template", "noscript"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option",
    "p", "pre", "section", "table", "title", "tr", "ul", "td", "th", "body", "head", "html",
}


def open_html(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    if len(data) > ctx.limits.max_html_bytes:
        raise LimitExceeded(
            f"This {ctx.label} is {len(data) / 1e6:,.1f} MB, larger than the "
            f"{ctx.limits.max_html_bytes / 1e6:,.0f} MB one scan reads."
        )
    return _parts(data, ctx)


def _parts(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    text = data.decode(detect_encoding(data), errors="replace")
    parser = _PageParser(ctx.limits.max_text_line_chars)
    for start in range(0, len(text), CHUNK_CHARS):
        ctx.deadline.check(f"Reading the {ctx.label}")
        parser.feed(text[start:start + CHUNK_CHARS])
        yield from _drain(parser, ctx, final=False)
    parser.close()
    parser.finish()
    yield from _drain(parser, ctx, final=True)


def _drain(parser: _PageParser, ctx: ReadContext, *, final: bool) -> Iterator[Part]:
    yield from _pre_parts(parser, ctx)
    while parser.done_tables:
        yield _table_part(parser.done_tables.pop(0), ctx)
    if parser.lines and (final or len(parser.lines) >= LINES_PER_BLOCK):
        lines, parser.lines = parser.lines, []
        yield TextBlock(name=ctx.name or "body", lines=counted_lines(iter(lines), ctx), container=ctx.container)


@dataclass
class _TableBuilder:
    number: int
    rows: list[list[str]] = field(default_factory=list)
    header_flags: list[bool] = field(default_factory=list)
    row: list[str] | None = None
    row_all_th: bool = True
    cell: list[str] | None = None
    caption: list[str] | None = None
    span: int = 1

    def start_row(self) -> None:
        self.end_row()
        self.row, self.row_all_th = [], True

    def start_cell(self, is_th: bool, colspan: int) -> None:
        self.end_cell()
        if self.row is None:
            self.start_row()
        self.row_all_th = self.row_all_th and is_th
        self.cell = []
        self.span = colspan

    def end_cell(self) -> None:
        if self.cell is None:
            return
        self.row.append(" ".join("".join(self.cell).split()))
        self.row.extend([""] * (self.span - 1))
        self.cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self.row:
            self.rows.append(self.row)
            self.header_flags.append(self.row_all_th)
        self.row = None


def _table_part(builder: _TableBuilder, ctx: ReadContext) -> Table:
    rows = builder.rows
    numbered = list(enumerate(rows, start=1))
    title = " ".join("".join(builder.caption).split()) if builder.caption else None
    header = header_row = None
    first_data = 0
    if rows and builder.header_flags[0]:
        header, header_row, first_data = header_names(rows[0]), 1, 1
    elif rows:
        guess = locate_header(numbered[:30])
        if guess.index is not None:
            header, header_row, first_data = header_names(rows[guess.index]), guess.index + 1, guess.index + 1
            title = title or guess.title
    return Table(style="table", name=f"table {builder.number}", header=header, header_row=header_row,
                 rows=counted_rows(iter(numbered[first_data:]), ctx), title=title or None,
                 container=ctx.container)


class _PageParser(HTMLParser):
    def __init__(self, max_line_chars: int):
        super().__init__(convert_charrefs=True)
        self.max_line_chars = max_line_chars
        self.invisible = 0
        self.tables: list[_TableBuilder] = []
        self.table_count = 0
        self.done_tables: list[_TableBuilder] = []
        self.lines: list[tuple[int, str]] = []
        self._line: list[str] = []
        self._line_chars = 0
        self._line_number = 0
        self._in_caption = False
        #: text of the <pre> block being read, and the source line it starts on
        self._pre: list[str] | None = None
        self._pre_line = 0
        self.done_pre: list[tuple[int, str]] = []
        self.pre_count = 0

    # text outside tables is gathered into lines that break at block elements
    def _flush_line(self) -> None:
        if self._line:
            text = " ".join("".join(self._line).split())
            if text:
                self.lines.append((self._line_number, text))
        self._line, self._line_chars = [], 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self.invisible += 1
            return
        if tag in _BLOCKS:
            self._flush_line()
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None and tag in _BLOCKS:
            table.cell.append(" ")  # <br>, <p>, <li> inside a cell separate words
        if tag == "pre" and (table is None or table.cell is None) and self._pre is None:
            self._pre, self._pre_line = [], self.getpos()[0]
            return
        if tag == "table":
            self.table_count += 1
            self.tables.append(_TableBuilder(self.table_count))
        elif table is None:
            return
        elif tag == "tr":
            table.start_row()
        elif tag in ("td", "th"):
            table.start_cell(tag == "th", _colspan(attrs))
        elif tag == "caption":
            table.caption = []
            self._in_caption = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self._flush_line()
        if tag in _BLOCKS and self.tables and self.tables[-1].cell is not None:
            self.tables[-1].cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self.invisible = max(0, self.invisible - 1)
            return
        if tag in _BLOCKS:
            self._flush_line()
        if tag == "pre" and self._pre is not None:
            self.done_pre.append(_pre_block(self._pre_line, "".join(self._pre)))
            self._pre = None
            return
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "table":
            table.end_row()
            self.done_tables.append(self.tables.pop())
        elif tag == "tr":
            table.end_row()
        elif tag in ("td", "th"):
            table.end_cell()
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data: str) -> None:
        if self.invisible:
            return
        if self._pre is not None:
            self._pre.append(data)
            return
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if self._in_caption and table.caption is not None:
                table.caption.append(data)
            elif table.cell is not None:
                table.cell.append(data)
                return
            # text loose inside a table but outside cells still reads as text
        if not self._line:
            stripped = data.lstrip()
            if not stripped:
                return
            self._line_number = self.getpos()[0] + data[: len(data) - len(stripped)].count("\n")
        self._line.append(data)
        self._line_chars += len(data)
        if self._line_chars > self.max_line_chars:
            self._flush_line()

    def finish(self) -> None:
        """End of input: close what the page left open."""
        if self._pre is not None:
            self.done_pre.append(_pre_block(self._pre_line, "".join(self._pre)))
            self._pre = None
        while self.tables:
            self.tables[-1].end_row()
            self.done_tables.append(self.tables.pop())
        self._flush_line()


def _pre_block(tag_line: int, text: str) -> tuple[int, str]:
    """(source line of the block's first line, its text); a newline right after <pre> is not content."""
    if text.startswith("\r\n"):
        return tag_line + 1, text[2:]
    if text.startswith("\n"):
        return tag_line + 1, text[1:]
    return tag_line, text


def _pre_parts(parser: _PageParser, ctx: ReadContext) -> Iterator[Part]:
    """A <pre> block of delimited text (a CSV pasted into a page) is read as tables; any other
    block keeps its own line breaks as text lines."""
    while parser.done_pre:
        first_line, text = parser.done_pre.pop(0)
        parser.pre_count += 1
        delimiter = sniff_delimiter(text)
        if delimiter is None:
            parser.lines.extend((first_line + offset, line.strip())
                                for offset, line in enumerate(text.splitlines()) if line.strip())
            continue
        csv.field_size_limit(ctx.limits.max_csv_field_bytes)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = ((first_line + number - 1, cells) for number, cells in csv_rows(reader, ctx))
        for index, segment in enumerate(segments(rows), start=1):
            suffix = "" if index == 1 else f" table {index}"
            yield Table(style="table", name=f"preformatted text {parser.pre_count}{suffix}",
                        header=segment.header, header_row=segment.header_row,
                        rows=counted_rows(segment.rows, ctx), title=segment.title, container=ctx.container)


def _colspan(attrs: list[tuple[str, str | None]]) -> int:
    for name, value in attrs:
        if name == "colspan" and value:
            try:
                return max(1, min(MAX_COLSPAN, int(value)))
            except ValueError:
                return 1
    return 1
