"""Scan speed: prints figures, asserts nothing.

1. The leak-shaped workbook (6,252 rows x 7 columns, title rows, header on row 4): time of a full
   scan (read_document + analyze) as a ratio to openpyxl's bare read-only iteration of the same
   file. Goal: <= 1.25.
2. A 1,000,000-row CSV with names, emails and SSNs: MB/s of a full scan and the peak RSS of the
   process that ran it. Goals: >= 20 MB/s, <= 250 MB.
3. A 1,000,000-line web server access log (client addresses in every line, order numbers in
   URLs, a leaked email or SSN about once in 20,000 lines): lines/s and MB/s of a full scan.

Each measurement runs in a fresh child process so peak RSS belongs to that scan alone; module
imports and the word lists are loaded before the clock starts (paid once per bot process). Times
are wall-clock, the best of --repeat runs (the machine is shared).

    PYTHONPATH=. python bench/scan_speed.py [--rows 1000000] [--log-lines 1000000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GIVEN = ("Maria", "José", "Wei", "Reza", "Anh", "Jean-Baptiste", "Olga", "Priya", "Kwame", "Fatima", "Mohammadreza",
         "Xiomara", "Dmitri", "Nguyen Van", "Aarav", "Wideline", "Guadalupe", "Hamid", "Li", "Samuel")
FAMILY = ("Hernández", "Nguyen", "Hosseini", "Ivanova", "Pierre-Louis", "Sharma", "García López", "Zhang",
          "Mensah", "Al-Masri", "Okafor", "Tran", "Rahimi", "Castillo", "Dubois", "Petrov", "Mwangi", "Reyes")
COUNTRIES = ("MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR", "VENEZUELA", "HAITI", "INDIA", "CHINA", "RUSSIA",
             "VIETNAM", "IRAN", "COLOMBIA", "ECUADOR", "NICARAGUA", "CUBA")
FACILITIES = tuple(f"{town} {kind}" for town in ("Red Mesa", "Cold Creek", "Port Haldane", "Sabine Flats", "Dry Fork")
                   for kind in ("Processing Center", "County Jail", "Detention Facility"))


def make_leak_xlsx(path: Path, rng: random.Random) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Detained Population"
    sheet["A1"] = "Detained Population by Facility - FY2025"
    sheet.merge_cells("A1:G2")
    header = ["Last Name", "First Name", "Country of Citizenship", "A-Number", "Detention Facility",
              "Book-In Date", "Gender"]
    for column, title in enumerate(header, start=1):
        sheet.cell(row=4, column=column, value=title)
    start = datetime(2024, 10, 1)
    for _ in range(6252):
        digits = rng.randint(10_000_000, 249_999_999)
        a_number = digits if rng.random() < 0.35 else f"A{digits:09d}"
        sheet.append([rng.choice(FAMILY).upper(), rng.choice(GIVEN), rng.choice(COUNTRIES), a_number,
                      rng.choice(FACILITIES), start + timedelta(minutes=rng.randint(0, 360_000)),
                      rng.choice(("Male", "Female"))])
    workbook.save(path)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().replace("-", "")


def make_people_csv(path: Path, rows: int, rng: random.Random) -> None:
    """Names drawn from ~1,700 given names x ~1,600 surnames (millions of combinations, as in a
    real customer list), accents kept; every email and most SSNs distinct."""
    sys.path.insert(0, str(ROOT))
    from bot.scan.data import first_names, surnames

    given_pool = sorted(name.title() for name in first_names()) + list(GIVEN)
    family_pool = sorted(name.title() for name in surnames()) + list(FAMILY)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "first_name", "last_name", "email", "ssn", "signup_date", "plan"])
        for index in range(rows):
            given, family = rng.choice(given_pool), rng.choice(family_pool)
            local = _ascii(f"{given[0]}{family.split()[0]}{index}".lower())
            ssn = f"{rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
            writer.writerow([index + 1, given, family, f"{local}@mailbox-provider.net", ssn,
                             f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                             rng.choice(("basic", "plus", "family"))])


AGENTS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)", "python-requests/2.31.0")
PATHS = ("/products/{n}", "/api/v2/orders/{big}", "/static/app.{n}.js", "/search?q=winter+boots&page={p}",
         "/account/{big}/settings", "/img/{n}/thumb_{p}.jpg", "/cart?item={n}&qty={p}", "/health")


def make_web_log(path: Path, lines: int, rng: random.Random) -> None:
    """A web server access log (combined format): client addresses (public and private), order
    numbers of 7-10 digits in URLs, timestamps; about 1 line in 20,000 leaks an email or an SSN in
    a query string. Most lines hold nothing personal."""
    clients = [f"{rng.choice((23, 45, 66, 81, 104, 151, 188, 203))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
               f"{rng.randint(1, 254)}" for _ in range(3000)] + [f"10.0.{i}.{j}" for i in range(4) for j in range(1, 50)]
    start = datetime(2026, 11, 1)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(lines):
            when = (start + timedelta(seconds=index // 12)).strftime("%d/%b/%Y:%H:%M:%S +0000")
            url = rng.choice(PATHS).format(n=rng.randint(1, 99_999), big=rng.randint(1_000_000, 9_999_999_999),
                                           p=rng.randint(1, 40))
            if index % 20_000 == 7:
                url = f"/signup?email=user{index}@mailbox-provider.net" if index % 40_000 == 7 else \
                    f"/verify?ssn={rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
            referer = "-" if rng.random() < 0.6 else f"https://shop.example.com/products/{rng.randint(1, 99_999)}"
            handle.write(f'{rng.choice(clients)} - - [{when}] "{rng.choice(("GET", "GET", "GET", "POST"))} {url} '
                         f'HTTP/1.1" {rng.choice((200, 200, 200, 304, 404, 500))} {rng.randint(200, 90_000)} '
                         f'"{referer}" "{rng.choice(AGENTS)}"\n')


CHILD = r"""
import io, json, resource, sys, time
mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
# imports and word lists are paid once per process, not per scan: load them before the clock
import openpyxl
if mode != "openpyxl":
    from bot.scan.analyze import analyze
    from bot.scan.data import country_terms, first_names, surnames
    from bot.scan.limits import Deadline, ReadLimits
    from bot.scan.readers import read_document
    country_terms(), first_names(), surnames()
