"""Check a zip's central directory before anything decompresses a byte of it.

Declared sizes can be trusted as bounds because Python's zipfile never returns more than an
entry's declared size (it stops there and then fails the CRC check), so the sum of declared
sizes bounds what reading every entry can produce.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass

from bot.errors import LimitExceeded
from bot.scan.readers.base import ReadContext

#: entries smaller than this cannot hurt whatever their ratio (a 100 KB run of spaces is fine)
RATIO_FLOOR_BYTES = 1 << 20
#: what Office files use; plain archives may also use bzip2 and lzma, which zipfile reads
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
SUPPORTED_COMPRESSIONS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
#: bytes of central directory allowed per permitted entry (real headers are 46 bytes + name + extras)
DIRECTORY_BYTES_PER_ENTRY = 512

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_EOCD = b"PK\x06\x06"


@dataclass(frozen=True)
class DirectoryEnd:
    """What the end-of-central-directory record declares (read without zipfile)."""

    entries: int
    directory_size: int
    #: where the end record starts; the directory sits just before it
    position: int

    def directory_bytes(self, data: bytes) -> bytes:
        return data[max(0, self.position - self.directory_size - 76):self.position]


def directory_end(data: bytes) -> DirectoryEnd | None:
    """Parse the (zip64) end record with struct: cheap, and before zipfile builds a ZipInfo per entry."""
    position = data.rfind(_EOCD, max(0, len(data) - (1 << 16) - _EOCD_SIZE))
    if position < 0 or position + _EOCD_SIZE > len(data):
        return None
    entries, size = struct.unpack_from("<HI", data, position + 10)
    locator = position - 20
    if (entries == 0xFFFF or size == 0xFFFFFFFF) and locator >= 0 and data.startswith(_ZIP64_LOCATOR, locator):
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 <= len(data) and data.startswith(_ZIP64_EOCD, record):
            entries, size = struct.unpack_from("<QQ", data, record + 32)
    return DirectoryEnd(entries=entries, directory_size=size, position=position)


def open_checked_zip(data: bytes, ctx: ReadContext, *,
                     allow_encrypted: bool = False) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Open the archive and refuse it (one sentence) when its directory is hostile.

    `allow_encrypted`: a plain archive reads around its encrypted or oddly compressed entries
    (and records them as skipped); a document (xlsx, docx) with one is refused whole.
    """
    end = directory_end(data)
    if end is not None:
        _check_declared_directory(end, ctx)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise ctx.unreadable("it is truncated or damaged (its zip directory is missing or broken)") from None
    try:
        check_entries(infos, ctx, allow_encrypted=allow_encrypted)
    except BaseException:
        archive.close()
        raise
    return archive, infos


def _check_declared_directory(end: DirectoryEnd, ctx: ReadContext) -> None:
    limits = ctx.limits
    if end.entries > limits.max_zip_entries:
        raise _too_many_files(end.entries, ctx)
    if end.directory_size > limits.max_zip_entries * DIRECTORY_BYTES_PER_ENTRY:
        raise LimitExceeded(f"This {ctx.label} has a file list too large to open safely.")


def _too_many_files(count: int, ctx: ReadContext) -> LimitExceeded:
    return LimitExceeded(
        f"This {ctx.label} holds {count:,} files, more than the {ctx.limits.max_zip_entries:,} one scan opens."
    )


def check_entries(infos: list[zipfile.ZipInfo], ctx: ReadContext, *, allow_encrypted: bool = False) -> None:
    limits = ctx.limits
    if len(infos) > limits.max_zip_entries:
        raise _too_many_files(len(infos), ctx)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1 and not allow_encrypted:
            raise ctx.unreadable("it is password-protected")
        if info.compress_type not in _COMPRESSIONS and not allow_encrypted:
            raise ctx.unreadable("it uses a compression method other than deflate, which is not supported")
        total += info.file_size
        if info.file_size >= RATIO_FLOOR_BYTES and info.file_size > limits.max_zip_ratio * max(info.compress_size, 1):
            raise LimitExceeded(
                f"This {ctx.label} looks like a zip bomb: one part expands more than "
                f"{limits.max_zip_ratio} times, so it was not opened."
            )
    if total > limits.max_unzipped_bytes:
        raise LimitExceeded(
            f"This {ctx.label} would expand to {total / 1e6:,.0f} MB, more than the "
            f"{limits.max_unzipped_bytes / 1e6:,.0f} MB one scan unpacks."
        )
