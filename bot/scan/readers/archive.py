"""Zip archives -> the parts of every entry, each sniffed and read by its own reader.

The directory is checked before anything is unpacked (zipcheck); nested archives are read
limits.max_zip_depth deep and the unpacked bytes of all levels share one budget. A file inside
that cannot be read becomes a note; a bomb or any other limit inside fails the whole archive.
Every part carries `container` = the entry's path ("export/people.csv", "a.zip › b/c.csv").
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.model import Part, Table
from bot.scan.readers.base import ReadContext, translate
from bot.scan.readers.zipcheck import open_checked_zip

Opener = Callable[[str, bytes, ReadContext], Iterator[Part]]


def open_archive(data: bytes, ctx: ReadContext, open_kind: Opener) -> Iterator[Part]:
    archive, infos = open_checked_zip(data, ctx)
    return _entries(archive, [info for info in infos if not info.is_dir()], ctx, open_kind)


def _entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], ctx: ReadContext,
             open_kind: Opener) -> Iterator[Part]:
    from bot.scan.sniff import sniff  # sniff imports the readers package: import late

    skipped = 0
    try:
        for info in infos:
            ctx.deadline.check(f"Reading the {ctx.label}")
            ctx.unzipped[0] += info.file_size
            if ctx.unzipped[0] > ctx.limits.max_unzipped_bytes:
                raise LimitExceeded(
                    f"This {ctx.label} and the archives inside it expand to more than "
                    f"{ctx.limits.max_unzipped_bytes / 1e6:,.0f} MB, more than one scan unpacks."
                )
            path = f"{ctx.container} › {info.filename}" if ctx.container else info.filename
            for component in info.filename.split("/"):  # folders and the file's stem name places too
                ctx.content_label(posixpath.splitext(component)[0])
            content = _read_entry(archive, info, ctx)
            if content is None:
                ctx.notes.append(f"{path} was skipped: it is damaged inside the archive.")
                continue
            kind = sniff(content)
            child = ctx.nested(kind=kind, container=path, name=posixpath.basename(info.filename))
            if kind == "unsupported":
                skipped += 1
                continue
            if kind == "zip" and child.depth >= ctx.limits.max_zip_depth:
                ctx.notes.append(f"{path} is an archive nested deeper than {ctx.limits.max_zip_depth} levels; "
                                 "it was not opened.")
                continue
            ctx.add("files")
            yield from _tolerant_parts(open_kind, kind, content, child)
    finally:
        archive.close()
        if skipped:
            ctx.notes.append(f"Skipped {skipped} file{'s' if skipped > 1 else ''} in the archive that "
                             f"{'are' if skipped > 1 else 'is'} not a document (images, programs...).")


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ReadContext) -> bytes | None:
    """The entry's bytes (never more than its declared size), or None when it is damaged."""
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        return None
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None


def _tolerant_parts(open_kind: Opener, kind: str, content: bytes, ctx: ReadContext) -> Iterator[Part]:
    """An entry's parts; if the entry turns out unreadable, note it and go on with the next."""
    failed = [False]

    def note(error: UnreadableContent) -> None:
        if not failed[0]:
            failed[0] = True
            ctx.notes.append(f"{ctx.container} was skipped: {error}")

    try:
        parts = open_kind(kind, content, ctx)
        for part in _stop_on_unreadable(parts, note):
            part.label_from_content = True
            if isinstance(part, Table):
                part.rows = _stop_on_unreadable(part.rows, note)
            else:
                part.lines = _stop_on_unreadable(part.lines, note)
            yield part
    except UnreadableContent as error:
        note(error)


def _stop_on_unreadable(items: Iterator, note: Callable[[UnreadableContent], None]) -> Iterator:
    try:
        yield from items
    except UnreadableContent as error:
        note(error)
