"""Leak makers: documents (.docx, .pptx, PDF, HTML).

Contract: each `make_*` writes one file into `ctx.out` and returns its ground truth. Word files carry
data where readers forget to look (runs split mid-value, header/footer, comments, a tracked
deletion); PDFs are printed exports, a page stored rotated, a hearing calendar, a 500+ page report.
"""

from __future__ import annotations

import datetime as dt

from tests.corpus.truth import CorpusFile, leak
from tests.realworld import idents
from tests.realworld.kit import Ctx, truth_ids
from tests.realworld.office import w_deleted, w_para, w_run, w_table, write_docx, write_pptx
from tests.realworld.pdfs import long_pdf, rotated_pdf, table_pdf
from tests.realworld.people import write_date
from tests.realworld.textual import html_grouped_table, html_page

FACILITIES = ("Krome North SPC", "Otay Mesa Detention Center", "Port Isabel SPC", "Stewart Detention Center",
              "Adelanto ICE Processing Center", "South Texas Family Residential Center")


def make_intake_docx(ctx: Ctx) -> CorpusFile:
    name = "intake_roster_week12.docx"
    crowd, n = ctx.crowd(name), ctx.n(80)
    people = crowd.people(n, ("es_MX", "ht", "pt_BR", "fr_FR"))
    contact = crowd.person("en_US")
    rows = []
    for i, p in enumerate(people):
        a = idents.write_a_number(p.a_number, 2)
        rows.append([p.name, [a[:5], a[5:]] if i % 3 == 0 else a, write_date(p.dob, "mdy"), p.country,
                     idents.write_ssn(p.ssn, i)])
    body = [w_para("Intake roster - week 12", "Heading1"),
            w_para("The following individuals were processed this week. Do not forward."),
            w_table(["Name / Nombre", "A#", "DOB", "Country of Birth", "SSN"], rows)]
    write_docx(ctx.path(name), body, header="Intake unit - contains PII - internal use only",
               footer=f"Primary contact for this roster: {contact.name}, A# {idents.write_a_number(contact.a_number, 0)}")
    everyone = [*people, contact]
    ids = truth_ids(people, "A_NUMBER", "SSN")
    ids["A_NUMBER"].add(contact.a_number)
    return leak(ctx.path(name), "docx", people=len(everyone), identifiers=ids,
                expected={"A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH"},
                what="Word table of people (A-numbers split across runs), a footer holding one more person")


def make_case_notes_docx(ctx: Ctx) -> CorpusFile:
    name = "case_notes_2024.docx"
    crowd, n = ctx.crowd(name), ctx.n(40)
    people = crowd.people(n, ("es_MX", "ht", "ar_AA", "zh_CN", "ru_RU"))
    body = [w_para("Case notes - legal orientation program", "Heading1")]
    for i, p in enumerate(people[:-1]):
        body.append(w_para(f"{write_date(dt.date(2024, 1 + i % 12, 1 + i % 27), 'mdy')}: Met with {p.name} "
                           f"(A# {idents.write_a_number(p.a_number, i)}, DOB {write_date(p.dob, 'mdy')}). "
                           f"Client reports being detained since last year; wants to file before the deadline. "
                           f"Best number: {idents.write_phone(p.phone, i)}."))
    last = people[-1]
    body.append(f"<w:p>{w_run(f'Follow-up with {last.name}, A-number ')}{w_deleted('A' + last.a_number)}"
                f"{w_run(' (number removed from this note, see file). Phone ' + idents.write_phone(last.phone, 1) + '.')}</w:p>")
    comments = [f"Call {people[0].name} back at {idents.write_phone(people[0].phone, 3)} about the hearing.",
                f"{people[1].name}: confirm the date of birth {write_date(people[1].dob, 'ymd')}."]
    write_docx(ctx.path(name), body, comments=comments, header="CONFIDENTIAL - attorney work product")
    return leak(ctx.path(name), "docx", people=n, identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what="Word case notes in prose, comments, one A-number only inside a tracked deletion")


def make_hearing_pptx(ctx: Ctx) -> CorpusFile:
    name = "hearing_docket_briefing.pptx"
    crowd, n = ctx.crowd(name), ctx.n(60)
    people = crowd.people(n, ("es_MX", "es_ES", "ht", "vi_VN"))
    slides = [{"title": "Docket briefing", "bullets": ["Master calendar hearings", "Interpreters requested below"],
               "notes": "Welcome and logistics."}]
    per = 12
    for start in range(0, n, per):
        chunk = people[start:start + per]
        rows = [[p.latin_name, idents.write_a_number(p.a_number, 2), write_date(dt.date(2024, 6, 3 + k % 5), "mdy"),
                 f"Courtroom {1 + k % 4}"] for k, p in enumerate(chunk)]
        slides.append({"title": f"Respondents ({start + 1}-{start + len(chunk)})",
                       "table": (["Respondent", "A-Number", "Hearing", "Room"], rows),
                       "notes": "Interpreter needed for: " + "; ".join(f"{p.latin_name} ({p.country})" for p in chunk[:4])})
    write_pptx(ctx.path(name), slides)
    return leak(ctx.path(name), "pptx", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                expected={"A_NUMBER", "PERSON_NAME"},
                what="PowerPoint: tables of respondents on slides, names in speaker notes")


