"""Both cores on one large local CSV: the rest of the file's first table scanned by a forked process.

A large local delimited file (pipeline.scan_stream) is scanned on its table fast path (analyze.py)
by this process up to a row near the middle (the cut), while a forked child scans the rows after
it with the same column plan, decided once from the header and first rows before the fork. The
child sends back what it counted, and it is merged as if this process had gone on reading:

* per type (findings.TypeAccumulator.merge): repeats, confidence, the union of distinct values
  (exact up to the cap, else the bottom-k keyed sketch of the union: the same k values), the first
  samples in row order, the places (row ranges added in order: the same ranges);
* people (people.PeopleLog): the child's calls to the people counter, hashed and written to a
  temporary file, replayed in order after this process's own (the counter's caps depend on
  everything before them);
* cells and rows, the part's types and people.

The cut (readers/table_cut.py) falls between two chunks of rows as this process cuts them
(people are counted a chunk at a time), before a row no gap check's window holds, and this
process proves it with its own reader: its rows stop there only when the row there is the one
proposed, after the proposed number of rows, the row before it numbered as proposed; otherwise
it reads on alone, exactly as with no child. The proposal comes one of two ways:

* a file whose physical lines are its rows (no quote, no blank line after the header): counted
  in lines before the fork; the child reads the file from that line's byte on;
* a file with quotes (a quoted field may hold line breaks, a row then spans lines) or blank lines:
  the child reads the file from its start through the same readers as this process
  (csv_blocks, segment_blocks), parsing only, to the first chunk boundary past the middle, says
  where it is through a pipe, and scans on from there. This process waits for that word when its
  own rows reach the middle (the child, parsing only, is there long before).

Only where that is exactly the serial answer: no NUL, no carriage return but before a line feed
(lines are counted in line feeds), an encoding a line feed cannot be part of another character
in; a table with no free-text column and no birth-date date waiting for its column's day/month
order at the fork (an order settled then is inherited by the child and never changes again; a
column not settled yet has met no numeric date, and the child fails if it meets one: the order the
parent's rows would give it is not known yet, dob_column.ForkedUnsettled); no row or cell bound (the command line's local files). A table that ends
before the file does (a second table starts after a gap) is the child's failure, and this process
then reads the rest itself from where its rows stopped (`Cut.resume`), as with no child at all;
so it does when the child fails in any other way. The differential test (tests/differential)
compares every report with the engine before.

Memory: the child is a fork (its pages shared until written); it holds at most its own
accumulators (bounded as this process's are); the people log is on disk (8 bytes a key).
"""

from __future__ import annotations

import io
import math
import mmap
import os
import pickle
import signal
import struct
import sys
import tempfile
from itertools import chain, islice
from operator import itemgetter

from bot.scan.people import PeopleLog
from bot.scan.readers.base import counted_blocks
from bot.scan.readers.delimited import csv_blocks
from bot.scan.readers.table_cut import Cut
from bot.scan.readers.tables import segment_blocks
from bot.scan.readers.textcodec import CHUNK
from bot.scan.scan_state import ScanState
from bot.scan.severity import PartProfile

#: the second process is worth its start and merge from this size on
MIN_BYTES = 2 << 20
#: bytes the reader of the first part may have read ahead of the rows it handed out
READ_MARGIN = CHUNK
#: the share of the file this process scans when the child first parses the start of the file to
#: find the cut (about a tenth of the work of scanning it)
FINDING_SHARE = 0.53
#: the child's bytes read, in the shared memory
_READ = struct.Struct("<q")
#: the cut the child found: the line of its first row, the rows before it, the number of the row before
_PROPOSAL = struct.Struct("<qqq")
_ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")


