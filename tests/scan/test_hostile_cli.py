"""Hostile files through the real command line: exit 2, one clear sentence, in time, in memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.scan.hostile_files import HOSTILE

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 10  # SCAN_TIMEOUT_SECONDS for these runs
MEMORY_LIMIT_MB = 300

# runs the CLI as a child and reports the largest resident size of it (and any child it waited for)
MEASURE = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
sys.stderr.write(done.stderr)
print(done.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
print(done.stdout)
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    for name, make in HOSTILE.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_is_refused_in_time_and_memory(hostile_dir: Path, name: str):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCAN_")}
    # the parse child's address-space ceiling is the backstop; the readers' own checks must
    # refuse every one of these before it is reached (asserted below)
    env.update(PYTHONPATH=str(ROOT), SCAN_TIMEOUT_SECONDS=str(TIMEOUT), SCAN_MAX_MEMORY_MB=str(MEMORY_LIMIT_MB))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, sys.executable, "-m", "bot", "scan", str(hostile_dir / name), "--json"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=TIMEOUT * 4,
    )
    elapsed = time.monotonic() - started
    exit_code, cli_rss_mb, stdout = done.stdout.split("\n", 2)
    report = json.loads(stdout)

    assert int(exit_code) == 2, f"{name}: exit {exit_code}, kind {report['kind']}, severity {report['severity']}"
    assert report["error"] and "\n" not in report["error"] and len(report["error"]) < 300
    assert "Traceback" not in done.stderr and "Traceback" not in report["error"]
    assert "more memory than the scanner allows" not in report["error"], f"{name}: only the backstop stopped it"
    assert "SCAN_TIMEOUT_SECONDS" not in report["error"], f"{name}: only the time limit stopped it"
    # start-up of the interpreter and the parse child come on top of the scan budget
    assert elapsed < TIMEOUT + 8, f"{name}: took {elapsed:.1f} s"
    assert int(cli_rss_mb) < MEMORY_LIMIT_MB, f"{name}: command line used {cli_rss_mb} MB"
    child_peak = report["stats"].get("peak_rss_mb")
    if child_peak is not None:
        assert child_peak < MEMORY_LIMIT_MB, f"{name}: parse child used {child_peak} MB"
