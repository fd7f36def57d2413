"""Records (one dict of column -> value each) as table rows whose columns are learnt as they come.

The JSON and XML readers both turn a stream of records into a Table: the first records
(PEEK_RECORDS) name the columns before the table is classified, a later record with a new key
adds a column (up to MAX_COLUMNS: a record with thousands of keys is not thousands of columns),
and each row's cells are in the columns' order, None where a record has no such key. The header
list is the same object the rows extend, so the table's header grows with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

#: records peeked to learn a table's columns (later records may still add columns)
PEEK_RECORDS = 50
MAX_COLUMNS = 1000


class Columns:
    """The columns learnt so far: `keys` in order of first appearance."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self._positions: dict[str, int] = {}

    def learn(self, record: dict) -> None:
        for key in record:
            if key not in self._positions and len(self.keys) < MAX_COLUMNS:
                self._positions[key] = len(self.keys)
                self.keys.append(key)

    def rows(self, records: Iterable[tuple[int, dict]]) -> Iterator[tuple[int, list]]:
        """(number, cells) of each (number, record), learning the keys it brings."""
        keys, positions = self.keys, self._positions
        for number, record in records:
            if len(record) > len(keys) or any(key not in positions for key in record):
                self.learn(record)
            cells: list = [None] * len(keys)
            for key, value in record.items():
                position = positions.get(key)
                if position is not None:
                    cells[position] = value
            yield number, cells
