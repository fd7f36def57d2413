"""One sheet or delimited file, split into the tables it holds, one under another.

Real exports stack tables: a summary above the list, one table per detention center, a blank
gap and a new header. `segments` (row by row) and `segment_blocks` (rows in lists, for the bulk
readers) start a new table after a blank gap when the rows after it read as a header of their
own (bot/scan/readers/headers.py finds headers); the first table's rows can be cut where a second
process takes over (bot/scan/readers/table_cut.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from bot.scan.readers.headers import (
    PEEK_ROWS,
    HeaderGuess,
    filled_cells,
    header_names,
    is_label,
    locate_header,
)

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
    if len(below) < 2 or not all(is_label(cell) for cell in filled_cells(cells)):
        return False
    for column, cell in enumerate(cells):
        if not is_label(cell):
            continue
        values = [row[column] for _, row in below if column < len(row) and row[column] not in (None, "")]
        if values and sum(1 for value in values if not is_label(value)) * 2 >= len(values):
            return True
    return False
