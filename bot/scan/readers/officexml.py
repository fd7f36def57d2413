"""Streaming the text of office XML (OpenDocument, Word, PowerPoint) into parts, shared by their readers.

Contract:
- `open_package(data, ctx, main, what)` opens the zip (checked by zipcheck.py before any byte is
  inflated) and refuses, with one sentence, a file without its main part.
- `xml_events(stream, ctx)` parses one XML member with expat, 64 KB at a time, and yields
  `(START, name, attrs)`, `(END, name, None)` and `(TEXT, data, None)` in document order; names
  are "namespace-uri}local". A DOCTYPE (and so any entity declaration: billion laughs, external
  entities) is refused with one sentence before anything expands. The deadline is checked every
  chunk; only one chunk's events are held, never a tree. ISO Strict Office namespaces are renamed
  to the transitional ones, so a Strict .docx/.pptx reads like any other.
- A format's walker turns events into calls on a `Flow` (paragraphs, text, tables, rows, cells,
  side blocks such as comments), which queues items in `flow.out`: LINE (block, number, text),
  TABLE (style, name, hidden, hidden columns, name-from-content), ROW (number, cells), END, and
  BLOCK (name, lines, name-from-content) for buffered side text.
- `office_parts(items, ctx)` groups items into parts lazily: consecutive lines of one block make
  a TextBlock (style "page": "body, lines 3-4"), a table one Table per segment (headers.py
  finds the header), a BLOCK a TextBlock.
A table opened inside a cell, a paragraph or a side block is flattened: each of its rows becomes
one tab-joined line of the enclosing cell or block. Bounds: a paragraph or cell keeps at most
limits.max_text_line_chars characters, a row MAX_COLUMNS cells, side blocks SIDE_MAX_CHARS in
all; what is cut is recorded with ctx.skip. Paragraphs, cells and tables nested more than
MAX_NESTING deep end the read with LimitExceeded.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.parsers import expat

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines, counted_rows
from bot.scan.readers.tables import segments
from bot.scan.readers.zipcheck import open_checked_zip

START, END_TAG, TEXT = 0, 1, 2
LINE, TABLE, ROW, END, BLOCK = "line", "table", "row", "end", "block"

CHUNK_BYTES = 1 << 16
#: cells one row keeps (Excel and LibreOffice stop at 16,384 columns)
MAX_COLUMNS = 16_384
#: characters of comments, notes and other buffered side text kept per read
SIDE_MAX_CHARS = 8_000_000
#: paragraphs, cells and tables open inside one another (real documents stay under 10)
MAX_NESTING = 64
#: bytes looked at for a DOCTYPE before streaming starts (so a bomb is refused eagerly)
HEAD_BYTES = 1 << 16
#: markup compatibility: <mc:Fallback> holds a second copy of content Word and PowerPoint already wrote
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006}"
#: ISO "Strict" Office namespaces -> the transitional ones the readers match on
STRICT_NAMESPACES = {
    f"http://purl.oclc.org/ooxml/{strict}": f"http://schemas.openxmlformats.org/{transitional}"
    for strict, transitional in (("wordprocessingml/main", "wordprocessingml/2006/main"),
                                 ("drawingml/main", "drawingml/2006/main"),
                                 ("presentationml/main", "presentationml/2006/main"),
                                 ("officeDocument/relationships", "officeDocument/2006/relationships"))
}


def entity_refusal(ctx: ReadContext) -> UnreadableContent:
    return ctx.unreadable("it declares an XML document type or entities, which office programs never "
                          "write (a possible XML bomb)")


def open_package(data: bytes, ctx: ReadContext, main: str, what: str) -> tuple[zipfile.ZipFile, set[str]]:
    """An office file's zip, checked first (zipcheck.py), and the names of its members; a file
    without its main part (`main`, named `what` in the sentence) is refused."""
    archive, infos = open_checked_zip(data, ctx)
    names = {info.filename for info in infos}
    if main not in names:
        raise ctx.unreadable(f"it has no {what} part ({main} is missing)")
    return archive, names


def refuse_declarations(archive, member: str, ctx: ReadContext) -> None:
    """Eager check: a DOCTYPE in the head of `member` is refused at open time."""
    with archive.open(member) as source:
        head = source.read(HEAD_BYTES).replace(b"\x00", b"")  # UTF-16 text reads as ASCII
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise entity_refusal(ctx)


def xml_events(source: IO[bytes], ctx: ReadContext) -> Iterator[tuple]:
    """The events of one XML stream, parsed a chunk at a time."""
    parser = expat.ParserCreate(namespace_separator="}")
    events: list[tuple] = []
    add = events.append

    def refuse(*_args):
        raise entity_refusal(ctx)

    parser.CharacterDataHandler = lambda data: add((TEXT, data, None))
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = CHUNK_BYTES
    what = f"Reading the {ctx.label}"
    chunk = source.read(CHUNK_BYTES)
    if b"http://purl.oclc.org/ooxml/" in chunk:  # a Strict file: rename as it streams (costs only here)
        parser.StartElementHandler = lambda name, attrs: add(
            (START, _transitional(name), {_transitional(key): value for key, value in attrs.items()}))
        parser.EndElementHandler = lambda name: add((END_TAG, _transitional(name), None))
    else:
        parser.StartElementHandler = lambda name, attrs: add((START, name, attrs))
        parser.EndElementHandler = lambda name: add((END_TAG, name, None))
    while True:
        parser.Parse(chunk, not chunk)
        if events:
            batch = events[:]
            events.clear()
            yield from batch
        if not chunk:
            return
        ctx.deadline.check(what)
        chunk = source.read(CHUNK_BYTES)


def _transitional(name: str) -> str:
    namespace, separator, local = name.rpartition("}")
    mapped = STRICT_NAMESPACES.get(namespace) if separator else None
    return f"{mapped}}}{local}" if mapped else name


def int_attr(value: str | None, default: int = 1, *, low: int = 1, high: int = 1 << 31) -> int:
    """A count from an attribute, clamped (a hostile "1e9" or "-5" stays within bounds)."""
    try:
        number = int(value) if value is not None else default
    except ValueError:
        return default
    return max(low, min(number, high))


@dataclass
class _Sink:
    kind: str  # "cell" or "side"
    name: str = ""
    lines: list[str] = field(default_factory=list)
    chars: int = 0


@dataclass
class _Table:
    real: bool
    row: list = field(default_factory=list)


class Flow:
    """Where paragraphs, cells and rows go while one XML part is walked; see the module docstring."""

    def __init__(self, ctx: ReadContext, block: str = "body"):
        self.ctx = ctx
        self.block = block
        #: paragraph number within the current block (empty paragraphs count too)
        self.number = 0
        self.out: list[tuple] = []
        self._paras: list[list] = []  # [parts, chars] per open paragraph (text boxes nest them)
        self._sinks: list[_Sink] = []
        self._tables: list[_Table] = []
        self._side: dict[str, list[str]] = {}
        self._side_from_content: set[str] = set()
        self._side_chars = 0
        self._max_chars = ctx.limits.max_text_line_chars
        self._noted: set[str] = set()

    def skip_once(self, reason: str, where: str) -> None:
        if reason not in self._noted:
            self._noted.add(reason)
            self.ctx.skip(reason, where)

    # --- paragraphs -------------------------------------------------------------------------------
    def _nest(self, stack: list) -> None:
        if len(stack) >= MAX_NESTING:
            raise LimitExceeded(f"This {self.ctx.label} nests paragraphs or tables more than {MAX_NESTING} levels "
                                "deep, so it was not read (it looks built to exhaust memory).")

    def open_paragraph(self) -> None:
        self._nest(self._paras)
        self._paras.append([[], 0])

    def text(self, data: str) -> None:
        if not self._paras:
            return
        para = self._paras[-1]
        if para[1] + len(data) > self._max_chars:
            data = data[:max(0, self._max_chars - para[1])]
            self.skip_once(f"text past {self._max_chars:,} characters in one paragraph or cell", self.block)
        para[0].append(data)
        para[1] += len(data)

    def close_paragraph(self) -> None:
        if not self._paras:
            return
        text = "".join(self._paras.pop()[0]).strip()
        self.deliver(text)

    def deliver(self, text: str) -> None:
        """A finished line: into the innermost cell or side block, else the current block."""
        if self._sinks:
            sink = self._sinks[-1]
            if text:
                if sink.kind == "cell" and sink.chars + len(text) > self._max_chars:
                    self.skip_once(f"text past {self._max_chars:,} characters in one cell", self.block)
                    return
                sink.lines.append(text)
                sink.chars += len(text)
            return
        self.number += 1
        if text:
            self.out.append((LINE, self.block, self.number, text))

    # --- tables -----------------------------------------------------------------------------------
    @property
    def in_table(self) -> bool:
        return bool(self._tables)

    def open_table(self, style: str, name: str, *, hidden: bool = False, hidden_columns: set[int] | None = None,
                   from_content: bool = False) -> bool:
        """Open a table; returns whether it is a real Table (False: flattened into its surroundings)."""
        real = not self._sinks and not self._paras
        self._nest(self._tables)
        self._tables.append(_Table(real))
        if real:
            self.out.append((TABLE, style, name, hidden, set() if hidden_columns is None else hidden_columns,
                             from_content))
        return real

    def open_row(self) -> None:
        self._tables[-1].row = []

    def open_cell(self) -> None:
        self._nest(self._sinks)
        self._sinks.append(_Sink("cell"))

    def close_cell(self) -> str | None:
        if not self._sinks:
            return None
        return "\n".join(self._sinks.pop().lines) or None

    def place(self, column: int, value: object) -> bool:
        """Put a cell value at a 0-based column of the open row; False past MAX_COLUMNS."""
        if column >= MAX_COLUMNS:
            self.skip_once(f"cells past column {MAX_COLUMNS:,}", self.block)
            return False
        row = self._tables[-1].row
        if column >= len(row):
            row.extend([None] * (column - len(row)))
            row.append(value)
        else:
            row[column] = value
        return True

    def take_row(self) -> list:
        """The open row's cells, trailing empty cells dropped."""
        row = self._tables[-1].row
        while row and row[-1] is None:
            row.pop()
        self._tables[-1].row = []
        return row

    def emit_row(self, number: int, cells: list) -> None:
        if self._tables[-1].real:
            self.out.append((ROW, number, cells))
        else:
            self.deliver("\t".join(str(cell) for cell in cells if cell not in (None, "")))

    def close_table(self) -> None:
        if self._tables and self._tables.pop().real:
            self.out.append((END,))

    # --- side blocks (comments, notes, tracked changes) -------------------------------------------
    def open_side(self, name: str, *, from_content: bool = False) -> None:
        self._nest(self._sinks)
        self._sinks.append(_Sink("side", name))
        if from_content:
            self._side_from_content.add(name)

    def close_side(self) -> None:
        sink = self._sinks.pop()
        lines = self._side.setdefault(sink.name, [])
        for line in sink.lines:
            if self._side_chars + len(line) > SIDE_MAX_CHARS:
                self.skip_once(f"comments and notes past {SIDE_MAX_CHARS:,} characters", sink.name)
                return
            self._side_chars += len(line)
            lines.append(line)

    def flush_side(self) -> None:
        for name, lines in self._side.items():
            if lines:
                self.out.append((BLOCK, name, lines, name in self._side_from_content))
        self._side = {}


