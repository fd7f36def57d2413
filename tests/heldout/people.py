"""Synthetic people for the held-out corpus: Faker locales plus short hand-made name lists.

Faker has no Somali, Tigrinya, Amharic, Pashto/Dari or Tagalog names (its am_ET and fil_PH fall
back to English), so those come from the lists below, transliterated as case workers write them.
Every person is made from the file's own random generator, so files are independent.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from faker import Faker

LISTS = {
    "somali": (["Abdirahman", "Hodan", "Fadumo", "Mohamed", "Asha", "Abdiweli", "Sahra", "Ilhan", "Mukhtar", "Ayaan",
                "Hamdi", "Yusuf", "Ubah", "Khadar", "Nimco", "Bashir", "Sagal", "Liban", "Hibo", "Guled"],
               ["Warsame", "Farah", "Jama", "Abdi", "Hirsi", "Osman", "Dahir", "Gedi", "Nur", "Aden", "Egal", "Samatar",
                "Yusuf", "Ismail", "Mohamud", "Barre", "Elmi", "Shire", "Ali", "Hassan"]),
    "eritrean": (["Tesfay", "Senait", "Yonas", "Helen", "Dawit", "Rahwa", "Filmon", "Selam", "Mebrahtu", "Lidia",
                  "Amanuel", "Saba", "Efrem", "Winta", "Berhane", "Ruta", "Kibrom", "Yordanos", "Henok", "Feven"],
                 ["Ghebremedhin", "Tesfamariam", "Haile", "Woldu", "Kidane", "Berhe", "Asmerom", "Tekle", "Habte",
                  "Gebreyesus", "Negash", "Weldemichael", "Andemariam", "Zerai", "Fessehaye", "Okbazghi"]),
    "ethiopian": (["Abebe", "Tigist", "Mulugeta", "Meseret", "Girma", "Hirut", "Bekele", "Almaz", "Tadesse", "Selamawit",
                   "Yohannes", "Bethlehem", "Dereje", "Mekdes", "Solomon", "Tsion", "Ermias", "Hanna"],
                  ["Tesfaye", "Alemu", "Kebede", "Wolde", "Getachew", "Mengistu", "Bekele", "Assefa", "Tadesse",
                   "Desta", "Lemma", "Haile", "Ayele", "Demissie", "Negussie", "Gebre"]),
    "afghan": (["Ahmad", "Farida", "Mohammad", "Zarghona", "Abdul", "Mariam", "Hamid", "Shabnam", "Naveed", "Nargis",
                "Wahid", "Parwana", "Rahmatullah", "Freshta", "Sayed", "Laila", "Obaidullah", "Gulalai", "Jawed",
                "Mursal"],
               ["Rahimi", "Ahmadzai", "Noori", "Popal", "Sultani", "Hakimi", "Wardak", "Stanikzai", "Karimi", "Amiri",
                "Safi", "Mohammadi", "Haidari", "Yousufzai", "Niazi", "Sadat", "Azizi", "Barakzai"]),
    "filipino": (["Maria Luisa", "Jose", "Rowena", "Jericho", "Analyn", "Rodel", "Marites", "Jomar", "Kristine",
                  "Ramil", "Lovely", "Arnel", "Girlie", "Noel", "Jocelyn", "Rey", "Divina", "Efren"],
                 ["Dela Cruz", "Santos", "Reyes", "Bautista", "Garcia", "Mendoza", "Villanueva", "Pascual", "Peña",
                  "Macaraeg", "Dimaculangan", "Manalo", "Soriano", "Tolentino", "Salvador", "Aquino", "Ocampo"]),
}
FAKER_LOCALES = {"us": "en_US", "mexican": "es_MX", "colombian": "es_CO", "vietnamese": "vi_VN",
                 "indonesian": "id_ID", "kenyan": "en_KE", "nigerian": "en_NG", "german": "de_DE",
                 "french": "fr_FR", "dutch": "nl_NL", "spanish": "es_ES", "british": "en_GB", "indian": "en_IN",
                 "guatemalan": "es_MX", "italian": "it_IT", "haitian": "fr_FR"}
NATIONALITY = {"somali": "Somalia", "eritrean": "Eritrea", "ethiopian": "Ethiopia", "afghan": "Afghanistan",
               "filipino": "Philippines", "us": "United States", "mexican": "Mexico", "colombian": "Colombia",
               "vietnamese": "Vietnam", "indonesian": "Indonesia", "kenyan": "Kenya", "nigerian": "Nigeria",
               "german": "Germany", "french": "France", "dutch": "Netherlands", "spanish": "Spain",
               "british": "United Kingdom", "indian": "India", "guatemalan": "Guatemala", "italian": "Italy",
               "haitian": "Haiti"}
DEMONYM = {"Somalia": "Somali", "Eritrea": "Eritrean", "Ethiopia": "Ethiopian", "Afghanistan": "Afghan",
           "Philippines": "Filipino", "Mexico": "Mexican", "Guatemala": "Guatemalan", "Honduras": "Honduran",
           "Vietnam": "Vietnamese", "Indonesia": "Indonesian", "Kenya": "Kenyan", "Nigeria": "Nigerian",
           "Haiti": "Haitian", "Colombia": "Colombian", "India": "Indian", "Venezuela": "Venezuelan"}


@dataclass
class Person:
    given: str
    family: str
    dob: dt.date
    nationality: str
    origin: str

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"

    @property
    def inverted(self) -> str:
        return f"{self.family.upper()}, {self.given}"


class People:
    """Distinct people for one file (no two share a full name)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.fakers: dict[str, Faker] = {}
        self.seen: set[str] = set()

    def one(self, origin: str = "us", age: tuple[int, int] = (19, 70)) -> Person:
        for _ in range(200):
            if origin in LISTS:
                given, family = (self.rng.choice(part) for part in LISTS[origin])
            else:
                fake = self._faker(origin)
                given, family = fake.first_name(), fake.last_name()
            if f"{given} {family}".lower() not in self.seen and given.lower() != family.lower():
                self.seen.add(f"{given} {family}".lower())
                break
        today = dt.date(2024, 6, 1)
        dob = today - dt.timedelta(days=self.rng.randint(age[0] * 365 + 10, age[1] * 365))
        return Person(given, family, dob, NATIONALITY[origin], origin)

    def many(self, count: int, origins: list[str], age: tuple[int, int] = (19, 70)) -> list[Person]:
        return [self.one(self.rng.choice(origins), age) for _ in range(count)]

    def _faker(self, origin: str) -> Faker:
        if origin not in self.fakers:
            fake = Faker(FAKER_LOCALES[origin])
            fake.seed_instance(self.rng.randint(0, 2**31))
            self.fakers[origin] = fake
        return self.fakers[origin]

    def street(self) -> str:
        fake = self._faker("us")
        return fake.street_address()

    def city_line(self) -> str:
        fake = self._faker("us")
        return f"{fake.city()}, {fake.state_abbr()} {fake.zipcode()}"
