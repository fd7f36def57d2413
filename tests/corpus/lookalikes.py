"""Look-alikes: ID-shaped numbers, nationalities, facility names and contact details, but no one's
personal data. None of these may raise an incident, and none exposes a person (records 0).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from tests.corpus.common import day_between, facility_places, scaled, street_address
from tests.corpus.names import ENGLISH, OFFICIAL_ROLES, ORIGINS
from tests.corpus.render import phone_text
from tests.corpus.truth import CorpusFile, lookalike
from tests.corpus.values import Factory
from tests.corpus.writers import csv_text, html_page, html_table, save_workbook, write_json, write_zip

#: ID-shaped numbers in these files are never people's identifiers
NOT_PEOPLE_IDS = {"A_NUMBER", "SSN", "ITIN", "PASSPORT"}


def _countries() -> list[str]:
    upper = {c.upper() for origin, _ in ORIGINS for c in origin.countries if "," not in c}
    return sorted(upper | {"CUBA", "BRAZIL", "PERU", "DOMINICAN REPUBLIC", "ROMANIA", "TURKEY", "ANGOLA"})


def _stats_by_country_rows(rng: random.Random) -> list[list[object]]:
    countries = _countries()
    counts = {country: rng.randint(3, 40_000) for country in countries}
    total = sum(counts.values())
    rows: list[list[object]] = []
    for country in sorted(countries, key=lambda c: -counts[c]):
        rows.append([country, counts[country], round(100 * counts[country] / total, 2), rng.randint(12, 90)])
    rows.append(["Total", total, 100.0, None])
    return rows


def stats_workbook(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Aggregate statistics by country and by facility, with a title, as agencies publish them."""
    workbook = Workbook()
    by_country = workbook.active
    by_country.title = "By Country"
    by_country["A1"] = "FY2025 Detention Statistics - Book-ins by Country of Citizenship"
    by_country["A1"].font = Font(bold=True)
    by_country.merge_cells("A1:D1")
    by_country.append([])
    by_country.append(["Country of Citizenship", "Book-ins FY2025", "Share of Total (%)", "ALOS (days)"])
    for row in _stats_by_country_rows(rng):
        by_country.append(row)
    by_facility = workbook.create_sheet("By Facility")
    by_facility.append(["Detention Facility", "City", "State", "FY", "ADP", "ALOS", "Guaranteed Minimum"])
    for name, town, state in facility_places(rng, scaled(60, scale, 20)):
        by_facility.append([name, town, state, 2025, round(rng.uniform(20, 1800), 1), round(rng.uniform(8, 70), 1),
                            rng.choice((0, 100, 250, 500, 750))])
    save_workbook(workbook, path)
    return lookalike(path, "xlsx", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="aggregate statistics by country and facility")


