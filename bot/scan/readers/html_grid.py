"""One HTML table's rows placed on a true grid: colspan, rowspan and multi-row headers.

Contract: a TableBuilder receives cells in source order (`start_row`, `start_cell`, text,
`end_cell`, `end_row`, or whole rows with `add_entries`) and appends finished rows to `rows` as
`(row index in the table counting from 1, cells)`. A cell with colspan N takes N columns: its text
in the first, blanks in the others, so later cells line up. A cell with rowspan N also fills the
same columns of the N-1 rows below it (its text repeated in the first column), as a person
reading the printed table would. Spans are capped (MAX_COLSPAN, MAX_ROWSPAN) and a row is at
most MAX_COLUMNS wide, so `colspan=1000000000` costs no more than a wide row.

For the first HEADER_ROWS rows the builder also keeps each row with spanned text repeated in
every column it covers (`header_rows`), so html.py can combine a two-row header ("Name" over
"First | Last") into "Name First", "Name Last".
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

MAX_COLSPAN = 1000
MAX_ROWSPAN = 1000
MAX_COLUMNS = 1000
#: rows at the top of a table remembered with their spans repeated, for combined headers
HEADER_ROWS = 3

_COLSPAN = re.compile(r"""colspan\s*=\s*["']?\s*(\d{1,7})""", re.I)
_ROWSPAN = re.compile(r"""rowspan\s*=\s*["']?\s*(\d{1,7})""", re.I)


def spans(attrs: str) -> tuple[int, int]:
    """(colspan, rowspan) from a cell's attributes, each at least 1 and capped."""
    if not attrs or "span" not in attrs.lower():
        return 1, 1
    col = _COLSPAN.search(attrs)
    row = _ROWSPAN.search(attrs)
    return (max(1, min(MAX_COLSPAN, int(col.group(1)))) if col else 1,
            max(1, min(MAX_ROWSPAN, int(row.group(1)))) if row else 1)


def combine_header(rows: list[list[str]]) -> list[str]:
    """Header rows stacked -> one name per column: the distinct parts top to bottom."""
    width = max(len(row) for row in rows)
    names = []
    for column in range(width):
        parts: list[str] = []
        for row in rows:
            text = row[column] if column < len(row) else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append(" ".join(parts))
    return names


@dataclass
class TableBuilder:
    number: int
    #: closed rows not yet taken: (row index in the table, counting from 1, cells)
    rows: deque = field(default_factory=deque)
    #: whether the first row was all <th> (an explicit header)
    first_all_th: bool | None = None
    closed: bool = False
    caption: list[str] | None = None
    row_count: int = 0
    row: list[str] | None = None
    row_all_th: bool = True
    cell: list[str] | None = None
    span: int = 1
    rowspan: int = 1
    #: column -> [text, rows left] for cells of rows above that span into the next rows
    carry: dict[int, list] = field(default_factory=dict)
    #: the first rows as (all <th>, any span, cells with spanned text repeated)
    header_rows: list[tuple[bool, bool, list[str]]] = field(default_factory=list)
    _wide: list[str] | None = None
    _row_spans: bool = False

    def start_row(self) -> None:
        self.end_row()
        self.row, self.row_all_th, self._row_spans = [], True, False
        self._wide = [] if self.row_count < HEADER_ROWS else None

    def start_cell(self, is_th: bool, span: int, rowspan: int = 1) -> None:
        self.end_cell()
        if self.row is None:
            self.start_row()
        self.row_all_th = self.row_all_th and is_th
        self.cell, self.span, self.rowspan = [], span, rowspan

    def end_cell(self) -> None:
        if self.cell is None:
            return
        self._place(" ".join("".join(self.cell).split()), self.span, self.rowspan)
        self.cell = None

    def _fill_carried(self, up_to: int | None = None) -> None:
        """Columns taken by rowspans from above, at the row's end (or up to a column)."""
        row, carry, wide = self.row, self.carry, self._wide
        while len(row) < MAX_COLUMNS and (len(row) in carry or (up_to is not None and len(row) < up_to)):
            text = carry[len(row)][0] if len(row) in carry else ""
            row.append(text)
            if wide is not None:
                wide.append(text)

    def _place(self, text: str, span: int, rowspan: int) -> None:
        if self.carry:
            self._fill_carried()
        row, wide = self.row, self._wide
        start = len(row)
        span = min(span, MAX_COLUMNS - start)
        if span <= 0:
            return
        row.append(text)
        if span > 1:
            row.extend([""] * (span - 1))
        if wide is not None:
            wide.extend([text] * span)
        if span > 1 or rowspan > 1:
            self._row_spans = True
        if rowspan > 1:
            for column in range(start, start + span):
                self.carry[column] = [text, rowspan]  # counted down as this row ends

    def end_row(self) -> None:
        self.end_cell()
        if self.row is not None and self.carry:
            self._fill_carried(up_to=max(self.carry) + 1)
            for column in list(self.carry):
                self.carry[column][1] -= 1
                if self.carry[column][1] <= 0:
                    del self.carry[column]
        if self.row:
            if self._wide is not None:
                self.header_rows.append((self.row_all_th, self._row_spans, self._wide))
            self.add_row(self.row, self.row_all_th)
        self.row = self._wide = None

    def add_entries(self, entries: list[tuple[str, int, int]], all_th: bool) -> None:
        """A whole row of (text, colspan, rowspan) cells, placed on the grid."""
        self.start_row()
        for text, span, rowspan in entries:
            self._place(text, span, rowspan)
        self.row_all_th = all_th
        self.end_row()

    def add_row(self, cells: list[str], all_th: bool) -> None:
        self.row_count += 1
        if self.first_all_th is None:
            self.first_all_th = all_th
        self.rows.append((self.row_count, cells))

    def add_plain_row(self, cells: list[str], all_th: bool) -> None:
        """A row without spans (the fast path): placed directly unless rowspans from above apply."""
        if self.carry:
            self.add_entries([(text, 1, 1) for text in cells], all_th)
            return
        if self.row_count < HEADER_ROWS:
            self.header_rows.append((all_th, False, cells))
        self.add_row(cells, all_th)

    @property
    def title(self) -> str | None:
        return " ".join("".join(self.caption).split()) or None if self.caption else None

    def combined_header(self) -> tuple[list[str], int] | None:
        """A header of 2+ rows of <th> whose first row spans columns: (names, rows it takes)."""
        rows = self.header_rows
        if len(rows) < 2 or not (rows[0][0] and rows[0][1]):
            return None
        count = 1
        while count < len(rows) and rows[count][0]:
            count += 1
        if count < 2:
            return None
        return combine_header([cells for _, _, cells in rows[:count]]), count
