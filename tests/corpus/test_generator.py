"""The corpus generator: deterministic for a seed, and its ground truth agrees with the files.

The files are read back here with plain libraries (openpyxl, pypdf, csv text), independently of
the scanner, to check that every ground-truth value really is in its file and that counts add up.
Failures print file names, types and counts, never values.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from html import unescape
from pathlib import Path

import openpyxl
import phonenumbers
import pypdf
import pytest
from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.us import itin as stdnum_itin
from stdnum.us import ssn as stdnum_ssn

from tests.corpus import IDENTIFIER_TYPES, corpus_names, generate_corpus
from tests.corpus.config_check import SEVERITY_ORDER
from tests.corpus.generator import LEAKS, LOOKALIKES

SMALL = 0.2
ORIGINAL = "detained_population_fy2025.xlsx"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    return {f.name: f for f in generate_corpus(out, seed=7, scale=SMALL)}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- reading files back, independently of the scanner --------------------------------------------
def _zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def file_text(path: Path, fmt: str) -> str:
    data = path.read_bytes()
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        return "\n".join("\t".join("" if v is None else str(v) for v in row)
                         for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    if fmt == "zip":
        return _zip_text(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return unescape(re.sub(r"<[^>]+>", " ", text)) if fmt == "html" else text


_DIGIT_SHAPES = (r"(?<!\d)\d{3}[ \-]\d{3}[ \-]\d{3}(?!\d)", r"(?<!\d)\d{3}[ \-]\d{2}[ \-]\d{4}(?!\d)",
                 r"(?<!\d)\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4}(?!\d)", r"(?<!\d)\d{7,16}(?!\d)")
_PHONE = re.compile(r"(?:\+?1[ .\-]?)?\(?(\d{3})\)?[ .\-]?(\d{3})[ .\-]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b")
_PASSPORT = re.compile(r"\b[A-Z]{0,2}\d{7,9}\b")


def candidates(text: str) -> dict[str, set[str]]:
    """Every value of each identifier type that appears in the text, normalized (a superset)."""
    digits = {re.sub(r"\D", "", m) for shape in _DIGIT_SHAPES for m in re.findall(shape, text)}
    return {
        "A_NUMBER": {d.zfill(9) for d in digits if len(d) in (8, 9)},
        "SSN": {d for d in digits if len(d) == 9},
        "ITIN": {d for d in digits if len(d) == 9},
        "CREDIT_CARD": {d for d in digits if len(d) == 16},
        "PHONE": {"+1" + "".join(m) for m in _PHONE.findall(text)},
        "EMAIL": {m.lower() for m in _EMAIL.findall(text)},
        "IBAN": {m.replace(" ", "") for m in _IBAN.findall(text)},
        "PASSPORT": set(_PASSPORT.findall(text)),
    }


# -- tests -------------------------------------------------------------------------------------
def test_same_seed_same_bytes_and_files_independent_of_each_other(corpus, tmp_path):
    again = {f.name: f for f in generate_corpus(tmp_path / "again", seed=7, scale=SMALL)}
    changed = [name for name in corpus if _digest(corpus[name].path) != _digest(again[name].path)]
    assert not changed, f"files whose bytes changed between two runs with one seed: {changed}"
    for name in corpus:
        assert corpus[name].people == again[name].people, name
        same_truth = corpus[name].identifiers == again[name].identifiers  # a bool: no values in the output
        assert same_truth, f"{name}: ground truth differs between runs"
    alone = generate_corpus(tmp_path / "alone", seed=7, scale=SMALL, only=["nightly_export.zip"])[0]
    assert _digest(alone.path) == _digest(corpus["nightly_export.zip"].path), "a file depends on the others"


def test_another_seed_gives_other_values(corpus, tmp_path):
    names = ["hr_export_ssn_email.csv", "detainee_api_dump.json", "case_notes_email.txt"]
    other = {f.name: f for f in generate_corpus(tmp_path, seed=8, scale=SMALL, only=names)}
    for name in names:
        for kind, values in corpus[name].identifiers.items():
            shared = len(values & other[name].identifiers.get(kind, set()))
            assert shared == 0, f"{name} {kind}: {shared} values shared between seeds 7 and 8"


def test_corpus_covers_the_required_cases(corpus):
    leaks = [f for f in corpus.values() if f.is_leak]
    lookalikes = [f for f in corpus.values() if not f.is_leak]
    assert len(leaks) - 1 >= 10 and len(lookalikes) >= 8
    assert {f.format for f in leaks} >= {"xlsx", "csv", "html", "pdf", "json", "text", "zip"}
    assert {f.name for f in corpus.values()} == set(corpus_names()) == set(LEAKS) | set(LOOKALIKES)
    assert any(f.people == 3 for f in leaks), "a leak of only a few records"


def test_original_leak_shape_is_full_size_whatever_the_scale(corpus):
    original = corpus[ORIGINAL]
    assert original.people == 6252 and original.min_severity == "critical"
    assert {"A_NUMBER", "PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION"} <= original.expected_types
    sheet = openpyxl.load_workbook(original.path).active
    assert [c.value for c in sheet[4]] == ["Last Name", "First Name", "Country of Citizenship", "A-Number",
                                           "Detention Facility", "Book-In Date", "Gender"]
    assert "A1:G2" in {str(r) for r in sheet.merged_cells.ranges}
    a_cells = [row[0] for row in sheet.iter_rows(min_row=5, min_col=4, max_col=4, values_only=True)
               if row[0] is not None]
    assert len(a_cells) == 6252 and sheet.cell(row=6256, column=4).value is not None
    numbers = sum(isinstance(v, int) for v in a_cells)
    dashed = sum(isinstance(v, str) and re.fullmatch(r"A-\d{3}-\d{3}-\d{3}", v) is not None for v in a_cells)
    plain = sum(isinstance(v, str) and re.fullmatch(r"A\d{8,9}", v) is not None for v in a_cells)
    assert min(numbers, dashed, plain) > 300, "A-numbers should be written in several forms"
    surnames = [row[0] for row in sheet.iter_rows(min_row=5, max_row=6256, max_col=1, values_only=True)]
    assert all(s == s.upper() for s in surnames), "government lists write surnames in capitals"


def test_scale_shrinks_everything_but_the_original(corpus, tmp_path):
    bigger = {f.name: f for f in generate_corpus(tmp_path, seed=7, scale=1.0,
                                                 only=["hr_export_ssn_email.csv", ORIGINAL])}
    assert bigger[ORIGINAL].people == corpus[ORIGINAL].people
    assert bigger["hr_export_ssn_email.csv"].people > corpus["hr_export_ssn_email.csv"].people


@pytest.mark.parametrize("name", corpus_names())
def test_ground_truth_is_in_the_file_and_consistent(corpus, name):
    entry = corpus[name]
    assert entry.path.is_file() and entry.path.stat().st_size > 0
    assert entry.min_severity in SEVERITY_ORDER and entry.max_severity in SEVERITY_ORDER
    assert set(entry.identifiers) <= set(IDENTIFIER_TYPES)
    if not entry.is_leak:
        assert entry.people == 0 and not entry.identifiers and entry.max_people == 0
        assert SEVERITY_ORDER.index(entry.max_severity) <= SEVERITY_ORDER.index("low")
        assert entry.forbidden_types, "a look-alike says which types it must not raise"
        return
    assert SEVERITY_ORDER.index(entry.min_severity) >= SEVERITY_ORDER.index("high")
    assert entry.expected_types and not (entry.expected_types & entry.forbidden_types)
    assert set(entry.identifiers) <= entry.expected_types | {"ITIN"}
    # every person carries one primary identifier, unique in the file
    assert entry.people == max(len(values) for values in entry.identifiers.values())
    found = candidates(file_text(entry.path, entry.format))
    for kind, values in entry.identifiers.items():
        missing = len(values - found[kind])
        assert missing == 0, f"{name}: {missing} of {len(values)} {kind} values are not in the file"


def test_identifiers_are_valid_synthetic_values(corpus):
    problems = []
    for entry in corpus.values():
        ids = entry.identifiers
        checks = {
            "A_NUMBER": lambda v: re.fullmatch(r"\d{9}", v) is not None and v.lstrip("0").__len__() >= 8,
            "SSN": stdnum_ssn.is_valid,
            "ITIN": stdnum_itin.is_valid,
            "PHONE": lambda v: phonenumbers.is_valid_number(phonenumbers.parse(v)) and v[2:5] != "555",
            "EMAIL": lambda v: v == v.lower() and v.rsplit("@", 1)[1] in ("inbox-mail.org", "webmail-service.com"),
            "CREDIT_CARD": lambda v: len(v) == 16 and luhn.is_valid(v),
            "IBAN": stdnum_iban.is_valid,
            "PASSPORT": lambda v: v == v.upper() and not re.fullmatch(r"A\d{7,9}", v),
        }
        for kind, values in ids.items():
            bad = sum(not checks[kind](v) for v in values)
            if bad:
                problems.append(f"{entry.name}: {bad} invalid {kind}")
    assert not problems, problems


def test_encodings_hidden_sheet_and_headerless_layouts(corpus):
    raw = corpus["intake_export_cp1252.csv"].path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b";" in raw.splitlines()[0]
    workbook = openpyxl.load_workbook(corpus["housing_roster_hidden_sheet.xlsx"].path)
    states = {sheet.title: sheet.sheet_state for sheet in workbook.worksheets}
    assert states == {"Summary": "visible", "Roster": "hidden"}
    first_row = next(openpyxl.load_workbook(corpus["transfer_manifest_no_header.xlsx"].path).active
                     .iter_rows(max_row=1, values_only=True))
    first_is_data = re.search(r"A-?\s?#?\d", str(first_row[1])) is not None
    assert first_is_data, "the first row is data, not a header"
    numeric = openpyxl.load_workbook(corpus["alien_ssn_numeric_cells.xlsx"].path).active
    assert all(isinstance(v, int) for (v,) in numeric.iter_rows(min_row=2, min_col=2, max_col=2, values_only=True))


def test_repr_and_counts_never_show_a_value(corpus):
    for entry in corpus.values():
        shown = repr(entry) + str(entry.identifier_counts())
        for values in entry.identifiers.values():
            assert not any(v in shown for v in values), f"{entry.name}: a raw value appears in its repr"
