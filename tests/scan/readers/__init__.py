"""Helpers for reader tests: read a document fully, compare values by fingerprint.

Test data is synthetic, but the house rule still holds: assertions compare personal-looking
values through `fp()` so a failure prints digests, never the values.
"""

from __future__ import annotations

import hashlib
import tracemalloc

from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Document, Table
from bot.scan.readers import read_document


def fp(value: object) -> str:
    """A short digest of a value (or a row) for assertions that must not print it."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def read_all(data: bytes, *, name: str = "", kind: str | None = None, limits: ReadLimits | None = None,
             seconds: float = 30) -> tuple[Document, list[tuple[object, list]]]:
    """read_document, then every part with its rows or lines materialized (small test files only)."""
    document = read_document(data, name=name, limits=limits or ReadLimits(), deadline=Deadline(seconds),
                             kind=kind)
    parts = []
    for part in document.parts:
        items = list(part.rows if isinstance(part, Table) else part.lines)
        parts.append((part, items))
    return document, parts


def drain(document: Document) -> None:
    """Read every row and line of every part, keeping nothing."""
    for part in document.parts:
        for _ in part.rows if isinstance(part, Table) else part.lines:
            pass


def tables(parts: list[tuple[object, list]]) -> list[tuple[Table, list]]:
    return [(part, items) for part, items in parts if isinstance(part, Table)]


def texts(parts: list[tuple[object, list]]) -> list[tuple[object, list]]:
    return [(part, items) for part, items in parts if not isinstance(part, Table)]


def traced_peak(data: bytes, **kwargs) -> int:
    """Peak bytes Python allocated while reading every row and line (the input not counted)."""
    tracemalloc.start()
    try:
        drain(read_document(data, limits=ReadLimits(), deadline=Deadline(60), **kwargs))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