def start(table, scanner, first_rows: int, chunk_rows: int):
    """Fork the child that scans the table's rows after a cut; None when the file does not allow
    an exact split (or fork is not there). Call after the first chunk (`first_rows` rows), before
    reading further: the cut falls between two chunks of `chunk_rows` rows, as this process
    would have cut them."""
    if table.source is None or table.header_row is None or scanner.text_columns \
            or any(active.dob.pending for active in scanner.dob_columns):
        return None
    local, ctx, delimiter, cut = table.source
    facts = local.lines
    if (os.cpu_count() or 1) < 2 or not hasattr(os, "fork") or local.size < MIN_BYTES \
            or local.encoding not in _ENCODINGS or cut.armed or cut.header_row != table.header_row \
            or ctx.limits.max_rows != sys.maxsize or ctx.limits.max_cells != sys.maxsize \
            or facts is None or facts.nul or facts.returns != facts.crlf:
        return None
    lines_are_rows = not facts.quoted and facts.last_blank <= table.header_row
    found = _split_point(local, 0.5 if lines_are_rows else FINDING_SHARE)
    if found is not None and lines_are_rows:
        found = _chunk_boundary(local, *found, table.header_row, first_rows, chunk_rows)
    if found is None:
        return None
    split, lines_before = found
    if lines_are_rows:  # every line after the header is one row
        cut.line, cut.rows, cut.last = lines_before + 1, lines_before - table.header_row, lines_before
    else:  # the child finds it, this process asks for it when its rows get there
        cut.line = lines_before + 1
    fds: list[int] = []
    log = settled = None
    try:
        read_end, write_end = _pipe(fds)
        said, say = (None, None) if lines_are_rows else _pipe(fds)
        log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _Child.finish
        # shared with the child: [0] this process remembers no more people; [8:16] the child's bytes read
        settled = mmap.mmap(-1, 16)
        pid = os.fork()
    except OSError:  # no pipe, file or process to spare: one process reads it all
        for fd in fds:
            os.close(fd)
        for opened in (log, settled):
            if opened is not None:
                opened.close()
        cut.line = math.inf
        return None
    if pid == 0:  # the child: scan the rest, send the counts, never return into the caller
        status = 1
        try:
            os.close(read_end)
            if lines_are_rows:
                raw, rows, ours = _rows_from_cut(local, delimiter, split, lines_before, cut)
            else:
                os.close(said)
                raw, rows, ours = _find_cut(local, delimiter, cut, (first_rows, chunk_rows), say)
            people = PeopleLog(log, settled=lambda: settled[0] == 1)
            result = _scan_rest(scanner, rows, chunk_rows, people=people, tell=lambda: _READ.pack_into(
                settled, 8, max(0, (local.size if raw.closed else raw.tell()) - split)))
            if ours.cut_short:  # another table starts further down: not this table's rows alone
                os._exit(1)
            log.flush()
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(result, out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:  # noqa: BLE001, S110 - any failure: the parent scans the rest itself
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    child = _Child(pid, read_end, split, local, log, settled, cut)
    local.also_read = lambda: _READ.unpack_from(settled, 8)[0]  # the progress bar counts both parts
    cut.refused = child.refuse
    if not lines_are_rows:
        os.close(say)
        child.said = said
        cut.ask = child.proposal
    return child


def _pipe(fds: list[int]) -> tuple[int, int]:
    """A pipe, its two ends noted in `fds` (to close them if the fork does not happen)."""
    ends = os.pipe()
    fds.extend(ends)
    return ends


class _Child:
    def __init__(self, pid: int, pipe: int, split: int, local, log, settled, cut: Cut):
        #: the byte the child's part starts at (a file whose lines are its rows), or from which it
        #: looks for the cut (the child reports its bytes read from there)
        self.split = split
        self.pid, self.pipe, self.local, self.log, self.settled, self.cut = pid, pipe, local, log, settled, cut

    #: the pipe the child says where the cut is on (None: nothing to say)
    said: int | None = None
    #: this process gave the cut up (or the child did): it reads the whole table itself
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
            local.progress(min(local.size, local.delivered + local.also_read()), local.size)

    def proposal(self) -> tuple[int, int, int] | None:
        """The cut the child found (Cut.ask: this process's rows are there); None when it found none."""
        if self.said is None:  # ended already
            return None
        data = b""
        try:
            while len(data) < _PROPOSAL.size and (more := os.read(self.said, _PROPOSAL.size - len(data))):
                data += more
        except OSError:  # no word: this process reads on alone
            data = b""
        finally:
            os.close(self.said)
            self.said = None
        return _PROPOSAL.unpack(data) if len(data) == _PROPOSAL.size else None

    def refuse(self) -> None:
        """The cut is given up (Cut.refused): the child is ended, this process reads on alone."""
        self.refused = True
        self.abandon()

    def abandon(self) -> None:
        """The scan stopped before finish() (an error, the deadline), or the cut was given up: the
        child is ended."""
        if self.said is not None:
            os.close(self.said)
            self.said = None
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
        """After this process's rows: merge the child's counts, or scan the rest here from the
        cut (nothing when the cut was given up: this process has read the whole table)."""
        if self.refused:
            return
        if not self.cut.stopped_here:  # the table ended before the cut: all of it was read here
            self.refuse()
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
            if result is None:  # the rows from the cut on, read on by this process's own readers
                _scan_rest(scanner, chain.from_iterable(counted_blocks(self.cut.resume(), ctx)), chunk_rows)
            else:
                _merge(scanner, result)
                PeopleLog.replay(self.log, scanner.state.people)
                ctx.add("rows", result["rows"])
                ctx.add("cells", result["row_cells"])
        finally:
            self.log.close()
            self.settled.close()
        if self.local.progress is not None:
            self.local.progress(self.local.size, self.local.size)


def _split_point(local, share: float) -> tuple[int, int] | None:
    """(byte offset of the first line at or after `share` of the file, lines before it), or None
    when that is too near either end."""
    facts = local.lines
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


def _text(local, offset: int):
    """(the raw file, its text from `offset`, decoded as LocalFile.stream decodes it)."""
    raw = open(local.path, "rb")  # noqa: SIM115 - closed with the text stream
    raw.seek(offset)
    encoding = "utf-8" if local.encoding == "utf-8-sig" and offset else local.encoding
    return raw, io.TextIOWrapper(io.BufferedReader(raw, CHUNK), encoding=encoding, errors="replace", newline="")


def _rows_from_cut(local, delimiter: str, split: int, lines_before: int, cut: Cut):
    """The child, a file whose lines are its rows: (raw file, the table's rows from byte `split`
    on, numbered from `lines_before`, the gap check told the row before, the cut they follow)."""
    raw, text = _text(local, split)
    blocks = cut.read_on(csv_blocks(text, delimiter, lambda error: error, first_line=lines_before))
    return raw, chain.from_iterable(blocks), cut


def _find_cut(local, delimiter: str, cut: Cut, chunks: tuple[int, int], say: int):
    """The child, a file whose rows may span lines: parse from the start, as this process's readers
    do, to the first chunk boundary at or past `cut.line`, say where it is on `say` (nothing when
    there is none: the child then fails), and return (raw file, the table's rows from there on,
    the cut they follow)."""
    raw, text = _text(local, 0)
    finder = Cut(cut.line, every=chunks)
    segment = next(segment_blocks(csv_blocks(text, delimiter, lambda error: error), cut=finder), None)
    if segment is not None and segment.header_row == cut.header_row:
        for _ in segment.blocks:
            pass
    if not finder.stopped_here:
        raise LookupError("no cut")  # the child fails: this process reads on alone
    os.write(say, _PROPOSAL.pack(finder.line, finder.rows, finder.last))
    os.close(say)
    return raw, chain.from_iterable(finder.resume()), finder


def _scan_rest(scanner, rows, chunk_rows: int, people: PeopleLog | None = None, tell=None) -> dict:
    """Scan the table's rows after the cut: with a fresh state to send back, people counted into
    `people` (the child), or with the scanner's own state, in order (no `people`: the child
    failed). `tell()` is called after each chunk (how far the reading is)."""
    here = people is None
    parent_state = scanner.state
    if not here:
        scanner.state = ScanState(key=parent_state.key, deadline=parent_state.deadline)
        scanner.state.fingerprinter = parent_state.fingerprinter
        scanner.state.people = people
        scanner.state.keep_firsts = True
        scanner.profile = PartProfile(where=scanner.profile.where)
        scanner.people_in_table = 0
        for active in scanner.dob_columns:  # a numeric date the parent's rows may yet order: fail
            active.dob.forked = True
    count = cells = 0
    while chunk := list(islice(rows, chunk_rows)):
        count += len(chunk)
        cells += sum(map(len, map(itemgetter(1), chunk)))
        scanner.chunk(chunk)
        scanner.state.deadline.check("Scanning the file")
        if tell is not None:
            tell()
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
    labels = {active.plan.index: active.label
              for active in scanner.values + scanner.name_parts + scanner.dob_columns}
    for name, exported in result["accumulators"].items():
        state.accumulator(name).merge(exported, labels)
    state.cells += result["cells"]
    scanner.profile.types.update(result["types"])
    scanner.people_in_table += result["people_in_table"]
