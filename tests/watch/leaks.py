"""Synthetic leak files for crawl, watch and re-post tests (seeded; never printed).

`roster_csv(rows, seed)` is a detention-roster-like CSV: name, A-number, country, date of birth.
The A-numbers are random 9-digit numbers from the seed; `a_number_digits` gives the normalized
values so a test can compute fingerprints, and they stay out of every assertion message.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

GIVEN = ("Ana", "Luis", "Marta", "Jorge", "Elena", "Pablo", "Rosa", "Hugo", "Irma", "Oscar", "Nora", "Raul")
SURNAMES = ("Alvarado", "Benitez", "Cardona", "Duarte", "Escobar", "Fuentes", "Galeano", "Herrera", "Ibarra")
COUNTRIES = ("GUATEMALA", "HONDURAS", "EL SALVADOR", "MEXICO", "ECUADOR")


@dataclass
class Roster:
    rows: list[tuple[str, str, str, str]] = field(repr=False)
    #: normalized A-numbers (9 digits), for fingerprints only
    a_number_digits: list[str] = field(repr=False)

    def csv(self, start: int = 0, stop: int | None = None) -> bytes:
        lines = ["Full Name,A-Number,Country of Citizenship,Date of Birth"]
        lines += [",".join(row) for row in self.rows[start:stop]]
        return ("\n".join(lines) + "\n").encode()


def roster(rows: int, seed: int) -> Roster:
    rng = random.Random(seed)
    numbers = rng.sample(range(200_000_000, 299_999_999), rows)
    people = []
    for number in numbers:
        name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)} {rng.choice(SURNAMES)}"
        dob = f"{rng.randint(1960, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people.append((name, f"A{number:09d}", rng.choice(COUNTRIES), dob))
    return Roster(rows=people, a_number_digits=[f"{n:09d}" for n in numbers])


def harmless_csv(rows: int = 20) -> bytes:
    """A product list: numbers, but about no one."""
    lines = ["Item,Quantity,Unit price"] + [f"Widget {i},{i * 3},{i * 1.5:.2f}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def page(title: str, links: list[str], body: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (f"<!doctype html><html><head><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{body}</p><ul>{items}</ul></body></html>").encode()
