"""JSON records -> Tables: the flattened columns of record arrays, and the shapes of keys that are data.

`records_table` learns a record array's columns (flattened key paths such as "person.fullName")
from its first records and adds later ones as they come; `rows_table` reads an array of arrays
with a header row; objects and records keyed by data (`{"A123456789": {...}}`) become "(key)"
columns, "(key)"/"(value)" pairs or one "(entries)" text cell per record (json_reader.py says
when). Records are turned into rows one at a time, as the walker hands them over.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import chain, islice

from bot.scan.model import Table
from bot.scan.readers.base import ReadContext, counted_rows
from bot.scan.readers.headers import split_header
from bot.scan.readers.records import PEEK_RECORDS, Columns

#: a key that reads like a value: a run of 3+ digits (ids, SSNs, dates) or an e-mail address
_VALUE_KEY = re.compile(r"\d{3}|@")
KEY_COLUMN = "(key)"
VALUE_COLUMN = "(value)"
ENTRIES_COLUMN = "(entries)"


def scalar_text(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def key_is_value(key: str) -> bool:
    return _VALUE_KEY.search(key) is not None


def keyed_table(path: str, entries: Iterator[tuple[int, str, object]], ctx: ReadContext) -> Table:
    """An object keyed by data: records with a "(key)" column, or one `key: value` cell per entry."""
    first = next(entries, None)
    if first is None:
        return entries_table(path, iter(()), ctx)
    entries = chain([first], entries)
    if isinstance(first[2], dict):
        records = ((index, {KEY_COLUMN: key, **value} if isinstance(value, dict) else
                    {KEY_COLUMN: key, "value": value}) for index, key, value in entries)
        return records_table(path, records, ctx, keys_may_be_data=False)
    return pairs_table(path, ((index, [key, cell(value)]) for index, key, value in entries), ctx)


def pairs_table(path: str, rows: Iterator[tuple[int, list]], ctx: ReadContext) -> Table:
    """One row per `key: value` pair, the key as a value of the "(key)" column."""
    columns = [KEY_COLUMN, VALUE_COLUMN]
    return Table(style="json", name=path, header=columns, header_row=None, rows=counted_rows(rows, ctx),
                 column_keys=columns, container=ctx.container)


def data_keyed_table(path: str, peeked: list[tuple[int, object]], records: Iterator[tuple[int, object]],
                     ctx: ReadContext) -> Table:
    """Records whose keys are data: one pair each -> (key, value) rows; more -> one text cell each."""
    pairs = sum(len(record) if isinstance(record, dict) else 1 for _, record in peeked)
    if pairs <= len(peeked):
        rows = ((number, [key, value]) for number, record in chain(peeked, records)
                for key, value in (flatten(record).items() if isinstance(record, dict) else [("", cell(record))]))
        return pairs_table(path, rows, ctx)
    return entries_table(path, chain(peeked, records), ctx)


def entries_table(path: str, records: Iterator[tuple[int, object]], ctx: ReadContext) -> Table:
    """Records whose keys are data, one cell each: `key: value; key: value` (read like prose)."""
    rows = ((number, [entry_text(record)]) for number, record in records)
    return Table(style="json", name=path, header=[ENTRIES_COLUMN], header_row=None,
                 rows=counted_rows(rows, ctx), column_keys=[ENTRIES_COLUMN], container=ctx.container)


def entry_text(record: object) -> str:
    if not isinstance(record, dict):
        return scalar_text(cell(record))
    return "; ".join(f"{key}: {scalar_text(value)}" for key, value in flatten(record).items())


def keys_are_data(peeked: list[tuple[int, object]]) -> bool:
    """Keys that look like values, or that are new in nearly every record (names, ids as keys)."""
    records = [record for _, record in peeked if isinstance(record, dict)]
    keys = [key for record in records for key in record]
    distinct = set(keys)
    if not distinct:
        return False
    if sum(1 for key in distinct if key_is_value(key)) * 2 >= len(distinct):
        return True
    return len(records) >= 3 and len(distinct) >= 0.8 * len(keys)


def records_table(path: str, records: Iterator[tuple[int, object]], ctx: ReadContext, *,
                  keys_may_be_data: bool = True) -> Table:
    """A Table over `(row_number, record)` pairs; columns are the flattened key paths."""
    peeked = list(islice(records, PEEK_RECORDS))
    if keys_may_be_data and keys_are_data(peeked):
        return data_keyed_table(path, peeked, records, ctx)
    flat = [(number, flatten(record)) for number, record in peeked]
    columns = Columns()
    for _, record in flat:
        columns.learn(record)
    rest = ((number, flatten(record)) for number, record in records)
    table = Table(style="json", name=path, header=columns.keys, header_row=None, rows=iter(()),
                  column_keys=columns.keys, container=ctx.container)
    table.rows = counted_rows(columns.rows(chain(flat, rest)), ctx)
    return table


def rows_table(path: str, elements: Iterator[tuple[int, object]], ctx: ReadContext) -> Table:
    """An array of arrays (DataTables-style `"data": [["Name", ...], ...]`) -> a plain table.

    Rows yield `(array index, cells)`; a first element made of labels is the header, and
    header_row is then its array index.
    """
    rows = ((index, _row_cells(element)) for index, element in elements)
    guess, header, header_row, peeked = split_header(rows)
    return Table(style="table", name=path, header=header, header_row=header_row,
                 rows=counted_rows(chain(peeked, rows), ctx), title=guess.title, container=ctx.container)


def _row_cells(element: object) -> list:
    if isinstance(element, list):
        return [cell(value) for value in element]
    return [cell(element)]


def flatten(record: object, prefix: str = "", out: dict[str, object] | None = None) -> dict[str, object]:
    """{"person": {"fullName": x}} -> {"person.fullName": x}; a list holding one object is that
    object (FHIR's `name: [{family, given}]`); other lists become one text cell."""
    out = {} if out is None else out
    if not isinstance(record, dict):
        out[prefix or "value"] = cell(record)
        return out
    for key, value in record.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            value = value[0]
        if isinstance(value, dict):
            flatten(value, name, out)
        else:
            out[name] = cell(value)
    return out


def cell(value: object) -> object:
    if isinstance(value, list):
        if all(not isinstance(item, dict | list) for item in value):
            return "; ".join(scalar_text(item) for item in value)
        return json.dumps(value, ensure_ascii=False)
    return value
