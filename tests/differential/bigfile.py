"""The 1,000,000-row people CSV of the differential test and the speed bench, made here once.

Columns: id, first_name, last_name, email, phone, ssn, signup_date, plan. Names come from the
shipped lists (millions of combinations, accents kept), every email and most SSNs are distinct,
and phones come in the shapes people type: "(212) 555-7300", "212-555-7300", "212.555.7300",
"+1 212 555 7300", some with an extension-free "+44"/"+52" international form and a few bare
digit runs, so both the common shapes and the rare ones are exercised. Deterministic per seed.

    python -m tests.differential.bigfile OUT.csv [--rows N]      # write the file
"""

from __future__ import annotations

import argparse
import random
import unicodedata
from pathlib import Path

SEED = 20261205
ROWS = 1_000_000
_EXTRA_GIVEN = ("Maria", "José", "Wei", "Reza", "Anh", "Jean-Baptiste", "Olga", "Priya", "Kwame", "Fatima")
_EXTRA_FAMILY = ("Hernández", "Nguyen", "Hosseini", "Ivanova", "Pierre-Louis", "García López", "Al-Masri")
#: area codes in use (some are not: those numbers are not valid and must stay uncounted)
_AREAS = (212, 213, 305, 312, 404, 415, 503, 617, 646, 702, 713, 718, 773, 786, 818, 917, 202, 999, 123)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("-", "")


def _phone(rng: random.Random) -> str:
    roll = rng.random()
    area, exchange, line = rng.choice(_AREAS), rng.randint(200, 999), rng.randint(0, 9999)
    if roll < 0.35:
        return f"({area}) {exchange}-{line:04d}"
    if roll < 0.6:
        return f"{area}-{exchange}-{line:04d}"
    if roll < 0.7:
        return f"{area}.{exchange}.{line:04d}"
    if roll < 0.85:
        return f"+1 {area} {exchange} {line:04d}"
    if roll < 0.9:
        return f"+44 20 {rng.randint(7000, 8999)} {line:04d}"
    if roll < 0.95:
        return f"+52 55 {rng.randint(1000, 9999)} {line:04d}"
    if roll < 0.98:
        return f"{area}{exchange}{line:04d}"
    return rng.choice(("", "n/a", "555-0142", f"1-{area}-{exchange}-{line:04d}"))


def rows(count: int = ROWS, seed: int = SEED):
    from bot.scan.data import first_names, surnames

    rng = random.Random(seed)
    given_pool = sorted(name.title() for name in first_names()) + list(_EXTRA_GIVEN)
    family_pool = sorted(name.title() for name in surnames()) + list(_EXTRA_FAMILY)
    yield ["id", "first_name", "last_name", "email", "phone", "ssn", "signup_date", "plan"]
    for index in range(count):
        given, family = rng.choice(given_pool), rng.choice(family_pool)
        local = _ascii(f"{given[0]}{family.split()[0]}{index}".lower())
        ssn = f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
        yield [str(index + 1), given, family, f"{local}@mailbox-provider.net", _phone(rng), ssn,
               f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               rng.choice(("basic", "plus", "family"))]


def write(path: Path, count: int = ROWS, seed: int = SEED) -> Path:
    import csv

    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows(count, seed))
    return Path(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=ROWS)
    args = parser.parse_args()
    write(args.out, args.rows)


if __name__ == "__main__":
    main()
