"""Find the header row among the first rows of a sheet or delimited file.

Real exports put a merged title, blank rows or notes above the header. The header is the first
row that is about as wide as the data, made of distinct cells with at least one label (words,
not numbers, dates, IDs or e-mail addresses), and with no cell shaped like the values below it;
the text above it is kept as the table's title. When the first wide row already holds data,
the table is headerless.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, compress, islice

#: rows peeked at to find the header (the rest stay streamed)
PEEK_ROWS = 30
_MAX_LABEL_CHARS = 80
_MAX_TITLE_CHARS = 300


@dataclass
class HeaderGuess:
    #: index into the peeked rows, or None when headerless
    index: int | None
    title: str | None


def is_label(value: object) -> bool:
    """A cell that reads like a column name: text with letters, not mostly digits, not an address."""
    if not isinstance(value, str):
        return False
    text = value.strip()
    if not text or len(text) > _MAX_LABEL_CHARS or "@" in text:
        return False
    # counted in C; no character is both a letter and a digit (str.isalpha, str.isdigit)
    letters = sum(map(str.isalpha, text))
    return letters > 0 and sum(map(str.isdigit, text)) <= letters


def _filled(cells: Sequence[object]) -> list[object]:
    try:  # all text (a delimited file's rows): the test in C
        return list(compress(cells, map(str.strip, cells)))
    except TypeError:
        return [cell for cell in cells if cell is not None and (not isinstance(cell, str) or cell.strip())]


def locate_header(rows: Sequence[tuple[int, Sequence[object]]]) -> HeaderGuess:
    """Pick the header among peeked `(row_number, cells)` rows.

    A candidate must be at least half as wide as the rows right under it (or, with none right
    under it, as the widest row), so a one-cell title above a wide table is never the header
    while a narrow summary table's header still is.
    """
    filled: list = [None] * len(rows)  # each row's filled cells, taken when first needed

    def width(at: int) -> int:
        cells = filled[at]
        if cells is None:
            cells = filled[at] = _filled(rows[at][1])
        return len(cells)

    widest = -1
    for index in range(len(rows)):
        size = width(index)
        if not size:
            continue
        reference = _width_below(rows, width, index)
        if not reference:
            if widest < 0:
                widest = max(map(width, range(len(rows))))
            reference = widest
        needed = 1 if reference == 1 else max(2, math.ceil(reference * 0.5))
        if size < needed:
            continue
        if _reads_as_header(rows, index):
            return HeaderGuess(index, _title(filled[:index]))
        return HeaderGuess(None, None)
    return HeaderGuess(None, None)


def _width_below(rows: Sequence[tuple[int, Sequence[object]]], width, index: int, look: int = 5) -> int:
    """Widest of the rows that follow `index` without a gap (0 when a gap or the end follows);
    `width(at)` is a row's count of filled cells."""
    most = 0
    number = rows[index][0]
    for offset in range(index + 1, min(index + 1 + look, len(rows))):
        if rows[offset][0] != number + 1:
            break
        number += 1
        most = max(most, width(offset))
    return most


def _reads_as_header(rows: Sequence[tuple[int, Sequence[object]]], index: int) -> bool:
    """Distinct cells, at least one label, and no cell shaped like the values below it.

    A non-label cell ("Q1 2023" over amounts) is fine as long as it does not look like its
    column's data; "A000000001" over more A-numbers means the row is data, not a header.
    (The three tests are checked cheapest first: a data row is told by its first cell that is
    not a label, as a row of numbers under a gap in a long file mostly is.)
    """
    cells = rows[index][1]
    present = [(column, cell) for column, cell in enumerate(cells)
               if cell is not None and (not isinstance(cell, str) or cell.strip())]
    below = rows[index + 1:]
    labelled = False
    for column, cell in present:
        if is_label(cell):
            labelled = True
            continue
        shapes = [shape(row[column]) for _, row in below if column < len(row) and row[column] not in (None, "")]
        if not shapes:
            return False
        mine = shape(cell)
        # a shape most of the values have is the most common; else the first of the most common
        if shapes.count(mine) * 2 > len(shapes) or Counter(shapes).most_common(1)[0][0] == mine:
            return False
    texts = [str(cell).strip() for _, cell in present]
    return labelled and len(set(texts)) >= 0.8 * len(texts)


_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")


def shape(value: object) -> str:
    """A value's shape: "A000000001" -> "a9", "2021-03-04" -> "9-9-9", 12.5 -> "float"."""
    if not isinstance(value, str):
        return type(value).__name__
    text = value.strip()
    # all digits ([Nd]: what \d matches) or all letters: one run, no pattern needed
    if text.isdecimal():
        return "9"
    if text.isalpha():
        return "a"
    return _DIGITS.sub("9", _LETTERS.sub("a", text))


