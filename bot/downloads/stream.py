"""Reading a log file in big blocks of whole lines (`open_blocks`), at close to memory speed.

A plain file is read through `mmap` windows of `WINDOW` bytes (no copy into Python: the search
runs on the page cache's own pages, and only one window is mapped at a time, so the peak memory
stays flat for multi-gigabyte logs). A gzip file (decided by its magic bytes) is inflated by
`GzipStream` in bounded steps into one reused buffer of `BLOCK` bytes; a cut or damaged file
gives what could be inflated and sets `damaged` instead of raising.

Both yield `(buffer, start, end)` where `buffer[start:end]` holds whole lines, and count `lines`
as they go. A line longer than a block is not a log line: it is counted in `lines` and
`overlong` and skipped up to its end. Newlines are counted with numpy (3x `bytes.count`), in
slices of `SCRATCH` bytes.
"""

from __future__ import annotations

import mmap
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

BLOCK = 8 << 20
WINDOW = 32 << 20
SCRATCH = 4 << 20
HEAD = 1 << 20

try:
    import numpy as _np
except ImportError:  # pragma: no cover - numpy comes with matplotlib
    _np = None


class Buffers:
    """The gzip block buffer and the newline counter's scratch, allocated once, reused file after file."""

    def __init__(self, block: int | None = None, window: int | None = None) -> None:
        self.block = block or BLOCK
        self.window = window or WINDOW
        self._buffer: bytearray | None = None
        self.scratch = _np.empty(SCRATCH, dtype=bool) if _np is not None else None

    @property
    def buffer(self) -> bytearray:
        if self._buffer is None:
            self._buffer = bytearray(self.block)
        return self._buffer

    def count_newlines(self, data, start: int, end: int) -> int:
        if self.scratch is None or end - start < 4096:
            return data.count(b"\n", start, end) if hasattr(data, "count") else bytes(data[start:end]).count(b"\n")
        numbers = _np.frombuffer(data, dtype=_np.uint8)
        total = 0
        for at in range(start, end, SCRATCH):
            stop = min(end, at + SCRATCH)
            total += int(_np.count_nonzero(_np.equal(numbers[at:stop], 10, out=self.scratch[:stop - at])))
        del numbers   # the view must go before the mmap closes
        return total


class GzipStream:
    """Inflates a gzip file (several members too) in bounded steps; a cut or damaged file gives
    what could be inflated, then `damaged` is set instead of an exception."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.inflater = zlib.decompressobj(wbits=31)
        self.pending = b""          # compressed bytes not yet given to the inflater
        self.between = False        # a member ended and no next one has begun
        self.damaged = False
        self.done = False

    def read(self, size: int) -> bytes:
        out: list[bytes] = []
        have = 0
        while have < size and not self.done:
            chunk = self.pending or self.raw.read(1 << 16)
            self.pending = b""
            if not chunk:
                self.done = True
                self.damaged = not self.between
                break
            if self.between:
                chunk = chunk.lstrip(b"\x00")   # padding after the last member
                if not chunk:
                    continue
                self.inflater, self.between = zlib.decompressobj(wbits=31), False
            try:
                data = self.inflater.decompress(chunk, size - have)
            except zlib.error:
                self.done = self.damaged = True
                break
            out.append(data)
            have += len(data)
            if self.inflater.eof:
                self.pending, self.between = self.inflater.unused_data, True
            else:
                self.pending = self.inflater.unconsumed_tail
        return b"".join(out)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()



def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == b"\x1f\x8b"


def open_blocks(path: Path, buffers: Buffers):
    """`MappedBlocks` for a plain file, `InflatedBlocks` for a gzip one (raises OSError)."""
    if is_gzip(path):
        return InflatedBlocks(GzipStream(path.open("rb")), buffers)
    return MappedBlocks(path, buffers)


class MappedBlocks:
    def __init__(self, path: Path, buffers: Buffers) -> None:
        self.handle = path.open("rb")
        self.size = os.fstat(self.handle.fileno()).st_size
        self.buffers = buffers
        self.lines = self.overlong = 0
        self.damaged = False

    def head(self) -> bytes:
        self.handle.seek(0)
        return self.handle.read(HEAD)

    def close(self) -> None:
        self.handle.close()

    def __iter__(self) -> Iterator[tuple[object, int, int]]:
        window, grain = self.buffers.window, mmap.ALLOCATIONGRANULARITY
        offset, skip, skipping = 0, 0, False     # window start (aligned), bytes of it already done
        while offset + skip < self.size:
            length = min(window, self.size - offset)
            last = offset + length >= self.size
            view = mmap.mmap(self.handle.fileno(), length, offset=offset, access=mmap.ACCESS_READ)
            try:
                start = skip
                if skipping:   # the rest of an over-long line: drop it up to its end
                    cut = view.find(b"\n", start)
                    if cut < 0:
                        offset, skip = offset + length, 0
                        continue
                    start, skipping = cut + 1, False
                end = length if last else view.rfind(b"\n", start) + 1
                if end == 0:   # no line is that long: count it unread, skip to its end
                    self.lines += 1
                    self.overlong += 1
                    offset, skip, skipping = offset + length, 0, True
                    continue
                if end > start:
                    self.lines += self.buffers.count_newlines(view, start, end) + (view[end - 1] != 10)
                    yield view, start, end
            finally:
                view.close()
            done = offset + end
            offset = done - done % grain
            skip = done - offset


class InflatedBlocks:
    def __init__(self, stream: GzipStream, buffers: Buffers) -> None:
        self.stream = stream
        self.buffers = buffers
        self.buffer = buffers.buffer
        self.view = memoryview(self.buffer)
        self.filled = 0
        self.lines = self.overlong = 0
        self._head_read = False

    @property
    def damaged(self) -> bool:
        return self.stream.damaged

    def close(self) -> None:
        self.stream.close()

    def _read(self) -> int:
        data = self.stream.read(len(self.buffer) - self.filled)
        self.buffer[self.filled:self.filled + len(data)] = data
        return len(data)

    def head(self) -> bytes:
        """The file's first block, read once (it is then the first block iterated)."""
        while self.filled < len(self.buffer):
            got = self._read()
            if not got:
                break
            self.filled += got
        self._head_read = True
        return bytes(self.view[:min(self.filled, HEAD)])

    def __iter__(self) -> Iterator[tuple[bytearray, int, int]]:
        buffer, skipping = self.buffer, False
        pending_first = self._head_read   # head() filled the buffer already
        while True:
            got = 0 if pending_first else self._read()
            last = got == 0 and not pending_first
            pending_first = False
            total = self.filled + got
            if skipping:   # the rest of an over-long line: drop it up to its end
                cut = buffer.find(b"\n", 0, total)
                if cut < 0:
                    self.filled = 0
                    if last:
                        return
                    continue
                buffer[:total - cut - 1] = buffer[cut + 1:total]
                total -= cut + 1
                skipping = False
            end = total if last else buffer.rfind(b"\n", 0, total) + 1
            if end == 0 and total == len(buffer):   # no line is that long: count it unread, skip to its end
                self.lines += 1
                self.overlong += 1
                self.filled, skipping = 0, True
                continue
            if end:
                self.lines += self.buffers.count_newlines(buffer, 0, end) + (buffer[end - 1] != 10)
                yield buffer, 0, end
            buffer[:total - end] = buffer[end:total]
            self.filled = total - end
            if last:
                return
