"""Birth-date columns at full speed: the chunk kernel (dob_column.py) answers exactly as reading
each value alone (read_date), and a large local CSV with a birth-date column is split over two
processes (split_scan.py) only when the column's day/month order is settled at the fork, with the
one-process answer either way.
"""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from bot.scan import dob_column, split_scan
from bot.scan.detectors.base import cell_text
from bot.scan.detectors.date_of_birth import (
    DateOrder,
    parse_in_context,
    parse_unambiguous,
    read_date,
    split_numeric,
)
from bot.scan.dob_column import DobColumn
from tests.differential import differences
from tests.scan.test_split_scan import scan_both

ROWS = 60_000


def _dob_text(rng: random.Random, day_first: bool, ambiguous: bool) -> str:
    """A numeric birth date as people type them; `ambiguous`: both fields 12 or less."""
    year = rng.randint(1931, 2004)
    month = rng.randint(1, 12)
    day = rng.randint(1, 12) if ambiguous else rng.randint(13, 31)  # 31/02 is an invalid day: never found
    first, second = (day, month) if day_first else (month, day)
    separator = rng.choice("/.-")
    year_text = f"{year % 100:02d}" if rng.random() < 0.1 else str(year)
    return f"{first:02d}{separator}{second:02d}{separator}{year_text}" if rng.random() < 0.7 \
        else f"{first}{separator}{second}{separator}{year_text}"


def _dob_csv(path, *, settle_at: int | None, rows: int = ROWS):
    """People with a birth-date column, ambiguous (05/03/1990) but at row `settle_at`, where a
    day above 12 says day-first (None: never)."""
    rng = random.Random(4471)
    lines = ["ref,full_name,mail,date_of_birth,tel"]
    given = ("Wanjiru", "Teodor", "Ngozi", "Ksenia", "Matteo", "Yusuf", "Lucía", "Aroha")
    family = ("Mwangi", "Petrov", "Eze", "Sokolova", "Ricci", "Demir", "Paredes", "Ngata")
    for index in range(rows):
        if index == settle_at:
            dob = _dob_text(rng, day_first=True, ambiguous=False)
        elif index % 97 == 0:  # blanks, ISO, no date, and once the order is said: 29 February, 31 April
            later = ("29/02/1988", "29/02/1989", "31/04/1990") if settle_at is not None and index > settle_at else ()
            dob = rng.choice(("", "1979-11-30", "unknown", "00/00/0000", "13/13/1990", *later))
        else:
            dob = _dob_text(rng, day_first=True, ambiguous=True)
        name = f"{rng.choice(given)} {rng.choice(family)}"
        mail = f"{name.split()[0].lower()}.{index}@post-example.org"
        tel = f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
        lines.append(f"C{index:06d},{name},{mail},{dob},{tel}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert path.stat().st_size > split_scan.MIN_BYTES
    return path


def _iso_csv(path, *, month_first_at: int | None, numeric_from: int | None, rows: int = ROWS):
    """People whose birth dates are ISO (the column's order never said by them), a month-first
    date at row `month_first_at` (before the cut, in the parent's rows), and from `numeric_from` on
    ambiguous numeric dates with a day above 12 now and then (day-first, were the column unsaid)."""
    rng = random.Random(818)
    lines = ["ref,full_name,mail,birth date,tel"]
    for index in range(rows):
        year, month, day = rng.randint(1931, 2004), rng.randint(1, 12), rng.randint(1, 28)
        if index == month_first_at:
            dob = "03/25/1990"
        elif numeric_from is not None and index >= numeric_from:
            dob = f"{day:02d}/{month:02d}/{year}" if index % 50 else f"{rng.randint(13, 28)}/{month:02d}/{year}"
        else:
            dob = f"{year}-{month:02d}-{day:02d}" if index % 89 else ""
        lines.append(f"K{index:06d},Amaru Condori{index % 40},a{index}@post-example.org,{dob},"
                     f"+51 9{rng.randint(10_000_000, 99_999_999)}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _parent_scans_rest(monkeypatch) -> list:
    """Calls of split_scan._scan_rest in this process (the child's are in the child): each one is
    this process scanning the rows after the cut itself, the child having failed."""
    calls: list = []
    real = split_scan._scan_rest

    def recording(scanner, rows, chunk_rows, people=None, tell=None):
        if people is None:
            calls.append(chunk_rows)
        return real(scanner, rows, chunk_rows, people=people, tell=tell)

    monkeypatch.setattr(split_scan, "_scan_rest", recording)
    return calls


def test_an_iso_column_never_settled_is_split_with_the_one_process_answer(tmp_path, monkeypatch):
    fallbacks = _parent_scans_rest(monkeypatch)
    whole, local, forks = scan_both(_iso_csv(tmp_path / "iso.csv", month_first_at=None, numeric_from=None), monkeypatch)
    assert forks[-1] and forks[-1].cut.stopped_here and not fallbacks, "not scanned by two processes"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000


def test_numeric_dates_after_the_cut_in_an_unsettled_column_are_read_by_this_process(tmp_path, monkeypatch):
    """The parent's rows settle the column month-first after the fork; the child, which inherited
    no order, would have read the later dates day-first: it fails, and this process reads them."""
    fallbacks = _parent_scans_rest(monkeypatch)
    path = _iso_csv(tmp_path / "late.csv", month_first_at=ROWS // 4, numeric_from=ROWS * 3 // 4)
    whole, local, forks = scan_both(path, monkeypatch)
    assert forks[-1] and fallbacks, "the child did not give the rows back"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})


def _dob_finding(report: dict) -> dict:
    return next(f for f in report["findings"] if f["type"] == "DATE_OF_BIRTH")


def test_a_column_settled_in_its_first_rows_is_split_with_the_one_process_answer(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "early.csv", settle_at=5), monkeypatch)
    assert forks[-1] and forks[-1].cut.stopped_here, "the local file was not split"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates


