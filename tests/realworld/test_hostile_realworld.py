"""Hostile files in the real-world formats (tests/realworld/hostile.py), scanned through the CLI.

Each `python -m bot scan FILE --json --max-bytes 50000000` (a local file is otherwise read whatever
its size; the bound is the one uploads and URLs get) must end within 60 s with exit 2 and one JSON report whose
`error` (or `skipped` reasons) says why in one plain sentence: no traceback, no stack frame, one
line. The tar's path-traversal member must never be written where it points.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.realworld.hostile import TRAVERSAL_PROBE, write_hostile

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["ods_billion_repeated_columns.ods", "ods_billion_repeated_rows.ods", "docx_zip_bomb_256mb.docx",
         "pptx_claims_4gb_entry.pptx", "eml_10000_attachments.eml", "xml_billion_laughs.xml",
         "xml_external_entity.xml", "tar_traversal_huge_member.tar", "sql_one_line_60mb.sql",
         "gzip_bomb_1gib.csv.gz"]
LIMIT_SECONDS = 60


@pytest.fixture(scope="session")
def hostile(tmp_path_factory):
    paths = write_hostile(tmp_path_factory.mktemp("realworld_hostile"))
    assert sorted(paths) == sorted(NAMES)
    return paths


def _says_why(report: dict) -> str:
    if report.get("error"):
        return str(report["error"])
    return " ".join(str(s.get("reason", "")) for s in report.get("skipped") or [] if isinstance(s, dict))


@pytest.mark.parametrize("name", NAMES)
def test_hostile_file_is_refused_in_bounded_time(name, hostile):
    TRAVERSAL_PROBE.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        run = subprocess.run([sys.executable, "-m", "bot", "scan", str(hostile[name]), "--json", "--max-bytes", "50000000"],
                             capture_output=True, text=True, timeout=LIMIT_SECONDS, cwd=ROOT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: the scan did not end within {LIMIT_SECONDS} s", pytrace=False)
    seconds = time.monotonic() - started
    assert "Traceback" not in run.stderr + run.stdout, f"{name}: a traceback was printed"
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"{name}: exit {run.returncode} after {seconds:.1f} s, stdout is not one JSON report", pytrace=False)
    why = _says_why(report).strip()
    assert run.returncode == 2, (f"{name}: exit {run.returncode} (expected 2) after {seconds:.1f} s; "
                                 f"severity {report.get('severity')}, complete {report.get('complete')}, "
                                 f"error {'set' if report.get('error') else 'none'}")
    assert why, f"{name}: exit 2 but neither error nor skipped says why"
    assert "\n" not in why and 'File "' not in why and len(why) < 400, f"{name}: the reason is not one plain sentence"
    assert not TRAVERSAL_PROBE.exists(), f"{name}: a tar member was written outside the scan"
