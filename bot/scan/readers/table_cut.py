"""Where the first table of a large delimited file stops for a second process (split_scan.py).

A `Cut` is handed to `tables.segment_blocks`, which shows it the first table's rows as they
pass: it counts them and, at each row at or past `line`, decides whether the rows stop there
(the rows after it are kept as they are, the rest of a gap's window included, so reading on
from the cut gives exactly the rows that would have come). Two ways to decide:

* confirm (the process that reads the start of the file): a proposed cut (`line`, `rows`,
  `last`): the rows stop before the row numbered `line` when exactly `rows` rows came before it
  and the row before it is numbered `last`; anything else gives the cut up (`refused()` is told)
  and the rows go on as if there were none. A proposal not known yet is asked for (`ask()`)
  at the first row at or past `line`; None gives the cut up.
* find (the process that reads the rest): the first row at or past `line` with
  `first + k * every` rows before it (a chunk boundary of the table scanner); its place becomes
  the proposal.

After a stop, `resume()` gives the rows from there on, exactly as if they had not stopped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from bot.scan.readers.tables import Blocks, Split, blocks_until_next_table


class Cut:
    """One table's cut: proposed and confirmed, or looked for (see above)."""

    def __init__(self, line: float = math.inf, rows: int = 0, last: int = -1, *,
                 ask: Callable[[], tuple[int, int, int] | None] | None = None,
                 refused: Callable[[], None] | None = None, every: tuple[int, int] | None = None):
        #: the proposal: the first row after the cut, the rows before it, the number of the row before it
        self.line, self.rows, self.last = line, rows, last
        self.ask, self.refused, self.every = ask, refused, every
        #: the first table's header and header row (segment_blocks), rows passed so far
        self.header: list[str] | None = None
        self.header_row: int | None = None
        self.passed = 0
        self._resume: Callable[[], Iterator[list]] | None = None
        self._split = Split()

    @property
    def armed(self) -> bool:
        """A cut is proposed or looked for (a table is cut once)."""
        return self.line != math.inf or self.ask is not None or self._resume is not None

    @property
    def stopped_here(self) -> bool:
        """The rows stopped at the cut (resume() gives the rest)."""
        return self._resume is not None

    def reached(self, number: int, last: int, before: int) -> bool:
        """A row numbered `number` (at or past `line`), after `before` rows, the row before it
        numbered `last`: do the rows stop before it?"""
        if self.ask is not None:
            ask, self.ask = self.ask, None
            proposal = ask()
            if proposal is None:
                return self._give_up()
            self.line, self.rows, self.last = proposal
            if number < self.line:
                return False
        if self.every is not None:
            first, every = self.every
            if before < first or (before - first) % every:
                return False
            self.line, self.rows, self.last = number, before, last
            return True
        if (number, before, last) == (self.line, self.rows, self.last):
            return True
        return self._give_up()

    def within(self, window: list) -> int | None:
        """Where in a gap's window (checked, to be passed on whole; its first row was shown to
        `reached` already) the rows stop, or None."""
        for at in range(1, len(window)):
            number = window[at][0]
            if number >= self.line and self.reached(number, window[at - 1][0], self.passed + at):
                return at
        return None

    def _give_up(self) -> bool:
        self.line = math.inf
        if self.refused is not None:
            self.refused()
        return False

    def stopped(self, resume: Callable[[], Iterator[list]], split: Split) -> None:
        """segment_blocks: the rows stopped; `resume()` reads on, `split` is told of a next table."""
        self._resume, self._split = resume, split

    def resume(self) -> Iterator[list]:
        """The rows after the cut, in lists, as if they had not stopped."""
        return self._resume()

    def read_on(self, blocks: Iterator[list]) -> Iterator[list]:
        """The table's rows from other `blocks` (the file read again from the cut on), as they
        follow the cut: where no gap's window holds it (in a file whose lines are its rows, no
        gap is)."""
        self._split = Split()
        return blocks_until_next_table(Blocks(blocks), self.header, self._split, last=self.last)

    @property
    def cut_short(self) -> bool:
        """Once the rows after the cut are read: another table started before the file ended."""
        return bool(self._split.window)
