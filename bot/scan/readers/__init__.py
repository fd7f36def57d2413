"""read_document(data, ...) -> Document: the one entry point every surface uses to read bytes.

The kind comes from `sniff` (bytes only) unless the caller already knows it; which reader opens
it is declared in bot/scan/formats.py, the table sniff reads too. Each reader has an eager half
that checks the bytes and raises at call time, and lazy generators for the parts and their rows;
readers import their libraries (openpyxl, pypdf, xlrd) only when a file of their kind shows up.
Every error is UnreadableContent or LimitExceeded with one plain sentence. Parts a reader leaves
unread (a limit, a damaged or encrypted entry) are recorded with `ctx.skip` and end up in
`Document.skipped`.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan import formats
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Document, Part
from bot.scan.readers.base import ReadContext, guarded, translate

__all__ = ["read_document", "read_local_document", "open_kind", "KINDS", "LOCAL_OPENERS"]

KINDS = formats.READABLE_KINDS
#: kinds a large local file of is read as a stream (bot/scan/localfile.py), and by what
LOCAL_OPENERS = {"csv": "delimited:open_delimited_local", "text": "text:open_text_local"}


def read_document(data: bytes, *, name: str = "", limits: ReadLimits, deadline: Deadline,
                  kind: str | None = None) -> Document:
    """Read bytes of any supported kind into a streamed Document."""
    if kind is None:
        from bot.scan.sniff import sniff

        kind = sniff(data)
    ctx = ReadContext(kind=kind, limits=limits, deadline=deadline, name=name)
    parts = open_kind(kind, data, ctx)
    return Document(kind=kind, parts=guarded(parts, ctx), counters=ctx.counters, notes=ctx.notes,
                    content_labels=ctx.content_labels, skipped=ctx.skipped)


def read_local_document(local, *, name: str, limits: ReadLimits, deadline: Deadline, kind: str) -> Document:
    """Read a large local file of a LOCAL_OPENERS kind as a stream (surveyed: local.survey())."""
    ctx = ReadContext(kind=kind, limits=limits, deadline=deadline, name=name)
    module_name, function_name = LOCAL_OPENERS[kind].split(":")
    try:
        parts = getattr(import_module(f"{__name__}.{module_name}"), function_name)(local, ctx)
    except (UnreadableContent, LimitExceeded):
        raise
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
    return Document(kind=kind, parts=guarded(parts, ctx), counters=ctx.counters, notes=ctx.notes,
                    content_labels=ctx.content_labels, skipped=ctx.skipped)


def open_kind(kind: str, data: bytes, ctx: ReadContext) -> Iterator[Part]:
    """The parts of `data` read as `kind` (eager checks raise here)."""
    declared = formats.get(kind)
    if not declared.readable:
        from bot.scan.sniff import describe_unsupported

        raise UnreadableContent(
            f"This file is {describe_unsupported(data)}, not a format Leakwatch reads "
            f"({formats.readable_list()})."
        )
    module_name, function_name = declared.reader.split(":")
    try:
        opener = getattr(import_module(f"{__name__}.{module_name}"), function_name)
        return opener(data, ctx)
    except UnreadableContent:
        raise
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
