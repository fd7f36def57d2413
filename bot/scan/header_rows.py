"""Rows that are headers: a second table's header inside a sheet, a header line in text, a header
that does not fit its columns.

A sheet may hold a summary on top and a roster under its own header further down
(`find_inner_header`); a text file may hold a delimited or fixed-width table whose header line
names personal data (`header_line_score`); a header that names personal data over columns
holding none of it is a table split wrongly (`broken_header`). Each counts header cells with the
same words the column classifier reads (columns.py).
"""

from __future__ import annotations

import re

from bot.scan.columns import AGGREGATE_WORDS, LAST_NAME_PHRASES, MAX_HEADER_CELLS, TablePlan, name_part_role
from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import has_phrase, header_text
from bot.scan.model import Cell


def _header_word_count(texts: list[str], enough: int = 1 << 30) -> int:
    """How many of these cells read like column headers of personal data (stops at `enough`)."""
    count = 0
    for text in texts:
        if count >= enough:
            break
        header = header_text(text)
        if not header or has_phrase(header, AGGREGATE_WORDS):
            continue
        if any(d.header_matches(header) for d in REGISTRY.values()) or name_part_role(header, []) \
                or has_phrase(header, LAST_NAME_PHRASES):
            count += 1
    return count


_DIGIT_RUN = re.compile(r"\d{4}")


def find_inner_header(rows: list[list[Cell]]) -> int | None:
    """Index of a row inside a table that is the header of another table below it.

    A sheet may hold a summary on top and the roster further down under its own header; the row
    qualifies when it holds only short texts and at least two of them name personal data.
    """
    for index, cells in enumerate(rows):
        texts = [c for c in cells[:MAX_HEADER_CELLS] if c is not None and c != ""]
        if len(texts) < 2 or not all(isinstance(c, str) and len(c) <= 40 and not c[0].isdigit()
                                     and not _DIGIT_RUN.search(c) for c in texts):
            continue  # a header holds words, not values ("A# A061924919" is a labelled value)
        if _header_word_count(texts, enough=2) >= 2:
            return index
    return None


_ANY_DIGIT = re.compile(r"\d")
_HEADER_FIELD_SPLIT = re.compile(r"\s*[,;|\t]\s*|\s{2,}")


def header_line_score(line: str) -> int:
    """How many fields of a delimited or fixed-width line read like headers of personal data."""
    if _ANY_DIGIT.search(line):
        return 0  # some field holds that digit: not a header line (below), found without splitting
    fields = [f for f in _HEADER_FIELD_SPLIT.split(line.strip()) if f]
    if len(fields) < 3 or any(len(f) > 40 or any(ch.isdigit() for ch in f) for f in fields):
        return 0
    return _header_word_count(fields)


def broken_header(plan: TablePlan) -> bool:
    """A header that names personal data over columns that hold none of it: a table split wrongly
    (fixed-width text read as CSV, say); its rows are better read as lines of prose."""
    if len(plan.columns) > 3:
        return False
    return any(c.header and not c.detectors and any(d.header_matches(c.header) for d in REGISTRY.values())
               for c in plan.columns)
