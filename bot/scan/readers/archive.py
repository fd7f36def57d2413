"""Zip archives -> the parts of every entry, each sniffed and read by its own reader (nested.py).

The directory is checked before anything is unpacked (zipcheck); nested archives are read
limits.max_zip_depth deep and the unpacked bytes of all levels share one budget. An entry that
is damaged, password-protected, compressed with an unsupported method or of a kind that is not
read is recorded as skipped and the next entry is read; a bomb or any other limit inside fails
the whole archive. Every part carries `container` = the entry's path ("export/people.csv").
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

from bot.scan.model import Part
from bot.scan.readers.base import ReadContext, translate
from bot.scan.readers.nested import charge_unpacked, open_nested
from bot.scan.readers.zipcheck import SUPPORTED_COMPRESSIONS, open_checked_zip


def open_archive(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    archive, infos = open_checked_zip(data, ctx, allow_encrypted=True)
    return _entries(archive, [info for info in infos if not info.is_dir()], ctx)


def _entries(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], ctx: ReadContext) -> Iterator[Part]:
    try:
        for info in infos:
            ctx.deadline.check(f"Reading the {ctx.label}")
            if info.flag_bits & 0x1:
                ctx.skip("it is password-protected inside the archive", info.filename)
                continue
            if info.compress_type not in SUPPORTED_COMPRESSIONS:
                ctx.skip("it is compressed with a method the scanner does not support", info.filename)
                continue
            charge_unpacked(ctx, info.file_size)
            content = _read_entry(archive, info, ctx)
            if content is None:
                ctx.skip("it is damaged inside the archive", info.filename)
                continue
            yield from open_nested(content, info.filename, ctx)
    finally:
        archive.close()


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ctx: ReadContext) -> bytes | None:
    """The entry's bytes (never more than its declared size), or None when it is damaged."""
    try:
        return archive.read(info)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError, zlib.error):
        return None
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
