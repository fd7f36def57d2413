"""Quoted line breaks at full speed: a file whose rows span lines is split over two processes at a
row boundary this process proves, with exactly the one-process answer (bot/scan/split_scan.py,
bot/scan/readers/table_cut.py), and its rows are numbered in bulk (readers/delimited.py).

The files are made here, apart from the code: a contact export whose `remarks` column holds
quoted notes with line breaks (LF, CR LF, blank lines inside), placed in the first rows, around
the middle where the split falls, in the last row; a CR LF file; quotes that never close; a
second table further down. Each is scanned whole in memory (one process, the reference) and as
a local file (streamed, split), and the canonical reports must be equal in every field.
"""

from __future__ import annotations

import io
import random
import struct
from itertools import chain

import pytest

from bot.scan import split_scan
from bot.scan.readers import delimited
from bot.scan.readers.delimited import csv_blocks
from bot.scan.readers.table_cut import Cut
from bot.scan.readers.tables import segment_blocks
from tests.differential import differences
from tests.scan.test_split_scan import scan_both

HEADER = "record_id,full_name,contact_email,mobile,ssn,remarks,ref"
GIVEN = ("Ngozi", "Tomasz", "Ximena", "Kaito", "Leilani", "Rustam", "Ingrid", "Thabo", "Yusra")
FAMILY = ("Adeyemi", "Wojcik", "Huaman", "Sato", "Kealoha", "Nazarov", "Solberg", "Dlamini", "Rahimi")
NOTES = ('"rang twice\nno answer"', '"moved\n\nnew address pending"', '"left msg\r\ncall back Tue"', "ok",
         "pending", '"said ""later""\nagain"')


def contact_export(path, rows: int = 42_000, *, breaks=lambda index: index % 3 == 0, newline: str = "\n",
                   extra: dict | None = None):
    """A CSV of `rows` people; row `index` has a quoted note with line breaks when `breaks(index)`;
    `extra` maps a row index to lines put before it (`rows`: after the last), a broken quote..."""
    rng = random.Random(41)
    out = [HEADER]
    for index in range(rows):
        for line in (extra or {}).get(index, ()):
            out.append(line)
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        note = rng.choice(NOTES[:3] + NOTES[5:]) if breaks(index) else rng.choice(NOTES[3:5])
        ssn = f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        phone = f"({rng.choice((212, 503, 617))}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"
        out.append(f"{index + 1},{given} {family},{given.lower()}.{family.lower()}{index}@post.example,"
                   f"{phone},{ssn},{note},{'k' * rng.randint(10, 40)}")
    out += (extra or {}).get(rows, ())
    path.write_bytes((newline.join(out) + newline).encode("utf-8"))
    return path


def read_on_here(monkeypatch) -> list[int]:
    """Each time this process scans the rows after the cut itself (the child failed)."""
    calls = []
    real = split_scan._scan_rest

    def recording(*args, people=None, **kwargs):
        if people is None:
            calls.append(1)
        return real(*args, people=people, **kwargs)

    monkeypatch.setattr(split_scan, "_scan_rest", recording)
    return calls


def assert_same(whole, local):
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


def split_at_a_found_cut(children) -> bool:
    child = children[-1] if children else None
    return child is not None and not child.refused and child.cut.stopped_here


@pytest.mark.parametrize("where", ["everywhere", "first rows", "around the middle", "last row"])
def test_rows_spanning_lines_are_split_at_a_true_row_boundary(tmp_path, monkeypatch, where):
    rows = 42_000
    middle = range(int(rows * split_scan.FINDING_SHARE) - 3000, int(rows * split_scan.FINDING_SHARE) + 3000)
    breaks = {"everywhere": lambda index: index % 3 == 0, "first rows": lambda index: index < 12,
              "around the middle": lambda index: index in middle and index % 4 != 1,
              "last row": lambda index: index == rows - 1}[where]
    path = contact_export(tmp_path / "contacts.csv", rows, breaks=breaks)
    if where == "last row":  # and no line break after it
        path.write_bytes(path.read_bytes()[:-1])
    whole, local, children = scan_both(path, monkeypatch)
    assert split_at_a_found_cut(children), "not split"
    assert_same(whole, local)
    kinds = {finding["type"]: finding for finding in local["findings"]}
    assert kinds["SSN"]["count"] > rows * 0.99 and local["people"] > rows // 2


def test_a_crlf_file_with_breaks_is_split_the_same(tmp_path, monkeypatch):
    path = contact_export(tmp_path / "contacts.csv", breaks=lambda index: index % 5 == 2, newline="\r\n")
    whole, local, children = scan_both(path, monkeypatch)
    assert split_at_a_found_cut(children)
    assert_same(whole, local)


