"""Identifiers in running text: seeded sentences with the values people type in them.

`sentence_cases(seed, count)` returns positives (one identifier in a sentence, labelled the way
people write: plain, plural, abbreviated, after "is") and negatives (numbers that only look like
identifiers: invoice and order numbers, malformed accounts, bad check digits, dates, versions).
Each case holds the normalized values it must yield (scan-report.md), in memory only; nothing is
printed. Written from the identifier rules (SSA, IRS, ISO 13616, Luhn, E.164), not from the
detectors' code.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import phonenumbers

#: how people label each type in a sentence (plain, plural, abbreviated)
LABELS = {
    "SSN": ("SSN", "Social Security number", "SSN#", "social security no."),
    "ITIN": ("ITIN", "taxpayer ID (ITIN)"),
    "A_NUMBER": ("A-number", "A#", "alien number", "A-No."),
    "PASSPORT": ("passport", "Passport no.", "passport number", "Passports:"),
    "PHONE": ("phone", "cell", "mobile", "Tel.", "WhatsApp"),
    "EMAIL": ("email", "e-mail", "write to"),
    "CREDIT_CARD": ("card", "Cards:", "Visa card", "credit card"),
    "IBAN": ("IBAN", "bank account (IBAN)"),
}
TEMPLATES = ("{label} {value}", "my {label} is {value}", "{label}: {value}.", "Please update {label} {value} in the file.",
             "The client ({label} {value}) called today.", "{label} {value} in March")
REGIONS = ("US", "MX", "GT", "HN", "SV", "FR", "BR", "GB", "DE", "IN", "PH", "NG", "UA", "HT")
IBAN_SHAPES = {"DE": "8n10n", "GB": "4a6n8n", "FR": "5n5n11c2n", "NL": "4a10n", "ES": "4n4n1n1n10n", "IT": "1a5n5n12c"}


@dataclass
class Case:
    text: str
    #: type -> normalized values the scan must report (empty for a negative)
    expected: dict[str, set[str]] = field(default_factory=dict, repr=False)
    kind: str = ""

    @property
    def positive(self) -> bool:
        return bool(self.expected)


def sentence_cases(seed: int = 3, count: int = 240) -> list[Case]:
    rng = random.Random(seed)
    makers = [_ssn, _itin, _a_number, _passport, _phone, _email, _card, _iban]
    cases = []
    for index in range(count):
        kind, value, normalized = makers[index % len(makers)](rng)
        text = rng.choice(TEMPLATES).format(label=rng.choice(LABELS[kind]), value=value)
        cases.append(Case(text, {kind: {normalized}}, kind))
    cases += _negatives(rng)
    return cases


def _ssn(rng):
    while True:
        area, group, serial = rng.randint(1, 899), rng.randint(1, 99), rng.randint(1, 9999)
        if area != 666 and f"{area:03d}{group:02d}{serial:04d}" not in ("078051120", "219099999", "123456789"):
            break
    digits = f"{area:03d}{group:02d}{serial:04d}"
    form = rng.choice((f"{digits[:3]}-{digits[3:5]}-{digits[5:]}", f"{digits[:3]} {digits[3:5]} {digits[5:]}", digits))
    return "SSN", form, digits


def _itin(rng):
    group = rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
    digits = f"9{rng.randint(0, 99):02d}{group:02d}{rng.randint(0, 9999):04d}"
    return "ITIN", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}", digits


def _a_number(rng):
    digits = f"{rng.randint(0, 2)}{rng.randint(0, 99_999_999):08d}"
    while len(set(digits)) < 4:
        digits = f"{rng.randint(0, 2)}{rng.randint(0, 99_999_999):08d}"
    form = rng.choice((f"A{digits}", f"A-{digits[:3]}-{digits[3:6]}-{digits[6:]}", f"A {digits[:3]} {digits[3:6]} {digits[6:]}",
                       f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"))
    return "A_NUMBER", form, digits


def _passport(rng):
    letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(rng.choice((0, 1, 2))))
    digits = "".join(str(rng.randint(0, 9)) for _ in range(9 - len(letters)))
    return "PASSPORT", letters + digits, letters + digits


def _phone(rng):
    while True:
        region = rng.choice(REGIONS)
        number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        national = str(number.national_number)
        # the example's shape with other digits, kept only when it is still a valid number
        candidate = phonenumbers.parse(f"+{number.country_code}{national[:-4]}{rng.randint(0, 9999):04d}")
        if phonenumbers.is_valid_number(candidate) and not (
                candidate.country_code == 1 and 100 <= candidate.national_number % 10_000_000 - 5_550_000 <= 199):
            break
    e164 = phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.E164)
    form = rng.choice((phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.INTERNATIONAL), e164))
    if region == "US" and rng.random() < 0.5:
        form = phonenumbers.format_number(candidate, phonenumbers.PhoneNumberFormat.NATIONAL)
    return "PHONE", form, e164


def _email(rng):
    local = rng.choice(("maria.lopez", "j.okafor", "nguyen.thi", "amira_h", "pierre-louis", "joão.silva"))
    domain = rng.choice(("gmail.com", "yahoo.fr", "correo.gob.mx", "outlook.com", "bücher.de", "mail.ua"))
    address = f"{local}{rng.randint(1, 99)}@{domain}"
    return "EMAIL", address, address.lower()


def _card(rng):
    prefix = rng.choice(("4539", "4916", "5425", "5168", "2221", "3714", "6011"))
    length = 15 if prefix.startswith("37") else 16
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    digits = body + str(_luhn_digit(body))
    if length == 16:
        form = rng.choice((" ".join(digits[i:i + 4] for i in range(0, 16, 4)), "-".join(digits[i:i + 4] for i in range(0, 16, 4))))
    else:
        form = f"{digits[:4]} {digits[4:10]} {digits[10:]}"
    return "CREDIT_CARD", form, digits


def _iban(rng):
    country = rng.choice(sorted(IBAN_SHAPES))
    bban = _bban(rng, IBAN_SHAPES[country])
    iban = country + _iban_check(country, bban) + bban
    form = rng.choice((iban, " ".join(iban[i:i + 4] for i in range(0, len(iban), 4))))
    return "IBAN", form, iban


def _negatives(rng: random.Random) -> list[Case]:
    texts = [
        f"Invoice {rng.randint(100_000_000, 999_999_999)} is due on 03/15/2024.",
        f"Order #{rng.randint(10_000_000, 99_999_999)} shipped with tracking 1Z{rng.randint(10**15, 10**16 - 1)}.",
        "Card 4111 1111 1111 1112 was declined (bad check digit).",
        f"Account NL91ABNA04171643{rng.randint(10, 99)} is not valid.",
        "Refund to DE89 3704 0044 0532 0130 01 failed: wrong check digits.",
        f"Release v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)} is out.",
        f"Build {rng.randint(100_000_000, 999_999_999)} passed all tests.",
        f"Part no. A{rng.randint(10_000_000, 99_999_999)} ships from the warehouse.",
        f"Room {rng.randint(100, 999)}, extension {rng.randint(1000, 9999)}.",
        f"Case {rng.randint(2019, 2024)}-CV-{rng.randint(10_000, 99_999)} was continued.",
        f"The grant number is {rng.randint(100_000_000, 999_999_999)}.",
        f"Reference {rng.randint(10**11, 10**12 - 1)} on the bank statement.",
        f"ISBN 978-{rng.randint(0, 9)}-{rng.randint(100, 999)}-{rng.randint(10_000, 99_999)}-{rng.randint(0, 9)}",
        f"Serial {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}X",
        "Call the main office switchboard at (202) 456-1414.",
        f"Ticket {rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)} closed (support).",
    ]
    return [Case(text) for text in texts for _ in range(1)]


def _luhn_digit(body: str) -> int:
    total = 0
    for index, char in enumerate(reversed(body)):
        digit = int(char)
        if index % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def _bban(rng: random.Random, shape: str) -> str:
    out, count = "", ""
    for char in shape:
        if char.isdigit():
            count += char
            continue
        pool = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}[char]
        out += "".join(rng.choice(pool) for _ in range(int(count)))
        count = ""
    return out


def _iban_check(country: str, bban: str) -> str:
    """ISO 7064 mod 97-10 check digits."""
    rearranged = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in rearranged))
    return f"{98 - number % 97:02d}"
