"""Scan speed: each figure beside its floor, measured in the same run; prints, asserts nothing.

1. Start-up: `python -m bot scan` of a 1 KB CSV, wall clock, against the floor
   `python -c "import openpyxl, httpx"`. Goal: <= 2x the floor.
2. The leak-shaped workbook (6,252 rows x 7 columns, title rows, header on row 4, every name
   different): a full scan (read_document + analyze) against openpyxl's bare read-only iteration
   of the same file. Goal: <= 1.1x.
3. The 1,000,000-row people CSV of the differential test (tests/differential/bigfile.py: names,
   emails, phones in common and rare shapes, SSNs): the command line's scan (`python -m bot scan
   FILE --json`, start-up included) in MB/s of wall clock, and its peak RSS, against `csv.reader`
   over the same file in a fresh process, and `pyarrow.csv` when installed (the `bench` extra).
   Goals: >= 40 MB/s on 2 cores, <= 250 MB.
4. A 10,000,000-row (about 1 GB) CSV of the same kind, made in the temporary folder (never kept):
   the command line's peak RSS. Goal: <= 300 MB. Skip it with --no-gigabyte.
5. A 1,000,000-line web server access log: lines/s and MB/s of the command line's scan.

Every measurement runs in a fresh process; peak RSS is that process's VmHWM (/proc/self/status).
Times are wall clock, the best of --repeat runs. The machine is shared (2 cores): the load
average is printed with the figures.

    PYTHONPATH=. python bench/scan_speed.py [--rows 1000000] [--repeat 3] [--no-gigabyte] [--log-lines N]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.differential import bigfile  # noqa: E402

COUNTRIES = ("MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR", "VENEZUELA", "HAITI", "INDIA", "CHINA", "RUSSIA",
             "VIETNAM", "IRAN", "COLOMBIA", "ECUADOR", "NICARAGUA", "CUBA")
FACILITIES = tuple(f"{town} {kind}" for town in ("Red Mesa", "Cold Creek", "Port Haldane", "Sabine Flats", "Dry Fork")
                   for kind in ("Processing Center", "County Jail", "Detention Facility"))

PEAK = """
def _peak_mb():
    try:
        with open("/proc/self/status") as status:
            return int(next(l for l in status if l.startswith("VmHWM:")).split()[1]) / 1024
    except (OSError, StopIteration):
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children_peak_mb():
    # the largest peak of the processes this one forked and waited for (bot/scan/split_scan.py)
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
"""

#: the command line in a process that reports its wall time and peak memory
CLI = PEAK + r"""
import contextlib, io, json, os, sys, time
started = time.perf_counter()
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
report = json.loads(out.getvalue())
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "code": code,
                  "child_peak_mb": _children_peak_mb(),
                  "people": report.get("records_affected"), "error": report.get("error"),
                  "cells": report.get("stats", {}).get("cells"), "lines": report.get("stats", {}).get("lines"),
                  "types": {f["type"]: f["count"] for f in report.get("findings", [])}}))
"""

CSV_FLOOR = PEAK + r"""
import csv, json, sys, time
started = time.perf_counter()
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    for _ in csv.reader(handle):
        rows += 1
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "rows": rows}))
"""

#: pyarrow's multi-threaded C++ reader over the same file, every column as text (the fastest
#: floor there is; pyarrow is in the `bench` extra only, the scanner does not use it)
ARROW_FLOOR = PEAK + r"""
import json, sys, time
try:
    import pyarrow, pyarrow.csv
except ImportError:
    print(json.dumps({"missing": True}))
    raise SystemExit
import csv
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    names = next(csv.reader(handle))
started = time.perf_counter()
table = pyarrow.csv.read_csv(sys.argv[1], convert_options=pyarrow.csv.ConvertOptions(
    column_types={name: pyarrow.string() for name in names}))
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "rows": table.num_rows}))
"""

#: what any engine keeping these results must do at least, in this language: read the rows, and
#: compute the sketch's keyed order hash (BLAKE2s, bot/scan/sketch.py) once for each value of the
#: four types the file holds (names, emails, phones, SSNs: about 3.7 million distinct, each past the
#: sketch's 50,000 cap). Nothing is detected, counted or reported: CPU seconds in one process.
IDENTICAL_FLOOR = PEAK + r"""
import csv, itertools, json, sys, time
from bot.scan.sketch import Fingerprinter
order = Fingerprinter(b"bench").order_digests
started = time.process_time()
rows = 0
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    reader = csv.reader(handle)
    next(reader)
    read = 0.0
    while block := list(itertools.islice(reader, 512)):
        rows += len(block)
        first, last, email, phone, ssn = list(zip(*block))[1:6]
        order(email), order(phone), order(ssn), order([f"{a} {b}" for a, b in zip(first, last)])
