"""Leaks in tables: spreadsheets and CSVs that expose people.

Each maker writes one file and returns its ground truth. Header spellings, layouts, encodings and
the way identifiers are written vary on purpose; the truth is always the normalized values.
"""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from tests.corpus import render
from tests.corpus.common import day_between, facilities, moment_between, scaled
from tests.corpus.names import LATIN1_ORIGINS
from tests.corpus.truth import CorpusFile, leak
from tests.corpus.values import Factory
from tests.corpus.writers import csv_text, save_workbook

ORIGINAL_ROWS = 6252


def original_leak(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """The shape of the original leak: title on rows 1-2 (merged), header on row 4, 6,252 people.

    Always full size, whatever the scale: this is the file every figure is about.
    """
    factory = Factory(rng)
    sites = facilities(rng, 38)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Detained Population"
    sheet["A1"] = "Detained Population by Facility - FY2025 - Current as of 06/15/2025"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells("A1:G2")
    header = ["Last Name", "First Name", "Country of Citizenship", "A-Number", "Detention Facility",
              "Book-In Date", "Gender"]
    for column, title in enumerate(header, start=1):  # row 3 stays empty, the header is on row 4
        sheet.cell(row=4, column=column, value=title)
    a_numbers: set[str] = set()
    for person in factory.people(ORIGINAL_ROWS):
        digits = factory.a_number()
        a_numbers.add(digits)
        booked = moment_between(rng, date(2024, 10, 1), date(2025, 6, 15))
        gender = {"M": "Male", "F": "Female"}[person.gender]
        sheet.append([render.surname_caps(person, rng), person.given, person.country,
                      render.a_number_cell(digits, rng), rng.choice(sites), booked, gender])
    for (cell,) in sheet.iter_rows(min_row=5, min_col=6, max_col=6):
        cell.number_format = "mm/dd/yyyy"
    for (cell,) in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
        if isinstance(cell.value, int) and rng.random() < 0.5:
            cell.number_format = '"A"000000000'  # shown as A012345678, stored as a number
    # exports end with a footer that is not a person
    footer = sheet.max_row + 3
    sheet.cell(row=footer, column=1, value=f"Total detained population: {ORIGINAL_ROWS:,}")
    sheet.cell(row=footer + 1, column=1, value="Source: detention management system extract, 06/15/2025")
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=ORIGINAL_ROWS,
                expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION"},
                identifiers={"A_NUMBER": a_numbers},
                forbidden={"SSN", "ITIN", "PASSPORT", "PHONE", "CREDIT_CARD"},
                min_severity="critical",
                what="the original leak's shape: titled roster, header on row 4, A-numbers in mixed forms, footer")


