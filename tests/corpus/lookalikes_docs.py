"""Look-alikes about the data rather than of it: a data dictionary and a format help page."""

from __future__ import annotations

import random
from pathlib import Path

from tests.corpus.lookalikes import NOT_PEOPLE_IDS
from tests.corpus.truth import CorpusFile, lookalike
from tests.corpus.writers import csv_text, html_page, html_table


def data_dictionary(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """Field names that say A-number, SSN, date of birth... with placeholder examples, no data."""
    rows: list[list[object]] = [["Field Name", "Description", "Type", "Length", "Example / Format", "Required"]]
    fields = [
        ("LAST_NAME", "Family name of the subject, upper case", "string", 40, "(text)"),
        ("FIRST_NAME", "Given name(s) of the subject", "string", 40, "(text)"),
        ("A_NUMBER", "Alien Registration Number, 9 digits, left-padded with zeros", "string", 10, "A000000000"),
        ("SSN", "Social Security Number, if known", "string", 11, "XXX-XX-XXXX"),
        ("DOB", "Date of birth", "date", 10, "MM/DD/YYYY"),
        ("COUNTRY_OF_CITIZENSHIP", "ISO 3166 country name", "string", 60, "(country list)"),
        ("FACILITY_CODE", "Detention facility code", "string", 5, "AAAAA"),
        ("BOOK_IN_DATE", "Date booked into custody", "date", 10, "MM/DD/YYYY"),
        ("PHONE", "Contact phone, digits only", "string", 10, "0000000000"),
    ]
    for name, description, kind, length, example in fields:
        rows.append([name, description, kind, length, example, rng.choice(("Y", "N"))])
    path.write_text(csv_text(rows), encoding="utf-8")
    return lookalike(path, "csv", forbidden=(NOT_PEOPLE_IDS - {"A_NUMBER"}) | {"PERSON_NAME", "DATE_OF_BIRTH", "PHONE"},
                     what="data dictionary: field names and placeholder formats")


def ssn_help_page(path: Path, rng: random.Random, scale: float) -> CorpusFile:
    """A help page listing numbers that are never valid SSNs: samples and impossible ranges."""
    examples = [["078-05-1120", "Sample number printed on a wallet insert in 1938; never valid"],
                ["219-09-9999", "Sample number used in an advertising pamphlet; never valid"],
                ["000-12-3456", "Area 000 is never issued"], ["666-12-3456", "Area 666 is never issued"],
                ["123-00-4567", "Group 00 is never issued"], ["123-45-0000", "Serial 0000 is never issued"],
                ["987-65-4320", "Area 900-999 is not an SSN (reserved)"]]
    body = ("<h1>Why was my number rejected?</h1>\n<p>The form checks the Social Security Number you type. "
            "These numbers are always rejected:</p>\n" + html_table(["Number", "Why"], examples)
            + "\n<p>Questions: help@example.org</p>")
    path.write_text(html_page("SSN format help", body), encoding="utf-8")
    return lookalike(path, "html", forbidden=NOT_PEOPLE_IDS | {"PERSON_NAME", "DATE_OF_BIRTH"},
                     what="help page listing never-valid SSNs (samples, impossible ranges)")
