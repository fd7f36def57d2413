"""The rows of the organisation's own records that hold a value of the incident (`match_records`).

Every cell is parsed by the detector of each type the incident has fingerprints for (with
context, so bare forms count: the comparison is exact anyway) and its keyed fingerprint
(`HMAC(key, "TYPE:normalized")`, bot/scan/report.py) is looked up in the incident's set. Nothing
else is compared: the leak itself is never needed, and no value leaves this process except in
the rows it writes for the organisation.

A row is a person to notify when a value of an identifying type matches (A-number, SSN, e-mail...).
Names and other soft or shared values (nationality, date of birth) only support a match, unless
the incident holds nothing else: then names decide. Columns whose header names a lawyer or
representative are found by `REPRESENTATIVE`, so the list can be split per representative.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import cell_text
from bot.scan.matching import SOFT_TYPES, WEAK_TYPES
from bot.scan.model import Document, Table
from bot.scan.report import fingerprint

REPRESENTATIVE = re.compile(
    r"\b(lawyer|attorney|counsel|representative|legal rep|solicitor|advocate|g-?28|"
    r"abogad[oa]|representante|avocat|rechtsanwalt|anwalt)", re.IGNORECASE)


@dataclass
class MatchedTable:
    name: str
    header: list[str]
    representative_columns: list[int]
    rows: list[list[str]] = field(default_factory=list)
    row_types: list[set[str]] = field(default_factory=list)
    rows_read: int = 0


@dataclass
class Matches:
    tables: list[MatchedTable] = field(default_factory=list)
    rows_read: int = 0
    text_parts: int = 0          # prose parts: not a list of people, not matched

    @property
    def rows(self) -> int:
        return sum(len(t.rows) for t in self.tables)


def deciding_types(fingerprints: dict[str, set[str]]) -> set[str]:
    """Which types make a row a match: identifiers; names only when there is no identifier."""
    strong = {t for t in fingerprints if t in REGISTRY and t not in WEAK_TYPES and t not in SOFT_TYPES}
    return strong or {t for t in fingerprints if t in SOFT_TYPES}


def _row_types(cells: list, parsers: list, sets: dict[str, set[str]], key: bytes) -> set[str]:
    found: set[str] = set()
    for cell in cells:
        if cell is None or cell == "":
            continue
        for kind, parse in parsers:
            if kind in found:
                continue
            normalized = parse(cell, context=True)
            if normalized and fingerprint(kind, normalized, key) in sets[kind]:
                found.add(kind)
    return found


def match_records(document: Document, fingerprints: dict[str, set[str]], key: bytes) -> Matches:
    deciding = deciding_types(fingerprints)
    parsers = [(kind, REGISTRY[kind].parse_cell) for kind in sorted(fingerprints) if kind in REGISTRY]
    result = Matches()
    for part in document.parts:
        if not isinstance(part, Table):
            result.text_parts += 1
            continue
        table = _match_table(part, parsers, fingerprints, key, deciding)
        result.rows_read += table.rows_read
        result.tables.append(table)
    return result


def _match_table(part: Table, parsers, sets, key: bytes, deciding: set[str]) -> MatchedTable:
    header = [str(h or "").strip() for h in (part.header or [])]
    table = MatchedTable(name=part.name, header=header,
                         representative_columns=[i for i, h in enumerate(header) if REPRESENTATIVE.search(h)])
    for _, cells in part.rows:
        table.rows_read += 1
        kinds = _row_types(cells, parsers, sets, key)
        if kinds & deciding:
            table.rows.append([cell_text(c) or "" for c in cells])
            table.row_types.append(kinds)
    return table


def representative_groups(table: MatchedTable, column: int) -> Iterator[tuple[str, list[list[str]]]]:
    """The matched rows with a value in `column`, grouped by it (sorted), for a list per representative."""
    groups: dict[str, list[list[str]]] = {}
    for row in table.rows:
        value = row[column].strip() if column < len(row) else ""
        if value:
            groups.setdefault(value, []).append(row)
    yield from sorted(groups.items(), key=lambda item: item[0].casefold())
