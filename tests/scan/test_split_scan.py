"""A large local CSV scanned in two processes (bot/scan/split_scan.py) gives exactly the answer of
one process reading it whole: every count, sample, place, fingerprint and the people count.

The file is made so the merge has to get the hard cases right: a type whose first half holds two
distinct values (the third sample comes from the second half), a type scattered over many row
ranges (the place list hits its cap), a type missing from many rows, and more distinct values
than the exact cap over the whole file but not in the first half.
"""

from __future__ import annotations

import os
import random
from dataclasses import replace

import pytest

from bot.scan import split_scan
from bot.scan.pipeline import LocalBudget, scan_bytes, scan_target
from tests.differential import canonical, differences, settings

ROWS = 104_000


def _people_csv(path, rows: int = ROWS, *, quote: bool = False, blank_at: int | None = None, pad: int = 0,
                quoted_fields: bool = False):
    rng = random.Random(9157)
    given = ("Amara", "Bogdan", "Chiara", "Dmitri", "Esperanza", "Farid", "Guadalupe", "Hiroshi", "Ifeoma")
    family = ("Okafor", "Lindqvist", "Barros", "Haddad", "Kowalczyk", "Nakamura", "Quispe", "Zielinski")
    lines = ["id,first_name,last_name,email,ssn,phone,note"]
    for index in range(rows):
        email = f"shared{index % 2}@mailbox-provider.net" if index < 200 else \
            "" if index < rows * 3 // 4 else f"p{index}@mailbox-provider.net"
        ssn = f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}" \
            if index > rows // 4 and index % 5 or index % 37 == 0 else ""
        # a few hundred phones shared by many rows: rows without an SSN are known by them
        phone = f"({rng.choice((212, 305, 415))}) {rng.randint(200, 330)}-{rng.randint(1000, 1001)}" \
            if index < 300 or index > rows // 2 else ""
        note = rng.choice(("ok", "call back", "n/a")) + "x" * pad
        if quoted_fields:  # quoted cells with the delimiter, doubled and literal quotes inside
            note = rng.choice(('"ok, called"', '"said ""later"""', '5\'10"', '"x"tail', '""'))
            phone = f'"{phone}"' if index % 3 == 0 else phone
        lines.append(f"{index + 1},{rng.choice(given)},{rng.choice(family)}{index % 50},{email},{ssn},{phone},{note}")
        if blank_at == index:
            lines.append("")
    if quote:  # a quoted cell holding a line break
        lines[-1] += ',"two\nlines"'
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def scan_both(path, monkeypatch) -> tuple[dict, dict, list]:
    """(one process over the bytes, the local file, the children started: None where none was)."""
    forks = []
    start = split_scan.start

    def recording(*args, **kwargs):
        child = start(*args, **kwargs)
        forks.append(child)
        return child

    monkeypatch.setattr(split_scan, "start", recording)
    chosen = replace(settings(), timeout_seconds=600.0, max_bytes=1 << 40, max_memory_mb=0)
    whole = canonical(scan_bytes(path.read_bytes(), target=path.name, settings=chosen, name=path.name))
    forks.clear()  # the bytes in memory have no local source: never split
    local = canonical(scan_target(str(path), chosen, local=LocalBudget()))
    return whole, local, forks


def test_two_processes_give_the_one_process_answer(tmp_path, monkeypatch):
    path = _people_csv(tmp_path / "people.csv")
    assert path.stat().st_size > split_scan.MIN_BYTES
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks[-1], "the local file was not split"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    kinds = {f["type"]: f for f in local["findings"]}
    assert kinds["SSN"]["exact"] is False and len(kinds["EMAIL"]["samples"]) == 3
    assert kinds["PHONE"]["count"] > 0 and local["people"] > ROWS // 2


def test_people_met_again_by_a_shared_phone_count_once_across_the_split(tmp_path, monkeypatch):
    """Fewer, longer rows: the people counter remembers the phones beside SSNs in both halves."""
    path = _people_csv(tmp_path / "people.csv", rows=24_000, pad=200)
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks[-1], "the local file was not split"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


