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

import argparse
import os
import random
import statistics
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quoted_breaks import scan_seconds  # noqa: E402 - the same measurement as that bench

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--against", help="another checkout to scan the same files with, in the same rounds")
    args = parser.parse_args()
    checkouts = {"this": str(Path(__file__).resolve().parent.parent)}
    if args.against:
        checkouts["against"] = str(Path(args.against).resolve())
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(Path(folder), args.rows)
        sizes = ", ".join(f"{name} {path.stat().st_size / 1e6:.1f} MB" for name, path in paths.items())
        print(f"{args.rows:,} rows ({sizes}); load average before {os.getloadavg()[0]:.2f}")
        times: dict[tuple[str, str], list[tuple[float, float]]] = {(c, n): [] for c in checkouts for n in paths}
        for _ in range(args.repeat):
            for checkout, where in checkouts.items():
                for name, path in paths.items():
                    times[checkout, name].append(scan_seconds(where, path))
        print(f"load average after {os.getloadavg()[0]:.2f}; median of {args.repeat}; CPU: all processes")
        wall = {key: statistics.median(t for t, _ in runs) for key, runs in times.items()}
        for checkout in checkouts:
            cells = "  ".join(f"{name} {wall[checkout, name]:.2f} s (CPU "
                              f"{statistics.median(c for _, c in times[checkout, name]):.2f})" for name in paths)
            ratios = ", ".join(f"{name} ÷ plain {wall[checkout, name] / wall[checkout, 'plain']:.2f}"
                               for name in paths if name != "plain")
            print(f"{checkout:8} {cells}  {ratios}")
        if args.against:
            print("this ÷ against: " + ", ".join(f"{name} {wall['this', name] / wall['against', name]:.2f}"
                                                 for name in paths))


if __name__ == "__main__":
    main()
