"""XML exports -> a Table per kind of repeated record, a TextBlock for the other text.

Contract: `open_xml(data, ctx)` refuses, before any parsing, a document that declares entities
(`<!ENTITY`: entity expansion, "billion laughs", external entities) with one sentence; the
parser also refuses any entity declaration or external reference it meets, and never fetches
anything. The document is then read twice with expat, in chunks, deadline checked per chunk:

1. a survey counts, per element path (local names, namespace prefixes stripped), how often it
   occurs and how many leaf fields (leaf children and attributes) its elements hold;
2. the read: elements at a record path become rows of a Table (style "table", name = the path
   such as "/Export/Detainees/Detainee"), the header = the record's field names as written
   (`AlienNumber`, `birth_date`): leaf children by local name, nested children as
   `Address/City`, attributes as `@id` (`Address/@type` when nested); a field repeated in one
   record is joined with "; ". Rows yield `(source line where the record starts, cells)`.
   Leaves outside records become TextBlock lines `Name: text` (attributes `Name@attr: value`),
   numbered by source line.

Record paths: a structured element (with children or attributes) that repeats more often than
its parent; the outermost such path wins and holds its nested repeats as joined fields, unless
a repeated descendant occurs 3+ times per element of it (a section of rows), then the descendant
is the record. Memory is bounded: one record's fields at a time, text values cut at
limits.max_csv_field_bytes, MAX_DEPTH levels, MAX_PATHS distinct paths surveyed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from itertools import chain, islice
from xml.parsers import expat

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines, counted_rows
from bot.scan.readers.records import MAX_COLUMNS, PEEK_RECORDS, Columns

CHUNK = 1 << 16
MAX_DEPTH = 256
MAX_PATHS = 10_000
LINES_PER_BLOCK = 2000
#: text lines held back while a table's records go on (more end the table run)
MAX_HELD_LINES = 10_000
_ENTITY = (b"<!ENTITY", "<!ENTITY".encode("utf-16-le"), "<!ENTITY".encode("utf-16-be"))


class _Refused(Exception):
    """An entity declaration or external reference met while parsing."""


class _TooDeep(Exception):
    pass


def open_xml(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    if any(marker in data for marker in _ENTITY):
        raise _refusal(ctx)
    records = record_paths(_survey(data, ctx))
    return _parts(_Reader(data, records, ctx), ctx)


def _refusal(ctx: ReadContext) -> UnreadableContent:
    return UnreadableContent(f"This {ctx.label} declares entities, which can expand without bound or pull in "
                             "other files, so it was not read.")


def _parser(ctx: ReadContext) -> expat.XMLParserType:
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise _Refused

    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.buffer_text = True
    return parser


def _feed(parser: expat.XMLParserType, data: bytes, ctx: ReadContext, start: int) -> int:
    """Feed the next chunk; returns where the next one starts (len(data) + 1 once finished)."""
    ctx.deadline.check(f"Reading the {ctx.label}")
    chunk = data[start:start + CHUNK]
    try:
        parser.Parse(chunk, start + CHUNK >= len(data))
    except _Refused:
        raise _refusal(ctx) from None
    except _TooDeep:
        raise LimitExceeded(f"This {ctx.label} is nested more than {MAX_DEPTH} levels deep, "
                            "deeper than one scan reads.") from None
    return start + CHUNK if start + CHUNK < len(data) else len(data) + 1


def _local(name: str) -> str:
    return name.rpartition(":")[2]


def _attributes(attrs: dict[str, str]) -> list[tuple[str, str]]:
    """Attributes that carry data (namespace declarations and xsi: schema hints do not)."""
    return [(_local(key), value) for key, value in attrs.items()
            if not key.startswith(("xmlns", "xsi:"))]


def _survey(data: bytes, ctx: ReadContext) -> dict[str, list[int]]:
    """path -> [elements, structured elements, leaf fields]; stops quietly at a syntax error."""
    stats: dict[str, list[int]] = {}
    stack: list[list] = []  # [path, child elements, leaf children, attributes]

    def start(name, attrs):
        if len(stack) >= MAX_DEPTH:
            raise _TooDeep
        parent = stack[-1] if stack else None
        if parent is not None:
            parent[1] += 1
        path = f"{parent[0] if parent else ''}/{_local(name)}"
        stack.append([path, 0, 0, len(_attributes(attrs)) if attrs else 0])

    def end(name):
        path, children, leaves, attributes = stack.pop()
        entry = stats.get(path)
        if entry is None:
            if len(stats) >= MAX_PATHS:
                return
            entry = stats[path] = [0, 0, 0]
        entry[0] += 1
        entry[1] += children > 0 or attributes > 0
        entry[2] += leaves + attributes
        if children == 0 and stack:
            stack[-1][2] += 1

    parser = _parser(ctx)
    parser.StartElementHandler, parser.EndElementHandler = start, end
    position = 0
    try:
        while position <= len(data):
            position = _feed(parser, data, ctx, position)
    except expat.ExpatError:
        pass  # the read says where it stops
    return stats


def record_paths(stats: dict[str, list[int]]) -> set[str]:
    """The paths whose elements are records (see the module docstring)."""
    def parent(path: str) -> str:
        return path.rpartition("/")[0]

    candidates = {path for path, (count, structured, fields) in stats.items()
                  if count >= 2 and structured * 2 >= count and fields > 0
                  and count > stats.get(parent(path), [1])[0]}
    chosen: set[str] = set()
    for path in sorted(candidates, key=lambda p: p.count("/")):
        if any(path.startswith(f"{other}/") for other in chosen):
            continue
        count = stats[path][0]
        if any(other.startswith(f"{path}/") and stats[other][0] >= 3 * count for other in candidates):
            continue  # a section holding many rows: its rows are the records
        chosen.add(path)
    return chosen


class _Reader:
    """The read pass: expat events -> ("row", path, line, fields) and ("line", line, text) in order."""

    def __init__(self, data: bytes, records: set[str], ctx: ReadContext):
        self.data, self.records, self.ctx = data, records, ctx
        self.limit = ctx.limits.max_csv_field_bytes
        self.out: deque = deque()
        self.position = 0
        self.produced = False
        #: per open element: [path, relative path in the record or None, text parts, text length, has children]
        self.stack: list[list] = []
        self.record: dict[str, str] | None = None
        self.record_line = 0
        parser = self.parser = _parser(ctx)
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._text

    def next_event(self):
        while not self.out:
            if self.position > len(self.data):
                return None
            try:
                self.position = _feed(self.parser, self.data, self.ctx, self.position)
            except expat.ExpatError as error:
                self.position = len(self.data) + 1
                if not self.produced and not self.out:
                    raise self.ctx.unreadable("it is not well-formed XML") from None
                self.ctx.skip("the XML is not well-formed from here on", f"from line {error.lineno:,} to the end")
        self.produced = True
        return self.out.popleft()

    def _start(self, name, attrs):
        if len(self.stack) >= MAX_DEPTH:
            raise _TooDeep
        local = _local(name)
        parent = self.stack[-1] if self.stack else None
        if parent is not None:
            parent[4] = True
        path = f"{parent[0] if parent else ''}/{local}"
        line = self.parser.CurrentLineNumber
        relative = None
        if self.record is not None:
            relative = f"{parent[1]}/{local}" if parent[1] else local
        elif path in self.records:
            self.record, self.record_line, relative = {}, line, ""
        self.stack.append([path, relative, [], 0, False, line])
        if not attrs:
            return
        for key, value in _attributes(attrs):
            if relative is None:
                self.out.append(("line", line, f"{local}@{key}: {value[:self.limit]}"))
            else:
                self._field(f"{relative}/@{key}" if relative else f"@{key}", value)

    def _text(self, text):
        frame = self.stack[-1] if self.stack else None
        if frame is None or frame[3] >= self.limit:
            return
        parts = frame[2]
        if text.isspace():  # indentation between elements: one space stands for it
            if parts and parts[-1] != " ":
                parts.append(" ")
            return
        parts.append(text)
        frame[3] += len(text)

    def _end(self, name):
        path, relative, parts, _, has_children, line = self.stack.pop()
        text = " ".join("".join(parts).split())[:self.limit] if parts else ""
        if relative is None:
            if text:
                self.out.append(("line", line, f"{_local(name)}: {text}" if not has_children else text))
        elif relative:
            if text or not has_children:
                self._field(relative, text)
        else:
            if text:
                self._field("(text)", text)
            self.out.append(("row", path, self.record_line, self.record))
            self.record = None

    def _field(self, key: str, value: str) -> None:
        record = self.record
        if key in record:
            joined = f"{record[key]}; {value}" if value else record[key]
            record[key] = joined[:self.limit]
        elif len(record) < MAX_COLUMNS:
            record[key] = value[:self.limit]


def _parts(reader: _Reader, ctx: ReadContext) -> Iterator[Part]:
    lines: list[tuple[int, str]] = []
    event = reader.next_event()
    while event is not None:
        if event[0] == "line":
            lines.append(event[1:])
            if len(lines) >= LINES_PER_BLOCK:
                yield _block(lines, ctx)
                lines = []
            event = reader.next_event()
            continue
        if lines:
            yield _block(lines, ctx)
            lines = []
        run = _Run(reader, event)
        table = _table(event[1], run.rows(), ctx)
        yield table
        for _ in table.rows:  # whatever the consumer left of this table
            pass
        lines, event = run.held, run.following
    if lines:
        yield _block(lines, ctx)


def _block(lines: list[tuple[int, str]], ctx: ReadContext) -> TextBlock:
    return TextBlock(name=ctx.name or "text", lines=counted_lines(iter(lines), ctx), container=ctx.container)


class _Run:
    """Consecutive records of one path; text lines met between them are held for after the table."""

    def __init__(self, reader: _Reader, first: tuple):
        self.reader, self.first = reader, first
        self.held: list[tuple[int, str]] = []
        self.following = None

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        path = self.first[1]
        event = self.first
        while True:
            yield event[2], event[3]
            event = self.reader.next_event()
            while event is not None and event[0] == "line" and len(self.held) < MAX_HELD_LINES:
                self.held.append(event[1:])
                event = self.reader.next_event()
            if event is None or event[0] != "row" or event[1] != path:
                self.following = event
                return


def _table(path: str, records: Iterator[tuple[int, dict[str, str]]], ctx: ReadContext) -> Table:
    peeked = list(islice(records, PEEK_RECORDS))
    columns = Columns()
    for _, record in peeked:
        columns.learn(record)
    return Table(style="table", name=path, header=columns.keys, header_row=None,
                 rows=counted_rows(columns.rows(chain(peeked, records)), ctx), container=ctx.container)
