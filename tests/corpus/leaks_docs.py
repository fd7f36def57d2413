"""Leaks outside spreadsheets: prose, HTML, PDF, a JSON API dump and a zip."""

from __future__ import annotations

import random
from datetime import date
from html import escape
from pathlib import Path

from tests.corpus import render
from tests.corpus.common import day_between, facilities, scaled
from tests.corpus.names import ENGLISH, INDIAN, LATIN1_ORIGINS, demonym
from tests.corpus.truth import CorpusFile, leak
from tests.corpus.values import Factory, Person
from tests.corpus.writers import csv_text, html_page, html_table, pdf_document, write_json, write_zip


def _spoken_name(person: Person, rng: random.Random) -> str:
    """How prose names someone: 'Xiomara HERNÁNDEZ', 'Ms. Xiomara Hernández', 'HERNÁNDEZ, Xiomara'."""
    style = rng.randrange(4)
    if style == 0:
        return f"{person.given} {render.surname_caps(person, rng, fold_share=0)}"
    if style == 1:
        return f"{'Mr.' if person.gender == 'M' else 'Ms.'} {person.full_name}"
    if style == 2:
        return f"{render.surname_caps(person, rng, fold_share=0)}, {person.given}"
    return person.full_name


def case_notes_email(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A forwarded email of case notes: people named in sentences beside A-numbers and SSNs."""
    factory = Factory(rng)
    sites = facilities(rng, 4)
    count = scaled(14, scale, 6)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "SSN": set()}
    lines = ["Subject: FW: transfers and open items", "From: Case Intake Unit", "To: Field Casework Team",
             "Date: Mon, 16 Jun 2025 09:12:44 -0500", "", "Team,", "",
             "Below are this week's open items. Please do not forward outside the unit.", ""]
    for number, person in enumerate(factory.people(count), start=1):
        name = _spoken_name(person, rng)
        digits = factory.a_number()
        truth["A_NUMBER"].add(digits)
        a_text = render.a_number_text(digits, rng)
        site = rng.choice(sites)
        moved = day_between(rng, date(2025, 6, 1), date(2025, 6, 14)).strftime("%B %d")
        if rng.random() < 0.4:
            ssn = factory.ssn()
            truth["SSN"].add(ssn)
            lines.append(f"{number}. {name} ({a_text}) was moved to {site} on {moved}. "
                         f"The SSN on file, {render.dashed_nine(ssn, rng)}, is on the bond paperwork;")
            lines.append("   the sponsor has asked for a copy of the receipt.")
        else:
            lines.append(f"{number}. {name}, {a_text}, born {render.dob_text(person.dob, day_first=False)}, "
                         f"transferred to {site} on {moved}.")
        lines.append("")
    lines += ["Thanks,", "Intake desk", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    entry = leak(path, "text", people=count, expected={"A_NUMBER", "SSN", "PERSON_NAME"}, identifiers=truth,
                 what="forwarded email: people named in prose with A-numbers and SSNs")
    entry.kinds.add("eml")  # its header lines make it an e-mail message, read as one
    return entry


def casework_update_html(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """An HTML newsletter whose paragraphs name people with their A-numbers."""
    factory = Factory(rng)
    sites = facilities(rng, 3)
    count = scaled(10, scale, 5)
    a_numbers: set[str] = set()
    paragraphs = ["<h1>Weekly casework update</h1>",
                  "<p>Volunteers visited three facilities this week. Hearings are listed below.</p>"]
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        a_text = f"A# {digits.lstrip('0')}" if rng.random() < 0.5 else render.a_number_text(digits, rng)
        hearing = day_between(rng, date(2025, 7, 1), date(2025, 9, 30)).strftime("%B %d, %Y")
        paragraphs.append(f"<p>We met with <strong>{escape(person.full_name)}</strong> ({escape(a_text)}) at "
                          f"{escape(rng.choice(sites))}. Originally from {escape(person.country.title())}; "
                          f"the next hearing is on {hearing}.</p>")
    path.write_text(html_page("Casework update", "\n".join(paragraphs)), encoding="utf-8")
    return leak(path, "html", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": a_numbers}, what="HTML paragraphs naming people with A-numbers")


def few_records_html(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Only three people: a small table of SSNs on a benefits-correction page. Never scaled."""
    factory = Factory(rng, (ENGLISH, INDIAN))
    ssns: set[str] = set()
    rows = []
    for person in factory.people(3):
        ssn = factory.ssn()
        ssns.add(ssn)
        rows.append([person.full_name, render.dashed_nine(ssn, rng), f"${rng.randint(40, 900)}.00"])
    body = ("<h2>Benefits correction - June payroll</h2>\n<p>The following adjustments were approved.</p>\n"
            + html_table(["Employee", "Social Security Number", "Adjustment"], rows, header_in_td=True))
    path.write_text(html_page("Benefits correction", body), encoding="utf-8")
    return leak(path, "html", people=3, expected={"SSN", "PERSON_NAME"}, identifiers={"SSN": ssns},
                forbidden={"A_NUMBER"}, what="only three people, with SSNs")


def roster_html(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    factory = Factory(rng)
    count = scaled(250, scale, 25)
    rows, a_numbers = [], set()
    for person in factory.people(count):
        digits = factory.a_number()
        a_numbers.add(digits)
        rows.append([render.last_first(person, rng), render.a_number_text(digits, rng), demonym(person.country),
                     rng.choice(("1-East", "1-West", "2-East", "2-West", "Seg")),
                     day_between(rng, date(2025, 7, 1), date(2025, 12, 1)).strftime("%m/%d/%Y")])
    body = ("<h1>Housing roster</h1>\n<p>Printed for the unit officer. Internal use only.</p>\n"
            + html_table(["Name (Last, First)", "A-File No.", "Nationality", "Housing", "Next Hearing"], rows))
    path.write_text(html_page("Housing roster", body), encoding="utf-8")
    return leak(path, "html", people=count, expected={"A_NUMBER", "PERSON_NAME", "NATIONALITY"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"}, what="HTML roster table")


def docket_pdf(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A PDF hearing docket: a drawn table of names and A-numbers over several pages."""
    factory = Factory(rng, LATIN1_ORIGINS)  # the PDF core fonts are Latin-1
    count = scaled(120, scale, 20)
    pdf = pdf_document()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, "Master Calendar Hearing Docket - Courtroom 3", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    a_numbers: set[str] = set()
    with pdf.table(col_widths=(60, 40, 45, 30), first_row_as_headings=True) as table:
        table.row(["Respondent", "A-Number", "Country", "Hearing"])
        for person in factory.people(count):
            digits = factory.a_number()
            a_numbers.add(digits)
            table.row([render.last_first(person, rng), render.a_number_text(digits, rng), person.country,
                       day_between(rng, date(2025, 7, 1), date(2025, 8, 29)).strftime("%m/%d/%Y")])
    pdf.output(str(path))
    return leak(path, "pdf", people=count, expected={"A_NUMBER", "PERSON_NAME"},
                identifiers={"A_NUMBER": a_numbers}, forbidden={"SSN"}, what="PDF table of names and A-numbers")


def api_dump_json(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A JSON API dump: nested person / ids / contact objects, A-numbers as strings or numbers."""
    factory = Factory(rng)
    sites = facilities(rng, 8)
    count = scaled(300, scale, 25)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "PASSPORT": set(), "EMAIL": set(), "PHONE": set()}
    records = []
    for index, person in enumerate(factory.people(count)):
        digits = factory.a_number()
        truth["A_NUMBER"].add(digits)
        ids: dict[str, object] = {"aNumber": int(digits) if rng.random() < 0.3 else render.a_number_text(digits, rng)}
        if rng.random() < 0.4:
            passport = factory.passport()
            truth["PASSPORT"].add(passport)
            ids["passport"] = {"number": passport, "issuingCountry": person.country.title()}
        contact: dict[str, object] = {}
        if rng.random() < 0.6:
            email = factory.email(person)
            truth["EMAIL"].add(email)
            contact["email"] = email
        if rng.random() < 0.6:
            phone = factory.phone()
            truth["PHONE"].add(phone)
            contact["phone"] = phone if rng.random() < 0.5 else render.phone_text(phone, rng)
        records.append({"recordId": f"rec-{index:06d}", "status": rng.choice(("BOOKED", "RELEASED", "TRANSFERRED")),
                        "person": {"fullName": person.full_name, "dob": person.dob.isoformat(),
                                   "gender": person.gender, "citizenship": person.country},
                        "ids": ids, "contact": contact, "custody": {"facility": rng.choice(sites)}})
    write_json(path, {"meta": {"page": 1, "pageSize": count, "total": count, "generated": "2025-06-15T08:00:00Z"},
                      "data": {"records": records}})
    return leak(path, "json", people=count,
                expected={"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH", "PASSPORT", "EMAIL", "PHONE"},
                identifiers=truth, forbidden={"SSN"}, what="nested JSON API dump")


def export_zip(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A zip with two leak CSVs (different people) and a harmless README."""
    factory = Factory(rng)
    truth: dict[str, set[str]] = {"A_NUMBER": set(), "PHONE": set(), "EMAIL": set(), "CREDIT_CARD": set(),
                                  "IBAN": set()}
    contacts_count, refunds_count = scaled(200, scale, 20), scaled(60, scale, 10)
    contacts: list[list[object]] = [["Full Name", "A-Number", "Phone", "Email", "Country"]]
    for person in factory.people(contacts_count):
        digits, phone, email = factory.a_number(), factory.phone(), factory.email(person)
        truth["A_NUMBER"].add(digits)
        truth["PHONE"].add(phone)
        truth["EMAIL"].add(email)
        contacts.append([person.full_name, render.a_number_text(digits, rng), render.phone_text(phone, rng),
                         render.email_text(email, rng), person.country])
    refunds: list[list[object]] = [["Name", "A No", "Card Number", "IBAN", "Refund (USD)"]]
    for person in factory.people(refunds_count):
        digits, card, iban = factory.a_number(), factory.credit_card(), factory.iban()
        truth["A_NUMBER"].add(digits)
        truth["CREDIT_CARD"].add(card)
        truth["IBAN"].add(iban)
        refunds.append([f"{render.surname_caps(person, rng)}, {person.given}", render.a_number_text(digits, rng),
                        render.card_text(card, rng), render.iban_text(iban, rng), f"{rng.randint(5, 300)}.00"])
    write_zip(path, {"export/README.txt": b"Nightly export. Two files: contacts and commissary refunds.\n",
                     "export/detainee_contacts.csv": csv_text(contacts).encode("utf-8"),
                     "export/commissary_refunds.csv": csv_text(refunds).encode("utf-8")})
    return leak(path, "zip", people=contacts_count + refunds_count,
                expected={"A_NUMBER", "PERSON_NAME", "PHONE", "EMAIL", "CREDIT_CARD", "IBAN"},
                identifiers=truth, forbidden={"SSN"}, what="zip holding two leak CSVs")
