"""Streams access logs and hands back the requests for one path (`read_logs`).

Files and folders (every file below, in name order), plain or gzip (decided by the magic bytes),
each read in blocks of `stream.BLOCK` bytes, so memory stays flat for multi-gigabyte logs. Only lines
holding the path's `needle` are parsed: the longest run of RFC 3986 unreserved characters
(`A-Z a-z 0-9 - . _ ~`) in the percent-decoded path. Clients and servers do not percent-encode
unreserved characters (RFC 3986 2.3 makes the two spellings equivalent and tells producers not to),
while everything else in a path may be logged encoded or not, in either hex case, with `+` or
`%20` or `\\xhh` for the same byte; the run is spelled the same in every one of those forms, so
the filter cannot miss a line for the path. A path with no such run is not filtered.

The format is decided per file from its first lines (`sniff`); a line the file's format does not
read is tried with the others (a file may mix them) and counted in `lines_unread` when none reads
it. Only lines that hold the needle are parsed, so garbage elsewhere costs nothing and is not
counted; a file whose first block is binary is not a log and is listed in `files_unread`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.downloads import alb, jsonlines, ncsa, s3, w3c
from bot.downloads.hit import Hit
from bot.downloads.stream import Buffers, open_blocks

SNIFF_LINES = 50
MAX_SNIFFED = 1 << 16
PARSERS = (ncsa.Parser, w3c.Parser, s3.Parser, alb.Parser, jsonlines.Parser)
_UNRESERVED_RUN = re.compile(rb"[A-Za-z0-9._~-]+")

def needle_for(path: bytes) -> bytes:
    """The byte run every logged spelling of `path` (percent-decoded) holds; b'' filters nothing."""
    runs = _UNRESERVED_RUN.findall(path)
    return max(reversed(runs), key=len) if runs else b""  # on a tie, the later run: the file name


@dataclass
class LogRead:
    files: int = 0
    lines: int = 0
    lines_unread: int = 0
    formats: dict[str, int] = field(default_factory=dict)
    files_unread: list[dict] = field(default_factory=list)


def log_files(paths: Iterable[str]) -> tuple[list[Path], list[dict]]:
    """Every file named or below a named folder; what cannot be found is listed with why."""
    found: list[Path] = []
    problems: list[dict] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs.sort()
                found.extend(Path(root) / name for name in sorted(names) if not name.startswith("."))
        elif path.is_file():
            found.append(path)
        else:
            problems.append({"file": raw, "reason": "no such file or folder"})
    return found, problems


def _decode(line: bytes) -> str:
    return line.rstrip(b"\r").decode("utf-8", "surrogateescape")


def sniff(lines: list[bytes]):
    """The parser reading most of these lines, with the label it gave them; None when none reads any."""
    best, best_count = None, 0
    for kind in PARSERS:
        parser = kind()
        count = 0
        for raw in lines:
            text = _decode(raw)
            if parser.directive and text.startswith(parser.directive):
                parser.parse(text)
            elif parser.parse(text) is not None:
                count += 1
        if count > best_count:
            best, best_count = kind, count
    if best is None:
        return None, None
    parser, labels = best(), {}
    for raw in lines:  # the label of the majority of lines, from a fresh instance
        if parser.parse(_decode(raw)) is not None:
            labels[parser.label] = labels.get(parser.label, 0) + 1
    return best, max(labels, key=labels.get)


class _FileReader:
    """One file's parser, with the others as fallback for lines it does not read."""

    def __init__(self, kind) -> None:
        self.main = kind() if kind else None
        self.others = [k() for k in PARSERS if k is not kind]
        self.unread = 0

    def line(self, text: str) -> Hit | None:
        if self.main is not None and self.main.directive and text.startswith(self.main.directive):
            self.main.parse(text)
            return None
        for parser in ([self.main] if self.main else []) + self.others:
            hit = parser.parse(text)
            if hit is not None:
                return hit
        if text.strip():
            self.unread += 1
        return None


def _lines_of_interest(block, first: int, stop: int, needle: bytes, directive: bytes | None) -> Iterator[bytes]:
    """The lines of `block[first:stop]` (whole lines) holding `needle`, and directive lines, in order."""
    if not needle:
        yield from bytes(block[first:stop]).split(b"\n")
        return
    starts: list[int] = []
    find, rfind = block.find, block.rfind
    at = find(needle, first, stop)
    while at >= 0:
        start = rfind(b"\n", first, at) + 1 or first
        starts.append(start)
        end = find(b"\n", at, stop)
        at = find(needle, end, stop) if end >= 0 else -1
    if directive:
        if block[first:first + len(directive)] == directive:
            starts.append(first)
        at = find(b"\n" + directive, first, stop)
        while at >= 0:
            starts.append(at + 1)
            at = find(b"\n" + directive, at + 1, stop)
        starts = sorted(set(starts))
    for start in starts:
        end = find(b"\n", start, stop)
        yield bytes(block[start:stop if end < 0 else end])


def read_file(path: Path, needle: bytes, on_hit: Callable[[Hit], None], summary: LogRead,
              buffers: Buffers) -> None:
    """Streams one file, calling `on_hit` for each parsed request whose line holds the needle."""
    try:
        blocks = open_blocks(path, buffers)
        first = blocks.head()
    except OSError as err:
        summary.files_unread.append({"file": str(path), "reason": f"could not be opened ({err.strerror})"})
        return
    try:
        if b"\x00" in first[:65536]:
            summary.files_unread.append({"file": str(path), "reason": "not a text log (binary content)"})
            return
        pieces = first.split(b"\n", SNIFF_LINES * 4)
        if len(pieces) > 1 and len(pieces) <= SNIFF_LINES * 4:
            pieces.pop()     # the head may end inside a line
        sample = [line for line in pieces[:SNIFF_LINES * 4] if len(line) < MAX_SNIFFED]
        kind, label = sniff(sample[:SNIFF_LINES])
        reader = _FileReader(kind)
        directive = reader.main.directive.encode() if reader.main and reader.main.directive else None
        summary.files += 1
        if label:
            summary.formats[label] = summary.formats.get(label, 0) + 1
        try:
            for buf, start, end in blocks:
                for raw in _lines_of_interest(buf, start, end, needle, directive):
                    hit = reader.line(_decode(raw))
                    if hit is not None:
                        on_hit(hit)
        except OSError as err:
            summary.files_unread.append({"file": str(path), "reason": f"read only in part ({err.strerror})"})
        summary.lines += blocks.lines
        summary.lines_unread += reader.unread + blocks.overlong
        if blocks.damaged:
            summary.files_unread.append({"file": str(path), "reason": "read only in part (a damaged or cut gzip file)"})
    finally:
        blocks.close()


def read_logs(paths: Iterable[str], needle: bytes, on_hit: Callable[[Hit], None]) -> LogRead:
    files, problems = log_files(paths)
    summary = LogRead(files_unread=problems)
    buffers = Buffers()
    for path in files:
        read_file(path, needle, on_hit, summary, buffers)
    return summary
