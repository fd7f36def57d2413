"""Held-out leaks in document shapes: Word letters and tables, slides, PDFs, web pages, plain prose.

A law firm's weekly intake memo (prose plus family tables), an evacuee list with Dari headers in
a right-to-left Word table, an HR slide deck on visa sponsorship, a transfer manifest printed in
5-point type, a bank's returned-transfer report, a police "found documents" web page, and a
dispatch narrative log in capitals.
"""

from __future__ import annotations

import html

import docx
from anyascii import anyascii
from fpdf import FPDF
from pptx import Presentation
from pptx.util import Inches, Pt

from tests.heldout.ids import (
    a_number,
    email,
    fmt_anum,
    fmt_iban,
    fmt_phone,
    fmt_ssn,
    iban,
    passport,
    phone,
    ssn,
)
from tests.heldout.kit import Ctx


def intake_memo_docx(ctx: Ctx):
    s = ctx.file("Weekly_Intake_Memo_wk23.docx")
    d = docx.Document()
    d.add_paragraph("HARGROVE & MBEKI LLP · 1420 K Street NW, Suite 600 · Washington, DC 20005 · Tel. "
                    + s.add("PHONE", fmt_phone(phone(s.rng), "national")) + " · "
                    + s.add("EMAIL", "intake@hargrovembeki.com"))
    d.add_heading("PRIVILEGED & CONFIDENTIAL - ATTORNEY WORK PRODUCT", 1)
    d.add_paragraph("To: Immigration team   From: Intake paralegal   Re: new matters opened this week")
    people = 0
    for _ in range(ctx.n(6, 2)):
        origin = s.rng.choice(["guatemalan", "haitian", "afghan", "nigerian"])
        c = s.people.one(origin)
        nat = c.nationality
        d.add_heading(f"{c.family}, {c.given}", 2)
        d.add_paragraph(
            f"Client is a {s.rng.randint(19, 60)}-year-old national of {nat} born {c.dob:%B %-d, %Y}, who entered "
            f"without inspection and holds alien number {s.add('A_NUMBER', fmt_anum(a_number(s.rng), 1))}. "
            f"Client's passport ({s.add('PASSPORT', passport(s.rng, 'mx'))}) was retained by CBP. Best contact is "
            f"{s.add('PHONE', fmt_phone(phone(s.rng), 'national'))} or {s.add('EMAIL', email(s.rng, c.given, c.family))}. "
            "Client fears return because of threats described in the attached declaration.")
        people += 1
        family = s.rng.randint(1, 3)
        table = d.add_table(rows=1, cols=5)
        for cell, text in zip(table.rows[0].cells, ["Derivative", "Relationship", "DOB", "A-Number", "Passport No."],
                              strict=True):
            cell.text = text
        for k in range(family):
            m = s.people.one(origin, (1, 40))
            row = table.add_row().cells
            values = [m.full, "Spouse" if k == 0 else "Child", f"{m.dob:%m/%d/%Y}",
                      s.add("A_NUMBER", fmt_anum(a_number(s.rng), 0)), s.add("PASSPORT", passport(s.rng, "mx"))]
            for cell, value in zip(row, values, strict=True):
                cell.text = value
            people += 1
        d.add_paragraph("Next steps: file I-589 within one year of entry; request FOIA from USCIS.")
    d.add_paragraph("Prepared by the intake desk. Do not forward outside the firm.")
    d.save(s.path)
    return s.leak("docx", people=people, expected={"PERSON_NAME", "A_NUMBER", "PASSPORT", "PHONE", "EMAIL"},
                  what="law firm's weekly intake memo: a prose paragraph per client and a table of derivatives")


def dari_families_docx(ctx: Ctx):
    s = ctx.file("فهرست_خانواده_ها.docx")
    d = docx.Document()
    d.add_heading("فهرست خانواده‌های تخلیه شده - دفتر اسکان مجدد", 1)
    d.add_paragraph("این فهرست محرمانه است. لطفاً به اشتراک نگذارید.")
    table = d.add_table(rows=1, cols=6)
    for cell, text in zip(table.rows[0].cells, ["نام", "تخلص", "تاریخ تولد", "شماره A", "ملیت", "شماره تماس"],
                          strict=True):
        cell.text = text
    rows = ctx.n(35)
    for _ in range(rows):
        p = s.people.one("afghan", (1, 70))
        values = [p.given, p.family, f"{p.dob:%Y-%m-%d}", s.add("A_NUMBER", fmt_anum(a_number(s.rng), s.rng.choice([0, 4]))),
                  "Afghanistan", s.add("PHONE", fmt_phone(phone(s.rng, s.rng.choice(["US", "AF"]))))]
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    d.save(s.path)
    return s.leak("docx", people=rows, expected={"PERSON_NAME", "A_NUMBER", "PHONE", "DATE_OF_BIRTH"},
                  what="resettlement office's evacuee family list: a Word table headed in Dari")


