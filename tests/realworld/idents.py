"""Valid identifier values for the real-world corpus, and the ways offices write them.

Contract: every generator takes a `random.Random` and returns the NORMALIZED value that
scan-report.md fingerprints (A_NUMBER 9 digits zero-padded, SSN/ITIN/card digits, PASSPORT/IBAN
upper case without spaces, PHONE E.164, EMAIL lower case). Writers (`write_*`) turn a normalized
value into one of the spellings seen in real files. Values pass their real checks (SSA rules, Luhn
with real IIN prefixes, ISO 7064 mod 97, libphonenumber validity) and avoid the published test and
placeholder values, which only the look-alikes use (`TEST_VALUES`).
"""

from __future__ import annotations

import random
import re

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.es import ccc as stdnum_ccc

#: published dummy / test values: look-alikes only, never in a leak
TEST_SSNS = ("078051120", "219099999", "123456789")
TEST_CARDS = ("4111111111111111", "5555555555554444", "378282246310005", "6011111111111117")
TEST_VALUES = set(TEST_SSNS) | set(TEST_CARDS)

#: realistic US area codes (no 555, no N11, no toll-free)
US_AREA_CODES = (202, 210, 213, 214, 281, 301, 305, 312, 323, 346, 347, 404, 407, 415, 469, 510,
                 512, 562, 602, 619, 626, 646, 702, 703, 713, 718, 720, 786, 832, 909, 915, 956)


def _placeholder(digits: str) -> bool:
    """Runs and repeats a scanner may rightly call placeholders."""
    if len(set(digits)) <= 2:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return len(steps) == 1


def a_number(rng: random.Random, old: bool = False) -> str:
    """9 digits, first 0-2 (new, A2xx million at most); old ones are 8 digits, padded."""
    while True:
        value = f"{rng.randint(10_000_000, 99_999_999):08d}" if old else f"{rng.randint(20_000_000, 249_999_999):09d}"
        if not _placeholder(value):
            return value.zfill(9)


def ssn(rng: random.Random) -> str:
    while True:
        area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])
        value = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if value not in TEST_VALUES and not _placeholder(value):
            return value


def itin(rng: random.Random) -> str:
    group = rng.choice(list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    return f"9{rng.randint(0, 99):02d}{group:02d}{rng.randint(1, 9999):04d}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("4", 16), (str(rng.randint(51, 55)), 16),
                                 (str(rng.randint(2221, 2720)), 16), (rng.choice(("34", "37")), 15),
                                 ("6011", 16), ("65", 16)])
    while True:
        body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
        for check in "0123456789":
            if luhn_ok(body + check):
                value = body + check
                break
        if value not in TEST_VALUES:
            return value


#: country -> (BBAN length, BBAN alphabet) for IBANs in the corpus
_IBAN = {"DE": (18, "0123456789"), "FR": (23, "0123456789"), "ES": (20, "0123456789"),
         "GB": (18, None), "PT": (21, "0123456789"), "IT": (23, None)}


def _iban_check(country: str, bban: str) -> str:
    moved = bban + country + "00"
    number = int("".join(str(int(ch, 36)) for ch in moved))
    return f"{98 - number % 97:02d}"


def iban(rng: random.Random, country: str | None = None) -> str:
    """An IBAN valid by mod 97 and by its country's own bank-code check digits (python-stdnum)."""
    country = country or rng.choice(sorted(_IBAN))
    while True:
        value = _iban_once(rng, country)
        if stdnum_iban.is_valid(value):
            return value


def _iban_once(rng: random.Random, country: str) -> str:
    length, alphabet = _IBAN[country]
    digits = "0123456789"
    if country == "GB":
        bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(4)) + \
            "".join(rng.choice(digits) for _ in range(14))
    elif country == "IT":
        bban = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(rng.choice(digits) for _ in range(22))
    elif country == "ES":
        bank, account = "".join(rng.choice(digits) for _ in range(8)), "".join(rng.choice(digits) for _ in range(10))
        bban = bank + stdnum_ccc.calc_check_digits(bank + "00" + account) + account
    else:
        bban = "".join(rng.choice(alphabet) for _ in range(length))
    return country + _iban_check(country, bban) + bban