def test_a_column_settled_after_the_split_point_is_read_by_one_process(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "late.csv", settle_at=ROWS - 50), monkeypatch)
    assert forks and not any(forks), "the split was not considered, or was made"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates


def test_a_column_that_never_settles_is_read_by_one_process(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "never.csv", settle_at=None), monkeypatch)
    assert forks and not any(forks), "the split was not considered, or was made"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates


def _mixed_cells(rng: random.Random, count: int, ambiguous_until: int = 0) -> list:
    """Birth-date cells as leaks hold them, drawn apart from the parser: every separator, one- and
    two-digit fields, two- and four-digit years, invalid days, 29 February in leap and other years,
    ISO with and without a time, month names, blanks, spaces, text, spreadsheet day numbers and
    date cells. Before `ambiguous_until`, no numeric date says its day/month order."""
    cells: list = []
    for index in range(count):
        kind = rng.randrange(12)
        day, month, year = rng.randint(1, 32), rng.randint(0, 13), rng.randint(1890, 2035)
        if index < ambiguous_until:
            day, month, kind = rng.randint(1, 12), rng.randint(1, 12), kind if kind != 5 else 11
        sep = rng.choice("/.-")
        if kind < 5:
            first, second = (day, month) if rng.random() < 0.5 else (month, day)
            year_text = f"{year % 100:02d}" if rng.random() < 0.3 else str(year)
            width = rng.choice(("{:d}", "{:02d}"))
            cells.append(f"{width.format(first)}{sep}{width.format(second)}{sep}{year_text}")
        elif kind == 5:
            cells.append(f"29{sep}02{sep}{rng.choice((1988, 1989, 1900, 2000, 1996))}")
        elif kind == 6:
            cells.append(f"{year}-{month:02d}-{day:02d}" + rng.choice(("", "T00:00:00", " 12:30:00")))
        elif kind == 7:
            cells.append(rng.choice(("March 5, 1990", "5 de marzo de 1990", "12 mars 1987", "1987年3月12日")))
        elif kind == 8:
            cells.append(rng.choice(("", None, " ", "unknown", " 05/03/1990 ", "19870312", "32874", "32874.0")))
        elif kind == 9:
            cells.append(rng.choice((32874, 32874.0, 1987, 0.5, float("nan"), True)))
        elif kind == 10:
            cells.append(rng.choice((date(1990, 3, 5), datetime(1961, 12, 31, 8, 0), date(1899, 1, 1))))
        else:
            cells.append(f"{rng.randint(1, 12):02d}/{rng.randint(1, 12):02d}/{rng.randint(1931, 2004)}")
    return cells


def _one_by_one(column: DobColumn, cells: list, rows: list[int]) -> list:
    """The answer before the chunk kernel: parse() on each non-blank cell, in order."""
    return [column.parse(cell, row) if cell is not None and cell != "" else None for cell, row in zip(cells, rows, strict=True)]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("header", ["date_of_birth", "fecha de nacimiento"])
def test_the_chunk_kernel_answers_as_each_value_alone(seed, header, monkeypatch):
    rng = random.Random(seed)
    # the order said at once, late in the column (seed 1, 3), or never before the pending cap (5)
    cells = _mixed_cells(rng, 9_000, ambiguous_until=(0, 7_000, 0, 4_000, 0, 9_000)[seed])
    if seed == 5:
        monkeypatch.setattr(dob_column, "PENDING_DATES", 3_000)
    fast, slow = DobColumn(header), DobColumn(header)
    chunked, alone = [], []
    for start in range(0, len(cells), 2048):
        chunk = cells[start:start + 2048]
        rows = list(range(start + 2, start + 2 + len(chunk)))
        chunked.append((fast.parse_chunk(chunk, rows), fast.drain_if_settled()))
        alone.append((_one_by_one(slow, chunk, rows), slow.drain_if_settled()))
    assert chunked == alone
    assert fast.drain() == slow.drain() and fast.order.day_first == slow.order.day_first
    assert sum(isinstance(found, str) for part, _ in chunked for found in part) > 1_000


def test_read_date_answers_as_before_the_numeric_form_went_first():
    """read_date tries the numeric form first; the forms are disjoint, so the old order's answer
    (every other form first) is the same, including the day/month order it settles."""
    rng = random.Random(77)
    for cell in _mixed_cells(rng, 6_000):
        text = cell_text(cell)
        if not text:
            continue
        new, old = DateOrder(False), DateOrder(False)
        found = parse_unambiguous(text)
        if not found:
            parts = split_numeric(text)
            if parts:
                old.observe(parts[0], parts[1])
            found = parts or parse_in_context(text)
        assert read_date(text, new) == found, "a form changed its answer"
        assert new.day_first == old.day_first
