"""JSON and NDJSON -> Tables for arrays of records, a TextBlock for the other values.

Choice for values that are not in a record array: a TextBlock whose lines are
`"$.path.to.value: value"`, numbered by the line of the JSON source the value sits on, so
`where` reads "line 12" and the line itself carries the JSON path.

Arrays of objects become Tables (style "json", name = the array's JSON path such as
"$.data.people", column_keys = flattened key paths such as "person.fullName"); rows yield
`(array index, cells)` (NDJSON: `(line number, cells)`). Arrays of arrays (DataTables-style
exports) become plain Tables (style "table", name = the array's path, header = a first row of
labels), so `where` reads `$.data column "Name", rows 1-40` (array indexes). The document is walked with
`raw_decode` one value at a time, so only one record is a Python object at once.

Keys that are data, not field names (an index exported as an object: `{"A123456789": {...}}`,
`{"123-45-6789": "1980-01-02"}`, or records whose keys change from one record to the next:
`[{"A123456789": "Maria Lopez"}, ...]`) are read as values: an object whose first key looks like
a value becomes a Table with a synthetic "(key)" column (where = `$.path[*].(key)`), next to the
flattened columns of its records or, when its values are not records, a "(value)" column. Such a
record array becomes "(key)"/"(value)" rows when records hold one pair each, otherwise one
"(entries)" column of `key: value; key: value` per record, read like prose.

Depth is checked first with a bracket count over the text with strings removed (C speed), so
JSON nested 100,000 deep is refused before any recursive parser sees it. This module walks the
document; json_tables.py turns the record arrays it finds into Tables.
"""

from __future__ import annotations

import io
import json
import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, count
from json.decoder import scanstring

from bot.errors import LimitExceeded
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_lines
from bot.scan.readers.json_tables import key_is_value, keyed_table, records_table, rows_table, scalar_text
from bot.scan.readers.textcodec import detect_encoding

#: a string, or an unterminated one running to the end (so a stray quote never makes the scan quadratic)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_VALUES = bytes.maketrans(b"[{]}", b"\x02\x02\x00\x00")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DECODER = json.JSONDecoder()

#: scalar lines per TextBlock
LINES_PER_BLOCK = 2000


