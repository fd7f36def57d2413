"""How fast the readers are, printed (never asserted).

1. xlsx: a leak-shaped 6,252-row x 7-column workbook (merged title, header on row 4).
   Prints our read (read_document + every row) / openpyxl's bare read-only iteration
   (load_workbook(read_only=True, data_only=True) + `for row in ws.iter_rows(values_only=True)`),
   median of several interleaved runs. Goal: <= 1.1.
2. csv: a generated 1,000,000-row CSV read in a fresh subprocess: MB/s and peak RSS
   (the child's own VmHWM, which includes the file's bytes and the interpreter; ru_maxrss is
   printed too, but on Linux it can carry the parent's peak across execve).
   Goal: >= 40 MB/s and <= 250 MB.
3. html: a generated ~20 MB page (a big <table>, paragraphs, scripts, comments, entities) read the
   same way in a fresh subprocess: MB/s and peak RSS.
4. text: 1,000,000 short log lines read the same way (the reader alone, no analysis).

Run: cd /work/main && /work/venv/bin/python bench/read_speed.py [--runs 7] [--csv-rows 1000000]
     [--html-rows 85000] [--log-lines 1000000] [--only xlsx,csv,html,text]
All data is synthetic.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["Last Name", "First Name", "Country of Citizenship", "A-Number", "Detention Facility",
          "Book-In Date", "Gender"]
COUNTRIES = ["Freedonia", "Sylvania", "Genovia", "Latveria", "Elbonia", "Wakanda"]
FACILITIES = ["North Processing Center", "South County Jail", "East Service Facility", "West Annex"]


def synthetic_row(rng: random.Random, index: int) -> list:
    return [
        f"Testperson{index % 997}",
        f"Given{index % 313}",
        rng.choice(COUNTRIES),
        f"A{rng.randrange(10**8, 10**9 - 1):09d}",
        rng.choice(FACILITIES),
        datetime.datetime(2023, 1, 1) + datetime.timedelta(days=rng.randrange(700)),
        rng.choice("MF"),
    ]


def make_xlsx(path: Path, rows: int = 6252) -> None:
    import openpyxl

    rng = random.Random(7)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Detained Population"
    sheet["A1"] = "Detained population, synthetic benchmark data"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append([])
    sheet.append(HEADER)
    for index in range(rows):
        sheet.append(synthetic_row(rng, index))
    workbook.save(path)


def bare_openpyxl(path: Path) -> float:
    import openpyxl

    started = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    for _row in sheet.iter_rows(values_only=True):
        pass
    workbook.close()
    return time.perf_counter() - started


def ours(data: bytes) -> tuple[float, dict]:
    from bot.scan.limits import Deadline, ReadLimits
    from bot.scan.readers import read_document

    started = time.perf_counter()
    document = read_document(data, name="bench.xlsx", limits=ReadLimits(), deadline=Deadline(120))
    for part in document.parts:
        for _row in part.rows:
            pass
    return time.perf_counter() - started, document.counters


def bench_xlsx(workdir: Path, runs: int) -> None:
    path = workdir / "detained.xlsx"
    make_xlsx(path)
    data = path.read_bytes()
    bare_openpyxl(path)  # warm imports and caches for both
    ours(data)
    bare_times, our_times = [], []
    counters: dict = {}
    for _ in range(runs):
        bare_times.append(bare_openpyxl(path))
        elapsed, counters = ours(data)
        our_times.append(elapsed)
    bare, mine = statistics.median(bare_times), statistics.median(our_times)
    print(f"xlsx 6,252x7 ({len(data) / 1e6:.2f} MB), median of {runs}: openpyxl bare {bare * 1000:.0f} ms, "
          f"ours {mine * 1000:.0f} ms, ratio {mine / bare:.3f}  (goal <= 1.1; counters {counters})")


def make_csv(path: Path, rows: int) -> None:
    rng = random.Random(11)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        for index in range(rows):
            cells = synthetic_row(rng, index)
            cells[5] = cells[5].strftime("%Y-%m-%d")
            out.write(",".join(cells) + "\n")


_READ_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
data = open({path!r}, "rb").read()
started = time.perf_counter()
document = read_document(data, name={name!r}, limits=ReadLimits(), deadline=Deadline(600))
for part in document.parts:
    for _item in (part.rows if hasattr(part, "rows") else part.lines):
        pass
elapsed = time.perf_counter() - started
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
# VmHWM is this process's own peak; ru_maxrss can carry the parent's peak across execve on Linux
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
peak = int(hwm[0].split()[1]) / 1024 if hwm else maxrss
print(json.dumps({{"seconds": elapsed, "peak_mb": peak, "maxrss_mb": maxrss, "bytes": len(data),
                  "counters": document.counters}}))
"""