class _Peekable:
    _EMPTY = object()

    def __init__(self, items: Iterator[tuple]):
        self._items = items
        self._head = self._EMPTY

    def peek(self) -> tuple | None:
        if self._head is self._EMPTY:
            self._head = next(self._items, None)
        return self._head

    def take(self) -> tuple | None:
        head = self.peek()
        self._head = self._EMPTY
        return head


def office_parts(items: Iterator[tuple], ctx: ReadContext) -> Iterator[Part]:
    """Group a walker's items into TextBlocks and Tables, streaming."""
    stream = _Peekable(items)
    while (item := stream.peek()) is not None:
        kind = item[0]
        if kind == LINE:
            block = TextBlock(name=item[1], lines=counted_lines(_block_lines(stream, item[1]), ctx),
                              container=ctx.container, style="page")
            yield block
            for _ in block.lines:  # whatever the consumer left of this block
                pass
        elif kind == TABLE:
            stream.take()
            yield from _tables(item, stream, ctx)
        elif kind == BLOCK:
            stream.take()
            _, name, lines, from_content = item
            yield TextBlock(name=name, lines=counted_lines(enumerate(lines, 1), ctx), container=ctx.container,
                            style="page", label_from_content=from_content)
        else:
            stream.take()


def _block_lines(stream: _Peekable, block: str) -> Iterator[tuple[int, str]]:
    while (item := stream.peek()) is not None and item[0] == LINE and item[1] == block:
        stream.take()
        yield item[2], item[3]


def _table_rows(stream: _Peekable) -> Iterator[tuple[int, list]]:
    while (item := stream.take()) is not None and item[0] != END:
        if item[0] == ROW:
            yield item[1], item[2]


def _tables(item: tuple, stream: _Peekable, ctx: ReadContext) -> Iterator[Table]:
    _, style, name, hidden, hidden_columns, from_content = item
    rows = _table_rows(stream)
    for segment in segments(rows):
        yield Table(style=style, name=name, header=segment.header, header_row=segment.header_row,
                    rows=counted_rows(segment.rows, ctx), hidden=hidden, hidden_columns=hidden_columns,
                    title=segment.title, container=ctx.container, label_from_content=from_content)
    for _ in rows:  # a table the consumer left early: move the stream past its end
        pass