def facility_stats_csv(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    rows: list[list[object]] = [["Facility Name", "AOR", "Facility Type", "FY24 ADP", "FY25 ADP", "Male", "Female",
                                 "Level A", "Level B", "Level C"]]
    for name, _, _ in facility_places(rng, scaled(70, scale, 20)):
        male, female = rng.randint(0, 1500), rng.randint(0, 400)
        rows.append([name, rng.choice(("DAL", "HOU", "ELP", "NOL", "ATL", "PHO", "SFR", "MIA")),
                     rng.choice(("IGSA", "CDF", "SPC", "USMS IGA")), rng.randint(10, 2000), male + female, male,
                     female, rng.randint(0, 900), rng.randint(0, 500), rng.randint(0, 200)])
    path.write_text(csv_text(rows), encoding="utf-8")
    return lookalike(path, "csv", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="average daily population per facility")


def parts_catalog(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """'A' + 8 digits as part numbers and 9-digit SKUs: the header says what they are."""
    rows: list[list[object]] = [["Part No.", "SKU", "Description", "Unit Price", "Qty on Hand", "Supplier"]]
    items = ("Hex bolt M8x40", "Door hinge, heavy duty", "Mattress, fire retardant", "Tray, compartment",
             "Radio battery pack", "Shower valve cartridge", "LED fixture 4ft", "Lock cylinder",
             "Intercom handset", "Filter, HVAC 20x25")
    used: set[str] = set()
    for _ in range(scaled(400, scale, 40)):
        part = f"A{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.8 else f"A{rng.randint(1_000_000, 9_999_999)}"
        if part in used:
            continue
        used.add(part)
        rows.append([part, str(rng.randint(100_000_000, 999_999_999)), rng.choice(items),
                     f"{rng.uniform(0.5, 900):.2f}", rng.randint(0, 500),
                     rng.choice(("Red Mesa Supply Co.", "Granite Falls Hardware", "Bluewater Industrial"))])
    path.write_text(csv_text(rows), encoding="utf-8")
    return lookalike(path, "csv", forbidden=NOT_PEOPLE_IDS | {"PHONE", "PERSON_NAME"},
                     what="parts catalog with A-prefixed part numbers and 9-digit SKUs")


def invoice_ledger(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ledger"
    sheet.append(["Invoice #", "Account No.", "Vendor", "Invoice Date", "Amount", "Status"])
    for _ in range(scaled(500, scale, 40)):
        sheet.append([rng.randint(100_000_000, 999_999_999), str(rng.randint(100_000_000, 899_999_999)),
                      rng.choice(("Stillman Food Services LLC", "Harlan Gap Medical Supply", "Port Haldane Transport Inc.",
                                  "Otter Bend Laundry Co.")),
                      day_between(rng, date(2024, 10, 1), date(2025, 6, 30)), round(rng.uniform(100, 250_000), 2),
                      rng.choice(("Paid", "Open", "Disputed"))])
    save_workbook(workbook, path)
    return lookalike(path, "xlsx", forbidden=NOT_PEOPLE_IDS | {"PHONE", "PERSON_NAME", "CREDIT_CARD"},
                     what="invoice ledger with 9-digit invoice and account numbers")


def office_directory(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Offices, switchboards, a press address, street addresses: the agency's, not a person's."""
    factory = Factory(rng)
    rows = []
    for _, town, state in facility_places(rng, 8):
        rows.append([f"{town} Field Office", f"{street_address(rng)}, {town}, {state} {rng.randint(70000, 89999)}",
                     phone_text(factory.phone(), rng), "Mon-Fri 8:00-16:30"])
    body = (f"<h1>Contact us</h1>\n<p>Main switchboard: {phone_text(factory.phone(), rng)}. "
            f"Press inquiries: <a href=\"mailto:press@example.org\">press@example.org</a>. "
            f"Headquarters: 500 Example Avenue NW, Washington, DC 20536.</p>\n"
            + html_table(["Office", "Address", "Main Phone", "Hours"], rows)
            + "\n<p>Report a tip online or call the tip line 24/7.</p>")
    path.write_text(html_page("Contact us", body), encoding="utf-8")
    return lookalike(path, "html", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="office directory: switchboards, press email, office addresses")


def press_release(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Officials named in their role, statistics by nationality, a public media contact."""
    factory = Factory(rng, (ENGLISH,))
    director, deputy = factory.person(), factory.person()
    countries = rng.sample(_countries(), 3)
    text = f"""FOR IMMEDIATE RELEASE
June 16, 2025

Agency reports third-quarter detention figures

WASHINGTON - The agency today released its third-quarter figures. Book-ins fell 4.2 percent from the
previous quarter; nationals of {countries[0].title()}, {countries[1].title()} and {countries[2].title()} made up
{rng.randint(30, 60)} percent of the total.

"These numbers reflect a sustained effort," said {rng.choice(OFFICIAL_ROLES)} {director.full_name}. "We
will keep publishing them every quarter."

{rng.choice(OFFICIAL_ROLES)} {deputy.full_name} said the new facility standards take effect on October 1, 2025,
under 8 CFR 235.3 and the 2025 detention standards.

Media contact: Office of Public Affairs, {phone_text(factory.phone(), rng)}, press@example.org

###
"""
    path.write_text(text, encoding="utf-8")
    return lookalike(path, "text", forbidden=NOT_PEOPLE_IDS | {"DATE_OF_BIRTH"},
                     what="press release naming officials by role, with a media contact")


def access_log(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    paths = ("/", "/detention/statistics", "/files/fy2025-detention-stats.xlsx", "/news/releases",
             "/contact", "/static/site.css", "/search?q=facility+locator", "/api/v1/facilities?page=2",
             "/track?n={n}", "/files/policy-memo-2025-07.pdf")
    agents = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/125.0 Safari/537.36",
              "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
              "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)")
    lines = []
    moment = date(2025, 6, 12)
    seconds = 0
    for _ in range(scaled(3000, scale, 200)):
        seconds += rng.randint(0, 20)
        stamp = (moment + timedelta(seconds=seconds)).strftime("%d/%b/%Y") + \
            f":{seconds // 3600 % 24:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d} +0000"
        ip = f"{rng.randint(11, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        request = rng.choice(paths).format(n=rng.randint(100_000_000, 999_999_999))
        lines.append(f'{ip} - - [{stamp}] "GET {request} HTTP/1.1" {rng.choice((200, 200, 200, 304, 404))} '
                     f'{rng.randint(200, 90_000)} "-" "{rng.choice(agents)}"')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return lookalike(path, "text", forbidden=NOT_PEOPLE_IDS | {"PHONE", "PERSON_NAME", "CREDIT_CARD", "DATE_OF_BIRTH"},
                     what="web server access log")


def facilities_json(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    factory = Factory(rng)
    records = []
    for name, town, state in facility_places(rng, scaled(40, scale, 12)):
        records.append({"name": name, "type": rng.choice(("IGSA", "CDF", "SPC")),
                        "address": {"street": street_address(rng), "city": town, "state": state,
                                    "zip": f"{rng.randint(70000, 89999)}"},
                        "phone": phone_text(factory.phone(), rng), "fax": phone_text(factory.phone(), rng),
                        "capacity": rng.randint(100, 2400), "visitation": "Sat-Sun 08:00-15:00"})
    write_json(path, {"updated": "2025-06-01", "facilities": records})
    return lookalike(path, "json", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="facility locator: addresses and main phone numbers")


def policy_memo_pdf(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    from tests.corpus.writers import pdf_document

    pdf = pdf_document()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "MEMORANDUM", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    paragraphs = [
        "MEMORANDUM FOR: All Field Office Directors",
        "FROM: Office of the Director",
        "DATE: July 7, 2025",
        "SUBJECT: Custody determinations under 8 U.S.C. 1226(a) and 8 CFR 236.1(c)(8)",
        "1. Purpose. This memorandum updates guidance issued on March 3, 2021 (Policy No. 11064.3) and "
        "supersedes Directive 11072.1 of September 14, 2017.",
        "2. Authority. 8 U.S.C. 1103(a), 1225(b), 1226(a) and (c), 1231(a); 8 CFR 212.5, 236.1 and 1236.1; "
        "Pub. L. 104-208, 110 Stat. 3009-546.",
        "3. Background. Matter of Guerra, 24 I&N Dec. 37 (BIA 2006), and Matter of Adeniji, 22 I&N Dec. 1102 "
        "(BIA 1999), set out the factors considered in bond proceedings.",
        f"4. Reporting. Offices report monthly totals on Form I-{rng.randint(200, 299)} by the 10th day "
        "of each month, beginning August 10, 2025.",
        "5. No private right of action. This memorandum is internal guidance and creates no rights.",
    ]
    for paragraph in paragraphs:
        pdf.multi_cell(0, 5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.output(str(path))
    return lookalike(path, "pdf", forbidden=NOT_PEOPLE_IDS | {"DATE_OF_BIRTH", "PHONE"},
                     what="policy memo with statute numbers and dates")


def tracking_csv(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    rows: list[list[object]] = [["Tracking #", "Carrier", "Ship Date", "Destination", "Weight (lb)", "Status"]]
    sites = [name for name, _, _ in facility_places(rng, 10)]
    for _ in range(scaled(500, scale, 40)):
        rows.append([str(rng.randint(100_000_000, 999_999_999)), rng.choice(("UPS", "FedEx", "USPS", "DHL")),
                     day_between(rng, date(2025, 5, 1), date(2025, 6, 30)).isoformat(), rng.choice(sites),
                     round(rng.uniform(0.2, 70), 1), rng.choice(("Delivered", "In transit", "Exception"))])
    path.write_text(csv_text(rows), encoding="utf-8")
    return lookalike(path, "csv", forbidden=NOT_PEOPLE_IDS | {"PHONE", "PERSON_NAME"},
                     what="shipments with random 9-digit tracking numbers")


def public_release_zip(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A public data release: statistics CSV and a plain-text readme, zipped."""
    stats = [["Country of Citizenship", "Removals FY2025", "Percent", "Median Days in Custody"]]
    stats += [[r[0], r[1], r[2], r[3]] for r in _stats_by_country_rows(rng)]
    readme = ("Public data release, FY2025 third quarter.\nCounts below 10 are suppressed.\n"
              "Questions: press@example.org\n")
    write_zip(path, {"release/README.txt": readme.encode("utf-8"),
                     "release/removals_by_country.csv": csv_text(stats).encode("utf-8")})
    return lookalike(path, "zip", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="zipped public statistics release")


def crosstab_csv(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Book-ins by facility (rows) and country of citizenship (columns): counts about no one."""
    countries = rng.sample(_countries(), 12)
    rows: list[list[object]] = [["Facility", *countries, "Total"]]
    for name, _, _ in facility_places(rng, scaled(40, scale, 12)):
        counts = [rng.choice((0, 0, rng.randint(1, 9), rng.randint(10, 400))) for _ in countries]
        rows.append([name, *counts, sum(counts)])
    path.write_text(csv_text(rows), encoding="utf-8")
    return lookalike(path, "csv", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="cross-tab of counts: facilities by country of citizenship")


def blank_form_pdf(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A blank intake form: field labels, placeholders, one format example; nobody's data."""
    from tests.corpus.writers import pdf_document

    pdf = pdf_document()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "INTAKE QUESTIONNAIRE (BLANK FORM - REV. 03/2025)", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    fields = [
        "1. Family Name (Last): ______________________   Given Name (First): ______________________",
        "2. A-Number (if any): A-___-___-___   Enter all 9 digits; add a leading zero to 8-digit numbers.",
        "3. Social Security Number (if any): XXX-XX-XXXX",
        "4. Date of Birth (mm/dd/yyyy): __/__/____      5. Country of Citizenship: ______________",
        "6. Passport Number: ______________   Issuing Country: ______________",
        "7. Phone: (___) ___-____      8. Email: ______________@__________",
        "Instructions: write in capital letters. Do not write in the shaded area. Keep a copy for your records.",
        "Paperwork Reduction Act: an agency may not conduct or sponsor an information collection unless it "
        "displays a currently valid OMB control number. Estimated burden: 25 minutes.",
    ]
    for line in fields:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.output(str(path))
    return lookalike(path, "pdf", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH", "PHONE", "EMAIL"},
                     what="blank intake form with placeholders")
