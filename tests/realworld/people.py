"""People for the real-world corpus: Faker names in many locales and scripts, with valid identifiers.

Contract: `Crowd(seed)` is deterministic; `crowd.people(n, locales)` returns `n` distinct `Person`s
(unique names and identifiers within the crowd). Names in non-Latin scripts carry a Latin
transliteration (`latin_*`, via anyascii). Haitian names come from a short list written here
(Faker has no Haitian locale). Identifier fields hold NORMALIZED values (see idents.py).
"""

from __future__ import annotations

import datetime as dt
import random
import zlib
from dataclasses import dataclass, field

from anyascii import anyascii
from faker import Faker

from tests.realworld import idents

#: locale -> countries its people come from: (English name, phone region, local-language name)
ORIGINS = {
    "es_MX": [("Mexico", "MX", "México"), ("Guatemala", "GT", "Guatemala"), ("Honduras", "HN", "Honduras"),
              ("El Salvador", "SV", "El Salvador")],
    "es_ES": [("Venezuela", "VE", "Venezuela"), ("Colombia", "CO", "Colombia"), ("Cuba", "CU", "Cuba")],
    "fr_FR": [("Senegal", "SN", "Sénégal"), ("Cameroon", "CM", "Cameroun"), ("Guinea", "GN", "Guinée")],
    "ar_AA": [("Syria", "SY", "سوريا"), ("Egypt", "EG", "مصر"), ("Sudan", "SD", "السودان"),
              ("Iraq", "IQ", "العراق")],
    "ru_RU": [("Russia", "RU", "Россия"), ("Kazakhstan", "KZ", "Казахстан")],
    "uk_UA": [("Ukraine", "UA", "Україна")],
    "zh_CN": [("China", "CN", "中国")],
    "vi_VN": [("Vietnam", "VN", "Việt Nam")],
    "hi_IN": [("India", "IN", "भारत")],
    "pt_BR": [("Brazil", "BR", "Brasil")],
    "ht": [("Haiti", "HT", "Ayiti")],
    "en_US": [("United States", "US", "United States")],
}
ALL_LOCALES = tuple(ORIGINS)
LATIN = ("es_MX", "es_ES", "fr_FR", "vi_VN", "pt_BR", "ht", "en_US")

_HT_GIVEN = ("Wilner", "Fabiola", "Dieuseul", "Mackenson", "Widline", "Rose-Merline", "Jephté", "Nadège",
             "Lovensky", "Guerline", "Fritznel", "Marie-Ange", "Wisly", "Esthère", "Jocelin", "Roselaure",
             "Kervens", "Mirlande", "Frantzy", "Darline", "Ti-Jean", "Ylionne", "Wendy", "Samuel",
             "Dieunie", "Clairvil", "Mackenley", "Sherline", "Jean-Rony", "Bellande")
_HT_FAMILY = ("Jean-Baptiste", "Pierre-Louis", "Toussaint", "Désir", "Charlot", "Étienne", "Dorvil",
              "Bien-Aimé", "Fleurimond", "Saint-Fleur", "Jeudy", "Alexis", "Dorcéus", "Noël", "Augustin",
              "Célestin", "Michel", "Laguerre", "Pierre-Paul", "Joseph", "Lafontant", "Valcourt",
              "Exantus", "Dessalines", "Florvil", "Métellus", "Occilien", "Vilsaint", "Beauplan", "Thélusma")

#: e-mail providers by locale (real public providers: the values are leak-shaped)
_MAIL = {"ru_RU": ("mail.ru", "yandex.ru", "gmail.com"), "uk_UA": ("ukr.net", "gmail.com", "i.ua"),
         "zh_CN": ("qq.com", "163.com", "126.com"), "vi_VN": ("gmail.com", "yahoo.com.vn"),
         "hi_IN": ("gmail.com", "rediffmail.com", "yahoo.co.in")}
_MAIL_DEFAULT = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com", "proton.me")


@dataclass
class Person:
    locale: str
    given: str
    family: str
    latin_given: str
    latin_family: str
    dob: dt.date
    country: str
    country_local: str
    region: str
    a_number: str
    a_old: bool
    ssn: str
    itin: str
    phone: str
    us_phone: str
    email: str
    passport: str
    card: str
    iban: str
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        if self.locale in ("zh_CN",):
            return self.family + self.given
        if self.locale in ("vi_VN", "ru_RU", "uk_UA"):
            return f"{self.family} {self.given}"
        return f"{self.given} {self.family}"

    @property
    def latin_name(self) -> str:
        return f"{self.latin_given} {self.latin_family}"

    @property
    def native_script(self) -> bool:
        return self.locale not in LATIN


def _latin(text: str) -> str:
    """A transliteration as a clerk would type it: ASCII letters, capitalised words."""
    plain = "".join(ch for ch in anyascii(text) if ch.isalpha() or ch in " -'")
    return " ".join(word[:1].upper() + word[1:] for word in plain.split()) or "X"


