"""Leak makers: data exports and containers (SQL dumps, XML, e-mail, mbox, compressed and archived files).

Contract: each `make_*` writes one file into `ctx.out` and returns its ground truth. Containers hold
ordinary exports; e-mail identifiers sit in attachments and in body prose (EMAIL is not scored in
e-mail files: their headers hold addresses too).
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import lzma
import tarfile
import zipfile

import openpyxl

from tests.corpus.truth import CorpusFile, leak
from tests.realworld import idents
from tests.realworld.kit import Ctx, truth_ids
from tests.realworld.office import repack
from tests.realworld.people import write_date
from tests.realworld.textual import (
    csv_text,
    email_message,
    html_page,
    html_simple_table,
    mbox,
    mysql_dump,
    postgres_dump,
    xml_records,
)

SENT = dt.datetime(2024, 4, 9, 16, 12, 5)


def make_mysql(ctx: Ctx) -> CorpusFile:
    name = "casemgmt_clients_mysql.sql"
    crowd, n = ctx.crowd(name), ctx.n(300)
    people = crowd.people(n, ("es_MX", "es_ES", "ht", "en_US", "vi_VN"))
    columns = [("id", "int NOT NULL AUTO_INCREMENT"), ("first_name", "varchar(80)"), ("last_name", "varchar(80)"),
               ("alien_number", "varchar(12)"), ("ssn", "char(11)"), ("dob", "date"), ("phone", "varchar(20)"),
               ("email", "varchar(120)"), ("created_at", "datetime")]
    rows = [[i + 1, p.given, p.family, idents.write_a_number(p.a_number, 0), idents.write_ssn(p.ssn, 0), p.dob,
             idents.write_phone(p.us_phone, i), p.email, f"2023-11-0{1 + i % 9} 10:1{i % 10}:00"]
            for i, p in enumerate(people)]
    ctx.path(name).write_text(mysql_dump("clients", columns, rows), encoding="utf-8")
    return leak(ctx.path(name), "sql", people=n,
                identifiers=truth_ids(people, "A_NUMBER", "SSN", "PHONE", "EMAIL", phone_field="us_phone"),
                expected={"A_NUMBER", "SSN", "PERSON_NAME", "DATE_OF_BIRTH", "EMAIL", "PHONE"},
                what="mysqldump: CREATE TABLE and multi-row INSERT ... VALUES (...),(...)")


def make_postgres(ctx: Ctx) -> CorpusFile:
    name = "payments_pg_dump.sql"
    crowd, n = ctx.crowd(name), ctx.n(200)
    people = crowd.people(n, ("es_MX", "pt_BR", "fr_FR", "en_US", "ru_RU"))
    columns = [("payment_id", "integer"), ("payer_name", "text"), ("itin", "text"), ("card_number", "text"),
               ("iban", "text"), ("amount", "numeric(10,2)"), ("paid_on", "date")]
    rows = [[1000 + i, p.latin_name, f"{p.itin[:3]}-{p.itin[3:5]}-{p.itin[5:]}", idents.write_card(p.card, i),
             idents.write_iban(p.iban, i), f"{35 + (i * 7) % 400}.00", dt.date(2024, 1 + i % 12, 1 + i % 28)]
            for i, p in enumerate(people)]
    ctx.path(name).write_text(postgres_dump("payments", columns, rows), encoding="utf-8")
    return leak(ctx.path(name), "sql", people=n, identifiers=truth_ids(people, "ITIN", "CREDIT_CARD", "IBAN"),
                expected={"ITIN", "CREDIT_CARD", "IBAN", "PERSON_NAME"},
                what="pg_dump: COPY ... FROM stdin, tab-separated, \\. end; ITINs, cards and IBANs of payers")


def make_camel_xml(ctx: Ctx) -> CorpusFile:
    name = "records_export.xml"
    crowd, n = ctx.crowd(name), ctx.n(150)
    people = crowd.people(n, ("es_MX", "ht", "zh_CN", "uk_UA", "en_US"))
    records = [{"recordId": str(5000 + i), "fullName": p.name, "birth_date": p.dob,
                "alienNumber": idents.write_a_number(p.a_number, 0), "nationality": p.country,
                "contact": {"email": p.email, "phoneNumber": idents.write_phone(p.phone, 1)}}
               for i, p in enumerate(people)]
    ctx.path(name).write_text(xml_records("caseRecords", "record", records, attributes=("recordId",)), encoding="utf-8")
    return leak(ctx.path(name), "xml", people=n, identifiers=truth_ids(people, "A_NUMBER", "EMAIL", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "EMAIL", "PHONE", "DATE_OF_BIRTH"},
                what="XML record list with camelCase and snake_case tags, nested contact element")


def make_pascal_xml(ctx: Ctx) -> CorpusFile:
    name = "PersonList.xml"
    crowd, n = ctx.crowd(name), ctx.n(120)
    people = crowd.people(n, ("es_MX", "hi_IN", "ar_AA", "fr_FR"))
    records = [{"Id": str(i + 1), "AlienNumber": idents.write_a_number(p.a_number, 4), "DateOfBirth": p.dob,
                "GivenName": p.latin_given, "FamilyName": p.latin_family, "PassportNumber": p.passport,
                "CountryOfCitizenship": p.country} for i, p in enumerate(people)]
    ctx.path(name).write_text(xml_records("PersonList", "Person", records, attributes=("Id", "AlienNumber", "DateOfBirth")),
                              encoding="utf-8")
    return leak(ctx.path(name), "xml", people=n, identifiers=truth_ids(people, "A_NUMBER", "PASSPORT"),
                expected={"A_NUMBER", "PASSPORT", "PERSON_NAME"},
                what="XML with PascalCase tags; A-numbers and birth dates in attributes, names split in two elements")


def _roster_csv(people, dob_style="mdy") -> bytes:
    rows = [[p.latin_name, idents.write_a_number(p.a_number, 2), idents.write_ssn(p.ssn, 0), write_date(p.dob, dob_style)]
            for p in people]
    return csv_text(["Name", "A-Number", "SSN", "DOB"], rows).encode("utf-8")


def make_eml_roster(ctx: Ctx) -> CorpusFile:
    name = "fw_updated_roster.eml"
    crowd, n = ctx.crowd(name), ctx.n(150)
    people = crowd.people(n, ("es_MX", "ht", "en_US", "pt_BR"))
    body = ("Hi all,\n\nAttached is the updated roster for the Thursday transfer. Please confirm the A-numbers\n"
            "against your records before noon.\n\nThanks,\nTransport desk\n")
    raw = email_message(sender="transport.desk@dhs-contractor.example.net", to="field-office@agency.example.gov",
                        subject="FW: updated roster (transfer Thursday)", body=body, date=SENT,
                        attachments=[("roster_transfer.csv", "text/csv", _roster_csv(people))])
    ctx.path(name).write_bytes(raw)
    return leak(ctx.path(name), "eml", people=n, identifiers=truth_ids(people, "A_NUMBER", "SSN"),
                expected={"A_NUMBER", "SSN", "PERSON_NAME"},
                what="e-mail with a roster CSV attached in base64")


def make_eml_qp(ctx: Ctx) -> CorpusFile:
    name = "tanpri_lis_kliyan.eml"
    crowd = ctx.crowd(name)
    inline, attached = crowd.people(ctx.n(30), ("ht",)), crowd.people(ctx.n(90), ("ht", "fr_FR", "es_ES"))
    lines = [f"- {p.name}, A# {idents.write_a_number(p.a_number, i)}, telefòn {idents.write_phone(p.phone, i)}"
             for i, p in enumerate(inline)]
    body = "Bonjou tout moun,\n\nMen lis kliyan yo ki bezwen randevou semèn pwochèn:\n\n" + "\n".join(lines) + \
        "\n\nLòt yo nan fichye ki tache a.\n\nMèsi anpil,\nBiwo asistans legal\n"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Kliyan"
    sheet.append(["Non", "Siyati", "Dat nesans", "Nasyonalite", "Nimewo A", "Telefòn"])
    for p in attached:
        sheet.append([p.given, p.family, p.dob, p.country, idents.write_a_number(p.a_number, 0),
                      idents.write_phone(p.phone, 1)])
    book.properties.created = book.properties.modified = SENT
    data = io.BytesIO()
    book.save(data)
    raw = email_message(sender="Biwo Asistans <biwo@legal-aid.example.org>", to="volonte@legal-aid.example.org",
                        subject="Lis kliyan pou randevou", body=body, date=SENT, qp_body=True,
                        attachments=[("lis_kliyan.xlsx",
                                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                      repack(data.getvalue()))])
    ctx.path(name).write_bytes(raw)
    everyone = [*inline, *attached]
    return leak(ctx.path(name), "eml", people=len(everyone), identifiers=truth_ids(everyone, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what="Haitian Creole e-mail: quoted-printable body listing people, an .xlsx roster attached")


def make_mbox(ctx: Ctx) -> CorpusFile:
    name = "caseworker_inbox.mbox"
    crowd, rng = ctx.crowd(name), ctx.rng(name)
    messages, everyone = [], []
    for m in range(6):
        group = crowd.people(rng.randint(3, 8), ("es_MX", "ht", "ru_RU", "zh_CN", "en_US"))
        everyone += group
        text = "\n".join(f"Please update the file for {p.name}: date of birth {write_date(p.dob, 'long-en')}, "
                         f"A-number {idents.write_a_number(p.a_number, m + k)}." for k, p in enumerate(group))
        date = SENT + dt.timedelta(hours=5 * m)
        raw = email_message(sender="intake@legal-aid.example.org", to="caseworker@legal-aid.example.org",
                            subject=f"Record updates ({m + 1})", body=f"Hello,\n\n{text}\n\nIntake team\n", date=date)
        messages.append(("intake@legal-aid.example.org", date, raw))
    attached = crowd.people(ctx.n(60), ("es_MX", "es_ES"))
    everyone += attached
    raw = email_message(sender="records@legal-aid.example.org", to="caseworker@legal-aid.example.org",
                        subject="Monthly export", body="Export attached.\nFrom the records team.\n",
                        date=SENT + dt.timedelta(days=2),
                        attachments=[("export.csv", "text/csv", _roster_csv(attached, "dmy"))])
    messages.append(("records@legal-aid.example.org", SENT + dt.timedelta(days=2), raw))
    ctx.path(name).write_bytes(mbox(messages))
    ids = truth_ids(everyone, "A_NUMBER")
    ids["SSN"] = {p.ssn for p in attached}
    return leak(ctx.path(name), "mbox", people=len(everyone), identifiers=ids,
                expected={"A_NUMBER", "SSN", "PERSON_NAME"},
                what="mbox: several messages with people in prose, one with a CSV attachment")


def _chinese_csv(people) -> bytes:
    rows = [[p.name, p.latin_name, write_date(p.dob, "cjk"), p.country_local, idents.write_a_number(p.a_number, 0),
             idents.write_phone(p.phone, 0)] for p in people]
    return csv_text(["姓名", "拼音", "出生日期", "国籍", "外国人登记号 (A#)", "电话"], rows).encode("utf-8")


def make_gzip(ctx: Ctx) -> CorpusFile:
    name = "roster_zh.csv.gz"
    people = ctx.crowd(name).people(ctx.n(200), ("zh_CN",))
    ctx.path(name).write_bytes(gzip.compress(_chinese_csv(people), mtime=0))
    return leak(ctx.path(name), "gz", people=len(people), identifiers=truth_ids(people, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what="gzip of a CSV with Chinese headers, names beside pinyin, dates as 1987年3月12日")


def make_bzip2(ctx: Ctx) -> CorpusFile:
    name = "hindi_roster.csv.bz2"
    people = ctx.crowd(name).people(ctx.n(150), ("hi_IN",))
    rows = [[p.name, p.latin_name, write_date(p.dob, "dmy"), p.country_local, idents.write_a_number(p.a_number, 0),
             p.passport] for p in people]
    text = csv_text(["नाम", "नाम (लैटिन)", "जन्म तिथि", "राष्ट्रीयता", "ए-नंबर (A#)", "पासपोर्ट संख्या (Passport No.)"], rows)
    ctx.path(name).write_bytes(bz2.compress(text.encode("utf-8")))
    return leak(ctx.path(name), "bz2", people=len(people), identifiers=truth_ids(people, "A_NUMBER", "PASSPORT"),
                expected={"A_NUMBER", "PASSPORT", "PERSON_NAME"},
                what="bzip2 of a CSV with Hindi headers, Devanagari names beside a transliteration")


def make_xz(ctx: Ctx) -> CorpusFile:
    name = "ukraine_intake.tsv.xz"
    people = ctx.crowd(name).people(ctx.n(180), ("uk_UA",))
    rows = [[p.name, write_date(p.dob, "dmy-dot"), p.country_local, idents.write_a_number(p.a_number, 2),
             idents.write_phone(p.phone, 1), p.email] for p in people]
    text = csv_text(["ПІБ", "Дата народження", "Громадянство", "Номер A", "Телефон", "Електронна пошта"], rows, "\t")
    ctx.path(name).write_bytes(lzma.compress(text.encode("utf-8")))
    return leak(ctx.path(name), "xz", people=len(people), identifiers=truth_ids(people, "A_NUMBER", "PHONE", "EMAIL"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE", "EMAIL"},
                what="xz of a tab-separated export with Ukrainian headers, dates as DD.MM.YYYY")


def _tar(path, files: dict[str, bytes], mode: str) -> None:
    with tarfile.open(path, mode) as tar:
        for member, data in files.items():
            info = tarfile.TarInfo(member)
            info.size, info.mtime, info.mode = len(data), 1712000000, 0o644
            tar.addfile(info, io.BytesIO(data))


def make_tar(ctx: Ctx) -> CorpusFile:
    name = "exports_2024.tar"
    crowd = ctx.crowd(name)
    first, second = crowd.people(ctx.n(100), ("en_US", "es_MX")), crowd.people(ctx.n(60), ("ht", "fr_FR"))
    xml = xml_records("clients", "client", [{"name": p.latin_name, "ssn": idents.write_ssn(p.ssn, 0),
                                             "a_number": idents.write_a_number(p.a_number, 0)} for p in second])
    _tar(ctx.path(name), {"exports/README.txt": b"Nightly exports. Internal.\n",
                          "exports/roster.csv": _roster_csv(first), "exports/clients.xml": xml.encode()}, "w")
    everyone = [*first, *second]
    return leak(ctx.path(name), "tar", people=len(everyone), identifiers=truth_ids(everyone, "A_NUMBER", "SSN"),
                expected={"A_NUMBER", "SSN", "PERSON_NAME"}, what="tar of a folder of exports (CSV and XML)")


def make_tgz(ctx: Ctx) -> CorpusFile:
    name = "backup_casefiles.tar.gz"
    crowd = ctx.crowd(name)
    first, second = crowd.people(ctx.n(80), ("es_ES", "es_MX")), crowd.people(ctx.n(40), ("pt_BR", "vi_VN"))
    csv1 = csv_text(["Nombre", "Apellidos", "Fecha de nacimiento", "Núm. de extranjero", "Teléfono"],
                    [[p.given, p.family, write_date(p.dob, "long-es"), idents.write_a_number(p.a_number, 1),
                      idents.write_phone(p.phone, 0)] for p in first]).encode()
    page = html_page("Clientes", html_simple_table(["Name", "A#", "Phone"], [
        [p.name, idents.write_a_number(p.a_number, 0), idents.write_phone(p.phone, 1)] for p in second]))
    _tar(ctx.path(name), {"backup/2024-03/clientes.csv": csv1, "backup/2024-03/web/clientes.html": page.encode()},
         "w:gz")
    everyone = [*first, *second]
    return leak(ctx.path(name), "tgz", people=len(everyone), identifiers=truth_ids(everyone, "A_NUMBER", "PHONE"),
                expected={"A_NUMBER", "PERSON_NAME", "PHONE"},
                what=".tar.gz backup: a Spanish CSV (dates as '12 de marzo de 1987') and a saved HTML page")


def make_nested_zip(ctx: Ctx) -> CorpusFile:
    name = "nested_three_deep.zip"
    people = ctx.crowd(name).people(ctx.n(70), ("es_MX", "ht", "ar_AA"))
    data = _roster_csv(people)
    for level, inner in ((3, "roster.csv"), (2, "level3.zip"), (1, "level2.zip")):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo(inner if level == 3 else inner, (2024, 3, 1, 0, 0, 0)), data)
        data = buf.getvalue()
    ctx.path(name).write_bytes(data)
    return leak(ctx.path(name), "zip", people=len(people), identifiers=truth_ids(people, "A_NUMBER", "SSN"),
                expected={"A_NUMBER", "SSN", "PERSON_NAME"}, what="a roster CSV three zips deep (zip in zip in zip)")


MAKERS = [make_mysql, make_postgres, make_camel_xml, make_pascal_xml, make_eml_roster, make_eml_qp, make_mbox,
          make_gzip, make_bzip2, make_xz, make_tar, make_tgz, make_nested_zip]
