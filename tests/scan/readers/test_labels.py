"""Labels from content: readers note them, the report masks those that are not generic words."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from bot.scan.readers.labels import generic_label
from bot.scan.redact import redact_report
from bot.scan.report import Finding, Report
from tests.scan.readers import fp, read_all


def test_generic_labels():
    for label in ("Sheet1", "Data", "Roster", "Detained Population", "export", "export_2024-03", "FY24 Q3",
                  "people", "Hoja 2", ""):
        assert generic_label(label), label
    for label in ("Testperson Alpha", "Quintanillo Arreolo", "Harris Roster"):
        assert not generic_label(label), fp(label)


def test_sheet_names_file_names_and_entry_names_are_noted_as_content_labels():
    workbook = Workbook()
    workbook.active.title = "Testperson Alpha"
    workbook.active.append(["Name", "Id"])
    workbook.active.append(["x", 1])
    workbook.create_sheet("Summary").append(["a"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    document, parts = read_all(buffer.getvalue(), name="Testperson Beta.xlsx")
    assert {fp(label) for label in document.content_labels} == {fp("Testperson Alpha"), fp("Summary"),
                                                                fp("Testperson Beta")}
    assert all(part.label_from_content for part, _ in parts)

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("cases/Testperson_Gamma.csv", "a,b\n1,2\n")
    document, parts = read_all(archive.getvalue())
    assert {fp(label) for label in document.content_labels} == {fp("cases"), fp("Testperson_Gamma")}
    assert all(part.label_from_content for part, _ in parts)


def test_report_masks_content_labels_that_are_not_generic_as_whole_words():
    report = Report(target="x")
    report.findings = [Finding(type="A_NUMBER", count=1, confidence=0.9, samples=[], fingerprints=[],
                               where=["Testperson Alpha!B2:B9", "Summary!A1", "Testperson Alphabet!C1"])]
    report.reasons = ['sheet "Testperson Alpha": names and A-numbers']
    redact_report(report, b"k", {"Testperson Alpha", "Summary"})
    texts = report.findings[0].where + report.reasons
    assert sum("Testperson Alpha" in text for text in texts) == 1  # only inside the longer word
    assert "Summary!A1" in texts
