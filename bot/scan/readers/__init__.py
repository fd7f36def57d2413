"""read_document(data, ...) -> Document: the one entry point every surface uses to read bytes.

The kind comes from `sniff` (bytes only) unless the caller already knows it. Each format has
its module (xlsx, delimited, html, pdf, json_reader, text, archive); each has an eager half that
checks the bytes and raises at call time, and lazy generators for the parts and their rows.
Every error is UnreadableContent or LimitExceeded with one plain sentence.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.errors import UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.model import Document, Part
from bot.scan.readers.base import ReadContext, guarded, translate

__all__ = ["read_document", "open_kind", "KINDS"]

KINDS = ("xlsx", "csv", "html", "pdf", "json", "text", "zip")


def read_document(data: bytes, *, name: str = "", limits: ReadLimits, deadline: Deadline,
                  kind: str | None = None) -> Document:
    """Read bytes of any supported kind into a streamed Document."""
    if kind is None:
        from bot.scan.sniff import sniff

        kind = sniff(data)
    ctx = ReadContext(kind=kind, limits=limits, deadline=deadline, name=name)
    if name:
        ctx.content_label(name.rsplit(".", 1)[0] if "." in name else name)  # a file name can be a value too
    parts = open_kind(kind, data, ctx)
    return Document(kind=kind, parts=guarded(parts, ctx), counters=ctx.counters, notes=ctx.notes,
                    content_labels=ctx.content_labels)


def open_kind(kind: str, data: bytes, ctx: ReadContext) -> Iterator[Part]:
    """The parts of `data` read as `kind` (eager checks raise here)."""
    try:
        return _open(kind, data, ctx)
    except UnreadableContent:
        raise
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None


def _open(kind: str, data: bytes, ctx: ReadContext) -> Iterator[Part]:
    # readers import their libraries (openpyxl, pypdf) only when a file of their kind shows up
    if kind == "xlsx":
        from bot.scan.readers.xlsx import open_xlsx

        return open_xlsx(data, ctx)
    if kind == "csv":
        from bot.scan.readers.delimited import open_delimited

        return open_delimited(data, ctx)
    if kind == "html":
        from bot.scan.readers.html import open_html

        return open_html(data, ctx)
    if kind == "pdf":
        from bot.scan.readers.pdf import open_pdf

        return open_pdf(data, ctx)
    if kind == "json":
        from bot.scan.readers.json_reader import open_json

        return open_json(data, ctx)
    if kind == "text":
        from bot.scan.readers.text import open_text

        return open_text(data, ctx)
    if kind == "zip":
        from bot.scan.readers.archive import open_archive

        return open_archive(data, ctx, open_kind)
    from bot.scan.sniff import describe_unsupported

    raise UnreadableContent(
        f"This file is {describe_unsupported(data)}, not a format Leakwatch reads "
        "(Excel .xlsx, CSV, HTML, PDF, JSON, text or zip)."
    )
