"""Small synthetic leaks for the Slack tests: people with A-numbers, names and birth dates.

The raw values exist only in the test process, for "this value appears nowhere" checks; tests
report counts and fingerprints, never the values themselves.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
from dataclasses import dataclass

from openpyxl import Workbook

FIRST = ["Marisol", "Teodoro", "Abigail", "Rigoberto", "Yesenia", "Anselmo", "Graciela", "Leopoldo",
         "Xiomara", "Florencio", "Dulcinea", "Evaristo", "Nohemi", "Casimiro", "Rosaura", "Wenceslao"]
LAST = ["Quintanilla", "Arreola", "Villalobos", "Cardenas", "Zamudio", "Echeverria", "Barrientos",
        "Olivares", "Tamayo", "Bustamante", "Valdivia", "Ocampo", "Saucedo", "Manriquez"]


@dataclass
class Person:
    a_number: str
    first: str
    last: str
    birth_date: str


def people(count: int, seed: int = 7) -> list[Person]:
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    while len(out) < count:
        a_number = f"A{rng.randint(200_000_000, 299_999_999)}"
        if a_number in seen:
            continue
        seen.add(a_number)
        out.append(Person(a_number, rng.choice(FIRST), rng.choice(LAST),
                          f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
    return out


def raw_values(rows: list[Person]) -> list[str]:
    """Every value that must never leave the scanner (full names included)."""
    values = []
    for p in rows:
        values += [p.a_number, p.a_number[1:], f"{p.first} {p.last}", p.birth_date]
    return values


def short_id(value: str) -> str:
    """A stable handle for a value in assertion messages (never the value itself)."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def shown_in(text: str, values) -> list[str]:
    """Handles (short_id) of the `values` that `text` holds: `assert not shown_in(...)` fails
    without printing a value, as `assert value not in text` would."""
    return [short_id(value) for value in values if value in text]


def leak_csv(rows: list[Person]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["A-Number", "First Name", "Last Name", "Date of Birth"])
    for p in rows:
        writer.writerow([p.a_number, p.first, p.last, p.birth_date])
    return out.getvalue().encode()


def leak_xlsx(rows: list[Person], sheet: str = "Detained Population") -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(["Detention roster (synthetic test data)"])
    ws.append([])
    ws.append(["A-Number", "First Name", "Last Name", "Date of Birth"])
    for p in rows:
        ws.append([p.a_number, p.first, p.last, p.birth_date])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CLEAN_PAGE = (b"<!doctype html><html><head><title>Office hours</title></head><body>"
              b"<h1>Visiting hours</h1><p>The office is open Monday to Friday, 9:00 to 17:00.</p>"
              b"<p>Parking is available on the north side of the building.</p></body></html>")
