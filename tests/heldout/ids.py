"""Valid identifiers for the held-out corpus, how they are written, and how they normalize.

Every identifier a generator writes goes through a `Tally`: it keeps the string as written
(`rendered`) and its normalized value per scan-report.md's table, so the truth is exactly what is
in the file and the self-check can find each written string again. The normalizers here are
written from the spec, independently of the scanner. Nothing here prints a value.
"""

from __future__ import annotations

import random
import re
import unicodedata

import phonenumbers

#: numbers published for testing or advertising: never written as real identifiers
TEST_CARDS = {"4111111111111111", "4012888888881881", "4222222222222", "5555555555554444", "5105105105105100",
              "378282246310005", "371449635398431", "378734493671000", "6011111111111117", "6011000990139424",
              "4242424242424242", "4000056655665556", "5200828282828210", "3530111333300000", "2223003122003222"}
BAD_SSNS = {"123456789", "078051120", "219099999"}
RESERVED_MAIL = re.compile(r"@(?:[^@]*\.)?(?:example\.(?:com|org|net)|[^@]+\.(?:test|invalid|example|localhost))$")
#: real issuer prefixes: Visa, Mastercard (51-55, 2221-2720), Amex, Discover
CARD_PREFIXES = {"visa": ["4"], "mc": ["51", "52", "53", "54", "55", "2221", "2720", "23"],
                 "amex": ["34", "37"], "discover": ["6011", "65"]}
IBAN_LAYOUT = {"DE": "8n10n", "NL": "4a10n", "FR": "5n5n11c2n", "ES": "4n4n1n1n10n", "GB": "4a6n8n",
               "BE": "3n7n2n", "IT": "1a5n5n12c", "AT": "5n11n"}
PHONE_PLANS = {  # region -> (country code, list of national prefixes, national significant length)
    "US": (1, ["202", "212", "305", "312", "415", "617", "713", "206", "303", "404", "503", "602", "702",
               "801", "916", "718", "646", "469", "571", "347"], 10),
    "KE": (254, ["70", "71", "72", "79", "11"], 9), "GB": (44, ["74", "75", "77", "78", "79"], 10),
    "PH": (63, ["917", "918", "926", "927", "935", "945", "995"], 10), "MX": (52, ["55", "33", "81"], 10),
    "DE": (49, ["151", "152", "160", "170", "171", "176"], 11), "SO": (252, ["61", "62", "65", "68"], 9),
    "ET": (251, ["91", "92", "93", "94"], 9), "AF": (93, ["70", "72", "77", "78", "79"], 9),
    "KR": (82, ["10"], 10), "GT": (502, ["5", "4", "3"], 8), "ER": (291, ["7"], 7),
    "VN": (84, ["90", "91", "98", "97", "86"], 9), "ID": (62, ["812", "813", "821", "852"], 11),
    "NP": (977, ["984", "985", "986", "980"], 10), "FR": (33, ["6", "7"], 9), "NG": (234, ["803", "806", "813"], 10),
    "HT": (509, ["3", "4"], 8), "PK": (92, ["300", "301", "321", "333"], 10),
}


def normalize(kind: str, value: str) -> str:
    """scan-report.md's normalization table."""
    if kind == "A_NUMBER":
        return re.sub(r"\D", "", value).zfill(9)
    if kind in ("SSN", "ITIN", "CREDIT_CARD"):
        return re.sub(r"\D", "", value)
    if kind in ("PASSPORT", "IBAN"):
        return re.sub(r"[\s\-]", "", value).upper()
    if kind == "EMAIL":
        return value.strip().lower()
    if kind == "PHONE":
        number = phonenumbers.parse(value, "US")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    text = unicodedata.normalize("NFKC", value).lower()
    return re.sub(r"[\W_]+", " ", text).strip()


class Tally:
    """The identifiers of one file: every written form, and its normalized value."""

    def __init__(self) -> None:
        self.rendered: dict[str, dict[str, str]] = {}

    def add(self, kind: str, rendered: str) -> str:
        self.rendered.setdefault(kind, {})[rendered] = normalize(kind, rendered)
        return rendered

    def truth(self) -> dict[str, set[str]]:
        return {kind: set(forms.values()) for kind, forms in self.rendered.items()}


# ---- generation -------------------------------------------------------------------------------

def ssn(rng: random.Random) -> str:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        value = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
        if value not in BAD_SSNS:
            return value


def itin(rng: random.Random) -> str:
    group = rng.choice([*range(50, 66), *range(70, 89), 90, 91, 92, *range(94, 100)])
    return f"9{rng.randint(0, 99):02d}{group:02d}{rng.randint(1, 9999):04d}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def card(rng: random.Random, brand: str = "visa") -> str:
    length = 15 if brand == "amex" else 16
    while True:
        body = rng.choice(CARD_PREFIXES[brand])
        body += "".join(rng.choice("0123456789") for _ in range(length - 1 - len(body)))
        check = next(d for d in "0123456789" if luhn_ok(body + d))
        value = body + check
        if value not in TEST_CARDS and len(set(value[1:])) > 3:
            return value