def read_in_child(path: Path, name: str) -> dict:
    """Read `path` in a fresh interpreter; its time, peak memory and counters."""
    child = _READ_CHILD.format(root=str(ROOT), path=str(path), name=name)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode:
        sys.exit(f"reading {path.name} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def print_figures(what: str, figures: dict, goal: str = "") -> None:
    megabytes = figures["bytes"] / 1e6
    print(f"{what} ({megabytes:.1f} MB): {figures['seconds']:.2f} s = "
          f"{megabytes / figures['seconds']:.1f} MB/s, peak RSS {figures['peak_mb']:.0f} MB "
          f"(ru_maxrss {figures['maxrss_mb']:.0f} MB){goal} counters {figures['counters']}")


def bench_csv(workdir: Path, rows: int) -> None:
    path = workdir / "detained.csv"
    make_csv(path, rows)
    print_figures(f"csv {rows:,} rows", read_in_child(path, "bench.csv"), " (goal >= 40 MB/s, <= 250 MB)")


def make_html(path: Path, rows: int) -> None:
    """A leak-shaped page: header, scripts, comments, prose with entities, one big table."""
    rng = random.Random(13)
    with path.open("w", encoding="utf-8") as out:
        out.write("<!doctype html>\n<html><head><title>Detained population</title>\n"
                  "<script>var rows = '<tr><td>not a cell</td></tr>'; if (a < b) {}</script>\n"
                  "<style>td { padding: 2px } /* <td> */</style></head>\n<body>\n")
        for index in range(200):
            out.write(f"<p class=\"note\">Note {index}: synthetic data &amp; more &mdash; "
                      f"see <a href=\"/n/{index}\">details</a>.</p>\n<!-- comment <td> {index} -->\n")
        out.write('<table class="roster" id="main">\n<caption>Roster</caption>\n<thead><tr>'
                  + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr></thead>\n<tbody>\n")
        for index in range(rows):
            cells = synthetic_row(rng, index)
            cells[5] = cells[5].strftime("%m/%d/%Y")
            out.write('<tr class="r">' + "".join(f'<td class="c{i}">{c}</td>' for i, c in enumerate(cells))
                      + "</tr>\n")
        out.write("</tbody></table>\n<p>End of list &copy; nobody</p></body></html>\n")


def bench_html(workdir: Path, rows: int) -> None:
    path = workdir / "detained.html"
    make_html(path, rows)
    print_figures(f"html table of {rows:,} rows", read_in_child(path, "bench.html"))


def make_log(path: Path, lines: int) -> None:
    rng = random.Random(17)
    levels = ["INFO", "DEBUG", "WARN", "ERROR"]
    with path.open("w", encoding="utf-8") as out:
        for index in range(lines):
            out.write(f"2024-05-{1 + index % 28:02d}T12:{index % 60:02d}:{rng.randrange(60):02d}Z "
                      f"{rng.choice(levels)} worker-{index % 8} request {index} took {rng.randrange(900)} ms\n")


def bench_text(workdir: Path, lines: int) -> None:
    path = workdir / "service.log"
    make_log(path, lines)
    print_figures(f"text log of {lines:,} lines", read_in_child(path, "service.log"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--html-rows", type=int, default=85_000)
    parser.add_argument("--log-lines", type=int, default=1_000_000)
    parser.add_argument("--only", default="xlsx,csv,html,text,office,containers,structured",
                        help="comma-separated cases to run")
    args = parser.parse_args()
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="leakwatch-bench-") as tmp:
        if "xlsx" in only:
            bench_xlsx(Path(tmp), args.runs)
        if "csv" in only:
            bench_csv(Path(tmp), args.csv_rows)
        if "html" in only:
            bench_html(Path(tmp), args.html_rows)
        if "text" in only:
            bench_text(Path(tmp), args.log_lines)
    # the formats of the real-world shapes issue: each script measures in fresh children and prints
    for case, script in (("office", "office_read_speed.py"), ("containers", "container_read_speed.py"),
                         ("structured", "structured_read_speed.py")):
        if case in only:
            print(f"\n--- {case}: {script}", flush=True)
            subprocess.run([sys.executable, str(Path(__file__).with_name(script))], check=False)


if __name__ == "__main__":
    main()
