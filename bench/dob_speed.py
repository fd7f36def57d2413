"""Birth-date columns: the command line on people rows with a date-of-birth column ÷ on the same
rows without it, in one run (and the same against another checkout with `--against`).

Three files are generated with the same people (name, email, phone, SSN): `plain`, `dob` with a
`date_of_birth` column written MM/DD/YYYY (its order said within the first rows, as in most
leaks), and `dob_iso` with the same dates as YYYY-MM-DD. Each is scanned `--repeat` times with
`python -m bot scan FILE --json`, alternating (and by `--against DIR`, e.g. `git archive <commit>
| tar -x -C DIR`, in the same rounds); the median wall and CPU time (both processes of a split
scan together) are printed, with the ratios. The load average is printed before and after.

    PYTHONPATH=. .venv/bin/python bench/dob_speed.py [--rows 200000] [--repeat 5] [--against DIR]
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quoted_breaks import compare  # noqa: E402 - the same measurement as that bench

GIVEN = ("Olumide", "Agnieszka", "Xiomara", "Renata", "Kwame", "Ilse", "Tupac", "Mariam", "Soren", "Huong")
FAMILY = ("Adeyemi", "Nowak", "Villca", "Horvat", "Boateng", "Visser", "Mamani", "Rahimi", "Dahl", "Pham")


def generate(folder: Path, rows: int) -> dict[str, Path]:
    rng = random.Random(5150)
    shapes = {"plain": ["id,name,email,phone,ssn"], "dob": ["id,name,email,phone,ssn,date_of_birth"],
              "dob_iso": ["id,name,email,phone,ssn,date_of_birth"]}
    first = date(1930, 1, 1)
    for index in range(rows):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        row = (f"{index},{given} {family},{given.lower()}.{family.lower()}{index}@mail.example,"
               f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d},"
               f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}")
        born = first + timedelta(days=rng.randint(0, 27_000))
        shapes["plain"].append(row)
        shapes["dob"].append(f"{row},{born.month:02d}/{born.day:02d}/{born.year}")
        shapes["dob_iso"].append(f"{row},{born.isoformat()}")
    paths = {name: folder / f"{name}.csv" for name in shapes}
    for name, lines in shapes.items():
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def main() -> None:
    compare(generate, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