def _title(above: list[list[object]]) -> str | None:
    parts = [str(cell).strip() for cells in above for cell in cells]
    title = " — ".join(part for part in parts if part)
    return title[:_MAX_TITLE_CHARS] or None


#: a field that carries its own label: "A-Number: A123456789", "DOB: 1980-01-02"
_LABELLED_FIELD = re.compile(r"[^\W\d_][\w #'./()-]{0,39}:\s+\S")


def labelled_fields(rows: Sequence[tuple[int, Sequence[str]]]) -> bool:
    """Rows whose fields are mostly `Label: value` (a printed form or case list).

    Lined up, such lines look like a table, but each cell mixes a label and a value; read as
    lines, the label stays next to its value for the prose rules.
    """
    fields = [cell for _, cells in rows for cell in cells if isinstance(cell, str) and cell]
    labelled = sum(1 for cell in fields if _LABELLED_FIELD.match(cell))
    return bool(fields) and labelled * 2 >= len(fields)


def header_names(cells: Sequence[object]) -> list[str]:
    return ["" if cell is None else str(cell).strip() for cell in cells]


def split_header(rows: Iterator[tuple[int, list]]) -> tuple[HeaderGuess, list[str] | None, int | None, list]:
    """Peek the first rows; return (guess, header, header_row, rows still to yield, in order)."""
    peeked = list(islice(rows, PEEK_ROWS))
    guess = locate_header(peeked)
    if guess.index is None:
        return guess, None, None, peeked
    row_number, cells = peeked[guess.index]
    return guess, header_names(cells), row_number, peeked[guess.index + 1:]


#: rows looked at after a blank gap to decide whether a new table starts there
GAP_PEEK = 10
#: tables one stream is split into at most (each split adds a layer to the row iterator)
MAX_SEGMENTS = 50


@dataclass
class Segment:
    """One table of a sheet or delimited file that may hold several, one under another."""

    title: str | None
    header: list[str] | None
    header_row: int | None
    rows: Iterator[tuple[int, list]]
    #: the same rows in lists (segment_blocks only): iterate one or the other
    blocks: Iterator[list[tuple[int, list]]] | None = None


@dataclass
class Split:
    """Where one table's rows ended because another starts (its first rows and header guess)."""

    window: list = field(default_factory=list)
    guess: HeaderGuess | None = None


def segments(rows: Iterator[tuple[int, list]]) -> Iterator[Segment]:
    """Split a stream of `(row_number, cells)` into tables.

    The first table's header is looked for in the first PEEK_ROWS rows. After a blank gap (a
    jump in row numbers), the next few rows are checked: a row of labels that reads as a header
    starts a new table (a roster under a summary); the same header again is a repeated page
    header and is dropped. Rows without gaps cost one comparison each.
    """
    stream: Iterator[tuple[int, list]] = iter(rows)
    window = list(islice(stream, PEEK_ROWS))
    guess = locate_header(window)
    count = 0
    while window:
        count += 1
        header, header_row, body = _start(window, guess)
        stream = chain(body, stream)
        split = Split()
        table_rows = _rows_until_next_table(stream, header, split) if count < MAX_SEGMENTS else stream
        yield Segment(guess.title, header, header_row, table_rows)
        for _ in table_rows:  # whatever the consumer left of this table
            pass
        window, guess = split.window, split.guess


def _rows_until_next_table(rows: Iterator[tuple[int, list]], header: list[str] | None,
                           split: Split) -> Iterator[tuple[int, list]]:
    last = -1
    for item in rows:
        number = item[0]
        if number > last + 1 and last >= 0:
            window = [item, *islice(rows, GAP_PEEK - 1)]
            if _new_table(window, header, split):
                return
            yield from window
            last = window[-1][0] if window else number
            continue
        last = number
        yield item


def _start(window: list, guess: HeaderGuess) -> tuple[list[str] | None, int | None, list]:
    """(header, header row, the rows under it) of a table whose first rows are `window`."""
    if guess.index is None:
        return None, None, window
    header_row, cells = window[guess.index]
    return header_names(cells), header_row, window[guess.index + 1:]


def _new_table(window: list, header: list[str] | None, split: Split) -> bool:
    """After a gap: does `window` start a new table (then noted in `split`)? A repeat of the
    table's own header is removed from `window` (a page break: not data)."""
    guess = locate_header(window)
    if guess.index is not None:
        if header_names(window[guess.index][1]) == header:
            del window[guess.index]
        elif _starts_table(window, guess.index):
            split.window, split.guess = window, guess
            return True
    return False


