"""How fast the legacy-Excel and OpenDocument readers are, printed (never asserted).

For a generated 10,000-row x 7-column roster (names, A-numbers, dates, numbers) saved as .xls (xlwt)
and .ods (odfpy, with the padding rows and columns LibreOffice writes), `measure` reads the file
in a fresh interpreter (read_document + every row and line, no analysis) and returns its time,
peak RSS (the child's own VmHWM, which includes the interpreter and the file's bytes) and
counters; the baseline line is the same child reading nothing, so the reader's share is the
difference.

Run: cd /work/main && .venv/bin/python bench/office_read_speed.py [--rows 10000] [--only xls,ods]
All data is synthetic.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["Last Name", "First Name", "A-Number", "Date of Birth", "Book-In Date", "Facility", "Bed"]
FACILITIES = ["North Processing Center", "South County Jail", "East Service Facility", "West Annex"]


def synthetic_rows(count: int) -> list[list]:
    rng = random.Random(7)
    return [[f"Testperson{index % 997}", f"Given{index % 313}", f"A{rng.randrange(10**8, 10**9 - 1):09d}",
             datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15_000)),
             datetime.datetime(2023, 1, 1, 8) + datetime.timedelta(hours=rng.randrange(16_000)),
             rng.choice(FACILITIES), rng.randrange(1, 400)] for index in range(count)]


def make_xls(path: Path, rows: int) -> None:
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Roster")
    day, moment = xlwt.easyxf(num_format_str="YYYY-MM-DD"), xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for column, label in enumerate(HEADER):
        sheet.write(0, column, label)
    for r, row in enumerate(synthetic_rows(rows), start=1):
        for column, value in enumerate(row):
            style = moment if isinstance(value, datetime.datetime) else day if isinstance(value, datetime.date) else None
            sheet.write(r, column, value, style) if style else sheet.write(r, column, value)
    workbook.save(str(path))


def make_ods(path: Path, rows: int) -> None:
    from tests.scan.readers.odf_files import ods

    path.write_bytes(ods({"Roster": [HEADER, *synthetic_rows(rows)]}))


_READ_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
data = open({path!r}, "rb").read()
started = time.perf_counter()
counters = {{}}
if {read!r}:
    document = read_document(data, limits=ReadLimits(), deadline=Deadline(600))
    for part in document.parts:
        for _item in (part.rows if hasattr(part, "rows") else part.lines):
            pass
    counters = document.counters
elapsed = time.perf_counter() - started
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
peak = int(hwm[0].split()[1]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"seconds": elapsed, "peak_mb": peak, "bytes": len(data), "counters": counters}}))
"""


def measure(path: Path, *, read: bool = True) -> dict:
    """Read `path` in a fresh interpreter: seconds, peak RSS (MB), bytes and counters."""
    child = _READ_CHILD.format(root=str(ROOT), path=str(path), read=read)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode:
        sys.exit(f"reading {path.name} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def report(what: str, figures: dict, baseline: dict) -> None:
    megabytes = figures["bytes"] / 1e6
    rows = figures["counters"].get("rows", 0)
    print(f"{what} ({megabytes:.2f} MB): {figures['seconds']:.3f} s = {megabytes / figures['seconds']:.1f} MB/s, "
          f"{rows / figures['seconds']:,.0f} rows/s; peak RSS {figures['peak_mb']:.0f} MB "
          f"(+{figures['peak_mb'] - baseline['peak_mb']:.0f} MB over the idle child); counters {figures['counters']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--only", default="xls,ods")
    args = parser.parse_args()
    makers = {"xls": make_xls, "ods": make_ods}
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.only.split(","):
            path = Path(folder, f"roster.{kind}")
            makers[kind](path, args.rows)
            report(f"{kind} {args.rows:,} rows", measure(path), measure(path, read=False))


if __name__ == "__main__":
    main()