def hidden_sheet(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """The visible sheet is a harmless bed-space summary; the people are on a hidden sheet."""
    factory = Factory(rng)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    summary.append(["Housing Unit", "Capacity", "Occupied", "Available"])
    for unit in ("A-Pod", "B-Pod", "C-Pod", "D-Pod", "Medical", "Intake"):
        capacity = rng.randint(40, 120)
        occupied = rng.randint(10, capacity)
        summary.append([unit, capacity, occupied, capacity - occupied])
    roster = workbook.create_sheet("Roster")
    roster.sheet_state = "hidden"
    roster.append(["Detainee Name", "A#", "DOB", "Citizenship", "Housing Unit"])
    count = scaled(400, scale, 40)
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        roster.append([render.last_first(person, rng), render.a_number_text(digits, rng), person.dob,
                       person.country, rng.choice(("A-Pod", "B-Pod", "C-Pod", "D-Pod"))])
    for (cell,) in roster.iter_rows(min_row=2, min_col=3, max_col=3):
        cell.number_format = "yyyy-mm-dd"
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=count,
                expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY", "DATE_OF_BIRTH"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="people on a hidden sheet behind a harmless visible summary")


def cp1252_csv(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Windows-1252 bytes, semicolons, accented names: what Excel in many locales exports."""
    factory = Factory(rng, LATIN1_ORIGINS)
    count = scaled(600, scale, 50)
    rows: list[list[object]] = [["Surname", "Given Name(s)", "Country of Nationality", "Alien #", "D.O.B.", "Sex"]]
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        alien = render.a_number_text(digits, rng) if rng.random() < 0.5 else digits
        rows.append([person.surname, person.given, person.country, alien,
                     render.dob_text(person.dob, day_first=False), person.gender])
    path.write_bytes(csv_text(rows, delimiter=";").encode("cp1252"))
    return leak(path, "csv", people=count,
                expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY", "DATE_OF_BIRTH"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="cp1252 CSV with semicolons and accented names")


def spanish_headers(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Spanish headers, day-first birth dates, UTF-8 with a BOM, a title line above the header."""
    factory = Factory(rng)
    sites = facilities(rng, 12)
    count = scaled(500, scale, 40)
    rows: list[list[object]] = [["Padrón de personas detenidas - actualizado 15/06/2025"], [],
                                ["Apellido", "Nombre", "País de ciudadanía", "Número A", "Centro de detención",
                                 "Fecha de nacimiento"]]
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        numero = digits.lstrip("0") if rng.random() < 0.5 else render.a_number_text(digits, rng)
        rows.append([person.surname, person.given, person.country_es, numero, rng.choice(sites),
                     render.dob_text(person.dob, day_first=True)])
    path.write_bytes(csv_text(rows).encode("utf-8-sig"))
    return leak(path, "csv", people=count,
                expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY", "DATE_OF_BIRTH"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="Spanish headers, day-first dates, bare A-numbers under 'Número A'")


def headerless_sheet(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """No header row at all: the columns must be recognised from their values."""
    factory = Factory(rng)
    sites = facilities(rng, 6)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    count = scaled(300, scale, 30)
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        sheet.append([render.last_first(person, rng), render.a_number_text(digits, rng), person.country,
                      person.dob, rng.choice(sites)])
    for (cell,) in sheet.iter_rows(min_row=1, min_col=4, max_col=4):
        cell.number_format = "m/d/yyyy"
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=count, expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="transfer manifest with no header row")


def numeric_ids(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A-numbers, SSNs and phones stored as numbers, not text; birth dates as date cells."""
    factory = Factory(rng)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Export"
    sheet.append(["Name", "Alien Registration No.", "SSN", "Date of Birth", "Phone"])
    count = scaled(350, scale, 30)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "SSN": set(), "PHONE": set()}
    for person in factory.people(count):
        digits = factory.a_number()
        truth["A_NUMBER"].add(digits)
        ssn = None
        if rng.random() < 0.5:
            # area >= 100: a number cell drops leading zeros, which would change the value
            ssn = factory.ssn(min_area=100)
            truth["SSN"].add(ssn)
        phone = factory.phone()
        truth["PHONE"].add(phone)
        sheet.append([f"{person.given} {person.surname}", int(digits), int(ssn) if ssn else None, person.dob,
                      int(phone[2:])])
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "mm/dd/yyyy"
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=count,
                expected={"A_NUMBER", "SSN", "PHONE", "PERSON_NAME", "DATE_OF_BIRTH"},
                identifiers=truth, what="identifiers stored as number cells")


def hr_export(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """An HR export: work emails, personal phones, SSNs (some ITINs), birth vs hire dates."""
    factory = Factory(rng)
    count = scaled(800, scale, 60)
    rows: list[list[object]] = [["Employee ID", "Last Name", "First Name", "Work Email", "Personal Phone",
                                 "SSN/ITIN", "Birth Date", "Hire Date", "Department"]]
    truth: dict[str, set[str]] = {"SSN": set(), "ITIN": set(), "EMAIL": set(), "PHONE": set()}
    for index, person in enumerate(factory.people(count)):
        email = factory.email(person, "webmail-service.com")
        phone = factory.phone()
        truth["EMAIL"].add(email)
        truth["PHONE"].add(phone)
        if rng.random() < 0.08:
            tax_id, kind = factory.itin(), "ITIN"
        else:
            tax_id, kind = factory.ssn(), "SSN"
        truth[kind].add(tax_id)
        hired = day_between(rng, date(2005, 1, 1), date(2025, 5, 1))
        rows.append([f"E{100200 + index * 7}", person.surname, person.given, render.email_text(email, rng),
                     render.phone_text(phone, rng), render.dashed_nine(tax_id, rng), person.dob.isoformat(),
                     hired.isoformat(), rng.choice(("Facilities", "Finance", "Medical", "Transport", "Records"))])
    path.write_text(csv_text(rows), encoding="utf-8")
    return leak(path, "csv", people=count,
                expected={"SSN", "ITIN", "EMAIL", "PHONE", "PERSON_NAME", "DATE_OF_BIRTH"},
                identifiers=truth, forbidden={"A_NUMBER"}, what="HR export with SSNs, ITINs, emails, phones")

