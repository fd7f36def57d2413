"""Look-alike makers: harmless files shaped like leaks, in the same office formats.

Contract: each `make_*` writes one file into `ctx.out` and returns a `lookalike()` truth: no
incident, 0 people, and the listed types never reported. They hold ID-shaped numbers that are
something else (SKUs, invoices, part and order numbers), published directories of officials' work
contacts, aggregate tables, labelled sample/test data with the published dummy values, source code,
configuration, a schema without rows, a budget, a memo, a training deck, newsletters.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import lzma
import tarfile

from tests.corpus.truth import CorpusFile, lookalike
from tests.realworld.kit import Ctx
from tests.realworld.office import (
    ods_table,
    w_para,
    w_table,
    write_docx,
    write_ods,
    write_odt,
    write_pptx,
    write_xls,
)
from tests.realworld.pdfs import table_pdf
from tests.realworld.textual import (
    csv_text,
    email_message,
    html_page,
    html_simple_table,
    mbox,
    mysql_dump,
    xml_records,
)

GOV_IDS = {"A_NUMBER", "SSN", "ITIN", "PASSPORT", "CREDIT_CARD", "IBAN"}
COUNTRIES = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti", "Venezuela", "India", "China", "Cuba",
             "Colombia", "Ecuador", "Brazil")
FACILITIES = ("Krome North SPC", "Otay Mesa DC", "Port Isabel SPC", "Stewart DC", "Adelanto IPC")


def _codes(rng, n: int, prefix: str = "") -> list[str]:
    return [f"{prefix}{rng.randint(100_000_000, 299_999_999)}" for _ in range(n)]


def make_price_list(ctx: Ctx) -> CorpusFile:
    name = "catalogo_precios_2024.xls"
    rng, n = ctx.rng(name), ctx.n(250)
    items = ("Tornillo hexagonal", "Arandela plana", "Tuerca de seguridad", "Bisagra acero", "Cable THW", "Foco LED")
    rows = [[code, f"{items[i % 6]} {rng.randint(2, 40)} mm", round(rng.uniform(0.5, 90), 2), rng.randint(0, 500)]
            for i, code in enumerate(_codes(rng, n, "A"))]
    write_xls(ctx.path(name), [("Precios", ["SKU", "Descripción", "Precio (MXN)", "Existencias"], rows)])
    return lookalike(ctx.path(name), "xls", forbidden=GOV_IDS, what="price list: SKUs shaped like A-numbers beside prices")


def make_invoice_register(ctx: Ctx) -> CorpusFile:
    name = "invoice_register_q1.ods"
    rng, n = ctx.rng(name), ctx.n(200)
    vendors = ("Acme Office Supply LLC", "Northside Janitorial Inc.", "Blue Ridge Catering", "Metro Print Co.")
    rows = [[code, dt.date(2024, 1 + i % 3, 1 + i % 28), vendors[i % 4], round(rng.uniform(50, 9000), 2), "Paid"]
            for i, code in enumerate(_codes(rng, n))]
    rows.append(["Total", "", "", round(sum(r[3] for r in rows), 2), ""])
    write_ods(ctx.path(name), [ods_table("Invoices", ["Invoice No.", "Date", "Vendor", "Amount (USD)", "Status"], rows)])
    return lookalike(ctx.path(name), "ods", forbidden=GOV_IDS, what="invoice register: 9-digit invoice numbers beside amounts")


def make_directory(ctx: Ctx) -> CorpusFile:
    name = "directorio_funcionarios.html"
    crowd = ctx.crowd(name)
    people = crowd.people(ctx.n(40), ("es_MX", "en_US"))
    titles = ("Director", "Deputy Director", "Chief of Staff", "Press Officer", "Field Office Director")
    rows = [[p.latin_name, titles[i % 5], f"Field Office {1 + i % 6}", f"(202) 732-{4000 + i:04d}",
             f"{p.latin_given[0].lower()}.{p.latin_family.split()[0].lower()}@agency.example.gov"]
            for i, p in enumerate(people)]
    body = "<h1>Directory of officials</h1>\n" + html_simple_table(["Name", "Title", "Office", "Office phone", "Work email"], rows)
    ctx.path(name).write_text(html_page("Directory", body), encoding="utf-8")
    return lookalike(ctx.path(name), "html", forbidden=GOV_IDS | {"DATE_OF_BIRTH"},
                     what="published directory of officials: names, titles, offices, office phones and work e-mails")


def make_stats_xls(ctx: Ctx) -> CorpusFile:
    name = "detention_stats_fy2024.xls"
    rng = ctx.rng(name)
    rows, total = [], 0
    for facility in FACILITIES:
        sub = 0
        for country in COUNTRIES[:6]:
            count = rng.randint(12, 2400)
            sub += count
            rows.append([facility, country, count, round(rng.uniform(10, 90), 1)])
        rows.append([f"Subtotal {facility}", "", sub, ""])
        total += sub
    rows.append(["Total", "", total, ""])
    write_xls(ctx.path(name), [("FY24", ["Facility", "Nationality", "Population", "ALOS (days)"], rows)],
              title_rows=("Detention statistics FY2024",))
    return lookalike(ctx.path(name), "xls", forbidden=GOV_IDS | {"PERSON_NAME"},
                     what="aggregate table by facility and nationality with subtotals and a total")


def make_stats_pdf(ctx: Ctx) -> CorpusFile:
    name = "population_by_country.pdf"
    rng = ctx.rng(name)
    rows = [[c, str(rng.randint(100, 90000)), f"{rng.uniform(0.1, 30):.1f}%", str(rng.randint(2019, 2024))] for c in COUNTRIES]
    table_pdf(ctx.path(name), "Book-ins by country of citizenship", ["Country", "Book-ins", "Share", "Fiscal Year"], rows)
    return lookalike(ctx.path(name), "pdf", forbidden=GOV_IDS | {"PERSON_NAME"}, what="aggregate counts by country in a PDF")


def make_sample_form(ctx: Ctx) -> CorpusFile:
    name = "SAMPLE_intake_form_TEST_DATA.docx"
    rows = [["John Doe", "078-05-1120", "(202) 555-0143", "john.doe@example.com", "4111 1111 1111 1111"],
            ["Jane Doe", "123-45-6789", "(415) 555-0199", "jane.doe@example.com", "5555 5555 5555 4444"],
            ["Test User", "219-09-9999", "555-0100", "test.user@example.org", "3782 822463 10005"]]
    body = [w_para("SAMPLE - TEST DATA ONLY - intake form template", "Heading1"),
            w_para("This template shows how to fill in the form. All values below are dummy test values."),
            w_table(["Name (sample)", "SSN (dummy)", "Phone (fictional)", "Email (example)", "Card (test)"], rows)]
    write_docx(ctx.path(name), body, header="SAMPLE", footer="Dummy data for training")
    return lookalike(ctx.path(name), "docx", forbidden={"SSN", "CREDIT_CARD", "A_NUMBER"},
                     what="labelled sample form with the published dummy SSNs, 555-01xx phones, example.com, test cards")


def make_fixtures_py(ctx: Ctx) -> CorpusFile:
    name = "test_fixtures.py"
    text = '''"""Fixtures for the intake form tests (dummy values only)."""

SAMPLE_PEOPLE = [
    {"name": "John Doe", "ssn": "078-05-1120", "phone": "202-555-0143", "email": "john@example.com"},
    {"name": "Jane Roe", "ssn": "123-45-6789", "phone": "202-555-0110", "email": "jane@example.com"},
]
TEST_CARD = "4111111111111111"
A_NUMBER_PATTERN = r"A?\\d{8,9}"
TIMEOUT_MS = 250000000
'''
    ctx.path(name).write_text(text, encoding="utf-8")
    return lookalike(ctx.path(name), "text", forbidden={"SSN", "CREDIT_CARD", "A_NUMBER"},
                     what="Python source holding dummy fixtures")


def make_fixtures_js(ctx: Ctx) -> CorpusFile:
    name = "fixtures.js"
    text = """// Jest fixtures: dummy data only
