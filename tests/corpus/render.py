"""How identifiers and names are written in a file: the many spellings of one value.

Each function takes the normalized value and a random source, and returns one of the spellings
real documents use. The normalized value (the ground truth) never changes with the spelling.
"""

from __future__ import annotations

import random
from datetime import date

from tests.corpus.values import Person, ascii_fold


def a_number_text(digits9: str, rng: random.Random) -> str:
    """'A123456789', 'A-123-456-789', 'A 123 456 789', 'A012345678', 'A12345678', 'A#123456789'."""
    short = digits9.lstrip("0") if digits9.startswith("0") else digits9
    style = rng.randrange(6)
    if style == 0:
        return f"A{digits9}"
    if style == 1:
        return f"A-{digits9[:3]}-{digits9[3:6]}-{digits9[6:]}"
    if style == 2:
        return f"A {digits9[:3]} {digits9[3:6]} {digits9[6:]}"
    if style == 3:
        return f"A{short}"
    if style == 4:
        return f"A#{digits9}"
    return f"A-{short}"


def a_number_cell(digits9: str, rng: random.Random) -> str | int:
    """As a spreadsheet holds it: often a bare number, else one of the text spellings."""
    if rng.random() < 0.35:
        return int(digits9)
    return a_number_text(digits9, rng)


def dashed_nine(digits: str, rng: random.Random) -> str:
    """SSN / ITIN: '123-45-6789', '123 45 6789' or '123456789'."""
    style = rng.randrange(4)
    if style <= 1:
        return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"
    if style == 2:
        return f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return digits


def phone_text(e164: str, rng: random.Random) -> str:
    national = e164[2:]
    area, exchange, line = national[:3], national[3:6], national[6:]
    return rng.choice((f"({area}) {exchange}-{line}", f"{area}-{exchange}-{line}", f"{area}.{exchange}.{line}",
                       f"+1 {area} {exchange} {line}", f"1-{area}-{exchange}-{line}"))


def email_text(email: str, rng: random.Random) -> str:
    """Some emails are written with capitals; normalization lower-cases them."""
    if rng.random() < 0.2:
        local, _, domain = email.partition("@")
        return f"{local.title()}@{domain.capitalize()}"
    return email


def card_text(number: str, rng: random.Random) -> str:
    style = rng.randrange(3)
    if style == 0:
        return " ".join(number[i:i + 4] for i in range(0, 16, 4))
    if style == 1:
        return "-".join(number[i:i + 4] for i in range(0, 16, 4))
    return number


def iban_text(iban: str, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))
    return iban


def dob_text(dob: date, day_first: bool) -> str:
    return dob.strftime("%d/%m/%Y" if day_first else "%m/%d/%Y")


def surname_caps(person: Person, rng: random.Random, *, fold_share: float = 0.3) -> str:
    """ALL-CAPS surname, sometimes with the accents dropped, as government lists do."""
    surname = ascii_fold(person.surname) if rng.random() < fold_share else person.surname
    return surname.upper()


def last_first(person: Person, rng: random.Random) -> str:
    """'HERNÁNDEZ PÉREZ, Xiomara' or 'Hernández Pérez, Xiomara'."""
    surname = surname_caps(person, rng) if rng.random() < 0.6 else person.surname
    return f"{surname}, {person.given}"
