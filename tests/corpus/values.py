"""Synthetic people and identifiers, drawn from a seeded random source.

Every identifier is generated here (never copied from anywhere): A-numbers are random 8-9 digit
numbers; SSNs follow the SSA's issuance rules; ITINs the IRS's; phones are valid-looking US
numbers in real area codes; emails live on inbox-mail.org / webmail-service.com (example.org and .com are reserved: nobody's); cards pass Luhn; IBANs
pass mod 97. Values are unique within one file so "distinct people" is unambiguous.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

import phonenumbers

from tests.corpus.names import ORIGINS, Origin

#: SSNs the SSA (or common validators) treat as samples, never issued
SSN_SAMPLES = {"078051120", "219099999", "457555462", "123456789"}
ITIN_GROUPS = [*range(70, 89), 90, 91, 92, *range(94, 100)]  # the groups every validator accepts
AREA_CODES = ("202", "212", "305", "312", "347", "404", "512", "602", "617", "646", "702", "713",
              "718", "786", "832", "915", "956", "210", "323", "404", "504", "520", "559", "619",
              "773", "817", "908", "973")


def ascii_fold(text: str) -> str:
    """'Hernández' -> 'Hernandez' (government lists often drop accents)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def luhn_check_digit(partial: str) -> str:
    total = 0
    for index, ch in enumerate(reversed(partial)):
        digit = int(ch)
        if index % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def iban_check_digits(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return f"{98 - int(numeric) % 97:02d}"


@dataclass
class Person:
    given: str
    surname: str
    origin: Origin
    country: str
    country_es: str
    gender: str
    dob: date
    #: identifiers in normalized form (scan-report.md); filled on demand by the factory
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.given} {self.surname}"


class Factory:
    """Makes unique people and identifiers for one corpus file."""

    def __init__(self, rng: random.Random, origins: tuple[Origin, ...] | None = None):
        self.rng = rng
        if origins:
            self._origins = list(origins)
            self._weights = [1] * len(origins)
        else:
            self._origins = [origin for origin, _ in ORIGINS]
            self._weights = [weight for _, weight in ORIGINS]
        self._used: dict[str, set[str]] = {}

    def _unique(self, kind: str, make) -> str:
        used = self._used.setdefault(kind, set())
        for _ in range(10_000):
            value = make()
            if value not in used:
                used.add(value)
                return value
        raise RuntimeError(f"could not draw a unique {kind}")

    # -- people ---------------------------------------------------------------------------
    def person(self) -> Person:
        rng = self.rng

        def draw_name() -> str:
            # the origin is drawn again on a collision, so small origins never run dry
            origin = rng.choices(self._origins, self._weights)[0]
            surname = rng.choice(origin.surnames)
            if origin.double_surname and rng.random() < 0.7:
                surname = f"{surname} {rng.choice(origin.surnames)}"
            given = rng.choice(origin.given)
            if rng.random() < 0.35:
                middle = rng.choice(origin.given)
                if middle != given and " " not in given + middle:
                    given = f"{given} {middle}"
            return f"{origin.key}|{given}|{surname}"

        key, given, surname = self._unique("name", draw_name).split("|")
        origin = next(o for o in self._origins if o.key == key)
        dob = date(1956, 1, 1) + timedelta(days=rng.randrange(0, 50 * 365))
        return Person(given=given, surname=surname, origin=origin, country=rng.choice(origin.countries),
                      country_es=rng.choice(origin.countries_es), gender=rng.choice("MF"), dob=dob)

    def people(self, count: int) -> list[Person]:
        return [self.person() for _ in range(count)]

    # -- identifiers (normalized) -----------------------------------------------------------
    def a_number(self) -> str:
        """8 or 9 digits, normalized: left-padded to 9."""
        def make() -> str:
            if self.rng.random() < 0.75:
                return str(self.rng.randint(100_000_000, 249_999_999))
            return str(self.rng.randint(10_000_000, 99_999_999)).zfill(9)
        return self._unique("A_NUMBER", make)

    def ssn(self, min_area: int = 1) -> str:
        def make() -> str:
            while True:
                area = self.rng.randint(min_area, 899)
                value = f"{area:03d}{self.rng.randint(1, 99):02d}{self.rng.randint(1, 9999):04d}"
                if area != 666 and value not in SSN_SAMPLES:
                    return value
        return self._unique("SSN", make)

    def itin(self) -> str:
        return self._unique("ITIN", lambda: f"9{self.rng.randint(0, 99):02d}{self.rng.choice(ITIN_GROUPS):02d}"
                                            f"{self.rng.randint(0, 9999):04d}")

    def phone(self) -> str:
        """E.164, valid for phonenumbers, not in the 555 fiction range."""
        def make() -> str:
            while True:
                exchange = self.rng.randint(200, 999)
                if exchange % 100 == 11 or exchange == 555:
                    continue
                number = f"+1{self.rng.choice(AREA_CODES)}{exchange}{self.rng.randint(0, 9999):04d}"
                if phonenumbers.is_valid_number(phonenumbers.parse(number)):
                    return number
        return self._unique("PHONE", make)

    def email(self, person: Person, domain: str | None = None) -> str:
        def make() -> str:
            given = ascii_fold(person.given).lower().replace(" ", "").replace("-", "").replace("'", "")
            surname = ascii_fold(person.surname.split()[0]).lower().replace("-", "").replace("'", "")
            style = self.rng.randrange(3)
            local = [f"{given}.{surname}", f"{given[0]}{surname}{self.rng.randint(1, 99)}",
                     f"{surname}_{given}{self.rng.randint(1, 9)}"][style]
            return f"{local}@{domain or self.rng.choice(('inbox-mail.org', 'webmail-service.com'))}"
        return self._unique("EMAIL", make)

    def credit_card(self) -> str:
        def make() -> str:
            prefix = self.rng.choice(("4", "51", "52", "53", "54", "55"))
            body = prefix + "".join(str(self.rng.randrange(10)) for _ in range(15 - len(prefix)))
            return body + luhn_check_digit(body)
        return self._unique("CREDIT_CARD", make)

    def iban(self) -> str:
        def make() -> str:
            country = self.rng.choice(("DE", "GB", "NL"))
            digits = lambda n: "".join(str(self.rng.randrange(10)) for _ in range(n))  # noqa: E731
            letters = lambda n: "".join(self.rng.choice("ABCDEFGHJKLMNPRSTUWXYZ") for _ in range(n))  # noqa: E731
            bban = {"DE": lambda: digits(18), "GB": lambda: letters(4) + digits(14),
                    "NL": lambda: letters(4) + digits(10)}[country]()
            return country + iban_check_digits(country, bban) + bban
        return self._unique("IBAN", make)

    def passport(self) -> str:
        """Upper case, no spaces; never an 'A' + digits shape (that would be an A-number)."""
        def make() -> str:
            style = self.rng.randrange(3)
            if style == 0:
                return self.rng.choice("CEGKLMPRTXZ") + str(self.rng.randint(1_000_000, 9_999_999))
            if style == 1:
                return ("".join(self.rng.choice("BCEFGHKLMNPRSTUVXYZ") for _ in range(2))
                        + str(self.rng.randint(1_000_000, 9_999_999)))
            return str(self.rng.randint(500_000_000, 599_999_999))
        return self._unique("PASSPORT", make)
