"""Quoted line breaks: the command line on a CSV whose notes hold line breaks ÷ on the same rows
without them, in one run (and the same against another checkout with `--against`).

Two files are generated with the same people (name, email, phone, SSN, a reference): `plain`
has one line per row, `notes` adds a column whose note is quoted and holds a line break in every
third row (as Excel, Google Sheets and database exports write an address or notes column).
Each is scanned `--repeat` times with `python -m bot scan FILE --json`, alternating, and the
median wall time is printed with the ratio notes ÷ plain; with `--against DIR` (a checkout of
another version, e.g. `git archive <commit> | tar -x -C DIR`) both are also scanned by it in the
same rounds. The load average is printed before and after: read ratios, not seconds.

    PYTHONPATH=. .venv/bin/python bench/quoted_breaks.py [--rows 200000] [--repeat 5] [--against DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIVEN = ("Efua", "Bartosz", "Itzel", "Haruto", "Malia", "Timur", "Sigrid", "Sipho", "Parisa", "Dong-hyun")
FAMILY = ("Mensah", "Kaminski", "Quispe", "Takahashi", "Fonoti", "Aliyev", "Berg", "Ndlovu", "Karimi", "Seo")


def generate(folder: Path, rows: int) -> dict[str, Path]:
    """plain.csv and notes.csv: the same people, the second with a notes column."""
    rng = random.Random(2026)
    plain, notes = ["id,name,email,phone,ssn,ref"], ["id,name,email,phone,ssn,ref,notes"]
    for index in range(rows):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        row = (f"{index},{given} {family},{given.lower()}.{family.lower()}{index}@mail.example,"
               f"({rng.randint(201, 989)}) {rng.randint(200, 999)}-{rng.randint(0, 9999):04d},"
               f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d},R{rng.randint(0, 99999)}")
        plain.append(row)
        note = f'"visited {rng.randint(1, 28)}/{rng.randint(1, 12)}\nto call again"' if index % 3 == 0 else "ok"
        notes.append(f"{row},{note}")
    paths = {"plain": folder / "plain.csv", "notes": folder / "notes.csv"}
    for name, lines in (("plain", plain), ("notes", notes)):
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def scan_seconds(checkout: str, path: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the scan and the processes it started)."""
    env = dict(os.environ, PYTHONPATH=checkout)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", "scan", str(path), "--json"], env=env, cwd=checkout,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"the scan of {path.name} by {checkout} failed ({done.returncode})")
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def compare(generate, description: str) -> None:
    """The shared A/B of the shape benches: `generate(folder, rows)` gives {name: path} with a
    `plain` file first; each is scanned `--repeat` times, alternating (and by `--against DIR` in the
    same rounds); prints median wall and CPU seconds, each shape ÷ plain, and this ÷ against."""
    parser = argparse.ArgumentParser(description=description)
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
        runs: dict[tuple[str, str], list[tuple[float, float]]] = {(c, n): [] for c in checkouts for n in paths}
        for _ in range(args.repeat):
            for checkout, where in checkouts.items():
                for name, path in paths.items():
                    runs[checkout, name].append(scan_seconds(where, path))
        print(f"load average after {os.getloadavg()[0]:.2f}; median of {args.repeat} (all runs); "
              "CPU: both processes of a split scan together")
        wall = {key: statistics.median(t for t, _ in done) for key, done in runs.items()}
        for checkout in checkouts:
            cells = "  ".join(f"{name} {wall[checkout, name]:.2f} s (CPU "
                              f"{statistics.median(c for _, c in runs[checkout, name]):.2f})" for name in paths)
            ratios = ", ".join(f"{name} ÷ plain {wall[checkout, name] / wall[checkout, 'plain']:.2f}"
                               for name in paths if name != "plain")
            every = "; ".join(f"{name} " + " ".join(f"{t:.2f}" for t, _ in runs[checkout, name]) for name in paths)
            print(f"{checkout:8} {cells}  {ratios}   ({every})")
        if args.against:
            print("this ÷ against: " + ", ".join(f"{name} {wall['this', name] / wall['against', name]:.2f}"
                                                 for name in paths))


def main() -> None:
    compare(generate, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()