def _seed(*parts: object) -> int:
    return zlib.crc32("/".join(map(str, parts)).encode("utf-8"))


class Crowd:
    """A seeded source of distinct people: one per call, never the same name or identifier twice."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self._fakers: dict[str, Faker] = {}
        self._seed = seed
        self._names: set[tuple[str, str]] = set()
        self._ids: set[str] = set()

    def faker(self, locale: str) -> Faker:
        if locale not in self._fakers:
            fake = Faker(locale if locale != "ht" else "fr_FR")
            fake.seed_instance(_seed(self._seed, locale))
            self._fakers[locale] = fake
        return self._fakers[locale]

    def _unique(self, make) -> str:
        while True:
            value = make()
            if value not in self._ids:
                self._ids.add(value)
                return value

    def _name(self, locale: str) -> tuple[str, str]:
        rng = self.rng
        for _ in range(1000):
            if locale == "ht":
                given, family = rng.choice(_HT_GIVEN), rng.choice(_HT_FAMILY)
                if _ > 20:
                    given = f"{given} {rng.choice(_HT_GIVEN)}"
            else:
                fake = self.faker(locale)
                if locale == "vi_VN":
                    first = rng.choice((fake.first_name_male, fake.first_name_female))()
                    given, family = f"{fake.middle_name()} {first}", fake.last_name()
                else:
                    given, family = fake.first_name(), fake.last_name()
                if locale == "es_MX" and rng.random() < 0.6:
                    family = f"{family} {fake.last_name()}"
                if locale == "pt_BR" and rng.random() < 0.5:
                    family = f"{fake.last_name()} {family}"
                if _ > 20 and locale not in ("zh_CN",):
                    given = f"{given} {fake.first_name()}"
                elif _ > 20:
                    given = fake.first_name() + fake.first_name()
            if (given, family) not in self._names and given and family and given != family:
                self._names.add((given, family))
                return given, family
        raise RuntimeError(f"ran out of distinct names for {locale}")

    def person(self, locale: str) -> Person:
        rng = self.rng
        given, family = self._name(locale)
        latin_given, latin_family = _latin(given), _latin(family)
        country, region, local = rng.choice(ORIGINS[locale])
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 58))
        old = rng.random() < 0.15
        local_part = "".join(ch for ch in f"{latin_given}.{latin_family}".lower() if ch.isalnum() or ch == ".")
        email = self._unique(lambda: f"{local_part}{rng.choice(['', str(rng.randint(1, 99)), str(dob.year)])}"
                             f"@{rng.choice(_MAIL.get(locale, _MAIL_DEFAULT))}")
        return Person(
            locale=locale, given=given, family=family, latin_given=latin_given, latin_family=latin_family,
            dob=dob, country=country, country_local=local, region=region,
            a_number=self._unique(lambda: idents.a_number(rng, old)), a_old=old,
            ssn=self._unique(lambda: idents.ssn(rng)), itin=self._unique(lambda: idents.itin(rng)),
            phone=self._unique(lambda: idents.phone(rng, region)), us_phone=self._unique(lambda: idents.us_phone(rng)),
            email=email, passport=self._unique(lambda: idents.passport(rng, "MX" if region == "MX" else "XX")),
            card=self._unique(lambda: idents.card(rng)), iban=self._unique(lambda: idents.iban(rng)))

    def people(self, n: int, locales: tuple[str, ...] = ALL_LOCALES) -> list[Person]:
        return [self.person(locales[i % len(locales)] if i < len(locales) else self.rng.choice(locales))
                for i in range(n)]


def rows(n: int, scale: float, floor: int = 20) -> int:
    """Rows for a file of nominal size `n` at `scale` (20-400 at scale 1)."""
    return max(floor, min(400, round(n * scale)))


# ---- dates as offices write them --------------------------------------------------------------

_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_MONTHS_ES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre")
_MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
              "octobre", "novembre", "décembre")


def write_date(day: dt.date, style: str) -> str:
    """A date as text: dmy, ymd, mdy, dmy-dot, long-en, long-es, long-fr, cjk."""
    if style == "dmy":
        return day.strftime("%d/%m/%Y")
    if style == "mdy":
        return day.strftime("%m/%d/%Y")
    if style == "ymd":
        return day.isoformat()
    if style == "dmy-dot":
        return day.strftime("%d.%m.%Y")
    if style == "long-en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    if style == "long-es":
        return f"{day.day} de {_MONTHS_ES[day.month - 1]} de {day.year}"
    if style == "long-fr":
        return f"{day.day} {_MONTHS_FR[day.month - 1]} {day.year}"
    if style == "cjk":
        return f"{day.year}年{day.month}月{day.day}日"
    raise ValueError(style)


def excel_serial(day: dt.date) -> int:
    return (day - dt.date(1899, 12, 30)).days
