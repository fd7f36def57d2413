"""Held-out leaks in data and container shapes: JSON, XML, SQL, e-mail, mbox, zip, tar.gz, gzip.

A case-management API page nested three deep, a FHIR patient bundle, a shelter's intake export
(clients and their children), a mysqldump with extended inserts, a paralegal's e-mail with a CSV
attachment, a tax clinic's mailbox, a resettlement agency's zipped folder (Pashto headers plus
notes), a donor database export in a tarball, and a gzipped jail visitation log.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import mailbox
import tarfile
import zipfile
from email.message import EmailMessage
from xml.sax.saxutils import quoteattr

from tests.heldout.ids import (
    a_number,
    card,
    email,
    fmt_anum,
    fmt_card,
    fmt_phone,
    fmt_ssn,
    itin,
    passport,
    phone,
    ssn,
)
from tests.heldout.kit import Ctx

FIXED_TIME = (2024, 6, 3, 9, 0, 0)


def case_api_json(ctx: Ctx):
    s = ctx.file("api_v2_cases_page3.json")
    results = []
    rows = ctx.n(40)
    for i in range(rows):
        origin = s.rng.choice(["guatemalan", "mexican", "colombian", "haitian"])
        p = s.people.one(origin)
        region = {"guatemalan": "GT", "mexican": "MX", "colombian": "US", "haitian": "HT"}[origin]
        results.append({"case": {"id": f"CSE-{s.rng.randint(100000, 999999)}", "opened": "2024-04-02",
                                 "applicant": {"name": {"first": p.given, "last": p.family},
                                               "alien_number": s.add("A_NUMBER", fmt_anum(a_number(s.rng), s.rng.choice([0, 4]))),
                                               "dob": p.dob.isoformat(), "country_of_citizenship": p.nationality,
                                               "contact": {"phone": s.add("PHONE", fmt_phone(phone(s.rng, region), "e164")),
                                                           "email": s.add("EMAIL", email(s.rng, p.given, p.family))}},
                                 "attorney_of_record": None, "seq": i}})
    body = {"status": "ok", "data": {"page": 3, "per_page": rows, "results": results},
            "links": {"next": "/api/v2/cases?page=4"}}
    s.path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return s.leak("json", people=rows, expected={"PERSON_NAME", "A_NUMBER", "PHONE", "EMAIL", "NATIONALITY"},
                  what="case-management API response: applicants three levels deep, A-number, phone, e-mail")


def fhir_bundle_json(ctx: Ctx):
    s = ctx.file("export_Patient_bundle.fhir.json")
    entries, patients = [], ctx.n(30)
    for i in range(patients):
        p = s.people.one(s.rng.choice(["us", "us", "mexican", "vietnamese"]))
        entries.append({"fullUrl": f"urn:uuid:pat-{i}", "resource": {
            "resourceType": "Patient", "id": f"pat-{i}",
            "identifier": [{"system": "http://hl7.org/fhir/sid/us-ssn", "value": s.add("SSN", fmt_ssn(ssn(s.rng), 2))},
                           {"type": {"text": "MRN"}, "value": f"{s.rng.randint(1000000, 9999999)}"}],
            "name": [{"use": "official", "family": p.family, "given": [p.given]}], "birthDate": p.dob.isoformat(),
            "telecom": [{"system": "phone", "value": s.add("PHONE", fmt_phone(phone(s.rng), "national")), "use": "mobile"}],
            "address": [{"line": [s.people.street()], "city": "Springfield", "state": "IL", "postalCode": "62704"}]}})
        entries.append({"fullUrl": f"urn:uuid:enc-{i}", "resource": {
            "resourceType": "Encounter", "status": "finished", "subject": {"reference": f"Patient/pat-{i}"},
            "reasonCode": [{"text": s.rng.choice(["Type 2 diabetes follow-up", "HIV viral load", "Prenatal visit"])}]}})
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": patients, "entry": entries}
    s.path.write_text(json.dumps(bundle, indent=1), encoding="utf-8")
    return s.leak("json", people=patients, expected={"PERSON_NAME", "SSN", "PHONE", "DATE_OF_BIRTH"},
                  forbidden={"A_NUMBER"},
                  what="FHIR search bundle: Patient resources with SSN identifier, phone and birth date, encounters")


def shelter_xml(ctx: Ctx):
    s = ctx.file("HavenHouse_intake_export.xml")
    parts, people = ['<?xml version="1.0" encoding="UTF-8"?>', '<ShelterIntakeExport exported="2024-06-01T22:14:09">'], 0
    for i in range(ctx.n(25)):
        p = s.people.one(s.rng.choice(["us", "mexican", "guatemalan"]), (18, 55))
        parts.append(f'  <Form id="F{1000 + i}" program="DV-ES"><Client>'
                     f'<Name given={quoteattr(p.given)} family={quoteattr(p.family)}/><DOB>{p.dob.isoformat()}</DOB>'
                     f'<SSN>{s.add("SSN", fmt_ssn(ssn(s.rng)))}</SSN>'
                     f'<Phone type="cell" safe_to_call="N">{s.add("PHONE", fmt_phone(phone(s.rng), "national"))}</Phone>'
                     "</Client><Children>")
        people += 1
        for _ in range(s.rng.randint(0, 2)):
            c = s.people.one("us", (1, 12))
            parts.append(f"<Child><Name>{c.given} {p.family}</Name><DOB>{c.dob.isoformat()}</DOB></Child>")
            people += 1
        parts.append("</Children><Notes>Bed assigned; safety plan reviewed.</Notes></Form>")
    parts.append("</ShelterIntakeExport>")
    s.path.write_text("\n".join(parts), encoding="utf-8")
    return s.leak("xml", people=people, expected={"PERSON_NAME", "SSN", "PHONE", "DATE_OF_BIRTH"},
                  what="domestic-violence shelter intake export: clients with SSN and phone, their children by DOB")


def hr_sql(ctx: Ctx):
    s = ctx.file("hrdb_2024-06-01.sql")
    rows = ctx.n(60)
    values = []
    for i in range(rows):
        p = s.people.one(s.rng.choice(["us", "us", "indian", "mexican"]))
        name = (p.given.replace("'", "''"), p.family.replace("'", "''"))
        values.append(f"({i + 1},'{name[0]}','{name[1]}','{p.dob.isoformat()}','{s.add('SSN', fmt_ssn(ssn(s.rng), s.rng.choice([0, 2])))}',"
                      f"'{s.add('EMAIL', email(s.rng, p.given, p.family))}','{s.add('PHONE', fmt_phone(phone(s.rng), 'national'))}',"
                      f"{s.rng.randint(1, 6)},{s.rng.randint(52, 180) * 1000})")
    chunks = [",".join(values[k:k + 20]) for k in range(0, rows, 20)]
    text = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)", "-- Host: 10.0.4.12    Database: hrdb",
            "SET NAMES utf8mb4;", "DROP TABLE IF EXISTS `departments`;",
            "CREATE TABLE `departments` (`id` int NOT NULL, `name` varchar(64), PRIMARY KEY (`id`));",
            "INSERT INTO `departments` VALUES (1,'Finance'),(2,'Operations'),(3,'IT'),(4,'Sales'),(5,'Legal'),(6,'HR');",
            "DROP TABLE IF EXISTS `employees`;",
            "CREATE TABLE `employees` (`id` int NOT NULL AUTO_INCREMENT, `first_name` varchar(64), `last_name` varchar(64),"
            " `dob` date, `ssn` char(11), `email` varchar(128), `phone` varchar(32), `dept_id` int, `salary` int,"
            " PRIMARY KEY (`id`)) ENGINE=InnoDB;",
            "LOCK TABLES `employees` WRITE;"]
    text += [f"INSERT INTO `employees` VALUES {chunk};" for chunk in chunks]
    text += ["UNLOCK TABLES;", "-- Dump completed on 2024-06-01  3:00:01", ""]
    s.path.write_text("\n".join(text), encoding="utf-8")
    return s.leak("sql", people=rows, expected={"PERSON_NAME", "SSN", "EMAIL", "PHONE"},
                  what="mysqldump of an HR database: extended INSERTs of employees with SSN, e-mail, phone")


def visa_email_eml(ctx: Ctx):
    s = ctx.file("FW_appointment_list_consular.eml")
    body_people = [s.people.one(s.rng.choice(["filipino", "nigerian", "indian"])) for _ in range(ctx.n(8))]
    lines = ["Dear Consular Section,", "", "Please find below the applicants for the 12 June interview block:", ""]
    for i, p in enumerate(body_people, 1):
        style = {"Philippines": "ph", "Nigeria": "ng", "India": "in"}[p.nationality]
        lines.append(f"{i}. {p.family.upper()} {p.given} - DOB {p.dob:%d %b %Y} - Passport No. "
                     f"{s.add('PASSPORT', passport(s.rng, style))}")
    lines += ["", "The remaining applicants are in the attached sheet.", "", "Kind regards,", "Visa desk"]
    attach_people = [s.people.one("filipino") for _ in range(ctx.n(12))]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Surname", "Given names", "Date of birth", "Passport", "Mobile"])
    for p in attach_people:
        w.writerow([p.family, p.given, p.dob.isoformat(), s.add("PASSPORT", passport(s.rng, "ph")),
                    s.add("PHONE", fmt_phone(phone(s.rng, "PH")))])
    msg = EmailMessage()
    msg["From"] = "Visa Desk <visadesk@brightpathmigration.com>"
    msg["To"] = "consular.manila@embassymail.net.ph"
    msg["Subject"] = "FW: appointment list 12 June"
    msg["Date"] = "Mon, 03 Jun 2024 09:12:44 +0800"
    msg.set_content("\n".join(lines))
    msg.add_alternative("<html><body>" + "<br>".join(lines) + "</body></html>", subtype="html")
    msg.add_attachment(buf.getvalue().encode("utf-8"), maintype="text", subtype="csv", filename="applicants_batch2.csv")
    s.path.write_bytes(bytes(msg))
    return s.leak("eml", people=len(body_people) + len(attach_people), expected={"PERSON_NAME", "PASSPORT"},
                  what="migration agent's e-mail to a consulate: applicants in the body (text and HTML), more in a CSV")


def tax_clinic_mbox(ctx: Ctx):
    s = ctx.file("vita_clinic_inbox.mbox")
    box = mailbox.mbox(str(s.path), create=True)
    people = 0
    for k in range(ctx.n(10, 3)):
        p = s.people.one(s.rng.choice(["mexican", "guatemalan", "us"]))
        spouse = s.people.one(p.origin)
        msg = EmailMessage()
        msg["From"] = f"{p.full} <{email(s.rng, p.given, p.family)}>"
        msg["To"] = "vita.eastside@communitytaxhelp.org"
        msg["Subject"] = s.rng.choice(["my documents", "Re: appointment", "info for taxes", "numeros"])
        msg["Date"] = f"Tue, {k + 1:02d} Apr 2024 18:2{k % 10}:00 -0500"
        own = s.add("SSN", fmt_ssn(ssn(s.rng))) if s.rng.random() < 0.5 else s.add("ITIN", fmt_ssn(itin(s.rng)))
        msg.set_content(f"Hi, this is {p.full}. My number is {own} and my wife {spouse.full} has ITIN "
                        f"{s.add('ITIN', fmt_ssn(itin(s.rng), s.rng.choice([0, 1])))}. Can we come Saturday?\n\nThanks")
        box.add(msg)
        people += 2
    box.flush()
    box.close()
    return s.leak("mbox", people=people, expected={"PERSON_NAME", "ITIN"},
                  what="tax clinic's mailbox: clients send their SSN or ITIN and their spouse's ITIN")


def resettlement_zip(ctx: Ctx):
    s = ctx.file("arrivals_FY24_share.zip")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["نوم", "تخلص", "د زیږیدو نیټه", "تابعیت", "د A شمیره", "تلیفون"])
    rows = ctx.n(40)
    for _ in range(rows):
        p = s.people.one("afghan")
        w.writerow([p.given, p.family, p.dob.isoformat(), "Afghanistan",
                    s.add("A_NUMBER", fmt_anum(a_number(s.rng), s.rng.choice([0, 2]))), s.add("PHONE", fmt_phone(phone(s.rng)))])
    notes = []
    for _ in range(2):
        p = s.people.one("afghan")
        notes.append(f"{p.full} (A-number {s.add('A_NUMBER', fmt_anum(a_number(s.rng), 1))}) called from "
                     f"{s.add('PHONE', fmt_phone(phone(s.rng, 'AF')))} asking about the family reunification case.")
    with zipfile.ZipFile(s.path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("arrivals_FY24/arrivals.csv", FIXED_TIME), "\ufeff" + buf.getvalue())
        zf.writestr(zipfile.ZipInfo("arrivals_FY24/README.txt", FIXED_TIME), "Shared folder for partner agencies.\n")
        zf.writestr(zipfile.ZipInfo("arrivals_FY24/notes/call_log.txt", FIXED_TIME), "\n\n".join(notes) + "\n")
    return s.leak("zip", people=rows + 2, expected={"PERSON_NAME", "A_NUMBER", "PHONE"},
                  what="resettlement agency's shared folder zipped: a Pashto-headed arrivals CSV and a call log")


def donors_tar(ctx: Ctx):
    s = ctx.file("crm_backup_donors.tar.gz")
    rows = ctx.n(50)
    lines = []
    for i in range(rows):
        p = s.people.one(s.rng.choice(["us", "british", "german"]))
        lines.append(json.dumps({"donor_id": 5000 + i, "name": p.full, "email": s.add("EMAIL", email(s.rng, p.given, p.family)),
                                 "payment": {"pan": s.add("CREDIT_CARD", fmt_card(card(s.rng, s.rng.choice(["visa", "mc", "amex"])), 2)),
                                             "exp": f"{s.rng.randint(1, 12):02d}/{s.rng.randint(25, 29)}"},
                                 "gift": round(s.rng.uniform(10, 500), 2), "recurring": s.rng.random() < 0.3}))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    manifest = json.dumps({"exported": "2024-05-30", "tables": ["donors"], "rows": rows}).encode()
    with tarfile.open(s.path, "w:gz") as tar:
        for name, payload in (("export/manifest.json", manifest), ("export/donors.ndjson", data)):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(payload), 1717400000
            tar.addfile(info, io.BytesIO(payload))
    return s.leak("tar", people=rows, expected={"PERSON_NAME", "CREDIT_CARD", "EMAIL"},
                  what="NGO donor CRM backup as tar.gz: newline-delimited JSON with full card numbers and e-mails")


def visitation_gz(ctx: Ctx):
    s = ctx.file("visitation_log_2024-05.csv.gz")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["Date", "Visitor", "ID type", "ID no.", "Visitor phone", "Detainee", "Detainee A#", "Booth"])
    rows = ctx.n(40)
    detainees = [s.people.one(s.rng.choice(["guatemalan", "mexican", "haitian"])) for _ in range(max(2, rows // 3))]
    numbers = [s.add("A_NUMBER", fmt_anum(a_number(s.rng), 0)) for _ in detainees]
    seen = set()
    for _ in range(rows):
        v = s.people.one(s.rng.choice(["us", "mexican"]))
        k = s.rng.randrange(len(detainees))
        seen.add(k)
        if s.rng.random() < 0.6:
            kind, number = "Passport", s.add("PASSPORT", passport(s.rng, "mx"))
        else:
            kind, number = "CA DL", f"{s.rng.choice('ABDEFY')}{s.rng.randint(1000000, 9999999)}"
        w.writerow([f"2024-05-{s.rng.randint(1, 31):02d}", v.full, kind, number, s.add("PHONE", fmt_phone(phone(s.rng), "national")),
                    detainees[k].full, numbers[k], s.rng.randint(1, 8)])
    for k in set(range(len(detainees))) - seen:  # every detainee appears at least once
        w.writerow(["2024-05-31", "(attorney visit)", "Bar card", "", "", detainees[k].full, numbers[k], 9])
    s.path.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), mtime=0))
    return s.leak("gz", people=rows + len(detainees), expected={"PERSON_NAME", "A_NUMBER", "PASSPORT", "PHONE"},
                  what="gzipped detention visitation log: visitors' passports and phones, detainees' A-numbers")


MAKERS = [case_api_json, fhir_bundle_json, shelter_xml, hr_sql, visa_email_eml, tax_clinic_mbox, resettlement_zip,
          donors_tar, visitation_gz]
