"""Both cores on one large local CSV: the second half of the file's rows scanned in a forked process.

A large local delimited file (pipeline.scan_stream) is scanned on its table fast path (analyze.py)
by this process up to a line boundary near the middle, while a forked child scans the rest with
the same column plan, decided once from the header and first rows before the fork. The child
sends back what it counted, and it is merged as if this process had gone on reading:

* per type (findings.TypeAccumulator.merge): repeats, confidence, the union of distinct values
  (exact up to the cap, else the bottom-k keyed sketch of the union: the same k values), the first
  samples in row order, the places (row ranges added in order: the same ranges);
* people (people.PeopleLog): the child's calls to the people counter, hashed and written to a
  temporary file, replayed in order after this process's own (the counter's caps depend on
  everything before them);
* cells and rows, the part's types and people.

Only when that is exactly the serial answer: a file whose physical lines are its rows (no quote,
or every quoted field closed in its line: the split then falls between rows), no carriage return but before a line feed, no NUL, no blank line after the
header (so no second table starts further down), in an encoding a line feed cannot be part of
another character in; a table with no birth-date column (its day/month order is settled by the
rows before) and no free-text column; no row or cell bound (the command line's local files).
A file with quotes is confirmed by the child, not before the fork: it first reads the whole file
with the csv module (are its lines its rows?) while this process scans, and says so through a
pipe; this process waits for that word before it reads past the split (`LocalFile.at_stop`), and
on a no (or a child that died first) reads on by itself, exactly as with no child at all.
If the child fails in any way, this process scans the rest itself, in order, as it would have.
The differential test (tests/differential) compares every report with the engine before.

Memory: the child is a fork (its pages shared until written); it holds at most its own
accumulators (bounded as this process's are); the people log is on disk (8 bytes a key).
"""

from __future__ import annotations

import csv
import io
import mmap
import os
import pickle
import signal
import struct
import sys
import tempfile
from itertools import chain, islice

from bot.scan.people import PeopleLog
from bot.scan.readers.delimited import csv_blocks
from bot.scan.readers.textcodec import CHUNK
from bot.scan.scan_state import ScanState
from bot.scan.severity import PartProfile

#: the second process is worth its start and merge from this size on
MIN_BYTES = 2 << 20
#: bytes the reader of the first part may still read ahead of the split point
READ_MARGIN = CHUNK
#: the share of the file this process scans when the child first reads the whole file with the
#: csv module (about a tenth of a scan's work) to confirm its lines are its rows
CONFIRMING_SHARE = 0.52
#: the child's bytes read, in the shared memory
_READ = struct.Struct("<q")
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")


def start(table, scanner, first_rows: int, chunk_rows: int):
    """Fork the child that scans the table's rows after a split point; None when the file does
    not allow an exact split (or fork is not there). Call after the first chunk (`first_rows`
    rows), before reading further: the split falls between two chunks of `chunk_rows` rows, as
    this process would have cut them (people are counted a chunk at a time)."""
    if table.source is None or table.header_row is None or scanner.dob_columns or scanner.text_columns:
        return None
    local, ctx, delimiter = table.source
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or local.size < MIN_BYTES \
            or local.encoding not in _ENCODINGS or local.stop_at is not None \
            or ctx.limits.max_rows != sys.maxsize or ctx.limits.max_cells != sys.maxsize:
        return None
    found = _split_point(local, table.header_row, delimiter)
    if found is None:
        return None
    found = _chunk_boundary(local, *found, table.header_row, first_rows, chunk_rows)
    if found is None:
        return None
    split, lines_before = found
    confirming = local.lines.quoted
    local.stop_at = split  # this process's reader ends there
    read_end, write_end = os.pipe()
    verdict_read, verdict_write = os.pipe() if confirming else (None, None)
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _Child.finish
    # shared with the child: [0] this process remembers no more people; [8:16] the child's bytes read
    settled = mmap.mmap(-1, 16)
    try:
        pid = os.fork()
    except OSError:
        for fd in (read_end, write_end, verdict_read, verdict_write):
            if fd is not None:
                os.close(fd)
        log.close()
        local.stop_at = None
        return None
    if pid == 0:  # the child: scan the rest, send the counts, never return into the caller
        status = 1
        try:
            os.close(read_end)
            if confirming:  # the file has quotes: are its lines its rows? this process says first
                os.close(verdict_read)
                lines = _lines_are_rows(local, delimiter, local.lines.newlines + local.lines.ends_open)
                os.write(verdict_write, b"\1" if lines else b"\0")
                os.close(verdict_write)
                if not lines:
                    os._exit(1)
            people = PeopleLog(log, settled=lambda: settled[0] == 1)
            result = _scan_rest(scanner, local, delimiter, split, lines_before, chunk_rows, people=people,
                                tell=lambda done: _READ.pack_into(settled, 8, done))
            log.flush()
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001, S110 - any failure: the parent scans the rest itself
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    child = _Child(pid, read_end, split, lines_before, local, delimiter, log, settled)
    local.also_read = lambda: _READ.unpack_from(settled, 8)[0]  # the progress bar counts both parts
    if confirming:
        os.close(verdict_write)
        child.verdict = verdict_read
        local.at_stop = child.confirm  # before this process reads past the split
    return child