print(json.dumps({"seconds": time.process_time() - started, "peak_mb": _peak_mb(), "rows": rows}))
"""

#: the same necessary work with the values kept in pyarrow's columns (the `bench` extra): read
#: by pyarrow, the four columns checked with the detectors' own plain-line RE2 patterns and
#: normalized by pyarrow's kernels, only the order hash in Python; two processes (fork, each half
#: of the lines). Still nothing counted, no people, no places: what a columnar engine could reach.
COLUMNAR_FLOOR = PEAK + r"""
import json, os, sys, time
started = time.perf_counter()
try:
    import pyarrow, pyarrow.compute as pc, pyarrow.csv as pcsv
except ImportError:
    print(json.dumps({"missing": True}))
    raise SystemExit
from bot.scan.detectors import get
from bot.scan.sketch import Fingerprinter
path, size = sys.argv[1], os.path.getsize(sys.argv[1])
with open(path, "rb") as handle:
    names = handle.readline().decode().strip().split(",")
    first = handle.tell()
    handle.seek(size // 2)
    handle.readline()
    middle = handle.tell()
lines = {kind: "^(?:" + get(kind).plain_line(context=True) + ")$" for kind in ("EMAIL", "PHONE", "SSN")}


def half(start, stop):
    order, hashed = Fingerprinter(b"bench").order_digests, 0
    data = pyarrow.memory_map(path).read_at(stop - start, start)
    for batch in pcsv.open_csv(pyarrow.BufferReader(data), read_options=pcsv.ReadOptions(column_names=names),
                               convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(names, pyarrow.string()))):
        def valid(column, kind):
            values = batch.column(column)
            return pc.filter(values, pc.match_substring_regex(values, lines[kind]))
        digits = pc.replace_substring_regex(valid("phone", "PHONE"), "[^0-9]", "")
        for values in (pc.utf8_lower(valid("email", "EMAIL")), pc.replace_substring(valid("ssn", "SSN"), "-", ""),
                       pc.binary_join_element_wise("+1", pc.utf8_slice_codeunits(digits, -10), ""),
                       pc.utf8_lower(pc.binary_join_element_wise(batch.column("first_name"), batch.column("last_name"), " "))):
            values = values.to_pylist()
            order(values)
            hashed += len(values)
    return hashed


child = os.fork()
if child == 0:
    half(middle, size)
    os._exit(0)
hashed = half(first, middle)
os.waitpid(child, 0)
print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), "hashed_by_one": hashed}))
"""

WORKBOOK = PEAK + r"""
import io, json, sys, time
mode, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
import openpyxl  # imports and word lists are paid once per process: loaded before the clock
if mode == "scan":
    from bot.scan.analyze import analyze
    from bot.scan.data import country_terms, first_names, surnames
    from bot.scan.limits import Deadline, ReadLimits
    from bot.scan.readers import read_document
    country_terms(), first_names(), surnames()
