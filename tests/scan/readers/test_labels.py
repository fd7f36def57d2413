"""Labels from content: readers note them, the report masks those that look like a name; the
file name the user typed or uploaded is shown as it is."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from bot.config import ScanSettings
from bot.scan.pipeline import scan_bytes
from bot.scan.readers.labels import generic_label, personal_label
from bot.scan.redact import redact_report
from bot.scan.report import Finding, Report
from tests.scan.readers import fp, read_all


def test_generic_labels():
    for label in ("Sheet1", "Data", "Roster", "Detained Population", "export", "export_2024-03", "FY24 Q3",
                  "people", "Hoja 2", ""):
        assert generic_label(label), label
    for label in ("Testperson Alpha", "Quintanillo Arreolo", "Harris Roster"):
        assert not generic_label(label), fp(label)


def test_labels_that_look_like_names():
    for label in ("Testperson Alpha", "Quintanillo Arreolo", "LOPEZ_Maria", "Harris Roster", "O'Neil"):
        assert personal_label(label), fp(label)
    for label in ("big", "clients_march", "Sheet1", "Detained Population", "export_2024-03", "Q3 results",
                  "Hoja 2", "", "people-1000000"):
        assert not personal_label(label), fp(label)


def test_sheet_names_and_entry_names_are_noted_as_content_labels_not_the_file_name():
    workbook = Workbook()
    workbook.active.title = "Testperson Alpha"
    workbook.active.append(["Name", "Id"])
    workbook.active.append(["x", 1])
    workbook.create_sheet("Summary").append(["a"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    document, parts = read_all(buffer.getvalue(), name="Testperson Beta.xlsx")
    assert {fp(label) for label in document.content_labels} == {fp("Testperson Alpha"), fp("Summary")}
    assert all(part.label_from_content for part, _ in parts)

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("cases/Testperson_Gamma.csv", "a,b\n1,2\n")
    document, parts = read_all(archive.getvalue())
    assert {fp(label) for label in document.content_labels} == {fp("cases"), fp("Testperson_Gamma")}
    assert all(part.label_from_content for part, _ in parts)


def test_the_file_name_the_user_gave_is_shown_as_it_is_and_name_like_sheets_are_masked():
    settings = ScanSettings(fingerprint_key="labels")
    csv = b"name,ssn\nTestperson Delta,123-45-6780\n"
    report = scan_bytes(csv, target="big.csv", settings=settings, name="big.csv")
    assert all(place.startswith("big.csv column") for f in report.findings for place in f.where), \
        [f.where for f in report.findings]
    assert any(reason.startswith("big.csv:") for reason in report.reasons)

    workbook = Workbook()
    workbook.active.title = "Testperson Alpha"
    workbook.active.append(["Name", "SSN"])
    workbook.active.append(["Testperson Delta", "123-45-6780"])
    workbook.create_sheet("clients_march").append(["Name", "SSN"])
    workbook["clients_march"].append(["Testperson Epsilon", "123-45-6781"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = scan_bytes(buffer.getvalue(), target="Quarterly Roster.xlsx", settings=settings,
                        name="Quarterly Roster.xlsx")
    places = [place for f in report.findings for place in f.where]
    assert places and not any("Testperson Alpha" in place for place in places)
    assert any(place.startswith("clients_march!") for place in places)


def test_report_masks_content_labels_that_look_like_names_as_whole_words():
    report = Report(target="x")
    report.findings = [Finding(type="A_NUMBER", count=1, confidence=0.9, samples=[], fingerprints=[],
                               where=["Testperson Alpha!B2:B9", "Summary!A1", "Testperson Alphabet!C1"])]
    report.reasons = ['sheet "Testperson Alpha": names and A-numbers']
    redact_report(report, b"k", {"Testperson Alpha", "Summary"})
    texts = report.findings[0].where + report.reasons
    assert sum("Testperson Alpha" in text for text in texts) == 1  # only inside the longer word
    assert "Summary!A1" in texts
