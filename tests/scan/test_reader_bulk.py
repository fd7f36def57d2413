"""Delimited rows read a block at a time are the rows read one at a time.

`delimited.csv_blocks`, `tables.segment_blocks` and `base.counted_blocks` hand rows over in
lists (bulk-numbered when every row is one physical line). Generated CSVs (random quoted fields
with line breaks, commas and doubled quotes, blank lines, second tables and repeated headers
below a gap, ragged rows, CRLF and lone CR, BOM, cp1252, UTF-16, fields over the field limit,
an unclosed quote) are read and compared with expectations made apart from that code:

* the `(first physical line, cells)` sequence and the csv error of a bare `csv.reader` over the
  decoded text (line_num before and after each row);
* the tables, rows, counters and errors of the reader as it was before blocks: the same
  `_parts`, one row at a time through `tables.segments` and `base.counted_rows` (which the other
  readers still use), with the limits and deadline tripping at the same rows.

Block sizes are made small so that few hundred rows cross many block boundaries.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
import sys
from itertools import chain, islice

import pytest

from bot.errors import LeakwatchError
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.localfile import LocalFile
from bot.scan.model import Table
from bot.scan.readers import delimited, read_document, read_local_document
from bot.scan.readers.base import counted_rows
from bot.scan.readers.delimited import csv_blocks, csv_rows
from bot.scan.readers.tables import segment_blocks, segments
from tests.scan.readers import fp

LABELS = ["Name", "Case Number", "City", "Booked", "Notes", "Phone", "Country"]
WORDS = ["Testperson", "Springfield", "Shelbyville", "Ogdenville", "ok", "call back", "n/a", "Zoë", "café",
         "naïve", "€ 12", "Ærø"]


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cell(rng: random.Random, index: int) -> str:
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(WORDS)
    if roll < 0.4:
        return f"A{rng.randrange(10**8, 10**9):09d}"
    if roll < 0.5:
        return str(index)
    if roll < 0.58:
        return ""
    if roll < 0.68:
        return _quoted(f"{rng.choice(WORDS)}, {rng.choice(WORDS)}")
    if roll < 0.74:
        return _quoted(f'said "{rng.choice(WORDS)}" twice')
    if roll < 0.82:  # a quoted line break (LF, CRLF or a lone CR, one or two)
        breaks = rng.choice(["\n", "\r\n", "\n\n", "\r\n\r\n", "\r", "\n\r", "\r\r\n"])
        return _quoted(f"{rng.choice(WORDS)}{breaks}{rng.choice(WORDS)}")
    return f"{rng.choice(WORDS)} {index % 97}"


def make_csv(seed: int, rows: int = 300, *, field_limit: int | None = None) -> tuple[str, dict]:
    """A CSV's text, written by hand (not by the csv module), and how it was made."""
    rng = random.Random(seed)
    eol = rng.choice(["\n", "\r\n", "\n", "\r"])
    width = rng.randint(3, 6)
    header = rng.sample(LABELS, width)
    out: list[str] = []
    if rng.random() < 0.4:
        out += ["Detention report, synthetic" + "," * rng.randint(0, 3), ""]
    out.append(",".join(header))
    for index in range(rows):
        roll = rng.random()
        if roll < 0.03:
            out += [""] * rng.randint(1, 3)
        elif roll < 0.04:  # a second table under its own header
            out += ["", ",".join(rng.sample(LABELS, width))]
            for _ in range(rng.randint(0, 4)):
                out.append(",".join([rng.choice(WORDS), str(rng.randrange(1000)), f"A{rng.randrange(10**9):09d}"]))
        elif roll < 0.05:  # the same header again after a page break
            out += ["", ",".join(header)]
        elif roll < 0.06:
            out.append(rng.choice([" ", ",", ",,,", '""']))
        cells = [_cell(rng, index) for _ in range(max(1, width + rng.choice([0, 0, 0, -1, 1, 3])))]
        out.append(",".join(cells))
    if field_limit is not None and rng.random() < 0.7:
        at = rng.randrange(len(out))
        out.insert(at, f"{rng.choice(WORDS)},{_quoted('q' * (field_limit + rng.randint(1, 50)))}")
    text = eol.join(out) + rng.choice([eol, eol, ""])
    if rng.random() < 0.1:
        text += f'{rng.choice(WORDS)},"never closed{eol}still open'
    encoding = rng.choice(["utf-8", "utf-8", "utf-8-sig", "cp1252", "utf-16"])
    return text, {"encoding": encoding}


def encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding)