started = time.perf_counter()
if mode == "openpyxl":
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(len(row) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    workbook.close()
    result = {"cells": cells}
else:
    document = read_document(data, name=path, limits=ReadLimits(), deadline=Deadline(600))
    analysis = analyze(document, key=b"bench", deadline=Deadline(600))
    result = {"cells": analysis.cells, "people": analysis.records_affected, "severity": analysis.severity}
result["seconds"] = time.perf_counter() - started
print(json.dumps(result))
"""


def run(code: str, *args: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT,
                         check=False)
    if out.returncode != 0:
        raise SystemExit(f"a measurement failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def best(code: str, *args: str, repeat: int) -> dict:
    runs = [run(code, *args) for _ in range(repeat)]
    fastest = min(runs, key=lambda r: r["seconds"])
    fastest["peak_mb"] = max(r.get("peak_mb", 0) for r in runs)
    fastest["child_peak_mb"] = max(r.get("child_peak_mb", 0) for r in runs)
    return fastest


def wall(command: list[str], repeat: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
        times.append(time.perf_counter() - started)
    return min(times)


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def make_workbook(path: Path, rng: random.Random) -> None:
    """6,252 people, every name different (given x family from the shipped lists), A-numbers with
    and without the A, stored as text and as numbers."""
    from openpyxl import Workbook

    from bot.scan.data import first_names, surnames

    given = sorted(n.title() for n in first_names())
    family = sorted(n.upper() for n in surnames())
    pairs = rng.sample([(f, g) for f in family[:200] for g in given[:200]], 6252)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Detained Population"
    sheet["A1"] = "Detained Population by Facility - FY2025"
    sheet.merge_cells("A1:G2")
    for column, title in enumerate(["Last Name", "First Name", "Country of Citizenship", "A-Number",
                                    "Detention Facility", "Book-In Date", "Gender"], start=1):
        sheet.cell(row=4, column=column, value=title)
    start = datetime(2024, 10, 1)
    for last, first in pairs:
        digits = rng.randint(10_000_000, 249_999_999)
        sheet.append([last, first, rng.choice(COUNTRIES), digits if rng.random() < 0.35 else f"A{digits:09d}",
                      rng.choice(FACILITIES), start + timedelta(minutes=rng.randint(0, 360_000)),
                      rng.choice(("Male", "Female"))])
    workbook.save(path)


def make_web_log(path: Path, lines: int, rng: random.Random) -> None:
    """Combined-format access log: client addresses, order numbers in URLs, a leaked email or SSN
    in a query string about once in 20,000 lines."""
    clients = [f"{rng.choice((23, 45, 66, 81, 104, 151))}.{rng.randint(0, 255)}.{rng.randint(0, 255)}."
               f"{rng.randint(1, 254)}" for _ in range(3000)] + [f"10.0.{i}.{j}" for i in range(4) for j in range(1, 50)]
    paths = ("/products/{n}", "/api/v2/orders/{big}", "/static/app.{n}.js", "/search?q=boots&page={p}", "/health")
    start = datetime(2026, 11, 1)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(lines):
            when = (start + timedelta(seconds=index // 12)).strftime("%d/%b/%Y:%H:%M:%S +0000")
            url = rng.choice(paths).format(n=rng.randint(1, 99_999), big=rng.randint(1_000_000, 9_999_999_999),
                                           p=rng.randint(1, 40))
            if index % 20_000 == 7:
                url = f"/signup?email=user{index}@mailbox-provider.net" if index % 40_000 == 7 else \
                    f"/verify?ssn={rng.randint(1, 665):03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"
            handle.write(f'{rng.choice(clients)} - - [{when}] "GET {url} HTTP/1.1" {rng.choice((200, 304, 404))} '
                         f'{rng.randint(200, 90_000)} "-" "curl/8.5.0"\n')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    parser.add_argument("--no-gigabyte", action="store_true", help="skip the 10,000,000-row CSV")
    parser.add_argument("--log-lines", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(2025)
    print(f"machine: {os.cpu_count()} cores, {load()}")
    with tempfile.TemporaryDirectory(prefix="leakwatch-bench-") as tmp:
        folder = Path(tmp)

        small = folder / "small.csv"
        small.write_bytes(b"".join(line for line in bigfile.write(folder / "s.csv", 20).read_bytes()
                                   .splitlines(keepends=True)[:10]))
        floor = wall([sys.executable, "-c", "import openpyxl, httpx"], args.repeat + 2)
        cli = wall([sys.executable, "-m", "bot", "scan", str(small)], args.repeat + 2)
        print(f"\nstart-up: a {small.stat().st_size:,}-byte CSV on the command line {cli:.2f} s; "
              f"floor (import openpyxl, httpx) {floor:.2f} s; ratio {cli / floor:.2f}  (goal <= 2)")

        xlsx = folder / "detained_population.xlsx"
        make_workbook(xlsx, rng)
        bare = best(WORKBOOK, "openpyxl", str(xlsx), repeat=args.repeat)
        full = best(WORKBOOK, "scan", str(xlsx), repeat=args.repeat)
        print(f"\nworkbook, 6,252 rows, all names different ({xlsx.stat().st_size / 1e6:.2f} MB, {full['people']:,} "
              f"people, {full['severity']}): scan {full['seconds']:.3f} s; floor (openpyxl bare read-only "
              f"iteration) {bare['seconds']:.3f} s; ratio {full['seconds'] / bare['seconds']:.2f}  (goal <= 1.1)")

        people = bigfile.write(folder / "people.csv", args.rows)
        size = people.stat().st_size / 1e6
        floor_csv = best(CSV_FLOOR, str(people), repeat=args.repeat)
        scan = best(CLI, str(people), "--json", "--fingerprint-key", "bench", repeat=max(1, min(args.repeat, 2)))
        print(f"\n{args.rows:,}-row people CSV ({size:.1f} MB), {load()}")
        print(f"  command line: {scan['seconds']:.2f} s = {size / scan['seconds']:.1f} MB/s wall, peak RSS "
              f"{scan['peak_mb']:.0f} MB, its forked child's {scan['child_peak_mb']:.0f} MB (pages shared until "
              f"written)  (goals >= 40 MB/s, <= 250 MB)")
        print(f"  floor (csv.reader): {floor_csv['seconds']:.2f} s = {size / floor_csv['seconds']:.1f} MB/s, "
              f"peak RSS {floor_csv['peak_mb']:.0f} MB; scan / floor {scan['seconds'] / floor_csv['seconds']:.1f}x")
        arrow = run(ARROW_FLOOR, str(people))
        if not arrow.get("missing"):
            arrow = best(ARROW_FLOOR, str(people), repeat=args.repeat)
        if arrow.get("missing"):
            print("  floor (pyarrow.csv): not installed (pip install -e '.[bench]')")
        else:
            print(f"  floor (pyarrow.csv, all columns as text, its threads): {arrow['seconds']:.2f} s = "
                  f"{size / arrow['seconds']:.1f} MB/s, peak RSS {arrow['peak_mb']:.0f} MB; "
                  f"scan / floor {scan['seconds'] / arrow['seconds']:.1f}x")
        hashed = best(IDENTICAL_FLOOR, str(people), repeat=args.repeat)
        print(f"  floor of identical results (csv.reader + the sketch's keyed BLAKE2s once per value of the 4 "
              f"types, nothing else): {hashed['seconds']:.2f} s of CPU; split over 2 cores at best "
              f"{hashed['seconds'] / 2:.2f} s = {2 * size / hashed['seconds']:.1f} MB/s before any detection, "
              f"counting, start-up or report; scan / that {scan['seconds'] / (hashed['seconds'] / 2):.1f}x")
        columnar = run(COLUMNAR_FLOOR, str(people))
        if not columnar.get("missing"):
            columnar = best(COLUMNAR_FLOOR, str(people), repeat=args.repeat)
            print(f"  floor of a columnar engine (the same work, values kept in pyarrow's columns, only the "
                  f"hash in Python, 2 processes, start-up included): {columnar['seconds']:.2f} s = "
                  f"{size / columnar['seconds']:.1f} MB/s wall; scan / that {scan['seconds'] / columnar['seconds']:.1f}x")
        print(f"  people {scan['people']:,}; types {json.dumps(scan['types'])}")
        people.unlink()

        if not args.no_gigabyte:
            started = time.perf_counter()
            huge = bigfile.write(folder / "people-10m.csv", 10 * args.rows, seed=bigfile.SEED + 1)
            made = time.perf_counter() - started
            size = huge.stat().st_size / 1e6
            scan = run(CLI, str(huge), "--json", "--fingerprint-key", "bench")
            print(f"\n{10 * args.rows:,}-row CSV ({size:,.0f} MB, made in {made:.0f} s), {load()}")
            print(f"  command line: {scan['seconds']:.1f} s = {size / scan['seconds']:.1f} MB/s, peak RSS "
                  f"{scan['peak_mb']:.0f} MB, its forked child's {scan['child_peak_mb']:.0f} MB  (goal <= 300 MB); "
                  f"error: {scan['error']}")
            huge.unlink()

        log = folder / "access.log"
        make_web_log(log, args.log_lines, rng)
        size = log.stat().st_size / 1e6
        scan = best(CLI, str(log), "--json", "--fingerprint-key", "bench", repeat=max(1, min(args.repeat, 2)))
        print(f"\n{args.log_lines:,}-line access log ({size:.1f} MB): {scan['seconds']:.2f} s = "
              f"{args.log_lines / scan['seconds']:,.0f} lines/s, {size / scan['seconds']:.1f} MB/s, "
              f"peak RSS {scan['peak_mb']:.0f} MB")


if __name__ == "__main__":
    main()
