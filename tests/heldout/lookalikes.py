"""Held-out look-alikes: files full of ID-shaped numbers or names that expose no one.

Invoice registers, a catalog of 9-digit SKUs and EANs, statistics by nationality, an office phone
book, a court calendar of docket numbers, a config file, software fixtures built on published test
numbers, a blank intake template, raffle tickets, ISBNs, parcel tracking numbers, a KPI deck, a
transit timetable in XML and an NGO newsletter. Two files do name people with work or contact
details only (a government staff directory, a conference attendee list): counted, at most medium,
never an incident.
"""

from __future__ import annotations

import csv
import io
import json
from email.message import EmailMessage

import docx
import openpyxl
from fpdf import FPDF
from odf.opendocument import OpenDocumentSpreadsheet
from pptx import Presentation
from pptx.util import Inches

from tests.heldout.ids import email, fmt_phone, luhn_ok, phone
from tests.heldout.kit import Ctx
from tests.heldout.leaks_sheets import _ods_table

NUMERIC = {"SSN", "A_NUMBER", "CREDIT_CARD", "ITIN", "PASSPORT", "IBAN"}


def invoices_xlsx(ctx: Ctx):
    s = ctx.file("AP_invoice_register_FY24Q2.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Invoice #", "Vendor", "PO", "Vendor ID", "Invoice date", "Due", "Amount", "GL"])
    for _ in range(ctx.n(120)):
        ws.append([f"{s.rng.randint(100000000, 999999999)}", s.rng.choice(["Grainger", "Staples Business", "CDW-G",
                   "Iron Mountain", "Sysco", "Konica Minolta"]), f"PO-{s.rng.randint(2400000, 2499999)}",
                   f"{s.rng.randint(10000000, 99999999)}", "2024-04-15", "2024-05-15", round(s.rng.uniform(50, 90000), 2),
                   f"{s.rng.randint(1000, 9999)}-{s.rng.randint(100, 999)}-{s.rng.randint(10, 99)}"])
    wb.save(s.path)
    return s.lookalike("xlsx", what="accounts-payable invoice register: 9-digit invoice and 8-digit vendor numbers",
                       forbidden=NUMERIC | {"PHONE", "PERSON_NAME"})


def _ean13(rng) -> str:
    body = "0" + "".join(rng.choice("0123456789") for _ in range(11))
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def catalog_csv(ctx: Ctx):
    s = ctx.file("product_catalog_export.csv")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["sku", "upc_ean", "description", "pack", "unit_price", "weight_g"])
    for _ in range(ctx.n(150)):
        w.writerow([f"{s.rng.randint(100000000, 899999999)}", _ean13(s.rng),
                    s.rng.choice(["Nitrile gloves L", "Copy paper A4", "Toner TK-5230", "Hand sanitizer 500ml"]),
                    s.rng.choice([1, 10, 100]), round(s.rng.uniform(1, 300), 2), s.rng.randint(10, 5000)])
    s.path.write_text(buf.getvalue(), encoding="utf-8")
    return s.lookalike("csv", what="product catalog: 9-digit SKUs and 13-digit EANs", forbidden=NUMERIC | {"PHONE"})


def nationality_stats_ods(ctx: Ctx):
    s = ctx.file("encounters_by_citizenship_FY23_FY24.ods")
    doc = OpenDocumentSpreadsheet()
    rows = [["Encounters by country of citizenship (all components)"], [],
            ["Citizenship", "FY2023", "FY2024", "Change"]]
    grand = [0, 0]
    for country in ["Mexico", "Guatemala", "Honduras", "Venezuela", "Colombia", "Ecuador", "Haiti", "Cuba", "India",
                    "China", "Somalia", "Eritrea", "Afghanistan", "Philippines", "Other"]:
        a, b = s.rng.randint(1000, 900000), s.rng.randint(1000, 900000)
        grand = [grand[0] + a, grand[1] + b]
        rows.append([country, float(a), float(b), f"{(b - a) / a:+.1%}"])
    rows.append(["Total", float(grand[0]), float(grand[1]), ""])
    _ods_table(doc, "By citizenship", rows)
    doc.save(str(s.path))
    return s.lookalike("ods", what="aggregate statistics by nationality with totals", forbidden=NUMERIC | {"PHONE"})