def bare_rows(text: str, field_limit: int) -> tuple[list, str | None]:
    """(first physical line, cells) of every non-empty row by a bare csv.reader, and the csv
    error's message that ended it (None)."""
    previous = csv.field_size_limit(field_limit)
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        rows: list = []
        before = 0
        try:
            for cells in reader:
                if cells:
                    rows.append((before + 1, cells))
                before = reader.line_num
        except csv.Error as error:
            return rows, str(error)
        return rows, None
    finally:
        csv.field_size_limit(previous)


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few rows and lists of a few lines: every shape meets a block boundary."""
    monkeypatch.setattr(delimited, "BLOCK_ROWS", 7)
    monkeypatch.setattr(delimited, "LINE_BLOCK_CHARS", 40)


@pytest.fixture(autouse=True)
def field_limit_restored():
    previous = csv.field_size_limit()
    yield
    csv.field_size_limit(previous)


# --- csv_blocks against a bare csv.reader -----------------------------------------------------------


@pytest.mark.parametrize("blocks", ["small", "default"])
@pytest.mark.parametrize("seed", range(40))
def test_csv_blocks_are_the_bare_readers_rows(seed, blocks, request):
    if blocks == "small":
        request.getfixturevalue("small_blocks")
    limit = 300
    text, made = make_csv(seed, field_limit=limit)
    expected, expected_error = bare_rows(text, limit)
    csv.field_size_limit(limit)
    stream = io.TextIOWrapper(io.BytesIO(encode(text, made["encoding"])), encoding=made["encoding"],
                              errors="replace", newline="")
    got: list = []
    errors: list[csv.Error] = []

    def on_error(error):
        errors.append(error)
        return LookupError("ended")

    blocks_seen = csv_blocks(stream, ",", on_error, first_line=0)
    try:
        for block in blocks_seen:
            assert block, "an empty block"
            got += block
    except LookupError:
        pass
    assert [number for number, _ in got] == [number for number, _ in expected]
    assert [fp(cells) for _, cells in got] == [fp(cells) for _, cells in expected]
    assert [str(error) for error in errors] == ([expected_error] if expected_error else [])


def test_csv_blocks_counts_lines_from_first_line():
    text = 'a,b\nc,"d\ne"\n\nf,g\n'
    got = list(chain.from_iterable(csv_blocks(io.StringIO(text, newline=""), ",", lambda e: e, first_line=100)))
    assert got == [(101, ["a", "b"]), (102, ["c", "d\ne"]), (105, ["f", "g"])]


def test_plain_rows_come_in_whole_blocks(monkeypatch):
    """One physical line per row: each block holds BLOCK_ROWS rows, numbered in bulk (the speed)."""
    monkeypatch.setattr(delimited, "BLOCK_ROWS", 100)
    text = "".join(f"Testperson {index},A{index:09d}\n" for index in range(1050))
    sizes = [len(block) for block in csv_blocks(io.StringIO(text, newline=""), ",", lambda e: e)]
    assert sizes == [100] * 10 + [50]
    # a quoted line break in one block: the blocks are the same size, numbered in bulk all the same
    lines = text.splitlines(keepends=True)
    lines[150] = 'Testperson,"two\nlines"\n'
    blocks = list(csv_blocks(io.StringIO("".join(lines), newline=""), ",", lambda e: e))
    assert [len(block) for block in blocks] == [100] * 10 + [50]
    numbers = [number for number, _ in chain.from_iterable(blocks)]
    assert numbers == list(range(1, 152)) + list(range(153, 1052))


# --- the whole reader against the reader as it was (one row at a time) -------------------------------


def _per_row_parts(open_stream, ctx, delimiter, source=None):
    """delimited._parts before blocks: csv_rows -> segments -> counted_rows, a row at a time."""
    csv.field_size_limit(ctx.limits.max_csv_field_bytes)
    reader = csv.reader(open_stream(), delimiter=delimiter)
    base = ctx.name if ctx.name and not ctx.container else ""
    for number, segment in enumerate(segments(csv_rows(reader, ctx)), start=1):
        name = f"table {number}" if not base else base if number == 1 else f"{base} table {number}"
        yield Table(style="table", name=name, header=segment.header, header_row=segment.header_row,
                    rows=counted_rows(segment.rows, ctx), title=segment.title, container=ctx.container,
                    source=source if number == 1 else None)


class _CountedDeadline(Deadline):
    """A deadline that runs out at its n-th check (the same check in both ways of reading)."""

    def __init__(self, checks: int | None):
        super().__init__(600)
        self.left = checks

    def check(self, what: str = "Reading the file") -> None:
        if self.left is not None:
            self.left -= 1
            if self.left < 0:
                self.expires = 0
        super().check(what)


def _read(data: bytes, path, way: str, limits: ReadLimits, checks: int | None, pull: str) -> dict:
    """Everything a consumer sees: tables, rows (pulled one by one or in islice chunks), the
    error's type and sentence, the counters."""
    deadline = _CountedDeadline(checks)
    tables: list = []
    outcome = {"tables": tables, "error": None}
    try:
        if way == "bytes":
            document = read_document(data, name="people.csv", limits=limits, deadline=deadline, kind="csv")
        else:
            local = LocalFile.open(str(path), len(data))
            local.survey()
            document = read_local_document(local, name="people.csv", limits=limits, deadline=deadline, kind="csv")
        outcome["counters"] = document.counters
        for table in document.parts:
            rows: list = []
            tables.append(((table.name, table.header, table.header_row, table.title, table.style), rows))
            source = iter(table.rows)
            if pull == "one":
                for number, cells in source:
                    rows.append((number, fp(cells)))
            else:
                while True:
                    chunk = list(islice(source, 5))  # a chunk cut short by an error is lost, as in analyze.py
                    if not chunk:
                        break
                    rows += [(number, fp(cells)) for number, cells in chunk]
    except LeakwatchError as error:
        outcome["error"] = (type(error).__name__, str(error))
    return outcome


