"""Synthetic leaks of every format, plus adversarial layouts where a value ends up in a label.

A label is anything a report names a place with: a sheet name, a column header, a JSON key, an
archive entry name, a table caption. Each maker returns bytes; `RAW` lists every raw value that
went into them, for "appears nowhere" checks. Everything is synthetic; failures must name values
by `short_id`, never print them.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook

from tests.helpers.synthetic_leak import short_id
from tests.scan.hostile_files import _pdf


@dataclass(frozen=True)
class Person:
    name: str
    a_number: str
    ssn: str
    email: str
    phone: str
    birth_date: str


def _people() -> list[Person]:
    firsts = ["Marisol", "Teodoro", "Abigail", "Rigoberto", "Yesenia", "Anselmo", "Graciela", "Leopoldo"]
    lasts = ["Quintanilla", "Arreola", "Villalobos", "Cardenas", "Zamudio", "Echeverria", "Barrientos", "Olivares"]
    out = []
    for i, (first, last) in enumerate(zip(firsts, lasts, strict=True)):
        out.append(Person(
            name=f"{first} {last}",
            a_number=f"A2{i}{i + 3}{(i * 7) % 10}48{i}71",
            ssn=f"52{i}-3{i}-{4297 + i * 13}",
            email=f"{first.lower()}.{last.lower()}@correo-personal.net",
            phone=f"(213) 48{i}-{3100 + i * 17}",
            birth_date=f"19{60 + i}-0{1 + i}-1{i}",
        ))
    return out


PEOPLE = _people()
#: a person who is named only in a label (sheet, entry, key), never in the data
LABEL_ONLY = Person("Wenceslao Manriquez", "A287604413", "534-72-1958", "wenceslao.m@correo-personal.net",
                    "(213) 555-2718", "1977-11-23")
ALL = [*PEOPLE, LABEL_ONLY]


def raw_values(people: list[Person] = ALL) -> list[str]:
    """Every raw form that must never leave the scanner."""
    values = []
    for p in people:
        digits_phone = "".join(c for c in p.phone if c.isdigit())
        values += [p.name, p.a_number, p.a_number[1:], p.ssn, p.ssn.replace("-", ""), p.email, p.phone,
                   digits_phone, p.birth_date]
    return values


def leaked_ids(text: str, people: list[Person] = ALL) -> list[str]:
    """Short ids (never values) of the raw values found in `text`."""
    return sorted({short_id(v) for v in raw_values(people) if v in text})


def _rows(people: list[Person]) -> list[list[str]]:
    return [[p.name, p.a_number, p.ssn, p.email, p.phone, p.birth_date] for p in people]


HEADER = ["Full Name", "A-Number", "SSN", "Email", "Phone", "Date of Birth"]


def csv_leak(people: list[Person] = PEOPLE, header: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    if header:
        writer.writerow(HEADER)
    writer.writerows(_rows(people))
    return out.getvalue().encode()


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_leak() -> bytes:
    return _xlsx({"Roster": [["Detention roster (synthetic)"], [], HEADER, *_rows(PEOPLE)]})


def xlsx_sheet_named_ssn() -> bytes:
    """One sheet per person, each named with that person's SSN; another named after a person."""
    sheets = {p.ssn: [HEADER, *_rows([p])] for p in PEOPLE[:3]}
    sheets[LABEL_ONLY.ssn] = [HEADER, *_rows(PEOPLE[3:])]
    return _xlsx(sheets)


def xlsx_sheet_named_unknown_person() -> bytes:
    """A sheet named after someone who appears nowhere else, with a name not in the name lists."""
    return _xlsx({LABEL_ONLY.name: [HEADER, *_rows(PEOPLE)]})


def xlsx_sheet_named_person() -> bytes:
    """Sheets named after the person whose record they hold (a case file per person)."""
    return _xlsx({p.name: [HEADER, *_rows([p])] for p in PEOPLE[:4]})


def csv_headerless_person_first() -> bytes:
    """No header: the first row is a person."""
    return csv_leak(PEOPLE, header=False)


def csv_first_row_reads_as_header() -> bytes:
    """No header, and the first person's row has no id (so it reads like a row of labels)."""
    first = PEOPLE[0]
    rows = [[first.name, "", "", "Guatemala"]] + [[p.name, p.a_number, p.birth_date, "Honduras"] for p in PEOPLE[1:]]
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def json_records() -> bytes:
    return json.dumps({"people": [dict(zip(["name", "aNumber", "ssn", "email", "phone", "dob"], row, strict=True))
                                  for row in _rows(PEOPLE)]}).encode()


def json_keys_are_emails() -> bytes:
    """An object keyed by e-mail address."""
    return json.dumps({p.email: {"name": p.name, "aNumber": p.a_number} for p in PEOPLE}).encode()


def json_records_keyed_by_name() -> bytes:
    """Records whose only key is the person's name: {"Maria Lopez": "A123456789"}."""
    return json.dumps([{p.name: p.a_number} for p in PEOPLE]).encode()


def json_keys_are_a_numbers() -> bytes:
    """Records whose keys are A-numbers and SSNs (an index exported as an object)."""
    return json.dumps([{p.a_number: p.name, p.ssn: p.birth_date} for p in PEOPLE]).encode()


def html_leak() -> bytes:
    rows = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>" for row in _rows(PEOPLE))
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    return f"<html><body><h1>Roster</h1><table><tr>{head}</tr>{rows}</table></body></html>".encode()