def staff_directory_html(ctx: Ctx):
    s = ctx.file("directory-office-of-the-county-executive.html")
    rows, count = [], ctx.n(25)
    for _ in range(count):
        p = s.people.one("us")
        rows.append(f"<tr><td>{p.given} {p.family}</td><td>{s.rng.choice(['Deputy Director', 'Policy Analyst', 'Budget Officer', 'Press Secretary'])}"
                    f"</td><td>{s.add('EMAIL', email(s.rng, p.given, p.family, 'harriscountyexec.gov'))}</td>"
                    f"<td>{s.add('PHONE', fmt_phone(phone(s.rng), 'national'))}</td></tr>")
    page = ("<html><head><title>Staff directory</title></head><body><h1>Office of the County Executive - staff</h1>"
            "<table><tr><th>Name</th><th>Title</th><th>Email</th><th>Office phone</th></tr>" + "".join(rows)
            + "</table></body></html>")
    s.path.write_text(page, encoding="utf-8")
    return s.lookalike("html", what="government staff directory: officials' names, titles, work e-mails and desk phones",
                       forbidden=NUMERIC, max_severity="medium", max_people=count)


def office_phonebook_pdf(ctx: Ctx):
    s = ctx.file("field_offices_phone_list.pdf")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Field offices - switchboard and fax numbers", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for city in ["Atlanta", "Baltimore", "Boston", "Chicago", "Dallas", "Denver", "Detroit", "El Paso", "Houston",
                 "Los Angeles", "Miami", "Newark", "New Orleans", "New York", "Philadelphia", "Phoenix", "Salt Lake City",
                 "San Antonio", "San Diego", "San Francisco", "Seattle", "St. Paul", "Washington"]:
        pdf.cell(0, 5, f"{city} Field Office   Main {fmt_phone(phone(s.rng), 'national')}   Fax "
                       f"{fmt_phone(phone(s.rng), 'national')}   Hours 8:00-4:30", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(s.path))
    return s.lookalike("pdf", what="phone book of field offices: switchboard and fax numbers, no people",
                       forbidden=NUMERIC | {"PERSON_NAME", "EMAIL"})


def court_calendar_docx(ctx: Ctx):
    s = ctx.file("Courtroom_4B_calendar_June10.docx")
    d = docx.Document()
    d.add_heading("United States District Court - Courtroom 4B - Calendar for Monday, June 10, 2024", 1)
    table = d.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Time", "Case number", "Proceeding", "Judge"], strict=True):
        cell.text = text
    for _ in range(ctx.n(30)):
        row = table.add_row().cells
        kind = s.rng.choice(["cv", "cr", "mj", "bk"])
        for cell, text in zip(row, [f"{s.rng.randint(9, 16)}:{s.rng.choice(['00', '15', '30', '45'])}",
                                    f"{s.rng.randint(1, 4)}:24-{kind}-{s.rng.randint(1, 99999):05d}",
                                    s.rng.choice(["Status conference", "Sentencing", "Motion hearing", "Arraignment"]),
                                    "Hon. presiding judge"], strict=True):
            cell.text = text
    d.save(s.path)
    return s.lookalike("docx", what="court calendar: times, docket numbers and proceedings only",
                       forbidden=NUMERIC | {"PHONE"})


def config_text(ctx: Ctx):
    s = ctx.file("service.conf")
    lines = ["# payments-gateway service configuration", "[server]", "listen = 0.0.0.0:8443", "workers = 16",
             f"max_body_bytes = {s.rng.randint(100000000, 999999999)}", "request_timeout_ms = 30000", "", "[aws]",
             f"account_id = {s.rng.randint(10**11, 10**12 - 1)}", "region = us-east-1",
             f"kms_key = arn:aws:kms:us-east-1:{s.rng.randint(10**11, 10**12 - 1)}:key/{s.rng.getrandbits(128):032x}",
             "", "[limits]", f"daily_cap_cents = {s.rng.randint(100000000, 999999999)}", "retry_backoff = 250,500,1000",
             f"build = {s.rng.randint(2024000000, 2024999999)}", f"seed = {s.rng.randint(10**15, 10**16 - 1)}"]
    s.path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return s.lookalike("text", what="service config file: byte limits, account IDs, ARNs, build numbers",
                       forbidden=NUMERIC | {"PHONE"})


