"""Tables hidden in plain text: columns that line up, separated by runs of 2+ spaces.

Mainframe listings and fixed-width exports are text files whose lines are really rows. A run of
at least MIN_RUN lines (blank and ruler lines allowed between) that split into the same number
(at least MIN_FIELDS) of fields starting at the same columns becomes a Table ("table N", rows = source line numbers); the
other lines stay prose. A page header between two pages of the same table (the same column
header line again within a few lines) does not end the table: the lines in between go to the
prose, and the repeated header is dropped. Lines of `Label: value` fields (a form) stay prose.

Streaming: a table's rows are pulled from the line stream as the consumer reads them; prose is
handed over in blocks of LINES_PER_BLOCK lines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import islice

from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, counted_rows
from bot.scan.readers.headers import header_names, labelled_fields, locate_header
from bot.scan.textshape import FIELD_GAP, RULER, split_fields

MIN_RUN = 3
MIN_FIELDS = 3
#: lines looked at, after a table seems to end, for its header coming back (a page header)
PAGE_BREAK_LOOK = 10
LINES_PER_BLOCK = 2000


def field_starts(text: str) -> list[int]:
    """Where each field of the line starts (the column positions of a fixed-width row)."""
    stripped = text.rstrip()
    first = len(stripped) - len(stripped.lstrip())
    return [first] + [match.end() for match in FIELD_GAP.finditer(stripped, first)]


def aligned(starts: list[int], reference: list[int]) -> bool:
    """Most fields start where the reference row's do (right-aligned numbers may not)."""
    hits = sum(1 for start, ref in zip(starts, reference, strict=False) if abs(start - ref) <= 1)
    return hits * 2 >= len(reference)


def _blank(text: str) -> bool:
    return RULER.match(text) is not None


class _Lines:
    """The line stream with a push-back buffer (lines read ahead and not used)."""

    def __init__(self, lines: Iterator[tuple[int, str]]):
        self._lines = lines
        self.back: list[tuple[int, str]] = []

    def next(self) -> tuple[int, str] | None:
        if self.back:
            return self.back.pop(0)
        return next(self._lines, None)

    def push(self, items: list[tuple[int, str]]) -> None:
        self.back[:0] = items


def aligned_parts(lines: Iterator[tuple[int, str]], ctx: ReadContext,
                  block: Callable[[list[tuple[int, str]]], TextBlock]) -> Iterator[Part]:
    """Prose as TextBlocks (made by `block`), aligned runs as Tables, in source order."""
    stream = _Lines(lines)
    prose: list[tuple[int, str]] = []
    tables = 0
    while (item := stream.next()) is not None:
        text = item[1]
        # no two whitespace characters in a row (isprintable is False for tabs and non-ASCII
        # spaces): one field, no split needed; most lines of prose and logs end here
        fields = split_fields(text) if "  " in text or not text.isprintable() else ()
        if len(fields) < MIN_FIELDS:
            prose.append(item)
            if len(prose) >= LINES_PER_BLOCK:
                yield block(prose)
                prose = []
            continue
        run, reference, rest = _confirm_run(item, len(fields), stream)
        if run is None:
            prose.append(item)
            stream.push(rest)
            continue
        if prose:
            yield block(prose)
            prose = []
        tables += 1
        late_prose: list[tuple[int, str]] = []
        table = _table(run, reference, stream, late_prose, tables, ctx)
        yield table
        for _ in table.rows:  # whatever the consumer left of this table
            pass
        prose.extend(late_prose)
    if prose:
        yield block(prose)


def _confirm_run(first: tuple[int, str], width: int, stream: _Lines):
    """Read ahead until MIN_RUN aligned lines of `width` fields are seen.

    Returns (rows, reference starts, []) or (None, None, the lines read ahead)."""
    read: list[tuple[int, str]] = []
    reference = field_starts(first[1])
    rows = [(first[0], split_fields(first[1]))]
    while len(rows) < MIN_RUN:
        item = stream.next()
        if item is None:
            break
        read.append(item)
        if _blank(item[1]):
            continue
        fields = split_fields(item[1])
        if len(fields) != width or not aligned(field_starts(item[1]), reference):
            break
        rows.append((item[0], fields))
    if len(rows) >= MIN_RUN and not labelled_fields(rows):
        return rows, reference, []
    return None, None, read


def _table(run: list[tuple[int, list[str]]], reference: list[int], stream: _Lines, late_prose: list,
           number: int, ctx: ReadContext) -> Table:
    guess = locate_header(run)
    header = header_row = None
    body = run
    if guess.index is not None:
        header_row, cells = run[guess.index]
        header = header_names(cells)
        body = run[guess.index + 1:]
    rows = _run_rows(body, reference, header, stream, late_prose)
    return Table(style="table", name=f"table {number}", header=header, header_row=header_row,
                 rows=counted_rows(rows, ctx), title=guess.title, container=ctx.container)


def _run_rows(body: list, reference: list[int], header: list[str] | None, stream: _Lines,
              late_prose: list) -> Iterator[tuple[int, list[str]]]:
    width = len(reference)

    inner = reference[1:]

    def row_fields(text: str) -> list[str] | None:
        """The line's fields when it is a row of this table (same width, same columns)."""
        fields = FIELD_GAP.split(text.strip())
        if len(fields) != width:
            return None
        hits = 0
        for start in inner:  # a field begins at (or next to) each of the table's column starts
            for at in (start, start - 1, start + 1):
                if 0 < at < len(text) and text[at] != " " and text[at - 1] == " ":
                    hits += 1
                    break
        return fields if hits * 2 >= len(inner) else None

    yield from body
    while (item := stream.next()) is not None:
        if _blank(item[1]):
            continue
        fields = row_fields(item[1])
        if fields is not None:
            if fields != header:  # a header repeated on the next page is not data
                yield item[0], fields
            continue
        # the table seems to end: unless its header comes back soon (the next page) or it goes
        # on after this one odd line, stop here
        ahead = [item, *_take(stream, PAGE_BREAK_LOOK - 1)]
        again = next((index for index, (_, text) in enumerate(ahead)
                      if header is not None and split_fields(text) == header), None)
        if again is not None:
            late_prose.extend(line for line in ahead[:again] if not _blank(line[1]))
            stream.push(ahead[again + 1:])
            continue
        following = next((text for _, text in ahead[1:] if not _blank(text)), None)
        if following is not None and row_fields(following) is not None:
            late_prose.append(item)
            stream.push(ahead[1:])
            continue
        stream.push(ahead)
        return


def _take(stream: _Lines, count: int) -> list[tuple[int, str]]:
    return list(islice(iter(stream.next, None), count))
