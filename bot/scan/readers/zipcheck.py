"""Check a zip's central directory before anything decompresses a byte of it.

Declared sizes can be trusted as bounds because Python's zipfile never returns more than an
entry's declared size (it stops there and then fails the CRC check), so the sum of declared
sizes bounds what reading every entry can produce.
"""

from __future__ import annotations

import io
import zipfile

from bot.errors import LimitExceeded
from bot.scan.readers.base import ReadContext

#: entries smaller than this cannot hurt whatever their ratio (a 100 KB run of spaces is fine)
RATIO_FLOOR_BYTES = 1 << 20
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def open_checked_zip(data: bytes, ctx: ReadContext) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """Open the archive and refuse it (one sentence) when its directory is hostile."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        raise ctx.unreadable("it is truncated or damaged (its zip directory is missing or broken)") from None
    try:
        check_entries(infos, ctx)
    except BaseException:
        archive.close()
        raise
    return archive, infos


def check_entries(infos: list[zipfile.ZipInfo], ctx: ReadContext) -> None:
    limits = ctx.limits
    if len(infos) > limits.max_zip_entries:
        raise LimitExceeded(
            f"This {ctx.label} holds {len(infos):,} files, more than the {limits.max_zip_entries:,} one scan opens."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ctx.unreadable("it is password-protected")
        if info.compress_type not in _COMPRESSIONS:
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