def fixtures_json(ctx: Ctx):
    s = ctx.file("test_fixtures_customers.json")
    fixtures = [{"name": "Jane Doe", "ssn": "123-45-6789", "card": "4111 1111 1111 1111", "email": "jane@example.com",
                 "phone": "(202) 555-0143"},
                {"name": "John Q. Public", "ssn": "078-05-1120", "card": "5555555555554444", "email": "jq@mail.test",
                 "phone": "+1 312 555 0199"},
                {"name": "Test User", "ssn": "000-00-0000", "card": "4242424242424242", "email": "qa@example.org",
                 "phone": "555-0100"}]
    s.path.write_text(json.dumps({"fixtures": {"customers": fixtures}, "note": "synthetic data for unit tests"}, indent=2))
    return s.lookalike("json", what="software test fixtures: published test SSNs, card numbers, example.com mail, 555-01xx",
                       forbidden={"SSN", "CREDIT_CARD", "EMAIL", "PHONE"})


def intake_template_docx(ctx: Ctx):
    s = ctx.file("Client_Intake_Form_TEMPLATE_v3.docx")
    d = docx.Document()
    d.add_heading("Client Intake Form (blank)", 1)
    for line in ["Full name: ______________________", "A-Number: A-___-___-___", "SSN / ITIN: XXX-XX-XXXX",
                 "Date of birth (MM/DD/YYYY): __/__/____", "Passport No.: [PASSPORT NUMBER]", "Phone: (___) ___-____",
                 "Email: {{client_email}}", "Country of nationality: <<NATIONALITY>>", "Card on file: XXXX XXXX XXXX ____"]:
        d.add_paragraph(line)
    d.save(s.path)
    return s.lookalike("docx", what="blank intake template with placeholders for every identifier",
                       forbidden=NUMERIC | {"PHONE", "EMAIL", "DATE_OF_BIRTH"})


def raffle_xlsx(ctx: Ctx):
    s = ctx.file("spring_raffle_ticket_log.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ticket no.", "Book", "Serial", "Sold", "Draw"])
    for _ in range(ctx.n(150)):
        serial = "".join(s.rng.choice("0123456789") for _ in range(16))
        while luhn_ok(serial):
            serial = serial[:-1] + str((int(serial[-1]) + 1) % 10)
        ws.append([f"{s.rng.randint(100000000, 999999999)}", s.rng.randint(1, 40), serial, s.rng.random() < 0.8,
                   "" if s.rng.random() < 0.97 else "WINNER"])
    wb.save(s.path)
    return s.lookalike("xlsx", what="raffle ticket log: 9-digit tickets and 16-digit serials failing Luhn",
                       forbidden=NUMERIC | {"PHONE"})


def isbn_csv(ctx: Ctx):
    s = ctx.file("library_acquisitions_isbn.csv")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="|")
    w.writerow(["isbn13", "isbn10", "title", "publisher", "copies"])
    for _ in range(ctx.n(100)):
        core = "".join(s.rng.choice("0123456789") for _ in range(9))
        check10 = sum((10 - i) * int(d) for i, d in enumerate(core)) % 11
        isbn10 = core + ("X" if (11 - check10) % 11 == 10 else str((11 - check10) % 11))
        body = "978" + core
        isbn13 = body + str((10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10)
        w.writerow([isbn13, isbn10, s.rng.choice(["Field Guide to Birds", "Intro to Statistics", "Poems", "Atlas"]),
                    s.rng.choice(["Penguin", "Wiley", "Norton"]), s.rng.randint(1, 5)])
    s.path.write_text(buf.getvalue(), encoding="utf-8")
    return s.lookalike("csv", what="library acquisitions list: ISBN-13 and ISBN-10, pipe-separated",
                       forbidden=NUMERIC | {"PHONE"})


def tracking_html(ctx: Ctx):
    s = ctx.file("outbound_shipments_week23.html")
    rows = []
    for _ in range(ctx.n(60)):
        carrier = s.rng.choice(["UPS", "FedEx", "USPS", "DHL"])
        pool, prefix, length = {"UPS": ("0123456789ABCDEFGHJKLMNPRSTUVWXY", "1Z", 16), "FedEx": ("0123456789", "", 12),
                                "USPS": ("0123456789", "9400", 18), "DHL": ("0123456789", "", 10)}[carrier]
        number = prefix + "".join(s.rng.choice(pool) for _ in range(length))
        rows.append(f"<tr><td>{carrier}</td><td>{number}</td><td>{s.rng.choice(['Warehouse 2', 'Dock A'])}</td>"
                    f"<td>{s.rng.randint(1, 40)} lb</td></tr>")
    s.path.write_text("<html><body><h2>Outbound shipments</h2><table><tr><th>Carrier</th><th>Tracking</th><th>Origin</th>"
                      "<th>Weight</th></tr>" + "".join(rows) + "</table></body></html>", encoding="utf-8")
    return s.lookalike("html", what="shipping log: UPS, FedEx, USPS and DHL tracking numbers",
                       forbidden=NUMERIC | {"PHONE"})


def kpi_pptx(ctx: Ctx):
    s = ctx.file("Ops_KPIs_May.pptx")
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Operations KPIs - May"
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), Inches(9), Inches(5)).text_frame
    for text in [f"Calls handled: {s.rng.randint(100000, 999999):,}", f"Budget line {s.rng.randint(100, 999)}-{s.rng.randint(1000, 9999)}-"
                 f"{s.rng.randint(100, 999)} (fund-org-account)", f"Grant award no. {s.rng.randint(100000000, 999999999)}",
                 f"Work orders {s.rng.randint(1000, 9999)}-{s.rng.randint(10, 99)}-{s.rng.randint(1000, 9999)} closed",
                 "Uptime 99.95%  |  Avg handle time 4:32"]:
        box.add_paragraph().text = text
    prs.save(s.path)
    return s.lookalike("pptx", what="KPI slide: counts, budget-line and grant numbers shaped like phones and IDs",
                       forbidden=NUMERIC | {"PHONE"})


