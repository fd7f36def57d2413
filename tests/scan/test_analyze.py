"""analyze() on hand-built Documents: types, people, severity, places, and no raw value out.

Values are generated from a seeded random source; failures print counts, types and places only.
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime

import pytest

from bot.errors import LimitExceeded
from bot.scan.analyze import analyze
from bot.scan.limits import Deadline
from bot.scan.model import Document, Table, TextBlock
from bot.scan.report import fingerprint

KEY = b"analyze-tests"
GIVEN = ("Xiomara", "Mohammadreza", "Nguyen Van", "Jean-Baptiste", "Svetlana", "Priya", "Wei", "Ayodele", "Guadalupe",
         "Wideline", "Dmitri", "Farhad")
FAMILY = ("Hernández Pérez", "Hosseini", "Tran", "Pierre-Louis", "Ivanova", "Venkataraman", "Zhang", "Okafor",
          "de la Cruz", "Saint-Fleur", "Volkov", "Rahimi")
COUNTRIES = ("GUATEMALA", "HONDURAS", "MEXICO", "HAITI", "VIETNAM", "IRAN", "INDIA", "CHINA", "RUSSIA", "NIGERIA")
FACILITIES = ("Red Mesa Processing Center", "Cold Creek County Jail", "Dry Fork Detention Facility")
SSN_PROSE = ["Reference 234567891 was closed.", "Her SSN is 234567891, on file."]
NOTES_ROWS = [["Intake note", "Called about Maria Lopez, A-273-456-189, moved today."], ["Follow-up", "Nothing new."]]
OFFICES = [["Red Mesa Field Office", "1200 Commerce Blvd, Red Mesa, TX 79001", "(202) 456-1414", "Mon-Fri"],
           ["Cold Creek Field Office", "88 Harbor Way, Cold Creek, LA 70001", "(212) 555-0100", "Mon-Fri"]]
CONTACT_US = ["Main switchboard: (202) 456-1414. Press inquiries: press@example.org.",
              '"We publish every quarter," said Acting Director Jane Smith.']


def sheet(name: str, header: list[str] | None, rows: list[list], *, first_row: int = 2, **extra) -> Table:
    numbered = [(first_row + i, cells) for i, cells in enumerate(rows)]
    return Table(style="sheet", name=name, header=header, header_row=first_row - 1 if header else None,
                 rows=iter(numbered), **extra)


def run(*parts, deadline: float = 30.0):
    return analyze(Document(kind="test", parts=iter(parts)), key=KEY, deadline=Deadline(deadline))


def found(analysis) -> dict:
    return {f.type: f for f in analysis.findings}


def raw_values_in(analysis, values) -> int:
    """How many raw values appear anywhere in the analysis (must be none)."""
    dumped = json.dumps([f.to_dict() for f in analysis.findings] + analysis.reasons, ensure_ascii=False).lower()
    return sum(1 for v in values if str(v).lower() in dumped)


def people(rng: random.Random, count: int) -> list[dict]:
    rows, seen = [], set()
    while len(rows) < count:
        digits = f"{rng.randint(10_000_000, 249_999_999):09d}"
        if digits in seen:
            continue
        seen.add(digits)
        rows.append({"given": rng.choice(GIVEN), "family": rng.choice(FAMILY), "country": rng.choice(COUNTRIES),
                     "a": digits, "facility": rng.choice(FACILITIES),
                     "dob": date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))})
    return rows


def a_spelling(digits: str, rng: random.Random):
    style = rng.randrange(4)
    return (int(digits), f"A{digits}", f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"A {digits.lstrip('0')}")[style]


# --- the leak shape ---------------------------------------------------------------------------


def leak_sheet(count: int, seed: int = 1) -> tuple[Table, list[dict]]:
    rng = random.Random(seed)
    persons = people(rng, count)
    header = ["Last Name", "First Name", "Country of Citizenship", "A-Number", "Detention Facility", "Book-In Date",
              "Gender"]
    rows = [[p["family"].upper(), p["given"], p["country"], a_spelling(p["a"], rng), p["facility"],
             datetime(2025, 1, 1 + i % 28, 8, 0), rng.choice(("Male", "Female"))] for i, p in enumerate(persons)]
    return sheet("Detained Population", header, rows, first_row=5, title="Detained Population by Facility"), persons


def test_leak_table_types_people_critical_and_places():
    table, persons = leak_sheet(300)
    analysis = run(table)
    types = found(analysis)
    assert set(types) == {"A_NUMBER", "PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION"}
    assert analysis.records_affected == 300
    assert analysis.severity == "critical"
    a_numbers = types["A_NUMBER"]
    assert a_numbers.count == 300 and a_numbers.count_exact
    assert a_numbers.where == ["Detained Population!D5:D304"]
    assert set(a_numbers.fingerprints) == {fingerprint("A_NUMBER", p["a"], KEY) for p in persons}
    assert len(a_numbers.samples) == 3 and all(s.startswith("A•••••") for s in a_numbers.samples)
    assert types["PERSON_NAME"].where == ["Detained Population!A5:A304"]
    assert analysis.cells == 300 * 7
    assert analysis.reasons and "nationality" in analysis.reasons[0]
    raw = [p["a"] for p in persons] + [f"{p['given']} {p['family']}" for p in persons]
    assert raw_values_in(analysis, raw) == 0


def test_book_in_dates_are_not_birth_dates_and_gender_is_not_reported():
    analysis = run(leak_sheet(50)[0])
    assert "DATE_OF_BIRTH" not in found(analysis)


def test_same_people_on_two_sheets_count_once():
    first, _ = leak_sheet(120, seed=3)
    copy, _ = leak_sheet(120, seed=3)
    copy.name, copy.hidden = "Hidden copy", True
    analysis = run(first, copy)
    assert analysis.records_affected == 120
    assert found(analysis)["A_NUMBER"].count == 120
    assert len(found(analysis)["A_NUMBER"].where) == 2


def test_ids_stored_as_numbers():
    rng = random.Random(4)
    persons = people(rng, 80)
    rows = [[f"{p['given']} {p['family']}", int(p["a"]), int(f"{rng.randint(100, 665)}{rng.randint(10, 99)}"
                                                             f"{rng.randint(1000, 9999)}"), p["dob"]] for p in persons]
    analysis = run(sheet("Export", ["Name", "Alien Registration No.", "SSN", "Date of Birth"], rows))
    types = found(analysis)
    assert {"A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"} <= set(types)
    assert types["A_NUMBER"].count == 80 and types["SSN"].count == 80
    assert set(types["A_NUMBER"].fingerprints) == {fingerprint("A_NUMBER", p["a"], KEY) for p in persons}
    assert analysis.records_affected == 80 and analysis.severity == "high"


def test_spanish_headers_and_day_first_birth_dates():
    rng = random.Random(5)
    persons = people(rng, 60)
    header = ["Apellido", "Nombre", "País de ciudadanía", "Número A", "Centro de detención", "Fecha de nacimiento"]
    rows = [[p["family"], p["given"], p["country"].title(), p["a"].lstrip("0"), p["facility"],
             p["dob"].strftime("%d/%m/%Y")] for p in persons]
    analysis = run(Table(style="table", name="table 1", header=header, header_row=3, rows=iter(enumerate(rows, 4))))
    types = found(analysis)
    assert {"A_NUMBER", "PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION", "DATE_OF_BIRTH"} <= set(types)
    assert set(types["DATE_OF_BIRTH"].fingerprints) == {fingerprint("DATE_OF_BIRTH", p["dob"].isoformat(), KEY)
                                                        for p in persons}
    # first and last name in two columns: one person per row, one name per person
    assert types["PERSON_NAME"].count == len({(p["given"], p["family"]) for p in persons})
    assert analysis.records_affected == 60 and analysis.severity == "critical"
    assert types["A_NUMBER"].where == ['table 1 column "Número A", rows 4-63']


def test_headerless_table_decided_by_values():
    rng = random.Random(6)
    persons = people(rng, 40)
    rows = [[f"{p['family'].upper()}, {p['given']}", f"A{p['a']}", p["country"], p["facility"]] for p in persons]
    analysis = run(sheet("Sheet1", None, rows, first_row=1))
    types = found(analysis)
    assert {"A_NUMBER", "PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION"} <= set(types)
    assert analysis.records_affected == 40 and analysis.severity == "critical"


def test_json_key_paths_are_headers():
    rng = random.Random(7)
    persons = people(rng, 30)
    keys = ["recordId", "person.fullName", "person.dob", "person.citizenship", "ids.aNumber", "contact.email"]
    rows = [(i, [f"rec-{i}", f"{p['given']} {p['family']}", p["dob"].isoformat(), p["country"], p["a"],
                 f"user{i}@inbox-mail.org"]) for i, p in enumerate(persons)]
    table = Table(style="json", name="$.data.records", header=keys, header_row=None, rows=iter(rows), column_keys=keys)
    analysis = run(table)
    types = found(analysis)
    assert {"A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH", "NATIONALITY", "EMAIL"} <= set(types)
    assert types["A_NUMBER"].where == ["$.data.records[*].ids.aNumber"]
    assert analysis.records_affected == 30


def test_birth_date_order_settled_by_a_later_row_and_bounded(monkeypatch):
    from bot.scan import dob_column

    rng = random.Random(14)
    persons = people(rng, 3000)
    ambiguous = [p for p in persons if p["dob"].day <= 12]
    evident = [p for p in persons if p["dob"].day > 12][:1]
    rows = [[f"{p['given']} {p['family']}", p["dob"].strftime("%d/%m/%Y")] for p in ambiguous + evident]
    analysis = run(sheet("Roster", ["Name", "DOB"], rows))
    truth = {fingerprint("DATE_OF_BIRTH", p["dob"].isoformat(), KEY) for p in ambiguous + evident}
    assert set(found(analysis)["DATE_OF_BIRTH"].fingerprints) == truth  # day-first, learnt from the last row
    monkeypatch.setattr(dob_column, "PENDING_DATES", 100)
    bounded = run(sheet("Roster", ["Name", "DOB"], rows))
    dates = found(bounded)["DATE_OF_BIRTH"]
    assert abs(dates.count - len(truth)) <= 5  # month-first may fold a few swapped dates together
    assert set(dates.fingerprints) != truth  # the month-first default was taken early
    assert dates.where == [f"Roster!B2:B{len(rows)}"]  # the last, day-first date is no month-first date


# --- data about no one in particular -----------------------------------------------------------


def test_aggregate_statistics_by_country_expose_no_one():
    rng = random.Random(8)
    rows = [[country, rng.randint(3, 40_000), round(rng.uniform(0, 30), 2), rng.randint(10, 90)] for country in COUNTRIES]
    rows.append(["Total", 123456, 100.0, None])
    by_country = sheet("By Country", ["Country of Citizenship", "Book-ins FY2025", "Share of Total (%)", "ALOS (days)"],
                       rows, first_row=4)
    by_facility = sheet("By Facility", ["Detention Facility", "City", "State", "FY", "ADP"],
                        [[f, "Red Mesa", "TX", 2025, 123.4] for f in FACILITIES])
    analysis = run(by_country, by_facility)
    assert analysis.findings == [] and analysis.records_affected == 0 and analysis.severity == "none"
    assert analysis.reasons  # says why, without values


def test_catalog_with_id_shaped_numbers_is_nothing():
    rng = random.Random(9)
    rows = [[f"A{rng.randint(10_000_000, 99_999_999)}", str(rng.randint(100_000_000, 999_999_999)), "Hex bolt",
             f"{rng.uniform(1, 90):.2f}", rng.randint(0, 500)] for _ in range(200)]
    analysis = run(sheet("Catalog", ["Part No.", "SKU", "Description", "Unit Price", "Qty on Hand"], rows))
    assert analysis.findings == [] and analysis.records_affected == 0 and analysis.severity == "none"


def test_ledger_invoice_and_account_numbers_are_nothing():
    rng = random.Random(10)
    rows = [[rng.randint(100_000_000, 999_999_999), str(rng.randint(100_000_000, 899_999_999)), "Vendor LLC", 120.5]
            for _ in range(100)]
    analysis = run(sheet("Ledger", ["Invoice #", "Account No.", "Vendor", "Amount"], rows))
    assert analysis.findings == [] and analysis.severity == "none"


def test_office_directory_switchboard_and_press_contacts():
    table = Table(style="table", name="table 1", header=["Office", "Address", "Main Phone", "Hours"], header_row=1,
                  rows=iter(enumerate(OFFICES, 2)))
    text = TextBlock(name="body", lines=iter(enumerate(CONTACT_US, 1)))
    analysis = run(table, text)
    assert analysis.records_affected == 0
    assert analysis.severity in ("none", "low")
    assert not {"PERSON_NAME", "PHONE", "EMAIL"} & set(found(analysis))


def test_log_lines_are_low_at_most():
    rng = random.Random(11)
    lines = [(i, f'{rng.randint(11, 200)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)} - - '
                 f'"GET /track?n={rng.randint(100_000_000, 999_999_999)} HTTP/1.1" 200 512') for i in range(1, 200)]
    analysis = run(TextBlock(name="access.log", lines=iter(lines)))
    assert analysis.records_affected == 0 and analysis.severity in ("none", "low")
    assert set(found(analysis)) <= {"IP_ADDRESS"}


def test_role_addresses_in_an_email_column_are_no_one():
    rows = [["Maria Lopez", "maria.lopez@inbox-mail.org"], ["Press office", "press@inbox-mail.org"],
            ["Jose Perez", "jose.perez@inbox-mail.org"]]
    analysis = run(sheet("Contacts", ["Name", "Email"], rows))
    assert found(analysis)["EMAIL"].count == 2 and found(analysis)["EMAIL"].where == ["Contacts!B2:B4"]
    assert found(analysis)["PERSON_NAME"].count == 2 and analysis.records_affected == 2


# --- prose ---------------------------------------------------------------------------------------


def test_prose_names_beside_a_numbers():
    rng = random.Random(12)
    persons = people(rng, 12)
    lines = [(1, "Subject: FW: transfers"), (2, "")]
    for i, p in enumerate(persons):
        a_text = f"A-{p['a'][:3]}-{p['a'][3:6]}-{p['a'][6:]}"
        lines.append((3 + i, f"{i + 1}. {p['given']} {p['family']} ({a_text}) was transferred to {p['facility']}."))
    analysis = run(TextBlock(name="body", lines=iter(lines)))
    types = found(analysis)
    assert {"A_NUMBER", "PERSON_NAME", "CUSTODY_LOCATION"} <= set(types)
    assert types["A_NUMBER"].count == 12 and analysis.records_affected == 12
    assert types["A_NUMBER"].where == ["lines 3-14"]
    assert analysis.severity == "high"
    assert raw_values_in(analysis, [p["a"] for p in persons]) == 0


def test_a_person_in_a_table_and_in_prose_counts_once():
    table, persons = leak_sheet(20, seed=15)
    lines = [(1, f"{p['given']} {p['family']} (A{p['a']}) asked for a transfer.") for p in persons[:5]]
    analysis = run(table, TextBlock(name="notes", lines=iter(lines)))
    assert analysis.records_affected == 20


def test_bare_ssn_in_prose_needs_a_context_word():
    analysis = run(TextBlock(name="body", lines=iter(enumerate(SSN_PROSE, 1))))
    ssn = found(analysis).get("SSN")
    assert ssn is not None and ssn.where == ["line 2"]


def test_free_text_column_is_scanned_as_prose():
    analysis = run(Table(style="table", name="table 1", header=["Topic", "Notes"], header_row=1,
                         rows=iter(enumerate(NOTES_ROWS, 2))))
    assert "A_NUMBER" in found(analysis) and analysis.records_affected == 1


# --- bounds ------------------------------------------------------------------------------------------


def test_an_expired_deadline_stops_with_one_sentence():
    table, _ = leak_sheet(5000, seed=13)
    with pytest.raises(LimitExceeded) as caught:
        run(table, deadline=0.0)
    assert "limit" in str(caught.value) and "\n" not in str(caught.value)


def test_one_person_met_by_a_different_identifier_counts_once():
    notes = TextBlock(name="body", lines=iter(enumerate([
        "01/01/2024: Met with Maria Lopez (A# A204518377, DOB 06/01/1988). Best number: +504 9163-5498.",
        "02/02/2024: Met with Jorge Ruiz (A# A115820369, DOB 03/21/1998). Best number: +509 3443 2534.",
    ], 1)))
    comments = TextBlock(name="comments", lines=iter(enumerate(["Call her back at +504 9163-5498 about the hearing."], 1)))
    analysis = run(notes, comments)
    assert analysis.records_affected == 2
    assert found(analysis)["DATE_OF_BIRTH"].count == 2  # "DOB" names the date after it, not the meeting date


def test_a_messages_correspondents_are_not_the_people_it_exposes():
    header = TextBlock(name="headers", correspondents=True, lines=iter(enumerate([
        "From: Ana Torres <ana.torres@agency.gov>", "To: Luis Gomez <luis.gomez@agency.gov>"], 1)))
    analysis = run(header, TextBlock(name="body", lines=iter(enumerate(["Monthly newsletter: the office moves."], 1))))
    assert found(analysis)["EMAIL"].count == 2
    assert analysis.records_affected == 0 and analysis.severity == "none"
