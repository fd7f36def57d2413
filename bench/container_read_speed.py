"""How fast the container readers are, printed (never asserted).

Two synthetic inputs: a 50 MB roster CSV gzip'd, and an e-mail with a ~5 MB .xlsx roster
attached (base64). Each is read in a fresh interpreter: `read` is read_document plus every row
and line (no analysis), `scan` is scan_bytes (read + detection). Printed: seconds, MB/s of the
content inside (the CSV, the attachment) and of the file as given, and peak RSS (the child's
VmHWM, which includes the interpreter and the file's own bytes); the baseline line is a child
that loads the file and reads nothing. The bare .xlsx is read too: the e-mail's own share is the
difference (the workbook's reader is most of it).

Run: cd /work/main && .venv/bin/python bench/container_read_speed.py [--csv-mb 50] [--xlsx-rows 90000]
All data is synthetic; no value is printed.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import io
import json
import random
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["Last Name", "First Name", "A-Number", "SSN", "Date of Birth", "Facility"]


def synthetic_row(rng: random.Random, index: int) -> list:
    return [f"Testperson{index % 997}", f"Given{index % 313}", f"A{rng.randrange(10**8, 10**9 - 1):09d}",
            f"{rng.randrange(100, 665):03d}-{rng.randrange(1, 99):02d}-{rng.randrange(1, 9999):04d}",
            datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(15_000)), "North Processing Center"]


def csv_of(megabytes: float) -> bytes:
    rng, out, index = random.Random(7), io.StringIO(), 0
    out.write(",".join(HEADER) + "\n")
    while out.tell() < megabytes * 1e6:
        out.write(",".join(str(value) for value in synthetic_row(rng, index)) + "\n")
        index += 1
    return out.getvalue().encode()


def xlsx_of(rows: int) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Roster")
    sheet.append(HEADER)
    rng = random.Random(11)
    for index in range(rows):
        sheet.append(synthetic_row(rng, index))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def mail_with(attachment: bytes) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "records@example.org", "staff@example.org", "roster"
    message.set_content("The roster is attached.\n")
    message.add_attachment(attachment, maintype="application",
                           subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="roster.xlsx")
    return message.as_bytes()


_CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from bot.config import ScanSettings
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
data = open({path!r}, "rb").read()
started = time.perf_counter()
counters = {{}}
if {mode!r} == "read":
    document = read_document(data, name={name!r}, limits=ReadLimits(), deadline=Deadline(600))
    for part in document.parts:
        for _item in (part.rows if hasattr(part, "rows") else part.lines):
            pass
    counters = document.counters
elif {mode!r} == "scan":
    report = scan_bytes(data, target={name!r}, name={name!r}, settings=ScanSettings(fingerprint_key="k", timeout_seconds=600))
    counters = {{"findings": {{f.type: f.count for f in report.findings}}, "complete": report.complete,
                "error": report.error}}
elapsed = time.perf_counter() - started
hwm = [line for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print(json.dumps({{"seconds": elapsed, "peak_mb": int(hwm[0].split()[1]) / 1024, "counters": counters}}))
"""


def measure(path: Path, name: str, mode: str) -> dict:
    code = _CHILD.format(root=str(ROOT), path=str(path), name=name, mode=mode)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--csv-mb", type=float, default=50)
    parser.add_argument("--xlsx-rows", type=int, default=90_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv = csv_of(args.csv_mb)
        gz = Path(folder) / "roster.csv.gz"
        gz.write_bytes(gzip.compress(csv, 6))
        book = xlsx_of(args.xlsx_rows)
        mail = Path(folder) / "roster.eml"
        mail.write_bytes(mail_with(book))
        bare = Path(folder) / "roster.xlsx"
        bare.write_bytes(book)
        cases = [("gzip'd CSV", gz, "roster.csv.gz", len(csv)), ("e-mail + xlsx", mail, "roster.eml", len(book)),
                 ("same xlsx bare", bare, "roster.xlsx", len(book))]
        print(f"{'input':<15} {'mode':<9} {'file MB':>8} {'inner MB':>9} {'seconds':>8} {'inner MB/s':>11} "
              f"{'file MB/s':>10} {'peak RSS MB':>12}  counters")
        for label, path, name, inner in cases:
            size = path.stat().st_size
            for mode in ("baseline", "read", "scan"):
                got = measure(path, name, mode)
                seconds = max(got["seconds"], 1e-9)
                rates = (f"{inner / 1e6 / seconds:>11.1f} {size / 1e6 / seconds:>10.1f}" if mode != "baseline"
                         else f"{'':>11} {'':>10}")
                print(f"{label:<15} {mode:<9} {size / 1e6:>8.1f} {inner / 1e6:>9.1f} {got['seconds']:>8.2f} {rates} "
                      f"{got['peak_mb']:>12.0f}  {json.dumps(got['counters'], sort_keys=True)}")


if __name__ == "__main__":
    main()
