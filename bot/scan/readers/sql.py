"""SQL dumps (mysqldump, pg_dump plain format, SQLite .dump) -> a Table per run of a table's rows.

Contract: `open_sql(data, ctx)` yields Tables (style "table", name = the table name as the dump
writes it, unquoted, e.g. "people" or "public.people", recorded with ctx.content_label). The
header comes from the INSERT's column list when it has one, else from the table's CREATE TABLE
column definitions, else the table is headerless. Rows come from
`INSERT|REPLACE INTO t [(cols)] VALUES (...), (...);` (strings with '' and, in MySQL dumps,
backslash escapes; NULL; numbers; hex literals; values may hold `),(`, `;` and newlines) and
from `COPY t (cols) FROM stdin;` blocks (tab-separated, `\\N` is NULL, ending at `\\.`). Each
row yields `(source line where its tuple or COPY line starts, cells)`.

Streaming: the decoded dump is one str walked by anchored regexes; a tuple's values are matched
in one go and rows are yielded as they are read. Consecutive data statements of one table (with
other statements such as LOCK/SET/comments between them) make one Table; a table whose rows come
back after another table's becomes another Table of the same name.

Bounds: a value longer than limits.max_csv_field_bytes is cut to it (recorded with ctx.skip once
per table); CREATE TABLE statements and expressions are read within fixed windows; a COPY line
longer than MAX_COPY_LINE is skipped; an unterminated quote or a statement that cannot be parsed
ends the read there with a ctx.skip naming the line (what came before it is kept). Comments
(`--`, `#`, `/* */`) and psql meta-commands are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.scan.model import Part, Table
from bot.scan.readers import sql_lexicon as lex
from bot.scan.readers.base import ReadContext, counted_rows
from bot.scan.readers.textcodec import detect_encoding

MAX_TABLES_REMEMBERED = 10_000
#: CREATE TABLE statements and column lists longer than this are not parsed for a header
MAX_DEFINITION = 1 << 20
#: a function-call value (`unhex('..')`, `replace('..','\\n',char(10))`) is followed this far
MAX_EXPRESSION = 1 << 20
MAX_COPY_LINE = 16 << 20
#: tuples between two deadline checks
CHECK_EVERY = 256


def open_sql(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    text = data.decode(detect_encoding(data), errors="replace")
    mysql = lex.STANDARD_HINT.search(text, 0, 1 << 16) is None
    return _parts(_Dump(text, ctx, lex.MYSQL if mysql else lex.STANDARD))


def _parts(dump: _Dump) -> Iterator[Part]:
    ctx = dump.ctx
    while (statement := dump.next_data()) is not None:
        header = dump.header(statement)
        table = Table(style="table", name=ctx.content_label(statement.name), header=header,
                      header_row=None, rows=iter(()), container=ctx.container, label_from_content=True)
        table.rows = counted_rows(dump.run(statement), ctx)
        yield table
        for _ in table.rows:  # whatever the consumer left of this table
            pass


@dataclass
class _Statement:
    kind: str  # "insert" or "copy"
    name: str
    columns: list[str] | None
    #: where its first tuple (INSERT) or first line (COPY) starts
    start: int


class _Broken(Exception):
    """The dump cannot be followed from here on (reason is a plain phrase)."""


class _Dump:
    def __init__(self, text: str, ctx: ReadContext, dialect: dict[str, re.Pattern]):
        self.text = text
        self.size = len(text)
        self.ctx = ctx
        self.dialect = dialect
        self.pos = 0
        self.columns: dict[str, list[str]] = {}
        self.pending: _Statement | None = None
        self.cut_tables: set[str] = set()
        self._line_pos = 0
        self._line = 1
        self.limit = ctx.limits.max_csv_field_bytes

    def line_at(self, pos: int) -> int:
        if pos > self._line_pos:
            self._line += self.text.count("\n", self._line_pos, pos)
            self._line_pos = pos
        return self._line

    def header(self, statement: _Statement) -> list[str] | None:
        return statement.columns or self.columns.get(statement.name)

    def stop(self, reason: str, pos: int) -> None:
        """Record why the rest is not read, and read no further."""
        self.ctx.skip(reason, f"from line {self.line_at(pos):,} to the end")
        self.pos = self.size

    # --- statements ---------------------------------------------------------------------------------

    def next_data(self) -> _Statement | None:
        """The next INSERT or COPY statement, reading CREATE TABLE and skipping the others."""
        if self.pending is not None:
            statement, self.pending = self.pending, None
            return statement
        text = self.text
        while True:
            self.ctx.deadline.check(f"Reading the {self.ctx.label}")
            pos = lex.GAP.match(text, self.pos).end()
            if pos >= self.size:
                self.pos = pos
                return None
            keyword = lex.DATA.match(text, pos)
            statement = self._data_header(keyword, pos) if keyword else None
            if statement is not None:
                return statement
            if self.pos <= pos:  # not data: skip the statement
                self._skip_statement(pos)

    def _skip_statement(self, pos: int) -> None:
        end = self.dialect["skip"].match(self.text, pos)
        if end is None:
            self.stop("a statement with an unterminated quote or comment; the rest of the dump was not read", pos)
        else:
            self.pos = end.end()

    def _data_header(self, keyword: re.Match, pos: int) -> _Statement | None:
        text = self.text
        name_match = lex.NAME.match(text, keyword.end())
        if name_match is None:
            return None
        name = ".".join(lex.unquote(part) for part in lex.NAME_PARTS.findall(name_match.group()))
        after = name_match.end()
        if keyword.group(3):  # CREATE TABLE
            self._create_table(name, pos, after)
            return None
        columns_match = lex.COLUMN_LIST.match(text, after)
        columns = None
        if columns_match is not None:
            columns = [lex.unquote(item.strip()) for item in columns_match.group(1).split(",")][:lex.MAX_COLUMNS]
            after = columns_match.end()
        if keyword.group(2):  # COPY
            stdin = lex.FROM_STDIN.match(text, after)
            if stdin is None:
                return None
            self.pos = stdin.end()
            return _Statement("copy", name, columns, stdin.end())
        values = lex.VALUES.match(text, after)
        if values is None or not text.startswith("(", values.end()):
            return None  # INSERT ... SELECT: no values to read
        self.pos = values.end()
        return _Statement("insert", name, columns, values.end())

    def _create_table(self, name: str, start: int, after: int) -> None:
        end = self.dialect["skip"].match(self.text, start, min(self.size, start + MAX_DEFINITION))
        if end is None:
            self._skip_statement(start)
            return
        self.pos = end.end()
        body = self.text[after:end.end() - 1].strip()
        if not body.startswith("("):
            return  # CREATE TABLE ... AS SELECT
        columns = lex.definition_columns(body)
        if columns and (name in self.columns or len(self.columns) < MAX_TABLES_REMEMBERED):
            self.columns[name] = columns

    # --- rows -----------------------------------------------------------------------------------------

    def run(self, first: _Statement) -> Iterator[tuple[int, list]]:
        """Rows of `first` and of the data statements of the same table that follow it."""
        statement: _Statement | None = first
        while statement is not None:
            if statement.kind == "copy":
                yield from self._copy_rows(statement)
            else:
                yield from self._insert_rows(statement)
            following = self.next_data()
            if following is None:
                return
            if following.name != first.name or self.header(following) != self.header(first):
                self.pending = following
                return
            statement = following

    def _insert_rows(self, statement: _Statement) -> Iterator[tuple[int, list]]:
        text, size = self.text, self.size
        tuple_re, value_re = self.dialect["tuple"], self.dialect["value"]
        window = 4 * self.limit + 65536
        pos = statement.start
        count = 0
        while True:
            start = pos
            match = tuple_re.match(text, pos, min(size, pos + window))
            try:
                if match is not None:
                    cells = [self._convert(token, statement.name) for token in value_re.findall(match.group())]
                    pos = match.end()
                else:
                    cells, pos = self._slow_tuple(pos, statement.name)
            except _Broken as broken:
                self.stop(f"{broken}; the rest of the dump was not read", start)
                return
            yield self.line_at(start), cells
            count += 1
            if count % CHECK_EVERY == 0:
                self.ctx.deadline.check(f"Reading the {self.ctx.label}")
            while pos < size and text[pos] in " \t\r\n":
                pos += 1
            if text.startswith(",", pos):
                pos += 1
                while pos < size and text[pos] in " \t\r\n":
                    pos += 1
                if text.startswith("(", pos):
                    continue
            if text.startswith(";", pos):
                self.pos = pos + 1
            else:  # ON DUPLICATE KEY UPDATE ..., RETURNING ..., or a dump cut short
                self._skip_statement(pos)
            return

    def _slow_tuple(self, pos: int, table: str) -> tuple[list, int]:
        """One tuple value by value: long, unterminated or computed values (`unhex('..')`)."""
        text, size = self.text, self.size
        pos += 1
        cells: list = []
        while True:
            while pos < size and text[pos] in " \t\r\n":
                pos += 1
            if pos >= size:
                raise _Broken("a row that is cut short")
            if text[pos] == ")" and not cells:
                return cells, pos + 1
            value, pos = self._slow_value(pos, table)
            cells.append(value)
            if len(cells) > lex.MAX_COLUMNS:
                raise _Broken(f"a row of more than {lex.MAX_COLUMNS:,} values")
            cast = lex.CAST.match(text, pos, min(size, pos + 256))
            if cast is not None:
                pos = cast.end()
            while pos < size and text[pos] in " \t\r\n":
                pos += 1
            if text.startswith(",", pos):
                pos += 1
            elif text.startswith(")", pos):
                return cells, pos + 1
            else:
                raise _Broken("a row that could not be parsed")

    def _slow_value(self, pos: int, table: str) -> tuple[object, int]:
        text = self.text
        word = lex.WORD.match(text, pos, pos + 64)
        kind = ""
        if word is not None and text.startswith("'", word.end()):
            kind = word.group().lower()  # E'..', X'..', N'..', _binary'..'
            pos = word.end()
        elif word is not None and word.group().startswith("_"):
            after = lex.GAP.match(text, word.end()).end()
            if text[after:after + 1] in ("'", '"'):
                kind, pos = "_", after
        quote = text[pos]
        escaped = kind == "e" and self.dialect is lex.STANDARD
        body_re = self.dialect.get("bodye" if escaped else f"body{quote}")
        if body_re is not None and (kind != "" or word is None):
            first = pos + 1
            end = self._after_quote(first, body_re)
            if kind == "x":
                return self._hex(text[first:min(end - 1, first + 2 * self.limit)]), end
            raw = text[first:min(end - 1, first + self.limit + 1)]
            return self._text(raw, quote, end - 1 - first, table, backslashes=True if escaped else None), end
        if word is None or text[pos] in "-+.0123456789":
            simple = self.dialect["value"].match(text, pos, pos + 65536)
            if simple is None:
                raise _Broken("a value that could not be parsed")
            if text.startswith(("0x", "0X"), pos):  # a long hex run: follow it, keep the first part
                end = lex.HEX_RUN.match(text, pos + 2).end()
                return self._hex(text[pos + 2:min(end, pos + 2 + 2 * self.limit)]), end
            return self._convert(simple.group(), table), simple.end()
        if word.group().upper() in ("NULL", "TRUE", "FALSE"):
            return self._convert(word.group(), table), word.end()
        return self._expression(pos, word.end(), table)

    def _after_quote(self, first: int, body_re: re.Pattern) -> int:
        match = body_re.match(self.text, first)
        if match is None:
            raise _Broken("an unterminated quoted value")
        return match.end()

    def _expression(self, pos: int, scan: int, table: str) -> tuple[object, int]:
        """`name(args)` or a bare word: the first string literal inside, or the raw text."""
        text = self.text
        depth, stop = 0, min(self.size, pos + MAX_EXPRESSION)
        literal: object = None
        value_re = self.dialect["value"]
        while scan < stop:
            char = text[scan]
            if char == "(":
                depth += 1
            elif char == ")":
                if depth == 0:
                    break
                depth -= 1
            elif char == "," and depth == 0:
                break
            elif char in "'\"":
                token = value_re.match(text, scan, stop)
                if token is None:
                    raise _Broken("an unterminated quoted value")
                if literal is None:
                    literal = self._convert(token.group(), table)
                scan = token.end()
                continue
            scan += 1
        else:
            raise _Broken("a value that could not be parsed")
        if isinstance(literal, str) and text.startswith(("replace(", "REPLACE("), pos):
            literal = literal.replace("\\n", "\n").replace("\\r", "\r")
        return (literal if literal is not None else text[pos:scan].strip()[:self.limit]), scan

    # --- values ---------------------------------------------------------------------------------------

    def _convert(self, token: str, table: str) -> object:
        first = token[0]
        if first == "'" or first == '"':
            return self._text(token[1:-1], first, len(token) - 2, table)
        if first in "eE" and token[1:2] == "'":
            return self._text(token[2:-1], "'", len(token) - 3, table, backslashes=True)
        if first == "_":
            quote = token.index("'") if "'" in token else token.index('"')
            return self._convert(token[quote:], table)
        if first in "Nn":
            return None
        if first in "Tt":
            return True
        if first in "Ff":
            return False
        if first == "0" and token[1:2] in ("x", "X"):
            return self._hex(token[2:])
        if first in "xX":
            return self._hex(token[2:-1])
        if lex.INT.match(token):
            return int(token)
        try:
            return float(token) if "." in token and len(token) < 32 else token
        except ValueError:
            return token

    def _text(self, raw: str, quote: str, length: int, table: str, backslashes: bool | None = None) -> str:
        if length > self.limit:
            self._cut(table)
            raw = raw[:self.limit]
        if backslashes is None:
            backslashes = self.dialect is lex.MYSQL
        return lex.unescape(raw, quote, backslashes)

    def _hex(self, digits: str) -> str | None:
        return lex.hex_text(digits[:2 * self.limit])

    def _cut(self, table: str) -> None:
        self.ctx.add("sql_values_cut")
        if table not in self.cut_tables and len(self.cut_tables) < 100:
            self.cut_tables.add(table)
            self.ctx.skip(f"values longer than {self.limit:,} characters were cut to that length",
                          f"table {table}")

    def _copy_rows(self, statement: _Statement) -> Iterator[tuple[int, list]]:
        text, size = self.text, self.size
        pos = statement.start
        count = 0
        while pos < size:
            end = text.find("\n", pos)
            end = size if end < 0 else end
            line = text[pos:end] if end - pos <= MAX_COPY_LINE else None
            number = self.line_at(pos)
            pos = end + 1
            if line is None:
                self.ctx.skip(f"a line longer than {MAX_COPY_LINE >> 20} MB", f"table {statement.name}, line {number:,}")
                continue
            line = line.rstrip("\r")
            if line == "\\.":
                break
            cells = [self._copy_cell(field, statement.name) for field in line.split("\t", lex.MAX_COLUMNS)]
            yield number, cells
            count += 1
            if count % CHECK_EVERY == 0:
                self.ctx.deadline.check(f"Reading the {self.ctx.label}")
        self.pos = min(pos, size)

    def _copy_cell(self, field: str, table: str) -> str | None:
        if field == "\\N":
            return None
        if len(field) > self.limit:
            self._cut(table)
            field = field[:self.limit]
        return lex.copy_unescape(field)
