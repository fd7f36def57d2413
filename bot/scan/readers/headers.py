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
from itertools import islice

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
    letters = digits = 0
    for char in text:
        if char.isalpha():
            letters += 1
        elif char.isdigit():
            digits += 1
    return letters > 0 and digits <= letters


def _filled(cells: Sequence[object]) -> list[object]:
    return [cell for cell in cells if cell is not None and (not isinstance(cell, str) or cell.strip())]


def locate_header(rows: Sequence[tuple[int, Sequence[object]]]) -> HeaderGuess:
    """Pick the header among peeked `(row_number, cells)` rows."""
    filled = [_filled(cells) for _, cells in rows]
    width = max((len(cells) for cells in filled), default=0)
    if width == 0:
        return HeaderGuess(None, None)
    needed = 1 if width == 1 else max(2, math.ceil(width * 0.5))
    for index, cells in enumerate(filled):
        if len(cells) < needed:
            continue
        if _reads_as_header(rows, index):
            return HeaderGuess(index, _title(filled[:index]))
        return HeaderGuess(None, None)
    return HeaderGuess(None, None)


def _reads_as_header(rows: Sequence[tuple[int, Sequence[object]]], index: int) -> bool:
    """Distinct cells, at least one label, and no cell shaped like the values below it.

    A non-label cell ("Q1 2023" over amounts) is fine as long as it does not look like its
    column's data; "A000000001" over more A-numbers means the row is data, not a header.
    """
    cells = rows[index][1]
    present = [(column, cell) for column, cell in enumerate(cells)
               if cell is not None and (not isinstance(cell, str) or cell.strip())]
    texts = [str(cell).strip() for _, cell in present]
    if len(set(texts)) < 0.8 * len(texts) or not any(is_label(cell) for _, cell in present):
        return False
    below = rows[index + 1:]
    for column, cell in present:
        if is_label(cell):
            continue
        shapes = Counter(shape(row[column]) for _, row in below
                         if column < len(row) and row[column] not in (None, ""))
        if not shapes or shapes.most_common(1)[0][0] == shape(cell):
            return False
    return True


_LETTERS = re.compile(r"[^\W\d_]+")
_DIGITS = re.compile(r"\d+")


def shape(value: object) -> str:
    """A value's shape: "A000000001" -> "a9", "2021-03-04" -> "9-9-9", 12.5 -> "float"."""
    if not isinstance(value, str):
        return type(value).__name__
    return _DIGITS.sub("9", _LETTERS.sub("a", value.strip()))


def _title(above: list[list[object]]) -> str | None:
    parts = [str(cell).strip() for cells in above for cell in cells]
    title = " — ".join(part for part in parts if part)
    return title[:_MAX_TITLE_CHARS] or None


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
