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
from dataclasses import dataclass
from itertools import compress, islice

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


def filled_cells(cells: Sequence[object]) -> list[object]:
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
            cells = filled[at] = filled_cells(rows[at][1])
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
