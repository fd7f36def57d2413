"""Leaks whose difficulty is the layout: repeated people, a table below another, fixed-width text."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook

from tests.corpus import render
from tests.corpus.common import day_between, facilities, scaled
from tests.corpus.truth import CorpusFile, leak
from tests.corpus.values import Factory, ascii_fold
from tests.corpus.writers import csv_text, save_workbook


def repeated_people_moves(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A movement log: one person per move, most people moved more than once.

    People are distinct persons, not rows: each keeps one name and one A-number on every row.
    """
    factory = Factory(rng)
    sites = facilities(rng, 10)
    count = scaled(300, scale, 30)
    a_numbers: set[str] = set()
    moves = []
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        name, a_text = render.last_first(person, rng), render.a_number_text(digits, rng)
        for _ in range(rng.choice((1, 2, 2, 3, 4))):
            origin, destination = rng.sample(sites, 2)
            moves.append((day_between(rng, date(2025, 1, 2), date(2025, 6, 14)), name, a_text, origin, destination))
    moves.sort(key=lambda move: move[0])
    rows: list[list[object]] = [["Move ID", "Subject Name", "A File", "From Facility", "To Facility", "Move Date",
                                 "Reason"]]
    for index, (day, name, a_text, origin, destination) in enumerate(moves, start=1):
        rows.append([f"MV-{index:06d}", name, a_text, origin, destination, day.strftime("%m/%d/%Y"),
                     rng.choice(("Bed space", "Medical", "Court", "Staging for removal"))])
    path.write_text(csv_text(rows), encoding="utf-8")
    return leak(path, "csv", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="movement log: the same people on several rows (distinct people, not rows)")


def roster_below_summary(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """One sheet, two tables: a unit summary on top, the roster further down under its own header."""
    factory = Factory(rng)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Unit Report"
    sheet["A1"] = "Daily unit report - 06/15/2025"
    sheet.append([])
    sheet.append(["Unit", "Beds", "Occupied", "Open"])
    for unit in ("North 1", "North 2", "South 1", "South 2", "Medical"):
        beds = rng.randint(30, 90)
        occupied = rng.randint(5, beds)
        sheet.append([unit, beds, occupied, beds - occupied])
    sheet.append([])
    sheet.append([])
    sheet.append(["Roster"])
    sheet.append(["Last", "First", "A Number", "Country", "Unit", "Classification"])
    count = scaled(200, scale, 20)
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        sheet.append([render.surname_caps(person, rng), person.given, render.a_number_cell(digits, rng),
                      person.country, rng.choice(("North 1", "North 2", "South 1", "South 2")),
                      rng.choice(("Level 1", "Level 2", "Level 3"))])
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=count, expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="roster under its own header below a summary table on the same sheet")


def fixed_width_report(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A mainframe-style listing: upper-case names, fixed columns, headers repeated on every page."""
    factory = Factory(rng)
    sites = facilities(rng, 3)
    count = scaled(250, scale, 25)
    a_numbers: set[str] = set()
    lines: list[str] = []
    page, on_page = 0, 60
    for person in factory.people(count):
        if on_page >= 45:
            page += 1
            on_page = 0
            lines += ["\f" if page > 1 else "",
                      f"RUN DATE: 06/15/25{'DETAINEE LISTING BY FACILITY':^56}PAGE {page:>4}",
                      f"FACILITY: {rng.choice(sites).upper()}", "",
                      f"{'A-NUMBER':<12}{'NAME (LAST, FIRST)':<36}{'COB':<18}{'DOB':<12}BOOK-IN",
                      f"{'-' * 10:<12}{'-' * 34:<36}{'-' * 16:<18}{'-' * 10:<12}{'-' * 8}"]
        digits = factory.a_number()
        a_numbers.add(digits)
        name = ascii_fold(f"{person.surname}, {person.given}").upper()[:34]
        booked = day_between(rng, date(2025, 1, 1), date(2025, 6, 14)).strftime("%m/%d/%y")
        lines.append(f"{'A' + digits:<12}{name:<36}{ascii_fold(person.country).upper()[:16]:<18}"
                     f"{person.dob.strftime('%m/%d/%Y'):<12}{booked}")
        on_page += 1
    lines += ["", f"TOTAL RECORDS: {count}", "*** END OF REPORT ***", ""]
    path.write_text("\n".join(lines), encoding="ascii")
    entry = leak(path, "text", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                 identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                 what="fixed-width mainframe listing, names in capitals, page headers")
    entry.kinds.add("csv")  # aligned columns may fairly be read as a table
    return entry
