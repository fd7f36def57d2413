"""gzip, bzip2 and xz files -> the parts of the one file inside; tar archives -> every member's parts.

A compressed file holds one file: it is decompressed incrementally, a megabyte of output at a
time, and never past two bounds: the budget of unpacked bytes every level of the read shares
(`charge_unpacked`) and a ratio of output to compressed input consumed (limits.max_zip_ratio,
past a small floor), so a compression bomb stops after a few megabytes with one sentence.
Concatenated members (multi-member gzip, pbzip2) are read one after the other. A stream cut short
or damaged part-way is read as far as it goes and the rest recorded with `ctx.skip`. What comes
out is handed to `open_nested` under the name in the gzip header, else the outer name without
its .gz/.bz2/.xz suffix, else "content"; a tar inside is sniffed and read by `open_tar`.

Tar archives are read as a stream: regular files only (links, devices and folders hold no data
to read), each member's declared size charged to the budget before it is extracted, at most
limits.max_zip_entries members. Member names are only labels (nothing is written to disk).
"""

from __future__ import annotations

import bz2
import io
import lzma
import posixpath
import tarfile
import zlib
from collections.abc import Callable, Iterator

from bot.errors import LimitExceeded
from bot.scan.model import Part
from bot.scan.readers.base import ReadContext
from bot.scan.readers.nested import charge_unpacked, open_nested

#: compressed bytes handed to the decompressor at a time
_IN_CHUNK = 16 << 10
#: most output one decompressor call may produce
_OUT_STEP = 1 << 20
#: output a stream may always produce, whatever its ratio (a short file of repeated lines)
_RATIO_FLOOR = 8 << 20
#: xz/lzma decoder memory (xz -9 needs 65 MB); a file asking for more is refused
_XZ_MEMLIMIT = 128 << 20
_DAMAGE = (zlib.error, OSError, EOFError, lzma.LZMAError, ValueError)

_SUFFIXES = {".gz": "", ".gzip": "", ".z": "", ".tgz": ".tar", ".bz2": "", ".bz": "", ".tbz2": ".tar",
             ".tbz": ".tar", ".xz": "", ".lzma": "", ".txz": ".tar"}


class _Codec:
    """One compression format: its magic, a fresh decompressor, how it says it wants input."""

    def __init__(self, magic: bytes, make: Callable[[], object], zlib_style: bool):
        self.magic, self.make, self.zlib_style = magic, make, zlib_style

    def hungry(self, decompressor, piece: bytes) -> tuple[bool, bytes]:
        """(needs more input, input still to feed) after a call that produced `piece`."""
        if self.zlib_style:
            tail = decompressor.unconsumed_tail
            return (not tail and len(piece) < _OUT_STEP), tail
        return decompressor.needs_input, b""


_GZIP = _Codec(b"\x1f\x8b", lambda: zlib.decompressobj(wbits=31), zlib_style=True)
_BZIP2 = _Codec(b"BZh", bz2.BZ2Decompressor, zlib_style=False)
_XZ = _Codec(b"\xfd7zXZ\x00", lambda: lzma.LZMADecompressor(format=lzma.FORMAT_XZ, memlimit=_XZ_MEMLIMIT),
             zlib_style=False)


