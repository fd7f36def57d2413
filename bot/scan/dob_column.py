"""Birth dates of one table column, whose day/month order is settled by the whole column.

05/03/1990 is 5 March or 3 May: a value with a first field above 12 says day-first, a second
field above 12 says month-first; until the column says, ambiguous values wait (bounded), then the
default wins (day-first for Spanish headers). Dates, day numbers and unambiguous text are read at once.

A chunk (`parse_chunk`) is read value by value until the order is settled; from then on `parse` is
a pure function of a text cell (the order never changes again), so each distinct text is parsed
once and its answer looked up for the others (a bounded memo, emptied when full or when the year
changes: the newest valid birth year is this year).
"""

from __future__ import annotations

from datetime import date, datetime

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import cell_text
from bot.scan.detectors.date_of_birth import DateOrder, read_date

_SPANISH_HINTS = ("fecha", "nacimiento", "nac")
#: ambiguous dates (05/03/1990) held until the column shows its order; past this, the default wins
PENDING_DATES = 20_000
#: distinct text cells whose answer a settled column remembers (emptied when full)
MEMO_TEXTS = 65_536


class DobColumn:
    """Birth dates of one column; ambiguous numeric dates wait until the column says its order."""

    def __init__(self, header: str):
        self.order = DateOrder(day_first_default=any(h in header.split() for h in _SPANISH_HINTS))
        #: (row, first, second, year) seen before the order was settled: small ints, not text
        self.pending: list[tuple[int, int, int, int]] = []
        #: text cell -> parse's answer, once the order is settled (the year the answers were made in)
        self._memo: dict[str, str | None] = {}
        self._memo_year = date.today().year

    def parse_chunk(self, cells: list, rows: list[int]) -> list[str | None | bool]:
        """parse() of each cell of one chunk (None for a blank cell), in row order."""
        out: list[str | None | bool] = []
        position = 0
        parse = self.parse
        while not self.order.settled and position < len(cells):
            cell = cells[position]
            out.append(parse(cell, rows[position]) if cell is not None and cell != "" else None)
            position += 1
        if position == len(cells):
            return out
        year = date.today().year
        if year != self._memo_year or len(self._memo) > MEMO_TEXTS:
            self._memo, self._memo_year = {}, year
        memo, missing = self._memo, object()
        for cell, row in zip(cells[position:], rows[position:], strict=True):
            if cell is None or cell == "":
                out.append(None)
            elif type(cell) is str:
                found = memo.get(cell, missing)
                if found is missing:
                    found = memo[cell] = parse(cell, row)
                out.append(found)
            else:
                out.append(parse(cell, row))
        return out

    def parse(self, cell, row: int) -> str | None | bool:
        """ISO date, None, or True when the value is a date whose order is not settled yet."""
        if isinstance(cell, datetime | date | int | float) and not isinstance(cell, bool):
            return REGISTRY["DATE_OF_BIRTH"].parse_cell(cell, context=True)  # day numbers too
        text = cell_text(cell)
        if not text:
            return None
        found = read_date(text, self.order)
        if not isinstance(found, tuple):
            return found
        first, second, year = found
        if not self.order.settled and len(self.pending) >= PENDING_DATES:
            self.order.day_first = self.order.default  # memory stays bounded: take the default
        if self.order.settled:
            return self.order.resolve(first, second, year)
        self.pending.append((row, first, second, year))
        return True

    def drain_if_settled(self) -> list[tuple[int, str]]:
        return self.drain() if self.order.settled and self.pending else []

    def drain(self) -> list[tuple[int, str]]:
        drained = []
        for row, first, second, year in self.pending:
            iso = self.order.resolve(first, second, year)
            if iso:
                drained.append((row, iso))
        self.pending = []
        return drained