def make_rotated_pdf(ctx: Ctx) -> CorpusFile:
    name = "roster_scan_landscape.pdf"
    crowd, n = ctx.crowd(name), ctx.n(60)
    people = crowd.people(n, ("es_MX", "ht", "hi_IN", "ar_AA"))
    rows = [[p.latin_name, idents.write_a_number(p.a_number, 0), write_date(p.dob, "mdy"), p.country,
             FACILITIES[i % len(FACILITIES)]] for i, p in enumerate(people)]
    rotated_pdf(ctx.path(name), "Detained population - facility roster",
                ["Name", "A-Number", "DOB", "Nationality", "Facility"], rows)
    return leak(ctx.path(name), "pdf", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                expected={"A_NUMBER", "PERSON_NAME"}, min_severity="high",
                what="landscape roster on portrait pages stored with /Rotate 90")


def make_export_pdf(ctx: Ctx) -> CorpusFile:
    name = "detention_export_report.pdf"
    crowd, n = ctx.crowd(name), ctx.n(240)
    people = crowd.people(n, ("es_MX", "es_ES", "ht", "pt_BR", "en_US", "fr_FR"))
    rows = [[f"{p.latin_family.upper()}, {p.latin_given.upper()}", idents.write_a_number(p.a_number, 6),
             p.country.upper(), write_date(dt.date(2024, 1 + i % 12, 1 + i % 28), "mdy"),
             FACILITIES[i % len(FACILITIES)], "M" if i % 3 else "F"] for i, p in enumerate(people)]
    table_pdf(ctx.path(name), "ERO Detention Report - Book-ins (LAST, FIRST)",
              ["Name", "A-Number", "Country of Citizenship", "Book-In Date", "Facility", "Gender"], rows,
              widths=[3, 1.6, 2, 1.4, 3.2, 0.8], landscape=True, footer="For official use only")
    return leak(ctx.path(name), "pdf", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                expected={"A_NUMBER", "PERSON_NAME"},
                what="printed export PDF over many pages, bare 9-digit A-numbers under an A-Number header")


def make_hearing_calendar_pdf(ctx: Ctx) -> CorpusFile:
    name = "hearing_calendar_june.pdf"
    crowd = ctx.crowd(name)
    people = crowd.people(120, ("es_MX", "es_ES", "ht", "zh_CN", "ru_RU", "hi_IN", "vi_VN", "pt_BR", "ar_AA"))
    judges = ("IJ Moreno", "IJ Kaplan", "IJ Whitfield")
    languages = {"es_MX": "Spanish", "es_ES": "Spanish", "ht": "Haitian Creole", "zh_CN": "Mandarin",
                 "ru_RU": "Russian", "hi_IN": "Hindi", "vi_VN": "Vietnamese", "pt_BR": "Portuguese", "ar_AA": "Arabic"}
    rows = [[f"{8 + (i % 20) // 2}:{'30' if i % 2 else '00'}", p.latin_name, idents.write_a_number(p.a_number, 2),
             judges[i % 3], f"{1 + i % 5}", languages[p.locale]] for i, p in enumerate(people)]
    table_pdf(ctx.path(name), "Master calendar - week of June 3", ["Time", "Respondent", "A-Number", "Judge",
                                                                     "Courtroom", "Language"], rows,
              widths=[0.8, 3, 1.6, 1.4, 0.9, 1.5])
    return leak(ctx.path(name), "pdf", people=120, identifiers=truth_ids(people, "A_NUMBER"),
                expected={"A_NUMBER", "PERSON_NAME"},
                what="immigration court hearing calendar: 120 respondents with A-numbers")


def make_long_pdf(ctx: Ctx) -> CorpusFile:
    name = "annual_report_505_pages.pdf"
    crowd, n = ctx.crowd(name), ctx.n(40)
    people = crowd.people(n, ("es_MX", "ht", "en_US"))
    lines = ["Appendix Z - individuals referred (internal)", "Name                     A-Number        DOB"]
    lines += [f"{p.latin_name:<24} {idents.write_a_number(p.a_number, 2):<15} {write_date(p.dob, 'mdy')}" for p in people]
    long_pdf(ctx.path(name), 504, ["Annual report - this page intentionally left blank."], [lines])
    entry = leak(ctx.path(name), "pdf", people=n, identifiers=truth_ids(people, "A_NUMBER"),
                 expected={"A_NUMBER", "PERSON_NAME"},
                 what="505-page report, the list of people on the last page (past a page limit: found, or partly read)")
    entry.expect_incomplete = True
    return entry


def make_grouped_html(ctx: Ctx) -> CorpusFile:
    name = "passport_roster_grouped.html"
    crowd, n = ctx.crowd(name), ctx.n(120)
    people = sorted(crowd.people(n, ("es_MX", "es_ES", "pt_BR", "fr_FR", "ht")), key=lambda p: p.country)
    groups = [("Nationality", ["Nationality"]), ("Name", ["Last", "First"]),
              ("Identifiers", ["A-Number", "Passport No."]), ("Date of birth", ["Date of birth"])]
    rows = [[p.country, p.family, p.given, idents.write_a_number(p.a_number, 0), p.passport,
             write_date(p.dob, "long-en")] for p in people]
    body = ("<h1>Group travel - manifest</h1>\n" +
            html_grouped_table(groups, rows, rowspan_col=0, caption="Passengers by nationality"))
    ctx.path(name).write_text(html_page("Manifest", body), encoding="utf-8")
    return leak(ctx.path(name), "html", people=n, identifiers=truth_ids(people, "A_NUMBER", "PASSPORT"),
                expected={"A_NUMBER", "PASSPORT", "PERSON_NAME", "DATE_OF_BIRTH"},
                what="HTML table with two header rows (colspan) and nationality merged down with rowspan")


MAKERS = [make_intake_docx, make_case_notes_docx, make_hearing_pptx, make_rotated_pdf, make_export_pdf,
          make_hearing_calendar_pdf, make_long_pdf, make_grouped_html]