def open_gzip(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    stored_name = _gzip_header_name(data, ctx)
    _check_start(data, _GZIP, ctx)
    return _single(data, _GZIP, stored_name or _inner_name(ctx), ctx)


def open_bzip2(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    _check_start(data, _BZIP2, ctx)
    return _single(data, _BZIP2, _inner_name(ctx), ctx)


def open_xz(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    _check_start(data, _XZ, ctx)
    return _single(data, _XZ, _inner_name(ctx), ctx)


def _inner_name(ctx: ReadContext) -> str:
    """The outer name without its compression suffix ("people.csv.gz" -> "people.csv")."""
    name = posixpath.basename(ctx.name.replace("\\", "/")).strip()
    stem, suffix = posixpath.splitext(name)
    if suffix.lower() in _SUFFIXES and stem:
        return stem + _SUFFIXES[suffix.lower()]
    return name or "content"


def _gzip_header_name(data: bytes, ctx: ReadContext) -> str | None:
    """The file name a gzip header stores (FNAME), or None; a header that is not gzip's raises."""
    if len(data) < 10 or data[2] != 8 or data[3] & 0xE0:
        raise ctx.damaged()
    flags, at = data[3], 10
    if flags & 0x04:  # FEXTRA
        at += 2 + int.from_bytes(data[at:at + 2], "little")
    if not flags & 0x08:  # no FNAME
        return None
    end = data.find(b"\x00", at, at + 1024)
    if end < 0:
        return None
    name = posixpath.basename(data[at:end].decode("latin-1").replace("\\", "/")).strip()
    return name or None


def _check_start(data: bytes, codec: _Codec, ctx: ReadContext) -> None:
    """The eager check: the first compressed bytes decompress (a few KB of output at most)."""
    try:
        codec.make().decompress(data[:_IN_CHUNK], 4096)
    except MemoryError as error:
        raise LimitExceeded(f"This {ctx.label} needs more memory to decompress than a scan may use.") from error
    except _DAMAGE:
        raise ctx.damaged() from None


def _single(data: bytes, codec: _Codec, inner_name: str, ctx: ReadContext) -> Iterator[Part]:
    content, complete = decompress(data, codec, ctx)
    if not complete:
        if not content:
            raise ctx.unreadable("it is damaged or cut short before any of its content")
        ctx.skip("the compressed data is damaged or cut short; what came before was read", inner_name)
    yield from open_nested(content, inner_name, ctx)


def decompress(data: bytes, codec: _Codec, ctx: ReadContext) -> tuple[bytes, bool]:
    """Every member's output, and whether the last one ended properly (False: cut short or damaged)."""
    out = io.BytesIO()  # getvalue() hands over its buffer without a copy
    produced, start, ratio = 0, 0, max(ctx.limits.max_zip_ratio, 1)
    while True:
        decompressor, pos, feed, hungry = codec.make(), start, b"", True
        while True:
            if hungry:
                if pos >= len(data):
                    return out.getvalue(), False  # cut short
                feed += data[pos:pos + _IN_CHUNK]
                pos = min(pos + _IN_CHUNK, len(data))
            try:
                piece = decompressor.decompress(feed, _OUT_STEP)
            except _DAMAGE:
                return out.getvalue(), False
            if piece:
                produced += len(piece)
                charge_unpacked(ctx, len(piece))
                if produced > ratio * pos + _RATIO_FLOOR:
                    raise LimitExceeded(
                        f"This {ctx.label} expands to more than {ratio} times its size, as a compression "
                        "bomb does, so it was not read."
                    )
                out.write(piece)
                ctx.deadline.check(f"Decompressing the {ctx.label}")
            if decompressor.eof:
                break
            hungry, feed = codec.hungry(decompressor, piece)
        start = pos - len(decompressor.unused_data)
        if not data.startswith(codec.magic, start):
            return out.getvalue(), True  # the end, zero padding or trailing bytes that are not a member


def open_tar(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r|")  # noqa: SIM115 - _members closes it
    except (tarfile.TarError, *_DAMAGE):
        raise ctx.damaged() from None
    return _members(archive, len(data), ctx)


def _members(archive: tarfile.TarFile, size: int, ctx: ReadContext) -> Iterator[Part]:
    limit, count = ctx.limits.max_zip_entries, 0
    try:
        while True:
            ctx.deadline.check(f"Reading the {ctx.label}")
            try:
                member = archive.next()
            except (tarfile.TarError, *_DAMAGE):
                ctx.skip("the archive is damaged from here on", "the rest of the archive")
                return
            if member is None:
                return
            count += 1
            if count > limit:
                ctx.skip(f"past the {limit:,}-entry limit of one archive", "the entries after that")
                return
            if not member.isreg():
                ctx.add("tar_entries_not_files")  # folders, links, devices: no data of their own
                continue
            name = _member_name(member.name, count)
            charge_unpacked(ctx, member.size)
            content = _extract(archive, member) if member.size <= size else None
            if content is None or len(content) < member.size:
                ctx.skip("it is cut short or damaged inside the archive", name)
                return
            yield from open_nested(content, name, ctx)
    finally:
        archive.close()


def _extract(archive: tarfile.TarFile, member: tarfile.TarInfo) -> bytes | None:
    try:
        handle = archive.extractfile(member)
        return handle.read() if handle is not None else None
    except (tarfile.TarError, *_DAMAGE):
        return None


def _member_name(raw: str, number: int) -> str:
    """A member's path as a label: no leading "/", no "." or ".." (never followed anywhere)."""
    parts = [part for part in raw.replace("\\", "/").split("/") if part not in ("", ".", "..")]
    return "/".join(parts) or f"file {number}"