@pytest.mark.parametrize("blank_at", [None, ROWS // 3, ROWS - 10])
def test_quoted_cells_and_blank_lines_are_split_too(tmp_path, monkeypatch, blank_at):
    """Quotes (closed in their line: the child finds the cut by reading the file's start as this
    process reads it), a blank line before the cut or after it: the one-process answer."""
    path = _people_csv(tmp_path / "people.csv", rows=60_000, quoted_fields=blank_at is None, blank_at=blank_at)
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks[-1] and not forks[-1].refused and forks[-1].cut.stopped_here, "the local file was not split"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


def test_a_crlf_file_with_a_lone_carriage_return_is_read_by_one_process(tmp_path, monkeypatch):
    """Lines are counted in line feeds: a lone CR (a line of its own to the csv module) is not split."""
    path = _people_csv(tmp_path / "people.csv", rows=60_000, quote=True)
    path.write_bytes(path.read_bytes().replace(b"two\nlines", b"two\rlines"))
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks and not any(forks), "the split was not considered, or was made"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


def test_a_child_that_fails_is_replaced_by_scanning_here(tmp_path, monkeypatch):
    real = split_scan._scan_rest

    def failing_in_the_child(*args, people=None, **kwargs):
        if people is not None:
            raise MemoryError("the child died")
        return real(*args, **kwargs)

    monkeypatch.setattr(split_scan, "_scan_rest", failing_in_the_child)
    path = _people_csv(tmp_path / "people.csv", rows=40_000)
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks[-1]
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


def test_a_scan_stopped_midway_ends_its_child(tmp_path, monkeypatch):
    """The deadline passes while this process reads its half: the child is ended, not left behind."""
    from bot.scan import analyze

    children = []
    start = split_scan.start

    def recording(*args, **kwargs):
        child = start(*args, **kwargs)
        children.append(child.pid if child is not None else None)
        return child

    chunks = []

    def failing_chunk(self, rows, parsed=None):
        chunks.append(1)
        if len(chunks) > 3 and children and children[-1]:
            raise RuntimeError("stopped midway")
        return real_chunk(self, rows, parsed)

    real_chunk = analyze._TableScanner.chunk
    monkeypatch.setattr(split_scan, "start", recording)
    monkeypatch.setattr(analyze._TableScanner, "chunk", failing_chunk)
    path = _people_csv(tmp_path / "people.csv", rows=40_000)
    chosen = replace(settings(), timeout_seconds=600.0, max_bytes=1 << 40, max_memory_mb=0)
    with pytest.raises(RuntimeError):
        scan_target(str(path), chosen, local=LocalBudget())
    assert children and children[-1]
    with pytest.raises(ChildProcessError):
        os.waitpid(children[-1], os.WNOHANG)  # already reaped: nothing left running


def test_progress_counts_what_both_processes_read(tmp_path, monkeypatch):
    """The bar follows both halves: past the split point while this process still reads its own
    part, never backwards, never past the file, and whole at the end."""
    path = _people_csv(tmp_path / "people.csv")
    splits = []
    start = split_scan.start

    def recording(table, *args, **kwargs):
        child = start(table, *args, **kwargs)
        splits.append(child.split if child is not None else None)
        return child

    monkeypatch.setattr(split_scan, "start", recording)
    seen = []
    chosen = replace(settings(), timeout_seconds=600.0, max_bytes=1 << 40, max_memory_mb=0)
    scan_target(str(path), chosen, local=LocalBudget(progress=lambda done, total: seen.append((done, total))))
    size = path.stat().st_size
    assert splits and splits[-1], "the local file was not split"
    done = [value for value, total in seen if total == size]
    assert done == sorted(done) and done[-1] == size and max(done) <= size
    assert any(splits[-1] < value < size for value in done[:-1]), "only this process's part was counted"


@pytest.mark.parametrize("load", [0.0, 9.0], ids=["idle: parse-ahead tried too", "busy: no parse-ahead"])
def test_no_process_to_spare_means_one_process_reads_it_all(tmp_path, monkeypatch, load):
    """The fork fails (no memory or process left): no error, the one-process answer, no pipe of ours
    left open. On an idle machine the parse-ahead worker's fork fails too (parse_ahead.worth_it
    reads the load: set here, so the test does not depend on the machine's); multiprocessing's own
    popen_fork leaves the two pipes it made before a failed os.fork open (CPython's, not ours)."""
    def no_fork():
        raise OSError("no process to spare")

    path = _people_csv(tmp_path / "people.csv", rows=40_000, quoted_fields=True)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))
    opened = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(os, "fork", no_fork)
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks and not any(forks)
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    cpython_pipes = 4 if load == 0.0 else 0  # popen_fork's two pipes, 4 descriptors, of the failed worker start
    # (an earlier test's file may be closed meanwhile: at most)
    assert len(os.listdir("/proc/self/fd")) <= opened + cpython_pipes