class _Child:
    def __init__(self, pid: int, pipe: int, split: int, lines_before: int, local, delimiter: str, log, settled):
        self.pid, self.pipe, self.split, self.lines_before = pid, pipe, split, lines_before
        self.local, self.delimiter, self.log, self.settled = local, delimiter, log, settled

    #: the pipe the child says on whether the file's lines are its rows (None: nothing to say)
    verdict: int | None = None
    #: the child said no (or died first): this process reads the whole file itself
    refused = False

    def watch(self, people) -> None:
        """After each chunk here: tell the child once this counter remembers no more people, and
        the progress bar how far both parts are."""
        if self.refused or self.pid is None:
            return
        if not self.settled[0] and not people.remembers_more():
            self.settled[0] = 1
        local = self.local
        if local.progress is not None and local.also_read is not None:
            local.progress(local.delivered + local.also_read(), local.size)

    def confirm(self) -> None:
        """Before this process reads past the split: wait for the child's word that the file's
        lines are its rows; on anything else end it and read on (`local.stop_at` cleared)."""
        answer = os.read(self.verdict, 1)
        os.close(self.verdict)
        self.verdict = None
        if answer != b"\1":
            self.refused = True
            self.abandon()
            self.local.stop_at = None

    def abandon(self) -> None:
        """The scan stopped before finish() (an error, the deadline), or the child refused: it is ended."""
        self.local.at_stop = None
        if self.verdict is not None:
            os.close(self.verdict)
            self.verdict = None
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        self.pid = None
        os.close(self.pipe)
        self.log.close()
        self.local.also_read = None
        self.settled.close()

    def finish(self, scanner, ctx, chunk_rows: int) -> None:
        """After this process's rows: merge the child's counts, or scan the rest here (nothing
        when the child refused: this process has read the whole file)."""
        if self.refused:
            return
        if self.verdict is not None:  # the file ended here before the split (it cannot; to be sure)
            self.confirm()
            if self.refused:
                return
        with os.fdopen(self.pipe, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        result = None
        if status == 0 and data:
            try:
                result = pickle.loads(data)  # noqa: S301 - our own child's counts, through our own pipe
            except Exception:  # noqa: BLE001 - a broken answer: scan the rest here
                result = None
        try:
            self.local.also_read = None
            if result is None:
                self.local.stop_at = None
                local = self.local
                told = (lambda done: local.progress(self.split + done, local.size)) if local.progress else None
                result = _scan_rest(scanner, local, self.delimiter, self.split, self.lines_before, chunk_rows,
                                    tell=told)
            else:
                _merge(scanner, result)
                PeopleLog.replay(self.log, scanner.state.people)
        finally:
            self.log.close()
            self.settled.close()
        ctx.add("rows", result["rows"])
        ctx.add("cells", result["row_cells"])
        if self.local.progress is not None:
            self.local.progress(self.local.size, self.local.size)


def _split_point(local, header_row: int, delimiter: str) -> tuple[int, int] | None:
    """(byte offset of the first line of the second part, lines before it), or None when the
    file holds a NUL, a carriage return not before a line feed, a blank line after the header
    row, or a quoted field that is not closed in its line (the survey's LineFacts tell, but
    the last, which needs the csv module: the child confirms it, `_Child.confirm`)."""
    facts = local.lines
    if facts is None or facts.nul or facts.returns != facts.crlf or facts.last_blank > header_row:
        return None
    # a child that must first confirm the file's lines are its rows (a csv pass over the whole
    # file) takes a smaller share of the rows
    share = CONFIRMING_SHARE if facts.quoted else 0.5
    middle = max(int(local.size * share), local.delivered + READ_MARGIN)
    if middle >= local.size - MIN_BYTES // 2:
        return None
    split = None
    with open(local.path, "rb") as handle:
        index = middle // CHUNK
        handle.seek(index * CHUNK)
        while split is None and (chunk := handle.read(CHUNK)):
            at = chunk.find(b"\n", max(0, middle - index * CHUNK))
            if at != -1:
                split = index * CHUNK + at + 1
                lines_before = facts.before_chunk[index] + chunk.count(b"\n", 0, at + 1)
            index += 1
    if split is None or split >= local.size:
        return None
    return split, lines_before


def _lines_are_rows(local, delimiter: str, lines: int) -> bool:
    """Every physical line of a file with quotes is one row (no quoted field holds a line
    break): the csv module itself, as the readers call it, reads as many rows as there are lines."""
    encoding = "utf-8" if local.encoding == "utf-8-sig" else local.encoding
    with open(local.path, "rb") as raw:
        stream = io.TextIOWrapper(io.BufferedReader(raw, CHUNK), encoding=encoding, errors="replace", newline="")
        try:
            rows = sum(1 for _ in csv.reader(stream, delimiter=delimiter))
        except csv.Error:
            return False
    return rows == lines


def _chunk_boundary(local, split: int, lines_before: int, header_row: int, first_rows: int,
                    chunk_rows: int) -> tuple[int, int] | None:
    """The first line at or after `split` that starts a chunk: every line after the header row is
    one row (no quote, no blank line), the first chunk has `first_rows` rows, the others
    `chunk_rows`."""
    rows = lines_before - header_row
    if rows < first_rows:
        return None
    wanted = (-(rows - first_rows)) % chunk_rows  # more lines to pass to reach a boundary
    with open(local.path, "rb") as handle:
        handle.seek(split)
        while wanted:
            chunk = handle.read(CHUNK)
            if not chunk:
                return None
            found = chunk.count(b"\n")
            if found < wanted:
                wanted -= found
                lines_before += found
                split += len(chunk)
                continue
            at = -1
            for _ in range(wanted):
                at = chunk.find(b"\n", at + 1)
            split += at + 1
            lines_before += wanted
            wanted = 0
    return (split, lines_before) if split < local.size else None


def _rows(local, delimiter: str, split: int, lines_before: int, opened: list | None = None):
    """(line number, cells) of the file's rows from `split` on, as csv_rows numbers them (read a
    block at a time: delimited.csv_blocks; a csv.Error is raised as it is). `opened` is given the
    file, to tell how far it was read."""
    raw = open(local.path, "rb")  # noqa: SIM115 - closed with the text stream
    raw.seek(split)
    if opened is not None:
        opened.append(raw)
    encoding = "utf-8" if local.encoding == "utf-8-sig" else local.encoding
    stream = io.TextIOWrapper(io.BufferedReader(raw, CHUNK), encoding=encoding, errors="replace", newline="")

    def blocks():
        with stream:
            yield from csv_blocks(stream, delimiter, lambda error: error, first_line=lines_before)

    return chain.from_iterable(blocks())


def _scan_rest(scanner, local, delimiter: str, split: int, lines_before: int, chunk_rows: int,
               people: PeopleLog | None = None, tell=None) -> dict:
    """Scan the rows from `split` on: with a fresh state to send back, people counted into
    `people` (the child), or with the scanner's own state, in order (no `people`: the child
    failed). `tell(bytes)` hears how far past the split the reading is, after each chunk."""
    here = people is None
    parent_state = scanner.state
    if not here:
        scanner.state = ScanState(key=parent_state.key, deadline=parent_state.deadline)
        scanner.state.fingerprinter = parent_state.fingerprinter
        scanner.state.people = people
        scanner.state.keep_firsts = True
        scanner.profile = PartProfile(where=scanner.profile.where)
        scanner.people_in_table = 0
    opened: list = []
    rows = _rows(local, delimiter, split, lines_before, opened)
    count = cells = 0
    while chunk := list(islice(rows, chunk_rows)):
        count += len(chunk)
        cells += sum(len(cells_) for _, cells_ in chunk)
        scanner.chunk(chunk)
        scanner.state.deadline.check("Scanning the file")
        if tell is not None and not opened[0].closed:
            tell(opened[0].tell() - split)
    result = {"rows": count, "row_cells": cells}
    if here:
        return result
    state = scanner.state
    result.update(cells=state.cells, types=list(scanner.profile.types),
                  people_in_table=scanner.people_in_table,
                  accumulators={name: acc.export() for name, acc in state.accumulators.items()})
    return result


def _merge(scanner, result: dict) -> None:
    state = scanner.state
    labels = {active.plan.index: active.label for active in scanner.values + scanner.name_parts}
    for name, exported in result["accumulators"].items():
        state.accumulator(name).merge(exported, labels)
    state.cells += result["cells"]
    scanner.profile.types.update(result["types"])
    scanner.people_in_table += result["people_in_table"]
