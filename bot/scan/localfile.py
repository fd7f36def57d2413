"""A large local file read as a stream: CSV and plain text never held whole in memory.

The command line scans local files with no size limit (docs/scanner.md), so a 1 GB CSV must not
become 1 GB of bytes. `LocalFile.open()` reads the first megabyte (`head`: enough for `sniff` to
decide a text kind exactly as it would on the whole file) and, in one streamed pass, everything
a reader needs to know before it starts: the SHA-256 the report carries, the encoding in the
house order (textcodec: utf-8, else cp1252, else latin-1; a UTF-16 or BOM file is told from the
head), and the longest physical line (the same refusal as `_check_line_lengths`). Readers then
decode the file through `stream()` chunk by chunk, as they decode bytes in memory: the same
characters, the same rows, the same report. The same pass notes the facts of its lines that
decide whether a second process may scan half of it, and how it finds where (`LineFacts`,
split_scan.py). Kinds other than CSV and text are read whole (their parsers need the bytes: zip
directories, PDF cross-references).

`progress(done, total)` is told the bytes read as the readers go (the command line's bar).
"""

from __future__ import annotations

import codecs
import hashlib
import io
from dataclasses import dataclass, field

from bot.scan.readers.textcodec import CHUNK, detect_encoding

#: bytes sniffed from the start (sniff looks at 64 KB; a larger head leaves its `whole` test false)
HEAD_BYTES = 1 << 20


@dataclass
class LocalFile:
    path: str
    size: int
    head: bytes
    sha256: str = ""
    encoding: str = ""
    #: the longest physical line in bytes (newline excluded)
    longest_line: int = 0
    progress: object = None
    _read: list[int] = field(default_factory=lambda: [0])
    #: bytes the stream has handed to its readers so far
    delivered: int = 0
    #: bytes another process has read of this file's other part (split_scan.py), for `progress`
    also_read: object = None
    #: its lines, as the survey saw them (None until surveyed)
    lines: LineFacts | None = None

    @classmethod
    def open(cls, path: str, size: int, progress=None) -> LocalFile:
        with open(path, "rb") as handle:
            head = handle.read(HEAD_BYTES + 1)
        return cls(path=path, size=size, head=head, progress=progress)

    @property
    def streams(self) -> bool:
        """Big enough for the head to stand for the whole file when sniffing."""
        return len(self.head) > HEAD_BYTES

    def survey(self) -> None:
        """One pass: SHA-256, encoding (house order), longest line; a second only when the file
        is not UTF-8 (is it cp1252?)."""
        digest = hashlib.sha256()
        fixed = detect_encoding(self.head, sample_only=True)
        utf8 = _Validator("utf-8")
        lines = LineFacts()
        for chunk in self._chunks():
            digest.update(chunk)
            utf8.feed(chunk)
            lines.feed(chunk)
        self.sha256 = digest.hexdigest()
        self.lines = lines
        self.longest_line = lines.longest
        if fixed in ("utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"):
            self.encoding = fixed
        elif utf8.valid():
            self.encoding = "utf-8"
        else:
            cp1252 = _Validator("cp1252")
            for chunk in self._chunks():
                cp1252.feed(chunk)
            self.encoding = "cp1252" if cp1252.valid() else "latin-1"

    def _chunks(self):
        with open(self.path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk

    def stream(self, *, newline: str | None = None) -> io.TextIOWrapper:
        """The file as text, decoded chunk by chunk (errors replaced, as for bytes in memory)."""
        raw = io.BufferedReader(_Counted(self), CHUNK)
        return io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline=newline)


@dataclass
class LineFacts:
    """What a file's lines are, from one split of each chunk (CHUNK bytes) in C: line feeds (and
    how many came before each chunk, to find the line number of any offset with one read), the
    longest line, NULs, carriage returns and CR LF pairs, quotes, and the last blank line."""

    newlines: int = 0
    #: line feeds before each chunk of the file
    before_chunk: list[int] = field(default_factory=list)
    nul: bool = False
    returns: int = 0
    crlf: int = 0
    quoted: bool = False
    #: the 1-based number of the last blank line ("" or a lone CR, after a line feed), 0 if none
    last_blank: int = 0
    #: the line still open at the end of what was fed: its length and first two bytes
    run: int = 0
    _head: bytes = b""
    _longest: int = 0
    _last_return: bool = False

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.before_chunk.append(self.newlines)
        self.nul = self.nul or b"\0" in chunk
        self.quoted = self.quoted or b'"' in chunk
        if self._last_return and chunk[:1] == b"\n":  # a CR LF pair across two chunks
            self.crlf += 1
        if b"\r" in chunk:
            self.returns += chunk.count(b"\r")
            self.crlf += chunk.count(b"\r\n")
        self._last_return = chunk[-1:] == b"\r"
        lines = chunk.split(b"\n")  # in C: a Python loop over a million lines took a quarter second
        if len(lines) == 1:
            self._head = (self._head + chunk)[:2] if self.run < 2 else self._head
            self.run += len(chunk)
            return
        # the line the first piece ends (blank when it is all "" or "\r"; never the file's first line)
        first = self.run + len(lines[0])
        if self.newlines and (first == 0 or first == 1 and (self._head + lines[0]) == b"\r"):
            self.last_blank = self.newlines + 1
        inner = lines[1:-1]
        for blank in (b"", b"\r"):
            if blank in inner:
                self.last_blank = max(self.last_blank, self.newlines + len(inner) + 1 - inner[::-1].index(blank))
        self._longest = max(self._longest, first, max(map(len, inner), default=0))
        self.newlines += len(lines) - 1
        self.run, self._head = len(lines[-1]), lines[-1][:2]

    @property
    def longest(self) -> int:
        """The longest physical line in bytes (line feed excluded), the open last one included."""
        return max(self._longest, self.run)

    @property
    def ends_open(self) -> bool:
        """The last line has no line feed after it."""
        return self.run > 0


class _Validator:
    """Is a stream of chunks valid in one encoding (textcodec.decodes, chunk by chunk)?"""

    def __init__(self, encoding: str):
        self._decoder = codecs.getincrementaldecoder(encoding)()
        self._ascii_fast = encoding == "utf-8"
        self._valid = True

    def feed(self, chunk: bytes) -> None:
        if not self._valid:
            return
        if self._ascii_fast and chunk.isascii() and not self._decoder.getstate()[0]:
            return  # nothing pending and nothing but ASCII: valid UTF-8 as it is
        try:
            self._decoder.decode(chunk, final=False)
        except UnicodeDecodeError:
            self._valid = False

    def valid(self) -> bool:
        if self._valid:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self._valid = False
        return self._valid


class _Counted(io.RawIOBase):
    """The file's bytes, telling `progress` how far the readers are."""

    def __init__(self, local: LocalFile):
        self._file = open(local.path, "rb", buffering=0)  # noqa: SIM115 - closed with the stream
        self._local = local
        self._done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self._file.readinto(buffer)
        if count:
            self._done += count
            local = self._local
            local.delivered = self._done
            if local.progress is not None:  # both parts of a split scan (this one reads a little past its end)
                also = local.also_read
                local.progress(min(local.size, self._done + (also() if also is not None else 0)), local.size)
        return count

    def close(self) -> None:
        self._file.close()
        super().close()



def human_bytes(count: float) -> str:
    """1.2 GB, 512 MB, 40 KB: decimal units, as file sizes are shown."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if count >= size:
            return f"{count / size:.1f} {unit}" if count < 10 * size else f"{count / size:,.0f} {unit}"
    return f"{count:.0f} B"
