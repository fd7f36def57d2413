"""Content inside content: a zip entry, a tar member, an e-mail attachment, a gzip'd file.

Every container reader hands each inner file to `open_nested`, which sniffs it, reads it with
its own reader under the same bounds (one depth limit, one budget of unpacked bytes shared by all
levels, one deadline) and records what it cannot read with `ctx.skip` instead of failing the
whole container: an inner file that is damaged, encrypted, of a kind that is not read, or nested
past the depth limit. Media (images, fonts) hold no text and are not a skip. A limit that guards
the machine (unpacked bytes, the deadline, memory) still stops the whole read.
Every part carries `container` = the inner file's path ("export.zip › people.csv").
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.model import Part, Table
from bot.scan.readers.base import ReadContext


def charge_unpacked(ctx: ReadContext, size: int) -> None:
    """Count `size` unpacked bytes against the budget every level of this read shares."""
    ctx.unzipped[0] += size
    if ctx.unzipped[0] > ctx.limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"This {ctx.label} and the files inside it expand to more than "
            f"{ctx.limits.max_unzipped_bytes / 1e6:,.0f} MB, more than one scan unpacks."
        )


def inner_path(ctx: ReadContext, name: str) -> str:
    return f"{ctx.container} › {name}" if ctx.container else name


def open_nested(content: bytes, name: str, ctx: ReadContext) -> Iterator[Part]:
    """The parts of one inner file called `name` (a path inside the container), or a recorded skip."""
    from bot.scan.readers import open_kind  # the package imports its readers lazily: import late
    from bot.scan.sniff import sniff_format

    path = inner_path(ctx, name)
    for component in name.split("/"):  # folders and the file's stem name places too
        ctx.content_label(posixpath.splitext(component)[0])
    found = sniff_format(content)
    if found.media:
        ctx.add("media")
        return
    if not found.readable:
        what = found.label if found.kind != "unsupported" else "binary data or a format that is not read"
        ctx.skip(f"it is {what}", name)
        return
    child = ctx.nested(kind=found.kind, container=path, name=posixpath.basename(name))
    if found.container and child.depth >= ctx.limits.max_zip_depth:  # documents that are zips do not count
        ctx.skip(f"it is an archive nested deeper than {ctx.limits.max_zip_depth} levels", name)
        return
    ctx.add("files")
    yield from _tolerant_parts(open_kind, found.kind, content, child, name, ctx)


def _tolerant_parts(open_kind: Callable, kind: str, content: bytes, child: ReadContext, name: str,
                    parent: ReadContext) -> Iterator[Part]:
    """An inner file's parts; if it turns out unreadable, record the skip and go on with the next."""
    failed = [False]

    def note(error: UnreadableContent) -> None:
        if not failed[0]:
            failed[0] = True
            parent.skip(_reason(error), name)

    try:
        parts = open_kind(kind, content, child)
        for part in _stop_on_unreadable(parts, note):
            part.label_from_content = True
            if isinstance(part, Table):
                part.rows = _stop_on_unreadable(part.rows, note)
            else:
                part.lines = _stop_on_unreadable(part.lines, note)
            yield part
    except UnreadableContent as error:
        note(error)


def _reason(error: UnreadableContent) -> str:
    """'This CSV file could not be read: it is damaged.' -> 'it could not be read: it is damaged'."""
    text = str(error).rstrip(".")
    head, _, tail = text.partition(" could not be read: ")
    return f"it could not be read: {tail}" if tail else text[:1].lower() + text[1:]


def _stop_on_unreadable(items: Iterator, note: Callable[[UnreadableContent], None]) -> Iterator:
    try:
        yield from items
    except UnreadableContent as error:
        note(error)