export const users = [
  { id: 100234871, name: 'Test User', phone: '555-0123', email: 'test@example.com', card: '4111111111111111' },
  { id: 100234872, name: 'Demo Person', phone: '555-0187', email: 'demo@example.com', ssn: '078-05-1120' },
];
export const buildId = 204518733;
"""
    ctx.path(name).write_text(text, encoding="utf-8")
    return lookalike(ctx.path(name), "text", forbidden={"SSN", "CREDIT_CARD", "A_NUMBER"},
                     what="JavaScript fixtures with ids and test values")


def make_config_xml(ctx: Ctx) -> CorpusFile:
    name = "app_config.xml"
    rng = ctx.rng(name)
    records = [{"name": f"service-{i}", "port": str(8000 + i), "buildNumber": str(rng.randint(100_000_000, 299_999_999)),
                "timeoutMs": "30000", "accountId": str(rng.randint(100_000_000, 299_999_999))} for i in range(12)]
    ctx.path(name).write_text(xml_records("configuration", "service", records, attributes=("name",)), encoding="utf-8")
    return lookalike(ctx.path(name), "xml", forbidden=GOV_IDS, what="XML configuration with build numbers and account ids")


def make_schema_sql(ctx: Ctx) -> CorpusFile:
    name = "schema_only.sql"
    columns = [("id", "int NOT NULL AUTO_INCREMENT"), ("full_name", "varchar(120)"), ("a_number", "char(9)"),
               ("ssn", "char(11)"), ("date_of_birth", "date"), ("passport_no", "varchar(20)")]
    ctx.path(name).write_text(mysql_dump("detainees", columns, []), encoding="utf-8")
    return lookalike(ctx.path(name), "sql", forbidden=GOV_IDS | {"PERSON_NAME"}, what="SQL schema without any rows")


def make_budget_ods(ctx: Ctx) -> CorpusFile:
    name = "presupuesto_2025.ods"
    rng = ctx.rng(name)
    lines = ("Personal", "Arrendamiento", "Servicios", "Viajes", "Equipo", "Capacitación", "Imprevistos")
    rows = [[f"5{rng.randint(10, 99)}-{rng.randint(100000, 999999)}", line, rng.randint(10000, 900000),
             rng.randint(10000, 900000)] for line in lines]
    rows.append(["", "Total", sum(r[2] for r in rows), sum(r[3] for r in rows)])
    write_ods(ctx.path(name), [ods_table("Presupuesto", ["Cuenta", "Partida", "2024", "2025"], rows)])
    return lookalike(ctx.path(name), "ods", forbidden=GOV_IDS | {"PERSON_NAME"}, what="budget spreadsheet with account codes")


def make_policy_memo(ctx: Ctx) -> CorpusFile:
    name = "policy_memo_pii_handling.docx"
    body = [w_para("MEMORANDUM", "Heading1"),
            w_para("FROM: Acting Director Maria Gonzalez, Office of Privacy"),
            w_para("SUBJECT: Handling of A-numbers, SSNs and dates of birth in public postings"),
            w_para("Staff must never publish a roster containing A-numbers (format A-XXX-XXX-XXX) or Social "
                   "Security numbers (XXX-XX-XXXX). Before posting, run the pre-publish scan."),
            w_para("Questions: Office of Privacy, main line (202) 732-3300, privacy@agency.example.gov."),
            w_para("Effective FY2025. Approved by Deputy Director Samuel Park.")]
    write_docx(ctx.path(name), body, footer="Page 1 of 1")
    return lookalike(ctx.path(name), "docx", forbidden=GOV_IDS, what="policy memo about identifiers, officials named in role")


def make_training_deck(ctx: Ctx) -> CorpusFile:
    name = "privacy_training_deck.pptx"
    slides = [{"title": "Protecting personal data", "bullets": ["Why it matters", "What counts as PII"],
               "notes": "Presenter: privacy office."},
              {"title": "What an A-number looks like", "table": (["Field", "Example (masked)"],
                                                                 [["A-Number", "A-XXX-XXX-XXX"], ["SSN", "XXX-XX-1234"],
                                                                  ["Date of birth", "MM/DD/YYYY"]]),
               "notes": "Never use real numbers in training material."},
              {"title": "Checklist", "bullets": ["Scan before posting", "Report within 1 hour: ext. 4100"]}]
    write_pptx(ctx.path(name), slides)
    return lookalike(ctx.path(name), "pptx", forbidden=GOV_IDS, what="training deck with masked examples")


def make_newsletter(ctx: Ctx) -> CorpusFile:
    name = "newsletter_april.eml"
    body = ("Community newsletter - April\n\nJoin us on 12 April 2024 for the know-your-rights workshop.\n"
            "Press inquiries: press@legal-aid.example.org, Main office: (212) 680-1400.\n"
            "Hotline (24h): 1-800-375-5283.\n\nTo unsubscribe reply STOP.\n")
    raw = email_message(sender="news@legal-aid.example.org", to="subscribers@legal-aid.example.org",
                        subject="April newsletter", body=body, date=dt.datetime(2024, 4, 1, 9, 0),
                        html="<p>" + body.replace("\n", "<br>") + "</p>")
    ctx.path(name).write_bytes(raw)
    return lookalike(ctx.path(name), "eml", forbidden=GOV_IDS, what="newsletter e-mail with role addresses and office lines")


def make_orders_tgz(ctx: Ctx) -> CorpusFile:
    name = "order_history.tar.gz"
    rng, n = ctx.rng(name), ctx.n(200)
    rows = [[order, f"1Z{rng.randint(10**15, 10**16 - 1)}", f"SKU-{rng.randint(1000, 9999)}",
             f"{rng.uniform(5, 400):.2f}", f"{rng.randint(10000, 99999)}"] for order in _codes(rng, n)]
    data = csv_text(["Order ID", "Tracking", "SKU", "Price", "Zip"], rows).encode()
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("orders/2024.csv")
        info.size, info.mtime = len(data), 1712000000
        tar.addfile(info, io.BytesIO(data))
    ctx.path(name).write_bytes(buf.getvalue())
    return lookalike(ctx.path(name), "tgz", forbidden=GOV_IDS, what="order history: 9-digit order ids, tracking numbers")


def make_parts_xml(ctx: Ctx) -> CorpusFile:
    name = "parts_catalog.xml"
    rng, n = ctx.rng(name), ctx.n(150)
    records = [{"PartNumber": code, "Description": f"Valve assembly {i}", "UnitPrice": f"{rng.uniform(3, 900):.2f}",
                "Stock": str(rng.randint(0, 90))} for i, code in enumerate(_codes(rng, n))]
    ctx.path(name).write_text(xml_records("Catalog", "Part", records, attributes=("PartNumber",)), encoding="utf-8")
    return lookalike(ctx.path(name), "xml", forbidden=GOV_IDS, what="parts catalog: 9-digit part numbers in attributes")


def make_population_sql(ctx: Ctx) -> CorpusFile:
    name = "population_by_country.sql"
    rng = ctx.rng(name)
    rows = [[i + 1, c, 2024, rng.randint(100, 60000), round(rng.uniform(5, 80), 1)] for i, c in enumerate(COUNTRIES)]
    columns = [("id", "int"), ("country", "varchar(60)"), ("fiscal_year", "int"), ("population", "int"), ("alos", "decimal")]
    ctx.path(name).write_text(mysql_dump("population_stats", columns, rows), encoding="utf-8")
    return lookalike(ctx.path(name), "sql", forbidden=GOV_IDS | {"PERSON_NAME"}, what="aggregate statistics as a SQL dump")


def make_announcements_mbox(ctx: Ctx) -> CorpusFile:
    name = "announcements.mbox"
    messages = []
    for m, topic in enumerate(("Office closure", "New hours", "Holiday schedule")):
        date = dt.datetime(2024, 5, 1 + m, 8, 0)
        body = (f"{topic}.\nSwitchboard: (305) 207-2000. Fax: (305) 207-2099.\n"
                "Contact info@legal-aid.example.org for questions.\n")
        messages.append(("info@legal-aid.example.org", date,
                         email_message(sender="info@legal-aid.example.org", to="all-staff@legal-aid.example.org",
                                       subject=topic, body=body, date=date)))
    ctx.path(name).write_bytes(mbox(messages))
    return lookalike(ctx.path(name), "mbox", forbidden=GOV_IDS, what="mailing list of announcements: role addresses, switchboard")


def make_switchboard_odt(ctx: Ctx) -> CorpusFile:
    name = "switchboard_numbers.odt"
    rows = [["Main office", "(713) 454-3800"], ["Fax", "(713) 454-3899"], ["Hotline", "1-866-347-2423"],
            ["Press", "(713) 454-3830"]]
    write_odt(ctx.path(name), ["Office telephone numbers"], ["Line", "Number"], rows, ["Updated March 2024."])
    return lookalike(ctx.path(name), "odt", forbidden=GOV_IDS, what="an office's switchboard numbers")


def make_daily_counts_xz(ctx: Ctx) -> CorpusFile:
    name = "daily_population_counts.csv.xz"
    rng = ctx.rng(name)
    rows = [[(dt.date(2024, 1, 1) + dt.timedelta(days=d)).isoformat(), f, rng.randint(200, 2000)]
            for d in range(60) for f in FACILITIES[:3]]
    ctx.path(name).write_bytes(lzma.compress(csv_text(["Date", "Facility", "Population"], rows).encode()))
    return lookalike(ctx.path(name), "xz", forbidden=GOV_IDS | {"PERSON_NAME"}, what="daily counts by facility")


def make_stats_gz(ctx: Ctx) -> CorpusFile:
    name = "book_ins_by_nationality.csv.gz"
    rng = ctx.rng(name)
    rows = [[c, rng.randint(10, 9000), rng.randint(10, 9000)] for c in COUNTRIES] + [["Total", 0, 0]]
    ctx.path(name).write_bytes(gzip.compress(csv_text(["Nationality", "FY2023", "FY2024"], rows).encode(), mtime=0))
    return lookalike(ctx.path(name), "gz", forbidden=GOV_IDS | {"PERSON_NAME"}, what="book-ins by nationality, gzip")


MAKERS = [make_price_list, make_invoice_register, make_directory, make_stats_xls, make_stats_pdf, make_sample_form,
          make_fixtures_py, make_fixtures_js, make_config_xml, make_schema_sql, make_budget_ods, make_policy_memo,
          make_training_deck, make_newsletter, make_orders_tgz, make_parts_xml, make_population_sql,
          make_announcements_mbox, make_switchboard_odt, make_daily_counts_xz, make_stats_gz]