def sponsorship_pptx(ctx: Ctx):
    s = ctx.file("Q3_Immigration_Pipeline_review.pptx")
    prs = Presentation()
    title = prs.slides.add_slide(prs.slide_layouts[0])
    title.shapes.title.text = "Global Mobility - Q3 sponsorship pipeline"
    title.placeholders[1].text = "People Ops leadership review · internal"
    people, per_slide = 0, 8
    total = ctx.n(24)
    first_passport = None
    for start in range(0, total, per_slide):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = f"Pending cases ({start + 1}-{min(total, start + per_slide)})"
        count = min(per_slide, total - start)
        shape = slide.shapes.add_table(count + 1, 5, Inches(0.3), Inches(1.4), Inches(9.4), Inches(0.3 * (count + 1)))
        table = shape.table
        for col, text in enumerate(["Employee", "Citizenship", "Passport", "A#", "Stage"]):
            table.cell(0, col).text = text
        for r in range(count):
            origin = s.rng.choice(["indian", "mexican", "nigerian", "british", "colombian"])
            p = s.people.one(origin, (24, 55))
            number = s.add("PASSPORT", passport(s.rng, {"indian": "in", "mexican": "mx", "nigerian": "ng",
                                                         "british": "gb", "colombian": "us"}[origin]))
            first_passport = first_passport or number
            anum = s.add("A_NUMBER", fmt_anum(a_number(s.rng), 2)) if s.rng.random() < 0.6 else "-"
            for col, text in enumerate([p.full, p.nationality, number, anum,
                                        s.rng.choice(["PERM filed", "I-140 approved", "I-485 pending", "H-1B lottery"])]):
                table.cell(r + 1, col).text = text
                table.cell(r + 1, col).text_frame.paragraphs[0].runs[0].font.size = Pt(10)
            people += 1
    slide.notes_slide.notes_text_frame.text = f"Chase outside counsel on passport {first_passport}: expires before I-485."
    prs.save(s.path)
    return s.leak("pptx", people=people, expected={"PERSON_NAME", "PASSPORT", "A_NUMBER"},
                  what="HR slide deck on visa sponsorship: tables of employees, passports and A-numbers, speaker notes")


class _Pdf(FPDF):
    banner = ""

    def header(self) -> None:
        self.set_font("Helvetica", "B", 7)
        self.cell(0, 4, self.banner, new_x="LMARGIN", new_y="NEXT")


