"""Synthetic sample data for the local workspace and for drills: made up here, at run time.

    roster_csv(count=24, seed=16) -> bytes    # a published "detention roster" of invented people
    clean_page() -> bytes                     # an ordinary page with nobody's data on it

Nobody in the roster exists: first and last names are drawn from invented syllables, A-numbers
from a fixed pseudo-random sequence (seeded, so the same sample every run), birth dates from a
range. The shape is the one the project was built for (A-number, name, nationality, detention
centre, birth date), so the scanner finds an incident-level exposure in it, as it would in a real
leak. The sample is for practice; nothing here is copied from any real record.
"""

from __future__ import annotations

import csv
import io
import random

ROSTER_NAME = "detention-roster.csv"
#: invented syllables: the names they make are pronounceable and belong to no one in particular
_ONSETS = ["Ka", "Lo", "Mi", "Ne", "Ta", "Ro", "Sa", "Vi", "Da", "Fe", "Lu", "Mo", "Pa", "Zi", "Be", "Ga"]
_MIDDLES = ["ra", "li", "no", "ve", "ta", "mi", "lo", "sa", "de", "ri"]
_FIRST_ENDS = ["na", "ro", "lia", "mon", "ssa", "dor", "nia", "ldo"]
_LAST_ENDS = ["zquel", "rrano", "ndez", "vora", "lcaster", "bridge", "quist", "mont"]
_NATIONALITIES = ["Honduras", "Guatemala", "El Salvador", "Venezuela", "Haiti", "Ecuador", "Nicaragua", "Cuba"]
_CENTRES = ["North Valley Processing Center", "Riverside Detention Facility", "Eastgate Service Processing Center"]


def _name(rng: random.Random, ends: list[str]) -> str:
    return rng.choice(_ONSETS) + rng.choice(_MIDDLES) + rng.choice(ends)


def roster_rows(count: int = 24, seed: int = 16) -> list[dict[str, str]]:
    """`count` invented people, the same ones for the same seed."""
    rng = random.Random(seed)
    seen: set[str] = set()
    rows: list[dict[str, str]] = []
    while len(rows) < count:
        a_number = f"A{rng.randint(200_000_000, 299_999_999)}"
        if a_number in seen:
            continue
        seen.add(a_number)
        rows.append({
            "A-Number": a_number,
            "Last Name": _name(rng, _LAST_ENDS),
            "First Name": _name(rng, _FIRST_ENDS),
            "Country of Citizenship": rng.choice(_NATIONALITIES),
            "Detention Facility": rng.choice(_CENTRES),
            "Date of Birth": f"19{rng.randint(60, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        })
    return rows


def roster_csv(count: int = 24, seed: int = 16) -> bytes:
    rows = roster_rows(count, seed)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def clean_page() -> bytes:
    return (b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Visiting hours</title></head>"
            b"<body><h1>Visiting hours</h1><p>The office is open Monday to Friday, 9:00 to 17:00.</p>"
            b"<p>Visits are by appointment; parking is on the north side of the building.</p></body></html>")