def timetable_xml(ctx: Ctx):
    s = ctx.file("route_42_timetable.xml")
    stops = "".join(f'<stop id="{s.rng.randint(100000000, 999999999)}" seq="{i}" arrive="0{6 + i // 6}:{i * 7 % 60:02d}"/>'
                    for i in range(ctx.n(40)))
    s.path.write_text(f'<?xml version="1.0"?><timetable route="42" service_id="{s.rng.randint(10**8, 10**9)}">{stops}'
                      "</timetable>", encoding="utf-8")
    return s.lookalike("xml", what="transit timetable: 9-digit stop IDs and times", forbidden=NUMERIC | {"PHONE"})


def newsletter_eml(ctx: Ctx):
    s = ctx.file("newsletter_june.eml")
    msg = EmailMessage()
    msg["From"] = "Riverbend Refugee Services <news@riverbendrefugee.org>"
    msg["To"] = "supporters@lists.riverbendrefugee.org"
    msg["Subject"] = "June newsletter: 412 families welcomed this year"
    msg["Date"] = "Sat, 01 Jun 2024 10:00:00 -0400"
    msg.set_content("This year we welcomed 412 families from 19 countries. Volunteer orientation is on June 15.\n"
                    f"Questions? Call our front desk at {fmt_phone(phone(s.rng), 'national')} or write to "
                    "info@riverbendrefugee.org.\nEIN 81-2345678 | Donations are tax-deductible.")
    s.path.write_bytes(bytes(msg))
    return s.lookalike("eml", what="NGO newsletter: aggregate figures, the office's phone and mailbox, an EIN",
                       forbidden=NUMERIC)


def attendees_xlsx(ctx: Ctx):
    s = ctx.file("regional_health_summit_attendees.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["First", "Last", "Organization", "Email", "Mobile", "Session"])
    count = ctx.n(60)
    for _ in range(count):
        p = s.people.one(s.rng.choice(["us", "us", "mexican", "indian"]))
        ws.append([p.given, p.family, s.rng.choice(["County Health Dept", "Mercy Clinic", "UCHealth", "Self"]),
                   s.add("EMAIL", email(s.rng, p.given, p.family)), s.add("PHONE", fmt_phone(phone(s.rng), "national")),
                   s.rng.choice(["A", "B", "C"])])
    wb.save(s.path)
    return s.contacts_only("xlsx", people=count, forbidden=NUMERIC,
                           what="conference attendee list: names with e-mails and mobiles only")


MAKERS = [invoices_xlsx, catalog_csv, nationality_stats_ods, staff_directory_html, office_phonebook_pdf,
          court_calendar_docx, config_text, fixtures_json, intake_template_docx, raffle_xlsx, isbn_csv, tracking_html,
          kpi_pptx, timetable_xml, newsletter_eml, attendees_xlsx]
