"""Birth dates of one table column, whose day/month order is settled by the whole column.

05/03/1990 is 5 March or 3 May: a value with a first field above 12 says day-first, a second
field above 12 says month-first; until the column says, ambiguous values wait (bounded), then the
default wins (day-first for Spanish headers). Dates, day numbers and unambiguous text are read at once.

A chunk (`parse_chunk`) remembers each distinct text cell's answer and looks it up for the others
(a bounded memo, emptied when full or when the year changes: the newest valid birth year is this
year). Exact: an answer is remembered only when it can no longer change: a text that is not a
numeric date (ISO, month names, no date: read_date neither looks at nor changes the order for it),
or any text once the order is settled (it never changes again); a numeric date while the order
waits is read each time (it is observed, and waits).

In split_scan's child (`forked`), an unsettled column must never meet a numeric date: the order
the one-process scan would use for it depends on the rows before the cut, which the parent has not
read yet; the child then fails (ForkedUnsettled) and the parent scans those rows itself.
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


class ForkedUnsettled(Exception):
    """split_scan's child met a date whose day/month order the rows before the cut may decide."""


class DobColumn:
    """Birth dates of one column; ambiguous numeric dates wait until the column says its order."""

    def __init__(self, header: str):
        self.order = DateOrder(day_first_default=any(h in header.split() for h in _SPANISH_HINTS))
        #: (row, first, second, year) seen before the order was settled: small ints, not text
        self.pending: list[tuple[int, int, int, int]] = []
        #: text cell -> parse's answer, where it can no longer change (the year the answers were made in)
        self._memo: dict[str, str | None] = {}
        self._memo_year = date.today().year
        #: split_scan's child: a numeric date while the order is not settled raises ForkedUnsettled
        self.forked = False

    def parse_chunk(self, cells: list, rows: list[int]) -> list[str | None | bool]:
        """parse() of each cell of one chunk (None for a blank cell), in row order."""
        year = date.today().year
        if year != self._memo_year or len(self._memo) > MEMO_TEXTS:
            self._memo, self._memo_year = {}, year
        memo, missing, parse = self._memo, object(), self.parse
        out: list[str | None | bool] = []
        for cell, row in zip(cells, rows, strict=True):
            if cell is None or cell == "":
                out.append(None)
            elif type(cell) is str:
                found = memo.get(cell, missing)
                if found is missing:
                    found = parse(cell, row)
                    if found is not True:  # a waiting date is not remembered: it must be seen
                        memo[cell] = found
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
        settled = self.order.settled
        found = read_date(text, self.order)
        if not isinstance(found, tuple):
            return found
        first, second, year = found
        if self.forked and not settled:
            raise ForkedUnsettled("a numeric birth date after the cut, the column's order not settled")
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
