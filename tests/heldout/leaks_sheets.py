"""Held-out leaks in spreadsheet and delimited-text shapes (xlsx, xls, ods, csv/tsv in odd encodings).

Each maker stands for one way an office really exposes people: a ward's discharge list with title
rows, a school's newcomer list, a payroll workbook split by country, a rent roll with a hidden SSN
column, and NGO lists headed in the case workers' own languages (Somali, Korean, Tigrinya,
Tagalog, German).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from tests.heldout.ids import (
    a_number,
    card,
    email,
    fmt_anum,
    fmt_card,
    fmt_iban,
    fmt_phone,
    fmt_ssn,
    iban,
    passport,
    phone,
    ssn,
)
from tests.heldout.kit import Ctx

US_DATE = "%m/%d/%Y"


def discharge_xlsx(ctx: Ctx):
    s = ctx.file("stbrigid_discharges_wk22.xlsx")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    total = 0
    for unit in ("4 West Med-Surg", "5 North Cardiac", "ED Obs"):
        ws = wb.create_sheet(unit.split()[0] + " " + unit.split()[1])
        ws["A1"] = "ST. BRIGID MEDICAL CENTER - DISCHARGE LIST"
        ws.merge_cells("A1:H1")
        ws["A2"] = f"Unit: {unit}    Run: 06/03/2024 06:00    Printed by: case mgmt"
        ws.append([])
        ws.append(["MRN", "Patient", "DOB", "Adm", "Disch", "Dispo", "Attending", "Callback #"])
        for _ in range(ctx.n(30)):
            p = s.people.one(s.rng.choice(["us", "us", "mexican", "haitian"]), (18, 95))
            adm = dt.date(2024, 5, s.rng.randint(1, 28))
            ws.append([f"{s.rng.randint(100000, 9999999):08d}", p.inverted, p.dob, adm, adm + dt.timedelta(days=3),
                       s.rng.choice(["HOME", "SNF", "HOME W/ HH", "AMA", "REHAB"]),
                       "Dr. " + s.people.one("us").family,
                       s.add("PHONE", fmt_phone(phone(s.rng, "US"), s.rng.choice(["national", "dots"])))])
            ws.cell(ws.max_row, 3).number_format = "mm/dd/yyyy"
            total += 1
    wb.save(s.path)
    return s.leak("xlsx", people=total, expected={"PERSON_NAME", "DATE_OF_BIRTH", "PHONE"}, forbidden={"A_NUMBER"},
                  what="hospital discharge list: title rows, three ward sheets, MRN, patient, DOB, callback phone")


def newcomers_xls(ctx: Ctx):
    s = ctx.file("newcomer_enrollment_2024-25.xls")
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Newcomers")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    head = ["Last Name", "First Name", "Gr", "Birthdate", "Country of Birth", "Passport #", "Visa",
            "Guardian Mobile", "Guardian Email", "Bus"]
    ws.write(0, 0, "Lakeview Unified SD - International Newcomer Center")
    for col, text in enumerate(head):
        ws.write(2, col, text)
    origins = {"vietnamese": ("VN", "vn"), "indonesian": ("ID", "in"), "mexican": ("MX", "mx"), "nigerian": ("NG", "ng")}
    rows = ctx.n(40)
    for r in range(rows):
        origin = s.rng.choice(list(origins))
        p = s.people.one(origin, (6, 17))
        region, style = origins[origin]
        number = phone(s.rng, region if s.rng.random() < 0.6 else "US")
        values = [p.family, p.given, s.rng.randint(1, 12), p.dob, p.nationality, s.add("PASSPORT", passport(s.rng, style)),
                  s.rng.choice(["F-1", "J-1", "B-2", "pending"]), s.add("PHONE", fmt_phone(number)),
                  s.add("EMAIL", email(s.rng, s.people.one(origin).given, p.family)), f"Rt {s.rng.randint(1, 30)}"]
        for col, value in enumerate(values):
            ws.write(3 + r, col, value, date_style if col == 3 else xlwt.Style.default_style)
    wb.save(str(s.path))
    return s.leak("xls", people=rows, expected={"PERSON_NAME", "PASSPORT", "PHONE", "EMAIL", "DATE_OF_BIRTH"},
                  what="school district newcomer list: students' passports, birthdates, guardian mobile and e-mail")


def _ods_table(doc, name: str, rows: list[list]) -> None:
    table = Table(name=name)
    for row in rows:
        tr = TableRow()
        for value in row:
            cell = TableCell(valuetype="float", value=value) if isinstance(value, float) else TableCell(valuetype="string")
            cell.addElement(P(text=f"{value:.2f}" if isinstance(value, float) else str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)


def payroll_ods(ctx: Ctx):
    s = ctx.file("payroll_register_2024-07.ods")
    doc = OpenDocumentSpreadsheet()
    us = [["Payroll register - pay date 07/15/2024 - Company code 0417"], [],
          ["Emp #", "Employee", "SSN", "Dept", "Gross", "Fed W/H", "Net"]]
    count_us = ctx.n(45)
    for _ in range(count_us):
        p = s.people.one(s.rng.choice(["us", "us", "mexican", "indian"]))
        gross = round(s.rng.uniform(1800, 9000), 2)
        us.append([f"{s.rng.randint(10000, 99999)}", f"{p.family}, {p.given}",
                   s.add("SSN", fmt_ssn(ssn(s.rng), s.rng.choice([0, 0, 2]))),
                   s.rng.choice(["OPS", "FIN", "IT", "SALES"]), gross, round(gross * 0.14, 2), round(gross * 0.71, 2)])
    eu = [["Gehaltsabrechnung / payroll EU entities - Juli 2024"], ["Name", "Entity", "IBAN", "BIC", "Net EUR"]]
    count_eu = ctx.n(25)
    for _ in range(count_eu):
        origin = s.rng.choice(["german", "dutch", "french", "spanish", "italian"])
        country = {"german": "DE", "dutch": "NL", "french": "FR", "spanish": "ES", "italian": "IT"}[origin]
        p = s.people.one(origin)
        eu.append([p.full, f"{country} GmbH" if country == "DE" else f"{country} B.V.",
                   s.add("IBAN", fmt_iban(iban(s.rng, country), s.rng.random() < 0.7)),
                   s.rng.choice(["COBADEFFXXX", "INGBNL2A", "BNPAFRPP", "CAIXESBB", "UNCRITMM"]),
                   round(s.rng.uniform(2100, 6400), 2)])
    _ods_table(doc, "US", us)
    _ods_table(doc, "EU", eu)
    doc.save(str(s.path))
    return s.leak("ods", people=count_us + count_eu, expected={"PERSON_NAME", "SSN", "IBAN"},
                  what="company payroll register: US sheet with SSNs, EU sheet with IBANs")


def rent_roll_xlsx(ctx: Ctx):
    s = ctx.file("Rent Roll - Maple Court (FINAL).xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Rent Roll"
    ws.append(["Unit", "Tenant", "Lease Start", "Rent", "Deposit", "Phone", "Email", "SSN (screening)", "Balance"])
    ws.column_dimensions["H"].hidden = True
    tenants = ctx.n(36)
    for i in range(tenants):
        p = s.people.one(s.rng.choice(["us", "us", "colombian", "vietnamese"]))
        ws.append([f"{100 + i // 6 * 100 + i % 6 + 1}", p.full, dt.date(2023, s.rng.randint(1, 12), 1),
                   s.rng.choice([1450, 1625, 1790, 2100]), 1500, s.add("PHONE", fmt_phone(phone(s.rng), "national")),
                   s.add("EMAIL", email(s.rng, p.given, p.family)), s.add("SSN", fmt_ssn(ssn(s.rng))),
                   s.rng.choice([0, 0, 0, 125.5, 1450])])
    ws.append(["", "TOTAL", "", f"=SUM(D2:D{tenants + 1})", "", "", "", "", f"=SUM(I2:I{tenants + 1})"])
    co = wb.create_sheet("Guarantors")
    co.append(["Unit", "Guarantor", "Relationship", "Guarantor SSN", "Guarantor Cell"])
    cosigners = ctx.n(8)
    for i in range(cosigners):
        p = s.people.one("us", (40, 75))
        co.append([f"{100 + i + 1}", p.full, s.rng.choice(["Parent", "Employer", "Sibling"]),
                   s.add("SSN", fmt_ssn(ssn(s.rng), 2)), s.add("PHONE", fmt_phone(phone(s.rng), "dots"))])
    wb.save(s.path)
    return s.leak("xlsx", people=tenants + cosigners, expected={"PERSON_NAME", "SSN", "PHONE", "EMAIL"},
                  what="property manager's rent roll: a hidden SSN column, a totals row, a guarantors sheet")


def somali_beneficiaries_xlsx(ctx: Ctx):
    s = ctx.file("diiwaanka_gargaarka_2024.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Diiwaan"
    ws.append(["Magaca oo buuxa", "Jinsiyadda", "Lambarka A", "Taariikhda dhalashada", "Taleefanka",
               "Xaaladda kiiska", "Qoyska"])
    rows = ctx.n(50)
    for _ in range(rows):
        p = s.people.one(s.rng.choice(["somali", "somali", "ethiopian"]))
        nationality = s.rng.choice(["Somalia", "Somalia", "Kenya", "Ethiopia"])
        ws.append([p.full, nationality, s.add("A_NUMBER", fmt_anum(a_number(s.rng), s.rng.choice([0, 1, 3, 4]))),
                   p.dob.strftime("%d/%m/%Y"), s.add("PHONE", fmt_phone(phone(s.rng), s.rng.choice(["national", "intl"]))),
                   s.rng.choice(["Furan", "Xiran", "Sugaya"]), s.rng.randint(1, 9)])
    wb.save(s.path)
    return s.leak("xlsx", people=rows, expected={"PERSON_NAME", "A_NUMBER", "PHONE", "NATIONALITY"},
                  what="NGO beneficiary register headed in Somali: nationality, A-number, birth date, phone")


def korean_workers_xlsx(ctx: Ctx):
    s = ctx.file("이주노동자_상담대장.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "상담대장"
    ws.append(["번호", "성명", "국적", "여권번호", "생년월일", "연락처", "사업장", "상담내용"])
    nat = {"vietnamese": ("베트남", "VN", "vn"), "indonesian": ("인도네시아", "ID", "in"),
           "filipino": ("필리핀", "PH", "ph")}
    rows = ctx.n(40)
    for i in range(rows):
        origin = s.rng.choice(list(nat))
        korean, region, style = nat[origin]
        p = s.people.one(origin, (21, 45))
        ws.append([i + 1, p.full, korean, s.add("PASSPORT", passport(s.rng, style)), p.dob.strftime("%Y.%m.%d"),
                   s.add("PHONE", fmt_phone(phone(s.rng, "KR"))), s.rng.choice(["(주)대성금속", "한빛농장", "세진섬유"]),
                   s.rng.choice(["임금체불", "산재", "비자연장", "사업장변경"])])
    wb.save(s.path)
    return s.leak("xlsx", people=rows, expected={"PERSON_NAME", "PASSPORT", "PHONE"},
                  what="migrant workers' counselling log headed in Korean: passport numbers and Korean mobiles")


def tigrinya_csv(ctx: Ctx):
    s = ctx.file("ዝርዝር_ተገልገልቲ.csv")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["ሽም", "ሽም ኣቦ", "ዜግነት", "ቁጽሪ A", "ዕለት ልደት", "ቴሌፎን"])
    rows = ctx.n(40)
    for _ in range(rows):
        p = s.people.one("eritrean")
        w.writerow([p.given, p.family, s.rng.choice(["Eritrea", "Eritrea", "Ethiopia"]),
                    s.add("A_NUMBER", fmt_anum(a_number(s.rng), s.rng.choice([0, 2]))), p.dob.strftime("%d/%m/%Y"),
                    s.add("PHONE", fmt_phone(phone(s.rng, s.rng.choice(["US", "US", "ER"]))))])
    s.path.write_bytes(buf.getvalue().encode("utf-16"))
    return s.leak("csv", people=rows, expected={"PERSON_NAME", "A_NUMBER", "PHONE", "NATIONALITY"},
                  what="Eritrean community association list headed in Tigrinya, UTF-16 with BOM")


def tagalog_csv(ctx: Ctx):
    s = ctx.file("ofw_deployment_batch7.csv")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";")
    w.writerow(["Apelyido", "Pangalan", "Petsa ng Kapanganakan", "Numero ng Pasaporte", "Nasyonalidad",
                "Numero ng Telepono", "Bansang Pupuntahan"])
    rows = ctx.n(45)
    for _ in range(rows):
        p = s.people.one("filipino", (22, 50))
        w.writerow([p.family, p.given, p.dob.strftime("%B %d, %Y"), s.add("PASSPORT", passport(s.rng, "ph")),
                    "Pilipino", s.add("PHONE", fmt_phone(phone(s.rng, "PH"), s.rng.choice(["intl", "e164"]))),
                    s.rng.choice(["Saudi Arabia", "Hong Kong", "Qatar", "Taiwan"])])
    s.path.write_bytes(buf.getvalue().encode("cp1252"))
    return s.leak("csv", people=rows, expected={"PERSON_NAME", "PASSPORT", "PHONE"},
                  what="recruitment agency's deployment batch headed in Tagalog, cp1252, semicolons")


def german_tsv(ctx: Ctx):
    s = ctx.file("Stammdaten_Mitarbeiter.tsv")
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t")
    w.writerow(["Personalnr.", "Nachname", "Vorname", "Geburtsdatum", "Steuer-ID", "IBAN", "Mobil", "Eintritt"])
    rows = ctx.n(40)
    for _ in range(rows):
        p = s.people.one(s.rng.choice(["german", "german", "italian"]))
        w.writerow([f"P{s.rng.randint(1000, 9999)}", p.family, p.given, p.dob.strftime("%d.%m.%Y"),
                    f"{s.rng.randint(1, 9)}{s.rng.randint(0, 10**10 - 1):010d}",
                    s.add("IBAN", fmt_iban(iban(s.rng, "DE"), s.rng.random() < 0.5)),
                    s.add("PHONE", fmt_phone(phone(s.rng, "DE"))), f"01.{s.rng.randint(1, 12):02d}.2019"])
    s.path.write_bytes(buf.getvalue().encode("utf-16-le"))
    return s.leak("tsv", people=rows, expected={"PERSON_NAME", "IBAN", "PHONE", "DATE_OF_BIRTH"},
                  what="German HR master data export: tab-separated UTF-16LE without BOM, IBAN, tax ID, mobile")


def mailmerge_csv(ctx: Ctx):
    s = ctx.file("card_reissue_mailmerge.csv")
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL)
    w.writerow(["Salutation", "FirstName", "LastName", "Address1", "City_State_Zip", "CardNumber", "Exp", "Branch"])
    rows = ctx.n(60)
    for _ in range(rows):
        p = s.people.one(s.rng.choice(["us", "us", "mexican", "spanish"]))
        brand = s.rng.choice(["visa", "visa", "mc", "discover"])
        w.writerow([s.rng.choice(["Mr.", "Ms.", "Mrs.", "Sr.", "Sra."]), p.given, p.family, s.people.street(),
                    s.people.city_line(), s.add("CREDIT_CARD", fmt_card(card(s.rng, brand), s.rng.choice([0, 2]))),
                    f"{s.rng.randint(1, 12):02d}/{s.rng.randint(26, 30)}", s.rng.choice(["Main", "Eastside", "Online"])])
    s.path.write_bytes(buf.getvalue().encode("cp1252"))
    return s.leak("csv", people=rows, expected={"PERSON_NAME", "CREDIT_CARD", "ADDRESS"},
                  what="credit union mail-merge source for reissued cards: full card numbers and addresses, cp1252")


MAKERS = [discharge_xlsx, newcomers_xls, payroll_ods, rent_roll_xlsx, somali_beneficiaries_xlsx, korean_workers_xlsx,
          tigrinya_csv, tagalog_csv, german_tsv, mailmerge_csv]