def manifest_pdf(ctx: Ctx):
    s = ctx.file("transfer_manifest_0412.pdf")
    pdf = _Pdf(orientation="L", format="Letter")
    pdf.banner = "ERO FIELD OFFICE - DETAINEE TRANSFER MANIFEST - LAW ENFORCEMENT SENSITIVE - PAGE BREAKS BY BUS"
    pdf.set_auto_page_break(True, 10)
    pdf.add_page()
    widths = [8, 24, 30, 30, 18, 8, 26, 46, 46, 14]
    head = ["#", "A-NUMBER", "LAST", "FIRST", "DOB", "SEX", "CITIZENSHIP", "FROM", "TO", "BUS"]
    pdf.set_font("Helvetica", "", 5)
    rows = ctx.n(90)
    for col, text in zip(widths, head, strict=True):
        pdf.cell(col, 3, text, border=1)
    pdf.ln()
    for i in range(rows):
        origin = s.rng.choice(["guatemalan", "mexican", "haitian", "colombian", "somali", "eritrean"])
        p = s.people.one(origin)
        values = [str(i + 1), s.add("A_NUMBER", fmt_anum(a_number(s.rng), 0)), anyascii(p.family).upper(),
                  anyascii(p.given).upper(), f"{p.dob:%m/%d/%Y}", s.rng.choice("MF"), p.nationality.upper(),
                  "STEWART DETENTION CENTER", s.rng.choice(["LA SALLE ICE PROCESSING", "OTERO COUNTY PC"]),
                  str(i // 40 + 1)]
        for col, text in zip(widths, values, strict=True):
            pdf.cell(col, 3, text, border=1)
        pdf.ln()
    pdf.output(str(s.path))
    return s.leak("pdf", people=rows, expected={"PERSON_NAME", "A_NUMBER", "DATE_OF_BIRTH", "NATIONALITY"},
                  what="detention transfer manifest PDF in 5-point type, landscape, a row per detainee")


def returns_pdf(ctx: Ctx):
    s = ctx.file("R-transactions_returned_credits_May.pdf")
    pdf = _Pdf(format="A4")
    pdf.banner = "Stadtsparkasse - Rücklastschriften / returned SEPA credit transfers - internal"
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    rows = ctx.n(60)
    for _ in range(rows):
        country = s.rng.choice(["DE", "DE", "AT", "NL", "FR", "BE"])
        p = s.people.one({"DE": "german", "AT": "german", "NL": "dutch", "FR": "french", "BE": "dutch"}[country])
        line = (f"{s.rng.randint(1, 31):02d}.05.2024   {anyascii(p.full):<28} "
                f"{s.add('IBAN', fmt_iban(iban(s.rng, country)))}   EUR {s.rng.uniform(20, 2400):>8.2f}   "
                f"{s.rng.choice(['AC04 account closed', 'AC01 wrong IBAN', 'MD07 deceased'])}")
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(s.path))
    return s.leak("pdf", people=rows, expected={"PERSON_NAME", "IBAN"},
                  what="bank's returned-transfer report PDF: payee names and IBANs, one line each, several pages")


def found_documents_html(ctx: Ctx):
    s = ctx.file("found-property-identity-documents.html")
    items = []
    rows = ctx.n(30)
    for _ in range(rows):
        origin = s.rng.choice(["mexican", "guatemalan", "indian", "nigerian", "british", "haitian"])
        p = s.people.one(origin)
        if s.rng.random() < 0.7:
            number = s.add("PASSPORT", passport(s.rng, {"indian": "in", "nigerian": "ng", "british": "gb"}.get(origin, "mx")))
            doc = f"<strong>Passport</strong> ({html.escape(p.nationality)}) &mdash; {html.escape(p.inverted)}, no. {number}"
        else:
            number = s.add("A_NUMBER", "USCIS# " + fmt_anum(a_number(s.rng), 1)[3:])
            doc = f"<strong>Permanent resident card</strong> &mdash; {html.escape(p.inverted)}, {number}"
        items.append(f"<li>{doc}, found {s.rng.randint(1, 28)} May near {s.rng.choice(['Union Station', 'Bus Bay 4', 'Pier 9'])}."
                     "</li>")
    page = ("<!doctype html><html lang=en><head><meta charset=utf-8><title>Found property: identity documents</title>"
            "</head><body><nav><a href=/>Home</a> | <a href=/services>Services</a></nav><main>"
            "<h1>Identity documents awaiting collection</h1><p>Bring proof of identity to the front desk, "
            "Mon-Fri 9-4. Unclaimed documents are returned to the issuing consulate after 60 days.</p><ul>"
            + "\n".join(items) + "</ul></main><footer>Metro Transit Police Department</footer></body></html>")
    s.path.write_text(page, encoding="utf-8")
    return s.leak("html", people=rows, expected={"PERSON_NAME", "PASSPORT"},
                  what="transit police web page listing found passports and green cards by owner")


def dispatch_narrative_txt(ctx: Ctx):
    s = ctx.file("CAD_narratives_export_0601.txt")
    lines, people = [], 0
    for n in range(ctx.n(10, 2)):
        lines.append(f"INCIDENT 24-{s.rng.randint(10000, 99999)}   TYPE: {s.rng.choice(['DISTURBANCE', 'THEFT', 'WELFARE CHK'])}")
        for role in s.rng.sample(["RP", "SUBJ", "WIT", "VICT"], s.rng.randint(2, 3)):
            p = s.people.one(s.rng.choice(["us", "us", "mexican"]))
            lines.append(f"  {role} {anyascii(p.family).upper()}, {anyascii(p.given).upper()} DOB {p.dob:%m/%d/%Y} "
                         f"SSN {s.add('SSN', fmt_ssn(ssn(s.rng), 0))} PH {s.add('PHONE', fmt_phone(phone(s.rng), 'national'))}")
            people += 1
        lines.append(f"  NARR: UNIT {s.rng.randint(10, 60)} ARRIVED, SPOKE WITH PARTIES, REPORT TO FOLLOW. #{n}")
        lines.append("")
    s.path.write_text("\r\n".join(lines), encoding="ascii")
    return s.leak("text", people=people, expected={"PERSON_NAME", "SSN", "PHONE", "DATE_OF_BIRTH"},
                  what="police dispatch narratives export: parties by role with DOB, SSN and phone, in capitals")


MAKERS = [intake_memo_docx, dari_families_docx, sponsorship_pptx, manifest_pdf, returns_pdf, found_documents_html,
          dispatch_narrative_txt]
