"""Accuracy over the real-world corpus (tests/realworld): one test per corpus file.

Each file is scanned through the real pipeline and compared with its ground truth by
`tests.corpus.evaluate.problems`: a leak must raise an incident, count its people within 5%, report
its expected types and find its identifiers with recall and precision of at least 0.99 by keyed
fingerprint; a look-alike must raise nothing; a file that may be read only in part must never pass
as clean. Files read only in part are also scanned through the CLI, which must exit 2 when it found
no incident. Messages carry file names, types and counts, never values.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ScanSettings
from bot.scan.pipeline import scan_target
from tests.corpus.evaluate import failure
from tests.realworld import DEFAULT_SEED, generate_realworld, realworld_names

FINGERPRINT_KEY = "realworld-accuracy-test-key"
SCALE = 0.25
SETTINGS = ScanSettings(fingerprint_key=FINGERPRINT_KEY, threshold="high", timeout_seconds=60.0)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def realworld(tmp_path_factory):
    out = tmp_path_factory.mktemp("realworld_corpus")
    return {f.name: f for f in generate_realworld(out, seed=DEFAULT_SEED, scale=SCALE)}


NAMES = realworld_names()


@pytest.mark.parametrize("name", NAMES)
def test_realworld_file(name, realworld):
    entry = realworld[name]
    message = failure(entry, scan_target(str(entry.path), SETTINGS), FINGERPRINT_KEY.encode("utf-8"))
    if message:
        pytest.fail(message, pytrace=False)


@pytest.mark.parametrize("name", realworld_names(partly_read_only=True))
def test_partly_read_file_is_not_clean_on_the_command_line(name, realworld):
    entry = realworld[name]
    run = subprocess.run([sys.executable, "-m", "bot", "scan", str(entry.path), "--json",
                          "--fingerprint-key", FINGERPRINT_KEY], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "Traceback" not in run.stderr, f"{name}: the scan printed a traceback"
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"{name}: exit {run.returncode}, stdout is not one JSON report", pytrace=False)
    if report.get("incident"):
        assert run.returncode == 1, f"{name}: incident found but exit {run.returncode}"
        return
    assert run.returncode == 2, f"{name}: no incident and exit {run.returncode} (a partly read file must exit 2)"
    said = report.get("error") or "; ".join(str(s.get("reason", "")) for s in report.get("skipped") or [])
    assert said.strip(), f"{name}: exit 2 without an error or a skipped reason"