def segment_blocks(blocks: Iterator[list[tuple[int, list]]], cut=None) -> Iterator[Segment]:
    """`segments` over rows that come in non-empty lists (delimited.csv_blocks): the same tables,
    headers and rows. A list whose row numbers run on without a gap is passed on whole; a list
    with a gap is looked at row by row, as `segments` does. Each Segment's `blocks` are its rows.

    `cut` (table_cut.Cut): where the first table's rows may stop for another process to read on
    (split_scan.py); it is told the table's header and every row that passes."""
    stream = Blocks(blocks)
    window = stream.take(PEEK_ROWS)
    guess = locate_header(window)
    count = 0
    while window:
        count += 1
        header, header_row, body = _start(window, guess)
        if body:
            stream.push(body)
        split = Split()
        if count == 1 and cut is not None:
            cut.header, cut.header_row = header, header_row
            table_blocks = blocks_until_next_table(stream, header, split, cut=cut)
        else:
            table_blocks = blocks_until_next_table(stream, header, split) if count < MAX_SEGMENTS else stream
        yield Segment(guess.title, header, header_row, chain.from_iterable(table_blocks), blocks=table_blocks)
        for _ in table_blocks:  # whatever the consumer left of this table
            pass
        window, guess = split.window, split.guess


class Blocks:
    """An iterator of row lists that rows can be put back in front of."""

    def __init__(self, blocks: Iterator[list]):
        self._blocks = iter(blocks)
        self._back: list[list] = []  # put back, the next one last

    def __iter__(self) -> Blocks:
        return self

    def __next__(self) -> list:
        return self._back.pop() if self._back else next(self._blocks)

    def push(self, block: list) -> None:
        self._back.append(block)

    def take(self, count: int) -> list:
        """The next `count` rows (fewer at the end); the rest of the last list is put back."""
        taken: list = []
        for block in self:
            taken += block
            if len(taken) >= count:
                if len(taken) > count:
                    self.push(taken[count:])
                    del taken[count:]
                break
        return taken


def blocks_until_next_table(stream: Blocks, header: list[str] | None, split: Split, *, cut=None,
                            last: int = -1) -> Iterator[list[tuple[int, list]]]:
    """`_rows_until_next_table` over lists of rows, each plain list (no gap) passed on whole;
    `last` is the number of the row before the first (-1: none, the first row is never a gap).

    With a `cut`, the rows passed are counted into `cut.passed`, and each row at or past
    `cut.line` is shown to `cut.reached` (a gap's window once it is checked): on True the rows
    stop before it, the rest kept for `cut.resume()` (the same rows on, as if they had not
    stopped: the rest of a window is not checked again)."""
    for block in stream:
        first = block[0][0]
        if (first == last + 1 or last < 0) and block[-1][0] - first == len(block) - 1 \
                and (cut is None or block[-1][0] < cut.line):
            last = block[-1][0]
            if cut is not None:
                cut.passed += len(block)
            yield block
            block = None
            continue
        rows = iter(block)
        plain: list = []
        for item in rows:
            number = item[0]
            if cut is not None and number >= cut.line and cut.reached(number, last, cut.passed + len(plain)):
                if plain:
                    cut.passed += len(plain)
                    yield plain
                stream.push([item, *rows])
                cut.stopped(lambda last=last: blocks_until_next_table(stream, header, split, last=last), split)
                return
            if number > last + 1 and last >= 0:
                if plain:
                    if cut is not None:
                        cut.passed += len(plain)
                    yield plain
                    plain = []
                window = [item, *islice(rows, GAP_PEEK - 1)]
                if len(window) < GAP_PEEK:
                    window += stream.take(GAP_PEEK - len(window))
                if _new_table(window, header, split):
                    rest = list(rows)
                    if rest:
                        stream.push(rest)
                    return
                if window and cut is not None and window[-1][0] >= cut.line \
                        and (at := cut.within(window)) is not None:
                    if at:
                        cut.passed += at
                        yield window[:at]
                    rest = list(rows)
                    if rest:
                        stream.push(rest)
                    after = window[-1][0]
                    cut.stopped(lambda kept=window[at:], after=after:
                                chain([kept], blocks_until_next_table(stream, header, split, last=after)), split)
                    return
                if window:
                    if cut is not None:
                        cut.passed += len(window)
                    yield window
                last = window[-1][0] if window else number
                continue
            last = number
            plain.append(item)
        if plain:
            if cut is not None:
                cut.passed += len(plain)
            yield plain


def _starts_table(window: list[tuple[int, list]], index: int) -> bool:
    """A new header mid-stream must be all labels over at least two rows, and name at least one
    column whose values plainly are not labels (numbers, dates, IDs): an all-text row after a
    blank line is far more often data than a header."""
    cells = window[index][1]
    below = window[index + 1:]
    if len(below) < 2 or not all(is_label(cell) for cell in _filled(cells)):
        return False
    for column, cell in enumerate(cells):
        if not is_label(cell):
            continue
        values = [row[column] for _, row in below if column < len(row) and row[column] not in (None, "")]
        if values and sum(1 for value in values if not is_label(value)) * 2 >= len(values):
            return True
    return False