def html_caption_and_th_row() -> bytes:
    """A caption holding an A-number, and a first data row marked up as <th> (no real header)."""
    first, rest = PEOPLE[0], PEOPLE[1:]
    th = "".join(f"<th>{v}</th>" for v in [first.name, first.a_number])
    rows = "".join(f"<tr><td>{p.name}</td><td>{p.a_number}</td></tr>" for p in rest)
    caption = f"<caption>Case {LABEL_ONLY.a_number} {LABEL_ONLY.name}</caption>"
    return f"<html><body><table>{caption}<tr>{th}</tr>{rows}</table></body></html>".encode()


def zip_entries_named_after_people() -> bytes:
    """A zip whose entries are named after the person (name, A-number) they describe."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for p in PEOPLE[:3]:
            archive.writestr(f"{p.name} {p.a_number}.csv", csv_leak([p]))
        archive.writestr(f"cases/{LABEL_ONLY.ssn}/{LABEL_ONLY.email}.csv", csv_leak(PEOPLE[3:6]))
        last = PEOPLE[6]
        archive.writestr(f"export/{last.a_number}_{last.name.replace(' ', '_')}.csv", csv_leak(PEOPLE[6:]))
    return buffer.getvalue()


def _pdf_text(lines: list[str]) -> bytes:
    ops = ["BT /F1 10 Tf 40 760 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({escaped}) Tj 0 -14 Td")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def pdf_leak() -> bytes:
    lines = [f"Name: {p.name}, A-Number: {p.a_number}, SSN: {p.ssn}, DOB: {p.birth_date}" for p in PEOPLE]
    return _pdf(_pdf_text(lines), b"")


def pdf_form_lines() -> bytes:
    """The same facts as "Label: value" fields lined up in columns (a printed case list)."""
    lines = [f"Name: {p.name}  A-Number: {p.a_number}  SSN: {p.ssn}  DOB: {p.birth_date}" for p in PEOPLE]
    return _pdf(_pdf_text(lines), b"")


def pdf_with_value_in_font_encoding() -> bytes:
    """A PDF whose font /Encoding name is an A-number and a name: pypdf logs that name as an error."""
    pdf = pdf_leak()
    hostile = f"/Encoding /{LABEL_ONLY.a_number}{LABEL_ONLY.name.replace(' ', '')}".encode()
    # same length swap keeps the xref offsets right: pad the base font name
    old = b"/BaseFont /Helvetica"
    new = b"/BaseFont /Helvetica " + hostile
    return _pdf_rebuilt(pdf.replace(old, new))


def _pdf_rebuilt(pdf: bytes) -> bytes:
    """Recompute the xref table of a small PDF after an edit (objects are `N 0 obj`...)."""
    head, _, _ = pdf.partition(b"xref\n")
    offsets = []
    position = 0
    while True:
        found = head.find(b" 0 obj\n", position)
        if found < 0:
            break
        line_start = head.rfind(b"\n", 0, found) + 1
        offsets.append(line_start)
        position = found + 1
    out = bytearray(head)
    xref = len(out)
    out += f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_leak() -> bytes:
    return "\n".join(f"{p.name} (A# {p.a_number}) SSN {p.ssn}, born {p.birth_date}, {p.email}, tel {p.phone}"
                     for p in PEOPLE).encode()


# --- malformed files whose parser errors would quote content -------------------------------------


def json_truncated_after_values() -> bytes:
    return json_records()[:-40] + b"\x00{"


def json_bad_token_next_to_value() -> bytes:
    return f'{{"people": [{{"ssn": "{PEOPLE[0].ssn}", "name": {PEOPLE[0].name}}}]}}'.encode()


def csv_unterminated_quote() -> bytes:
    return csv_leak() + f'"{LABEL_ONLY.name},{LABEL_ONLY.ssn}\n'.encode() + b"x" * 2_000_000


def xlsx_damaged_shared_strings() -> bytes:
    """A workbook whose sharedStrings.xml breaks right after a value."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_leak()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", f"<row r=\"99\"><c r=\"A99\" t=\"inlineStr\"><is><t>{LABEL_ONLY.ssn}"
                                    f"</t></is><c r=\"B99\"><v>{LABEL_ONLY.a_number}</v></c></row></sheetData>".encode())
            archive.writestr(item, data)
    return buffer.getvalue()


#: files that must scan and find something, leaving no raw value anywhere but masked samples
LEAKS = {
    "roster.csv": csv_leak,
    "roster.xlsx": xlsx_leak,
    "roster.json": json_records,
    "roster.html": html_leak,
    "roster.pdf": pdf_leak,
    "roster.txt": text_leak,
    "headerless.csv": csv_headerless_person_first,
    "first-row-like-header.csv": csv_first_row_reads_as_header,
    "sheets-named-ssn.xlsx": xlsx_sheet_named_ssn,
    "sheets-named-person.xlsx": xlsx_sheet_named_person,
    "keys-are-emails.json": json_keys_are_emails,
    "keys-are-names.json": json_records_keyed_by_name,
    "caption-and-th.html": html_caption_and_th_row,
    "entries-named-after-people.zip": zip_entries_named_after_people,
    "font-encoding.pdf": pdf_with_value_in_font_encoding,
}

#: layouts the scanner gets wrong today (tests/security/test_no_raw_values.py marks them xfail)
#: once gaps in detection; kept as regression cases (each must leak nothing, whatever is found)
KNOWN_GAPS = {
    "sheet-named-unknown-person.xlsx": xlsx_sheet_named_unknown_person,
    "keys-are-a-numbers.json": json_keys_are_a_numbers,
    "form-lines.pdf": pdf_form_lines,
}

#: malformed files: any outcome is fine except a raw value or a traceback anywhere
MALFORMED = {
    "truncated.json": json_truncated_after_values,
    "bad-token.json": json_bad_token_next_to_value,
    "unterminated-quote.csv": csv_unterminated_quote,
    "damaged.xlsx": xlsx_damaged_shared_strings,
}
