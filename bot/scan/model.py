"""The one internal model every reader produces and every detector consumes.

A Document is a stream of parts: Tables (rows with a header, where one was found) and TextBlocks
(lines of prose). Parts and rows are iterators so memory stays flat as files grow: a reader never
holds a whole sheet, and the analyzer keeps only a small sample plus running counts.

Every part knows how to name a place a person can go and look: `Sheet!D5:D6256`,
`table 2 column "A-Number" rows 3-40`, `lines 10-12`, `$.records[*].a_num`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

#: a cell as readers hand it over: numbers and dates stay typed, text stays text
Cell = str | int | float | date | datetime | bool | None


def column_letter(index: int) -> str:
    """0-based column index -> spreadsheet letters (0 -> A, 27 -> AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Table:
    """A grid of cells.

    `rows` yields `(row_number, cells)`: row_number is the place in the source a person would
    look (1-based spreadsheet row, 1-based CSV line, 0-based JSON array index); cells are the
    data rows below the header (the header row itself is not yielded).
    """

    #: `sheet` (xlsx: where = Sheet!D5:D9), `table` (csv/html/pdf: column "X" rows a-b),
    #: `json` (where = JSON path with [*])
    style: str
    #: sheet name, "table 2", "page 3 table 1", or the JSON path of the array ("$.records")
    name: str
    header: list[str] | None
    #: 1-based source row of the header, None when headerless
    header_row: int | None
    rows: Iterator[tuple[int, list[Cell]]]
    #: the JSON key path per column, or None; used as the column's name in `where`
    column_keys: list[str] | None = None
    hidden: bool = False
    hidden_columns: set[int] = field(default_factory=set)
    #: a title found above the header (merged title rows), kept as context words
    title: str | None = None
    #: file inside an archive, e.g. "export/people.csv", prefixed to every place
    container: str | None = None
    #: `name` was taken from the content (a sheet name), so it may itself be a value
    label_from_content: bool = False
    #: a large local file's table whose later rows another process may scan (split_scan.py)
    source: object = None

    def column_name(self, col: int) -> str:
        if self.column_keys and col < len(self.column_keys):
            return self.column_keys[col]
        if self.header and col < len(self.header) and str(self.header[col] or "").strip():
            return str(self.header[col]).strip()
        return column_letter(col)

    def where(self, col: int, first_row: int, last_row: int) -> str:
        """A place a person can find: the column between two source rows."""
        prefix = f"{self.container} › " if self.container else ""
        if self.style == "sheet":
            letter = column_letter(col)
            cell_range = f"{letter}{first_row}" if first_row == last_row else f"{letter}{first_row}:{letter}{last_row}"
            return f"{prefix}{self.name}!{cell_range}"
        if self.style == "json":
            key = self.column_name(col)
            return f"{prefix}{self.name}[*].{key}" if key else f"{prefix}{self.name}[*]"
        rows = f"row {first_row}" if first_row == last_row else f"rows {first_row}-{last_row}"
        return f'{prefix}{self.name} column "{self.column_name(col)}", {rows}'


@dataclass
class TextBlock:
    """Prose: `lines` yields `(line_number, text)`; `name` is "page 3", "body", or a file name."""

    name: str
    lines: Iterator[tuple[int, str]]
    container: str | None = None
    #: "line" (line N) or "page" (page 3, line N)
    style: str = "line"
    #: `name` was taken from the content (a file name inside an archive), so it may be a value
    label_from_content: bool = False
    #: the lines name who wrote and received a message (From, To...): their addresses are found,
    #: but they are not people the content exposes, so they count toward neither people nor severity
    correspondents: bool = False

    def where(self, first_line: int, last_line: int) -> str:
        prefix = f"{self.container} › " if self.container else ""
        lines = f"line {first_line}" if first_line == last_line else f"lines {first_line}-{last_line}"
        if self.style == "page":
            return f"{prefix}{self.name}, {lines}"
        return f"{prefix}{lines}"


Part = Table | TextBlock


@dataclass
class Document:
    """What a reader returns. `parts` is consumed once, in order."""

    kind: str
    parts: Iterator[Part]
    #: counters readers fill as they go (cells, rows, sheets, pages, files); copied into stats
    counters: dict[str, int] = field(default_factory=dict)
    #: readers note things a user should know without failing ("3 hidden sheets read")
    notes: list[str] = field(default_factory=list)
    #: words from the content that name places (sheet names, archive entry names, the file name):
    #: the report masks them where they show, unless they are generic ("Sheet1", "export")
    content_labels: set[str] = field(default_factory=set)
    #: parts left unread ({"where", "reason"}), filled as parts are read: complete once consumed
    skipped: list[dict[str, str]] = field(default_factory=list)
