"""Birth dates of one table column, whose day/month order is settled by the whole column.

05/03/1990 is 5 March or 3 May: a value with a first field above 12 says day-first, a second
field above 12 says month-first; until the column says, ambiguous values wait (bounded), then the
default wins (day-first for Spanish headers). Dates, day numbers and unambiguous text are read at once.
"""

from __future__ import annotations

from datetime import date, datetime

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import cell_text
from bot.scan.detectors.date_of_birth import DateOrder, read_date

_SPANISH_HINTS = ("fecha", "nacimiento", "nac")
#: ambiguous dates (05/03/1990) held until the column shows its order; past this, the default wins
PENDING_DATES = 20_000
class DobColumn:
    """Birth dates of one column; ambiguous numeric dates wait until the column says its order."""

    def __init__(self, header: str):
        self.order = DateOrder(day_first_default=any(h in header.split() for h in _SPANISH_HINTS))
        #: (row, first, second, year) seen before the order was settled: small ints, not text
        self.pending: list[tuple[int, int, int, int]] = []

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