@pytest.mark.parametrize("where", ["before the middle", "after the middle", "near the end"])
def test_a_quote_that_never_closes_gives_the_one_process_answer(tmp_path, monkeypatch, where):
    """No quote after it closes it: the rest of the file is one cell, past the field limit an
    error. Before the middle the child finds no cut (one process reads all); after it, the child
    meets it and fails, and this process reads on from the cut itself: the same answer."""
    rows = 42_000
    at = {"before the middle": rows // 4, "after the middle": rows * 3 // 4, "near the end": rows - 50}[where]
    path = contact_export(tmp_path / "contacts.csv", rows, breaks=lambda index: index < at and index % 3 == 0,
                          extra={at: ['0,Unclosed Quote,"never closed']})
    here = read_on_here(monkeypatch)
    whole, local, children = scan_both(path, monkeypatch)
    assert_same(whole, local)
    child = children[-1]
    assert child is not None and child.cut.stopped_here is (where != "before the middle")
    assert ("field longer than" in (local["error"] or "")) is (where != "near the end")
    assert bool(here) is (where == "after the middle")


def test_a_second_table_in_the_childs_part_is_read_here(tmp_path, monkeypatch):
    """A blank line and a new table under it at the end: the child's rows are not its table's
    alone; it fails, and this process reads the rest from the cut, second table included."""
    rows = 42_000
    second = ["", "unit,beds,ward", "North,12,A1", "South,14,B2", "East,9,C3"]
    path = contact_export(tmp_path / "contacts.csv", rows, extra={rows: second})
    here = read_on_here(monkeypatch)
    whole, local, children = scan_both(path, monkeypatch)
    assert children[-1] is not None and children[-1].cut.stopped_here and here
    assert_same(whole, local)


def test_a_wrong_word_from_the_child_is_refused(tmp_path, monkeypatch):
    """This process proves the cut with its own reader: a child proposing one row too many is told
    no, and the one-process answer comes out."""

    class OneRowOff(struct.Struct):
        def pack(self, line, rows, last):
            return super().pack(line, rows + 1, last)

    monkeypatch.setattr(split_scan, "_PROPOSAL", OneRowOff("<qqq"))
    path = contact_export(tmp_path / "contacts.csv")
    whole, local, children = scan_both(path, monkeypatch)
    assert children[-1] is not None and children[-1].refused and not children[-1].cut.stopped_here
    assert_same(whole, local)


# --- the cut itself, on rows in lists (no process): stopping and resuming changes nothing --------


def _numbered_rows(seed: int) -> tuple[list, int]:
    """Rows as csv_blocks numbers them: jumps (rows spanning lines, blank lines), some rows that
    repeat the header or start a table after a blank line."""
    rng = random.Random(seed)
    rows, number = [(1, ["name", "id", "note"])], 1
    gaps = rng.choice((0, 0.05, 0.3, 0.6))  # 0: every line one row, as a file with no quote
    for index in range(rng.randint(300, 900)):
        number += 1 + (rng.random() < gaps) * rng.randint(1, 3)
        cells = [f"Person {index}", f"A{index:09d}", rng.choice(("ok", "x y"))]
        if rng.random() < 0.01:
            cells = ["name", "id", "note"]  # a repeated header: dropped when a gap's window holds it
        if gaps and rng.random() < 0.003:
            number += 1
            rows.append((number, ["ward", "beds", "unit"]))  # a new table's header after a blank line
            number += 1
        rows.append((number, cells))
    return rows, rng.randint(2, rows[-1][0])


def gaps(rows: list) -> bool:
    return any(after[0] != before[0] + 1 for before, after in zip(rows, rows[1:], strict=False))


def _in_blocks(rows: list, size: int) -> list:
    return [rows[at:at + size] for at in range(0, len(rows), size)]


@pytest.mark.parametrize("seed", range(60))
def test_a_cut_found_confirmed_and_read_on_gives_the_same_rows(seed):
    rows, hold = _numbered_rows(seed)
    size = random.Random(seed).choice((1, 7, 64, 512))
    whole = list(chain.from_iterable(next(segment_blocks(iter(_in_blocks(rows, size)))).blocks))
    finder = Cut(hold, every=(20, 16))
    segment = next(segment_blocks(iter(_in_blocks(rows, size)), cut=finder))
    before = list(chain.from_iterable(segment.blocks))
    if not finder.stopped_here:
        assert before == whole  # no row at or past the hold line where a chunk starts
        return
    after = list(chain.from_iterable(finder.resume()))
    assert before + after == whole
    assert finder.rows == len(before) and (len(before) - 20) % 16 == 0 and after[0][0] == finder.line >= hold
    # the process reading the start proves the same cut; one row off is refused, and reads on
    for proposal, stops in (((finder.line, finder.rows, finder.last), True),
                            ((finder.line, finder.rows + 1, finder.last), False),
                            ((finder.line + 1, finder.rows, finder.last), False)):
        refused: list = []
        confirm = Cut(*proposal, refused=lambda refused=refused: refused.append(1))
        segment = next(segment_blocks(iter(_in_blocks(rows, size)), cut=confirm))
        got = list(chain.from_iterable(segment.blocks))
        assert confirm.stopped_here is stops and got == (before if stops else whole)
        assert not (stops and refused)  # (a wrong one is told no when a row past it is met)
    if gaps(rows):
        return
    # a file whose lines are its rows: the other process reads it again from the cut's line on,
    # the gap check told the row before the cut: the same rows after it
    on = Cut(finder.line, finder.rows, finder.last)
    on.header = finder.header
    rest = list(chain.from_iterable(on.read_on(iter(_in_blocks([row for row in rows if row[0] >= finder.line], size)))))
    assert rest == after


def test_rows_spanning_lines_are_numbered_in_bulk(monkeypatch):
    """A block whose rows span lines is numbered from the line breaks its cells hold, not read
    again row by row; the numbers are the csv module's own."""
    def never(*args):
        raise AssertionError("read again row by row")

    text = 'a,b\r\n1,"x\r\ny"\r\n2,"p\rq"\r\n3,"m\n\nn"\r\n\r\n4,z\r\n5,"\r"\r\n6,w'
    monkeypatch.setattr(delimited, "_numbered", never)
    got = list(chain.from_iterable(csv_blocks(io.StringIO(text, newline=""), ",", lambda error: error)))
    assert [number for number, _ in got] == [1, 2, 4, 6, 10, 11, 13]
    assert [cells[0] for _, cells in got] == ["a", "1", "2", "3", "4", "5", "6"]