started = time.perf_counter()
if mode == "openpyxl":
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    result = {"cells": cells}
else:
    document = read_document(data, name=path, limits=ReadLimits(), deadline=Deadline(600))
    analysis = analyze(document, key=b"bench", deadline=Deadline(600))
    result = {"cells": analysis.cells, "people": analysis.records_affected, "severity": analysis.severity,
              "types": {f.type: [f.count, f.count_exact] for f in analysis.findings}}
result["seconds"] = time.perf_counter() - started
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def run_child(mode: str, path: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{mode} run failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best_of(mode: str, path: Path, repeat: int) -> dict:
    runs = [run_child(mode, path) for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"])
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV (default 1,000,000)")
    parser.add_argument("--log-lines", type=int, default=1_000_000, help="lines of the access log (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    args = parser.parse_args()
    rng = random.Random(2025)
    with tempfile.TemporaryDirectory(prefix="leakwatch-bench-") as tmp:
        workdir = Path(tmp)
        xlsx = workdir / "detained_population.xlsx"
        make_leak_xlsx(xlsx, rng)
        bare = best_of("openpyxl", xlsx, args.repeat)
        full = best_of("scan", xlsx, args.repeat)
        print(f"leak-shaped xlsx ({xlsx.stat().st_size / 1e6:.2f} MB, {full['cells']:,} cells, "
              f"{full['people']:,} people, severity {full['severity']})")
        print(f"  openpyxl bare read-only iteration: {bare['seconds']:.3f} s")
        print(f"  full scan (read + analyze):        {full['seconds']:.3f} s")
        print(f"  ratio: {full['seconds'] / bare['seconds']:.2f}  (goal <= 1.25)")

        started = time.perf_counter()
        people_csv = workdir / "people.csv"
        make_people_csv(people_csv, args.rows, rng)
        size_mb = people_csv.stat().st_size / 1e6
        print(f"\n{args.rows:,}-row CSV with names, emails, SSNs ({size_mb:.1f} MB, generated in "
              f"{time.perf_counter() - started:.1f} s)")
        scan = best_of("scan", people_csv, max(1, min(args.repeat, 2)))
        print(f"  full scan: {scan['seconds']:.2f} s = {size_mb / scan['seconds']:.1f} MB/s  (goal >= 20 MB/s)")
        print(f"  peak RSS:  {scan['peak_rss_mb']:.0f} MB  (goal <= 250 MB)")
        print(f"  people {scan['people']:,}; types {json.dumps(scan['types'])}")
        people_csv.unlink()

        log = workdir / "access.log"
        make_web_log(log, args.log_lines, rng)
        size_mb = log.stat().st_size / 1e6
        print(f"\n{args.log_lines:,}-line web server access log ({size_mb:.1f} MB)")
        scan = best_of("scan", log, max(1, min(args.repeat, 2)))
        print(f"  full scan: {scan['seconds']:.2f} s = {scan['cells'] / scan['seconds']:,.0f} lines/s, "
              f"{size_mb / scan['seconds']:.1f} MB/s")
        print(f"  peak RSS:  {scan['peak_rss_mb']:.0f} MB")
        print(f"  people {scan['people']:,}; severity {scan['severity']}; types {json.dumps(scan['types'])}")


if __name__ == "__main__":
    main()
