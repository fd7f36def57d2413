"""Birth-date columns at full speed: the chunk kernel (dob_column.py) answers exactly as reading
each value alone (read_date), and a large local CSV with a birth-date column is split over two
processes (split_scan.py) only when the column's day/month order is settled at the fork, with the
one-process answer either way.
"""

from __future__ import annotations

import random

from bot.scan import split_scan
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


def _dob_finding(report: dict) -> dict:
    return next(f for f in report["findings"] if f["type"] == "DATE_OF_BIRTH")


def test_a_column_settled_in_its_first_rows_is_split_with_the_one_process_answer(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "early.csv", settle_at=5), monkeypatch)
    assert forks[-1] and forks[-1].cut.stopped_here, "the local file was not split"
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates


def test_a_column_settled_after_the_split_point_is_read_by_one_process(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "late.csv", settle_at=ROWS - 50), monkeypatch)
    assert not any(forks)
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates


def test_a_column_that_never_settles_is_read_by_one_process(tmp_path, monkeypatch):
    whole, local, forks = scan_both(_dob_csv(tmp_path / "never.csv", settle_at=None), monkeypatch)
    assert not any(forks)
    assert not differences({"f": whole}, {"f": local}), differences({"f": whole}, {"f": local})
    assert _dob_finding(local)["count"] > 5_000  # distinct dates
