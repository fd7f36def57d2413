"""A table's classified columns parsed a chunk at a time: each value through its column's detector.

Parsing is a pure function of the values (phone validation, name folding, regular expressions),
so it runs here or, one chunk ahead, in the parse-ahead worker (parse_ahead.py) with the same
results; counting what was parsed stays in analyze.py. A table's parsers (and the memos of its
attribute columns) are kept by table id until `forget`.
"""

from __future__ import annotations

from itertools import chain

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import STR_ONLY, cell_text

#: a column: (index, [(detector type, context)], memoized) -- memo only for one-detector columns
ColumnSpec = tuple[int, tuple[tuple[str, bool], ...], bool]
#: a table: (table id, value columns, name columns joined per row, or ())
TableSpec = tuple[int, tuple[ColumnSpec, ...], tuple[int, ...]]
#: distinct cells remembered per attribute column (countries, facilities repeat a lot); the memo
#: holds only those attribute values and is dropped with the table
MEMO_LIMIT = 4096

_parsers: dict[int, tuple] = {}


def parse_columns(spec: TableSpec, columns: dict[int, list]) -> tuple[list[list], list | None]:
    """Every detector's parsed values for each value column, then the joined names' parsed values."""
    table_id, value_columns, name_columns = spec
    parsers = _parsers.get(table_id)
    if parsers is None:
        parsers = []
        for _, detectors, memoized in value_columns:
            memo = {} if memoized else None
            parsers.append([(REGISTRY[kind], value_parser(REGISTRY[kind], context, memo)) for kind, context in detectors])
        names = value_parser(REGISTRY["PERSON_NAME"], True, None) if name_columns else None
        parsers = _parsers[table_id] = (parsers, names)
    column_parsers, name_parser = parsers
    results: list[list] = []
    for (index, _, _), pairs in zip(value_columns, column_parsers, strict=True):
        remaining = columns[index]
        for detector, parser in pairs:
            parsed = detector.drop_organisational(parser(remaining))
            results.append(parsed)
            if len(pairs) > 1 and any(p is not None for p in parsed):
                remaining = [None if p is not None else v for v, p in zip(remaining, parsed, strict=True)]
    names = None
    if name_columns:
        parts = [columns[index] for index in name_columns]
        names = name_parser(join_names(parts) if len(parts) > 1 else parts[0])
    return results, names


def forget(table_id: int) -> None:
    """The table is done: its parsers (and their memos) go."""
    _parsers.pop(table_id, None)


def value_parser(detector, context: bool, memo: dict | None):
    """A parser of a whole column chunk (the detector's batch kernel where it has one); repeated
    values of attribute columns (countries, facilities) are memoized per table."""
    if memo is None:
        #: chunks left before trying to deduplicate again, after a chunk of mostly distinct cells
        skip = [0]

        def parse_chunk(values: list) -> list:
            if skip[0]:
                skip[0] -= 1
                return detector.parse_column(values, context=context)
            distinct = dict.fromkeys(values)
            if 2 * len(distinct) > len(values):
                skip[0] = 15  # a column of distinct values (emails, SSNs) stays so: look again later
                return detector.parse_column(values, context=context)
            # many repeats (first names, statuses): parse each distinct cell of the chunk once
            keys = list(distinct)
            parsed = dict(zip(keys, detector.parse_column(keys, context=context), strict=True))
            return [parsed[v] for v in values]

        return parse_chunk
    parse_text = detector.column_parser(context=context)

    def parse_memo(value):
        if value is None or value == "":
            return None
        known = memo.get(value, memo)
        if known is memo:
            known = parse_text(value) if type(value) is str else detector.parse_cell(value, context=context)
            if len(memo) < MEMO_LIMIT:
                memo[value] = known
        return known

    return lambda values: list(map(parse_memo, values))


def join_names(parts: list[list]) -> list:
    """First, middle and last name cells joined per row ("" pieces dropped by the name folding)."""
    if STR_ONLY.issuperset(map(type, chain.from_iterable(parts))):  # the types looked at in C
        return list(map(" ".join, zip(*parts, strict=True)))
    texts = [[v.strip() if type(v) is str else (cell_text(v) or "") for v in column] for column in parts]
    return [" ".join(p for p in pieces if p) or None for pieces in zip(*texts, strict=True)]