def iban_ok(value: str) -> bool:
    moved = value[4:] + value[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def passport(rng: random.Random, country: str = "US") -> str:
    """US: 9 digits or a letter and 8 digits; MX: a letter and 8 digits; others 2 letters 7 digits."""
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    if country == "US":
        return rng.choice(("5", "6", "A", "E")) + f"{rng.randint(0, 99_999_999):08d}"
    if country == "MX":
        return rng.choice(("G", "N", "P")) + f"{rng.randint(0, 99_999_999):08d}"
    return rng.choice(letters) + rng.choice(letters) + f"{rng.randint(0, 9_999_999):07d}"


def us_phone(rng: random.Random) -> str:
    while True:
        exchange = rng.randint(201, 989)
        if exchange == 555 or exchange % 100 == 11:
            continue
        value = f"+1{rng.choice(US_AREA_CODES)}{exchange}{rng.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(value)):
            return value


def phone(rng: random.Random, region: str) -> str:
    """A valid mobile (else fixed) number of `region`, E.164."""
    if region == "US":
        return us_phone(rng)
    kinds = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    example = next((e for e in (phonenumbers.example_number_for_type(region, k) for k in kinds) if e), None)
    if example is None:
        return us_phone(rng)
    national = str(example.national_number)
    keep = max(2, len(national) - 6)
    for _ in range(200):
        candidate = national[:keep] + "".join(rng.choice("0123456789") for _ in range(len(national) - keep))
        number = phonenumbers.parse(f"+{example.country_code}{candidate}")
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return us_phone(rng)


# ---- spellings -------------------------------------------------------------------------------

def write_a_number(value: str, style: int) -> str:
    """One of the ways A-numbers are written; old 8-digit numbers keep their 8 digits."""
    digits = value[1:] if value.startswith("0") and style % 2 else value
    if len(digits) == 9:
        groups = f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    else:
        groups = f"{digits[:2]}-{digits[2:5]}-{digits[5:]}"
        spaced = f"{digits[:2]} {digits[2:5]} {digits[5:]}"
    return ("A" + digits, "A " + spaced, "A-" + groups, groups, "A" + digits, "A#" + digits,
            digits)[style % 7]


def write_ssn(value: str, style: int) -> str:
    return (f"{value[:3]}-{value[3:5]}-{value[5:]}", value, f"{value[:3]} {value[3:5]} {value[5:]}")[style % 3]


def write_card(value: str, style: int) -> str:
    if style % 3 == 0:
        return value
    if len(value) == 15:
        parts = (value[:4], value[4:10], value[10:])
    else:
        parts = tuple(value[i:i + 4] for i in range(0, 16, 4))
    return (" " if style % 3 == 1 else "-").join(parts)


def write_iban(value: str, style: int) -> str:
    return value if style % 2 == 0 else " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def write_phone(value: str, style: int) -> str:
    """US numbers in the national shapes (read back as US); others always with their country code."""
    number = phonenumbers.parse(value)
    if number.country_code == 1:
        d = str(number.national_number)
        return (f"({d[:3]}) {d[3:6]}-{d[6:]}", f"{d[:3]}-{d[3:6]}-{d[6:]}", f"{d[:3]}.{d[3:6]}.{d[6:]}",
                f"+1 {d[:3]} {d[3:6]} {d[6:]}", f"1-{d[:3]}-{d[3:6]}-{d[6:]}")[style % 5]
    fmt = (phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164)[style % 2]
    return phonenumbers.format_number(number, fmt)


def write_email(value: str, style: int) -> str:
    if style % 4 == 3:
        local, domain = value.split("@")
        return local.title() + "@" + domain.capitalize()
    return value


def normal_phone(text: str) -> str:
    """Independent check of a written phone: E.164 as the contract reads it."""
    return phonenumbers.format_number(phonenumbers.parse(text, "US"), phonenumbers.PhoneNumberFormat.E164)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)