CASES = [(seed, limits, checks)
         for seed in range(24)
         for limits, checks in [({}, None), ({"max_rows": 40 + seed * 7}, None), ({"max_cells": 150 + seed * 13}, None),
                                ({}, seed % 3)]]


@pytest.mark.parametrize("pull", ["one", "chunks"])
@pytest.mark.parametrize("way", ["bytes", "local"])
@pytest.mark.parametrize(("seed", "bounds", "checks"), CASES)
def test_tables_rows_counts_and_errors_are_the_row_at_a_time_readers(seed, bounds, checks, way, pull, tmp_path,
                                                                     monkeypatch, small_blocks):
    monkeypatch.setattr("bot.scan.readers.base.CHECK_EVERY", 16)
    field_limit = 400
    text, made = make_csv(seed, rows=250, field_limit=field_limit)
    data = encode(text, made["encoding"])
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    unbounded = {"max_rows": sys.maxsize, "max_cells": sys.maxsize} if way == "local" else {}
    limits = ReadLimits(**{**unbounded, **bounds}, max_csv_field_bytes=field_limit, max_text_line_chars=field_limit)
    got = _read(data, path, way, limits, checks, pull)
    monkeypatch.setattr(delimited, "_parts", _per_row_parts)
    expected = _read(data, path, way, limits, checks, pull)
    assert got["error"] == expected["error"]
    assert [table for table, _ in got["tables"]] == [table for table, _ in expected["tables"]]
    assert [rows for _, rows in got["tables"]] == [rows for _, rows in expected["tables"]]
    assert got.get("counters") == expected.get("counters")
    if bounds or checks is not None:
        return
    # and the rows are the bare reader's, less the headers and titles the tables took
    bare, bare_error = bare_rows(codecs.decode(data, made["encoding"]) if made["encoding"] != "utf-8-sig"
                                 else data[3:].decode("utf-8"), field_limit)
    numbers = [number for _, rows in got["tables"] for number, _ in rows]
    assert set(numbers) <= {number for number, _ in bare}
    assert (got["error"] is None) == (bare_error is None)


# --- segment_blocks against segments -------------------------------------------------------------------


def _numbered_rows(rng: random.Random, count: int) -> list:
    header = rng.sample(LABELS, 3)
    rows, number = [(1, header)], 1
    for index in range(count):
        number += 1 if rng.random() > 0.06 else rng.randint(2, 4)
        roll = rng.random()
        if roll < 0.04:
            rows.append((number, rng.sample(LABELS, 3)))  # a header after a gap, or a row of labels
        elif roll < 0.06:
            rows.append((number, list(header)))
        else:
            rows.append((number, [rng.choice(WORDS), str(index), f"A{index:09d}"]))
    return rows


def _cut(rng: random.Random, rows: list) -> list[list]:
    blocks, at = [], 0
    while at < len(rows):
        size = rng.choice([1, 2, 3, 5, 8, 13, 40])
        blocks.append(rows[at:at + size])
        at += size
    return blocks


def _collect(tables, rng: random.Random, stop_early: bool) -> list:
    seen = []
    for segment in tables:
        rows = iter(segment.rows)
        taken = list(islice(rows, rng.randint(0, 30))) if stop_early else list(rows)
        seen.append((segment.title, segment.header, segment.header_row, taken))
    return seen


@pytest.mark.parametrize("stop_early", [False, True])
@pytest.mark.parametrize("seed", range(60))
def test_segment_blocks_are_segments(seed, stop_early):
    rng = random.Random(seed)
    rows = _numbered_rows(rng, rng.randint(0, 200))
    blocks = _cut(rng, rows)
    expected = _collect(segments(iter(rows)), random.Random(seed), stop_early)
    got = _collect(segment_blocks(iter(blocks)), random.Random(seed), stop_early)
    assert got == expected