def iban(rng: random.Random, country: str = "DE") -> str:
    bban = ""
    for count, cls in re.findall(r"(\d+)([nac])", IBAN_LAYOUT[country]):
        pool = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"}[cls]
        bban += "".join(rng.choice(pool) for _ in range(int(count)))
    if country == "BE":  # a real bank code, and the national check: the first ten digits mod 97
        bban = rng.choice(["001", "063", "068", "310", "363", "734", "735", "751"]) + bban[3:10]
        bban = bban[:10] + f"{int(bban[:10]) % 97 or 97:02d}"
    if country == "ES":  # two control digits over bank+branch and over the account
        weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]
        control = ""
        for part in ("00" + bban[:8], bban[10:]):
            d = 11 - sum(int(x) * w for x, w in zip(part, weights, strict=True)) % 11
            control += str({11: 0, 10: 1}.get(d, d))
        bban = bban[:8] + control + bban[10:]
    moved = bban + country + "00"
    check = 98 - int("".join(str(int(ch, 36)) for ch in moved)) % 97
    return f"{country}{check:02d}{bban}"


def passport(rng: random.Random, style: str = "us") -> str:
    digits = lambda n: "".join(rng.choice("0123456789") for _ in range(n))  # noqa: E731
    letters = lambda n: "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))  # noqa: E731
    return {"us": lambda: letters(1) + digits(8), "ph": lambda: "P" + digits(7) + letters(1),
            "in": lambda: letters(1) + digits(7), "de": lambda: "C" + "".join(rng.choice("CFGHJKLMNPRTVWXYZ0123456789")
                                                                            for _ in range(8)),
            "gb": lambda: digits(9), "mx": lambda: "G" + digits(8), "vn": lambda: letters(1) + digits(7),
            "ng": lambda: "A" + digits(8), "er": lambda: "P" + digits(7)}[style]()


def a_number(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return f"{rng.randint(10_000_000, 99_999_999)}"
    return f"{rng.randint(200_000_000, 249_999_999)}"


def phone(rng: random.Random, region: str = "US") -> phonenumbers.PhoneNumber:
    code, prefixes, length = PHONE_PLANS[region]
    while True:
        prefix = rng.choice(prefixes)
        national = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix)))
        if region == "US" and (national[3] in "01" or national[3:6] == "555" or national[4:6] == "11"):
            continue
        number = phonenumbers.parse(f"+{code}{national}")
        if phonenumbers.is_valid_number(number):
            return number


MAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
                "gmx.de", "yahoo.fr", "live.com", "ymail.com", "mail.com"]


def email(rng: random.Random, given: str, family: str, domain: str | None = None) -> str:
    from anyascii import anyascii
    g, f = (re.sub(r"[^a-z]", "", anyascii(x).lower()) or "x" for x in (given, family))
    local = rng.choice([f"{g}.{f}", f"{g}{f}{rng.randint(1, 99)}", f"{g[0]}{f}", f"{f}.{g}{rng.randint(70, 99)}",
                        f"{g}_{f}"])
    return f"{local}@{domain or rng.choice(MAIL_DOMAINS)}"


# ---- written forms ----------------------------------------------------------------------------

def fmt_ssn(value: str, style: int = 0) -> str:
    return [f"{value[:3]}-{value[3:5]}-{value[5:]}", f"{value[:3]} {value[3:5]} {value[5:]}", value][style]


def fmt_card(value: str, style: int = 0) -> str:
    if len(value) == 15:
        return [f"{value[:4]} {value[4:10]} {value[10:]}", f"{value[:4]}-{value[4:10]}-{value[10:]}", value][style]
    groups = [value[i:i + 4] for i in range(0, 16, 4)]
    return [" ".join(groups), "-".join(groups), value][style]


def fmt_iban(value: str, grouped: bool = True) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4)) if grouped else value


def fmt_anum(value: str, style: int = 0) -> str:
    nine = value.zfill(9)
    return [f"A{nine}", f"A# {nine[:3]}-{nine[3:6]}-{nine[6:]}", f"A-{nine}", f"A {nine[:3]} {nine[3:6]} {nine[6:]}",
            f"A{value}"][style]


def fmt_phone(number: phonenumbers.PhoneNumber, style: str = "intl") -> str:
    fmt = phonenumbers.PhoneNumberFormat
    if style == "national":
        return phonenumbers.format_number(number, fmt.NATIONAL)
    if style == "e164":
        return phonenumbers.format_number(number, fmt.E164)
    if style == "dots":  # 202.318.4471 (US only)
        nsn = phonenumbers.national_significant_number(number)
        return f"{nsn[:3]}.{nsn[3:6]}.{nsn[6:]}"
    return phonenumbers.format_number(number, fmt.INTERNATIONAL)
