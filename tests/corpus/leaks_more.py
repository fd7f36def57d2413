"""More leaks: a letter in Spanish (PDF prose), a snake_case JSON array, one roster per sheet."""

from __future__ import annotations

import random
from pathlib import Path

from openpyxl import Workbook

from tests.corpus import render
from tests.corpus.common import facilities, scaled
from tests.corpus.names import DEMONYMS_ES, SPANISH, demonym
from tests.corpus.truth import CorpusFile, leak
from tests.corpus.values import Factory
from tests.corpus.writers import pdf_document, save_workbook, write_json


def spanish_letter_pdf(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A consular letter in Spanish naming people beside their A-numbers ('número de extranjero')."""
    factory = Factory(rng, (SPANISH,))
    site = rng.choice(facilities(rng, 4))
    count = scaled(16, scale, 6)
    a_numbers: set[str] = set()
    pdf = pdf_document()
    pdf.set_font("Helvetica", size=10)
    paragraphs = ["Oficina de Enlace Consular", "15 de junio de 2025", "", "Estimado señor Cónsul:",
                  f"Le informamos que las siguientes personas permanecen bajo custodia en {site} "
                  "y solicitan asistencia consular:"]
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        feminine, masculine = DEMONYMS_ES[person.country_es]
        title, born, nationality = ("la Sra.", "nacida", feminine) if person.gender == "F" else ("el Sr.", "nacido", masculine)
        if rng.random() < 0.5:
            number = f"número de extranjero {digits.lstrip('0')}"
        else:
            number = f"Número A: {render.a_number_text(digits, rng)}"
        paragraphs.append(f"- {title} {person.full_name}, de nacionalidad {nationality}, {number}, {born} el "
                          f"{render.dob_text(person.dob, day_first=True)}.")
    paragraphs += ["", "Quedamos a su disposición para coordinar las visitas.", "Atentamente,",
                   "Oficina de Enlace Consular"]
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return leak(path, "pdf", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="letter in Spanish: people in prose beside A-numbers, Spanish context words")


def snake_case_json(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A top-level JSON array with snake_case keys: a_num as a bare string, names split in two."""
    factory = Factory(rng)
    count = scaled(150, scale, 15)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "SSN": set(), "PHONE": set()}
    records = []
    for person in factory.people(count):
        digits = factory.a_number()
        truth["A_NUMBER"].add(digits)
        record: dict[str, object] = {"a_num": digits.lstrip("0"), "last_name": person.surname,
                                     "first_name": person.given, "country_of_birth": person.country,
                                     "date_of_birth": person.dob.isoformat()}
        if rng.random() < 0.3:
            ssn = factory.ssn()
            truth["SSN"].add(ssn)
            record["ssn"] = render.dashed_nine(ssn, rng)
        if rng.random() < 0.5:
            phone = factory.phone()
            truth["PHONE"].add(phone)
            record["phone_number"] = render.phone_text(phone, rng)
        record["updated_at"] = f"2025-06-{rng.randint(1, 14):02d}T{rng.randint(0, 23):02d}:00:00Z"
        records.append(record)
    write_json(path, records)
    return leak(path, "json", people=count,
                expected={"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH", "SSN", "PHONE"}, identifiers=truth,
                what="top-level JSON array, snake_case keys, a_num as bare digits")


def rosters_by_sheet(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """One sheet per facility, each titled; two sites spell the ID header differently."""
    factory = Factory(rng)
    workbook = Workbook()
    workbook.remove(workbook.active)
    a_numbers: set[str] = set()
    total = 0
    for site, id_header in zip(facilities(rng, 4), ("A-Number", "Alien Number", "A-Number", "A #"), strict=True):
        sheet = workbook.create_sheet(site[:31])
        sheet.append([f"{site} - detainee roster - 06/15/2025"])
        sheet.append(["Name", id_header, "Nationality", "Date of Birth", "Gender"])
        count = scaled(rng.randint(60, 160), scale, 8)
        total += count
        for person in factory.people(count):
            digits = factory.a_number()
            a_numbers.add(digits)
            sheet.append([f"{person.given} {render.surname_caps(person, rng)}", render.a_number_cell(digits, rng),
                          demonym(person.country), person.dob, person.gender])
        for (cell,) in sheet.iter_rows(min_row=3, min_col=4, max_col=4):
            cell.number_format = "dd-mmm-yyyy"
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=total,
                expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY", "DATE_OF_BIRTH"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="one roster per sheet, header spellings differ between sheets")


def hidden_column(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """The A-number column is hidden, not deleted: whoever hid it thought it was gone."""
    factory = Factory(rng)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Visitation"
    sheet.append(["Resident", "Housing", "A-Number", "Visiting Day", "Approved Visitors"])
    count = scaled(240, scale, 20)
    a_numbers: set[str] = set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        sheet.append([render.last_first(person, rng), rng.choice(("Dorm 1", "Dorm 2", "Dorm 3")),
                      render.a_number_cell(digits, rng), rng.choice(("Sat", "Sun")), rng.randint(0, 4)])
    sheet.column_dimensions["C"].hidden = True
    save_workbook(workbook, path)
    return leak(path, "xlsx", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"},
                what="roster whose A-number column is hidden")


def pasted_csv_html(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A paste-site page: CSV text inside <pre>, read as lines of text rather than a table."""
    from html import escape

    from tests.corpus.writers import csv_text, html_page

    factory = Factory(rng)
    count = scaled(120, scale, 12)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "SSN": set()}
    rows: list[list[object]] = [["name", "anum", "ssn", "dob", "country"]]
    for person in factory.people(count):
        digits = factory.a_number()
        truth["A_NUMBER"].add(digits)
        ssn = ""
        if rng.random() < 0.4:
            value = factory.ssn()
            truth["SSN"].add(value)
            ssn = render.dashed_nine(value, rng)
        rows.append([person.full_name, render.a_number_text(digits, rng), ssn, person.dob.isoformat(), person.country])
    body = (f"<div class=\"paste-meta\">Untitled paste - {count + 1} lines - never expires</div>\n"
            f"<pre>{escape(csv_text(rows))}</pre>")
    path.write_text(html_page("Untitled paste", body), encoding="utf-8")
    return leak(path, "html", people=count, expected={"A_NUMBER", "SSN", "PERSON_NAME"}, identifiers=truth,
                what="CSV pasted into a <pre> block of a paste page")
