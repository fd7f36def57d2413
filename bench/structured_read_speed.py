"""How fast the SQL dump and XML export readers are, printed (never asserted).

Three synthetic inputs of about --mb MB each: a real SQLite dump (sqlite3 iterdump: one INSERT
per row), a mysqldump-shaped dump (extended INSERTs of 500 rows a line) and an XML export written
by ElementTree (one <Detainee> record per person, nested Address, an attribute). Each is read in a
fresh interpreter: `read` is read_document plus every row and line (no analysis); the baselines
do the least work that touches every byte: the dump's text split into lines and iterated, and
ElementTree.iterparse with elem.clear() and nothing else. Printed: seconds, MB/s and peak RSS
(the child's VmHWM, which includes the interpreter and the file's own bytes; ru_maxrss would
carry over the parent's peak across exec).

Run: cd /work/main && .venv/bin/python bench/structured_read_speed.py [--mb 30]
All data is synthetic; no value is printed.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GIVEN = ["Alpha", "Beta", "Gamma", "Delta", "Maria", "Jose", "Ana", "Luis", "Wei", "Fatima", "Omar", "Elena"]
SURNAMES = ["Testperson", "Garcia", "Lopez", "Nguyen", "Haddad", "Okafor", "Ivanova", "Silva", "Kaur", "Mendez"]


def people(rng: random.Random):
    index = 0
    while True:
        index += 1
        yield (index, f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}", f"A{rng.randint(100_000_000, 249_999_999)}",
               f"{rng.randint(100, 665)}-{rng.randint(10, 99)}-{rng.randint(1000, 9999)}",
               f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               f"{rng.randint(1, 9999)} Main St, Springfield; note it's ok")


def sqlite_dump(megabytes: float) -> bytes:
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE detainees (id INTEGER PRIMARY KEY, full_name TEXT, alien_number TEXT, "
                       "ssn TEXT, birth_date TEXT, address TEXT)")
    rows = people(random.Random(1))
    rows_needed = int(megabytes * 1e6 / 130)
    connection.executemany("INSERT INTO detainees VALUES (?, ?, ?, ?, ?, ?)", (next(rows) for _ in range(rows_needed)))
    return ("\n".join(connection.iterdump()) + "\n").encode()


def mysql_dump(megabytes: float) -> bytes:
    rows = people(random.Random(2))
    out = ["-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n",
           "/*!40101 SET NAMES utf8mb4 */;\nCREATE TABLE `detainees` (\n  `id` int NOT NULL,\n  `full_name` varchar(255),\n"
           "  `alien_number` varchar(12),\n  `ssn` char(11),\n  `birth_date` date,\n  `address` text,\n"
           "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\nLOCK TABLES `detainees` WRITE;\n"]
    size = 0
    while size < megabytes * 1e6:
        batch = []
        for _ in range(500):
            index, *values = next(rows)
            batch.append(f"({index}," + ",".join("'" + value.replace("'", "\\'") + "'" for value in values) + ")")
        line = f"INSERT INTO `detainees` VALUES {','.join(batch)};\n"
        size += len(line)
        out.append(line)
    out.append("UNLOCK TABLES;\n")
    return "".join(out).encode()


def xml_export(megabytes: float) -> bytes:
    root = ET.Element("Export", {"generated": "2025-06-15"})
    records = ET.SubElement(root, "Detainees")
    rows = people(random.Random(3))
    for _ in range(int(megabytes * 1e6 / 330)):
        index, name, a_number, ssn, dob, address = next(rows)
        record = ET.SubElement(records, "Detainee", {"id": str(index)})
        for key, value in (("fullName", name), ("AlienNumber", a_number), ("SSN", ssn), ("birth_date", dob)):
            ET.SubElement(record, key).text = value
        ET.SubElement(ET.SubElement(record, "Address", {"type": "home"}), "Street").text = address
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
data = open({path!r}, "rb").read()
mode = {mode!r}
started = time.perf_counter()
rows = 0
if mode == "read":
    from bot.scan.limits import Deadline, ReadLimits
    from bot.scan.model import Table
    from bot.scan.readers import read_document
    document = read_document(data, limits=ReadLimits(max_rows=10**8, max_cells=10**9), deadline=Deadline(600))
    for part in document.parts:
        for _ in (part.rows if isinstance(part, Table) else part.lines):
            rows += 1
elif mode == "lines":
    for _ in data.decode("utf-8").splitlines():
        rows += 1
elif mode == "iterparse":
    import io
    import xml.etree.ElementTree as ET
    for _, element in ET.iterparse(io.BytesIO(data)):
        element.clear()
        rows += 1
seconds = time.perf_counter() - started
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "items": rows, "rss_mb": peak / 1024}}))
"""


def measure(path: Path, mode: str) -> dict:
    code = CHILD.format(root=str(ROOT), path=str(path), mode=mode)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=30)
    args = parser.parse_args()
    inputs = [("SQLite iterdump", sqlite_dump, ("read", "lines")),
              ("mysqldump extended", mysql_dump, ("read", "lines")),
              ("XML export", xml_export, ("read", "iterparse"))]
    print(f"{'input':<20} {'MB':>6} {'mode':<10} {'items':>9} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory() as folder:
        for label, make, modes in inputs:
            data = make(args.mb)
            path = Path(folder) / "input"
            path.write_bytes(data)
            megabytes = len(data) / 1e6
            for mode in modes:
                result = measure(path, mode)
                speed = megabytes / result["seconds"] if result["seconds"] else float("inf")
                print(f"{label:<20} {megabytes:>6.1f} {mode:<10} {result['items']:>9,} {result['seconds']:>8.2f} "
                      f"{speed:>7.1f} {result['rss_mb']:>12.0f}")


if __name__ == "__main__":
    main()