def open_json(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    text = data.decode(detect_encoding(data), errors="replace").lstrip("\ufeff")
    depth = max_depth(text)
    if depth > ctx.limits.max_json_depth:
        raise LimitExceeded(
            f"This {ctx.label} is nested {depth:,} levels deep, deeper than the {ctx.limits.max_json_depth} "
            "levels one scan reads."
        )
    start = _skip(text, 0)
    if start == len(text):
        return iter(())
    if _is_ndjson(text, start):
        return _group(_ndjson_events(text, ctx), ctx)
    return _group(_Walker(text, ctx).document(start), ctx)


def max_depth(text: str) -> int:
    """Deepest bracket nesting outside strings, without recursion."""
    skeleton = _NOT_BRACKET.sub("", _STRING.sub("", text))
    if not skeleton:
        return 0
    steps = skeleton.encode("ascii").translate(_BRACKET_VALUES)
    # running sum of 2 per opener, minus the position, is the depth after each bracket
    return max(map(operator.sub, accumulate(steps), count(1)))


def _skip(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()


def _member_key(text: str, pos: int, ctx: ReadContext) -> tuple[str, int]:
    """The key of the object member at `pos`, and where its value starts."""
    if not text.startswith('"', pos):
        raise ctx.unreadable("it is not valid JSON")
    key, pos = scanstring(text, pos + 1)
    pos = _skip(text, pos)
    if not text.startswith(":", pos):
        raise ctx.unreadable("it is not valid JSON")
    return key, _skip(text, pos + 1)


def _after_member(text: str, pos: int, closer: str, ctx: ReadContext) -> tuple[int, bool]:
    """After a member of an array or object: (where the next one starts, False), or (where the
    closing `closer` stands, True); anything else is not JSON."""
    pos = _skip(text, pos)
    if text.startswith(",", pos):
        return _skip(text, pos + 1), False
    if text.startswith(closer, pos):
        return pos, True
    raise ctx.unreadable("it is not valid JSON")


def _is_ndjson(text: str, start: int) -> bool:
    """More than one top-level value, one per line."""
    first_line_end = text.find("\n", start)
    if first_line_end < 0:
        return False
    try:
        _, end = _DECODER.raw_decode(text[start:first_line_end].rstrip("\r"))
    except ValueError:
        return False
    return _skip(text, start + end) < len(text) and text[start + end:first_line_end].strip() == ""


@dataclass
class _Line:
    number: int
    text: str


def _group(events: Iterator[Table | _Line], ctx: ReadContext) -> Iterator[Part]:
    """Walker events -> parts: runs of scalar lines become TextBlocks between the Tables."""
    buffer: list[tuple[int, str]] = []
    for event in events:
        if isinstance(event, _Line):
            buffer.append((event.number, event.text))
            if len(buffer) >= LINES_PER_BLOCK:
                yield _block(buffer, ctx)
                buffer = []
            continue
        if buffer:
            yield _block(buffer, ctx)
            buffer = []
        yield event
    if buffer:
        yield _block(buffer, ctx)


def _block(lines: list[tuple[int, str]], ctx: ReadContext) -> TextBlock:
    return TextBlock(name=ctx.name or "$", lines=counted_lines(iter(lines), ctx), container=ctx.container)


def child_path(path: str, key: str) -> str:
    if _IDENTIFIER.match(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


class _Walker:
    """Walks one JSON document lazily, yielding Tables and scalar lines in source order."""

    def __init__(self, text: str, ctx: ReadContext):
        self.text = text
        self.ctx = ctx
        self._line_pos = 0
        self._line = 1

    def line_at(self, pos: int) -> int:
        # positions only grow while walking, so counting newlines since the last call is enough
        if pos > self._line_pos:
            self._line += self.text.count("\n", self._line_pos, pos)
            self._line_pos = pos
        return self._line

    def document(self, start: int) -> Iterator[Table | _Line]:
        end = yield from self.value(start, "$")
        if _skip(self.text, end) != len(self.text):
            raise self.ctx.unreadable("there is text after the JSON value")

    def value(self, pos: int, path: str):
        text = self.text
        char = text[pos] if pos < len(text) else ""
        if char == "{":
            return (yield from self.obj(pos, path))
        if char == "[":
            return (yield from self.array(pos, path))
        self.ctx.deadline.check(f"Reading the {self.ctx.label}")
        value, end = _DECODER.raw_decode(text, pos)
        line = f"{path}: {scalar_text(value)}"
        number = self.line_at(pos)
        limit = self.ctx.limits.max_text_line_chars
        for start in range(0, len(line), limit):  # a huge string comes in bounded pieces
            yield _Line(number, line[start:start + limit])
        return end

    def obj(self, pos: int, path: str):
        text = self.text
        pos = _skip(text, pos + 1)
        if text.startswith("}", pos):
            return pos + 1
        if text.startswith('"', pos) and key_is_value(scanstring(text, pos + 1)[0]):
            source = _EntrySource(self, pos)
            table = keyed_table(path, source.entries(), self.ctx)
            yield table
            for _ in source.entries_left:  # the consumer may have stopped early
                pass
            return source.end
        while True:
            key, pos = _member_key(text, pos, self.ctx)
            pos = yield from self.value(pos, child_path(path, key))
            pos, closed = _after_member(text, pos, "}", self.ctx)
            if closed:
                return pos + 1

    def array(self, pos: int, path: str):
        text = self.text
        pos = _skip(text, pos + 1)
        if text.startswith("]", pos):
            return pos + 1
        if text.startswith(("{", "["), pos):
            source = _ArraySource(self, pos)
            make = records_table if text.startswith("{", pos) else rows_table
            table = make(path, source.records(), self.ctx)
            yield table
            for _ in source.records_left:  # the consumer may have stopped early
                pass
            return source.end
        index = 0
        while True:
            pos = yield from self.value(pos, f"{path}[{index}]")
            index += 1
            pos, closed = _after_member(text, pos, "]", self.ctx)
            if closed:
                return pos + 1


class _ArraySource:
    """The elements of one array, decoded one at a time; remembers where the array ended."""

    def __init__(self, walker: _Walker, first: int):
        self.walker = walker
        self.pos = first
        self.end = first
        self.records_left: Iterator[tuple[int, object]] = iter(())

    def records(self) -> Iterator[tuple[int, object]]:
        self.records_left = self._records()
        return self.records_left

    def _records(self) -> Iterator[tuple[int, object]]:
        text, ctx = self.walker.text, self.walker.ctx
        pos = self.pos
        for index in count():
            record, pos = _DECODER.raw_decode(text, pos)
            yield index, record
            pos, closed = _after_member(text, pos, "]", ctx)
            if closed:
                self.end = pos + 1
                self.walker.line_at(pos)
                return


class _EntrySource:
    """The entries of one object whose keys are data, decoded one at a time."""

    def __init__(self, walker: _Walker, first: int):
        self.walker = walker
        self.pos = first
        self.end = first
        self.entries_left: Iterator[tuple[int, str, object]] = iter(())

    def entries(self) -> Iterator[tuple[int, str, object]]:
        self.entries_left = self._entries()
        return self.entries_left

    def _entries(self) -> Iterator[tuple[int, str, object]]:
        text, ctx = self.walker.text, self.walker.ctx
        pos = self.pos
        for index in count():
            key, pos = _member_key(text, pos, ctx)
            value, pos = _DECODER.raw_decode(text, pos)
            yield index, key, value
            pos, closed = _after_member(text, pos, "}", ctx)
            if closed:
                self.end = pos + 1
                self.walker.line_at(pos)
                return


def _ndjson_events(text: str, ctx: ReadContext) -> Iterator[Table]:
    skipped = [0]

    def records() -> Iterator[tuple[int, object]]:
        for number, line in enumerate(io.StringIO(text), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except ValueError:
                skipped[0] += 1
        if skipped[0]:
            lines = "1 line" if skipped[0] == 1 else f"{skipped[0]:,} lines"
            ctx.notes.append(f"{lines} of the JSON-lines file {'was' if skipped[0] == 1 else 'were'} "
                             "not valid JSON and skipped.")

    yield records_table("$", records(), ctx)
