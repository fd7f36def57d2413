"""Local files on the command line: no size limit and no time budget unless asked, large CSV and
text streamed in bounded memory, a progress bar with bytes, rate and time left.

Real processes on real files; the files are made here (people from tests/differential/bigfile.py,
which is not the scanner's code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.cli import byte_bar, human_bytes
from tests.differential import bigfile

ROOT = Path(__file__).resolve().parent.parent


def run_scan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SCAN_", "FINGERPRINT", "INCIDENT_"))}
    full_env.update(PYTHONPATH=str(ROOT), **(env or {}))
    return subprocess.run([sys.executable, "-m", "bot", "scan", *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT, env=full_env)


def test_a_local_file_over_the_default_size_limit_is_scanned_unless_a_limit_is_asked(tmp_path):
    path = bigfile.write(tmp_path / "people.csv", 3000)  # ~300 KB
    # the default limit is the upload limit; a local file is the user's own choice
    scanned = run_scan(str(path), "--json", env={"FINGERPRINT_KEY": "k"})
    report = json.loads(scanned.stdout)
    assert scanned.returncode == 1 and report["error"] is None and report["records_affected"] > 2900
    for asked in (["--max-bytes", "100000"], []):
        env = {"SCAN_MAX_BYTES": "100000"} if not asked else {}
        refused = run_scan(str(path), "--json", *asked, env=env)
        report = json.loads(refused.stdout)
        assert refused.returncode == 2 and "100,000-byte limit" in report["error"], asked


def test_a_time_budget_for_a_local_file_is_the_one_asked_for(tmp_path):
    path = bigfile.write(tmp_path / "people.csv", 60_000)  # several seconds of work
    for args, env in ((["--timeout", "0.2"], {}), ([], {"SCAN_TIMEOUT_SECONDS": "0.2"})):
        quick = run_scan(str(path), "--json", *args, env=env)
        assert quick.returncode == 2 and "0.2-second limit" in json.loads(quick.stdout)["error"], args
    full = run_scan(str(path), "--json")
    assert full.returncode == 1 and json.loads(full.stdout)["stats"]["rows"] == 60_000


def test_a_large_csv_is_streamed_in_bounded_memory(tmp_path):
    """A CSV of about 60 MB of low-variety rows: the scan's memory stays well below the file's size
    plus what the scanner itself needs (a whole-file read alone would hold 60 MB more)."""
    path = tmp_path / "ledger.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("region,status,amount,comment\n")
        line = "north,open,12.50," + "x" * 40 + "\n"
        handle.write(line * (60_000_000 // len(line)))
    size_mb = path.stat().st_size / 1e6
    probe = (
        "import resource, sys\n"
        "from bot.cli import main\n"
        "code = main([sys.argv[1], '--json'])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, file=sys.stderr)\n"
    )
    idle = subprocess.run([sys.executable, "-c", probe.replace("main([sys.argv[1], '--json'])", "0") +
                           "import bot.scan.pipeline, bot.scan.analyze\n"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    result = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True, timeout=300,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    report = json.loads(result.stdout)
    assert report["error"] is None and report["stats"]["rows"] > 900_000
    peak = float(result.stderr.strip().splitlines()[-1])
    baseline = float(idle.stderr.strip().splitlines()[-1])
    assert peak - baseline < size_mb / 2, f"peak {peak:.0f} MB over a {baseline:.0f} MB start for a {size_mb:.0f} MB file"


def test_a_single_large_file_shows_bytes_rate_and_time_left(tmp_path):
    path = bigfile.write(tmp_path / "people.csv", 30_000)
    size = human_bytes(path.stat().st_size)
    result = run_scan(str(path), "--progress")
    bars = result.stderr.replace("\r", "\n").splitlines()
    assert any(f"of {size}" in bar and "s left" in bar and "MB/s" in bar for bar in bars), bars[:3]
    assert any(bar.startswith("[" + "#" * 30 + "] 100%") for bar in bars)
    assert all(bar.endswith("people.csv") for bar in bars if bar.startswith("["))


def test_byte_bar_and_sizes():
    assert byte_bar(430_000_000, 1_200_000_000, 10.0, "big.csv").startswith("[" + "#" * 10 + ".")
    bar = byte_bar(430_000_000, 1_200_000_000, 10.0, "big.csv")
    assert "36% 430 MB of 1.2 GB, 43 MB/s, 18 s left  big.csv" in bar
    assert "s left" not in byte_bar(1_000, 1_000, 1.0)
    assert [human_bytes(n) for n in (999, 40_000, 1_234_567, 1_200_000_000)] == ["999 B", "40 KB", "1.2 MB", "1.2 GB"]


def test_a_reader_that_stops_early_gets_no_traceback(tmp_path):
    path = bigfile.write(tmp_path / "people.csv", 2000)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCAN_", "FINGERPRINT", "INCIDENT_"))}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen([sys.executable, "-m", "bot", "scan", str(path), "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=ROOT, env=env)
    proc.stdout.read(10)
    proc.stdout.close()  # as `| head -c 10` does
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr[-300:]
