"""The command line as a pre-publish gate (docs/gate.md), run as a real process:
`python -m bot scan ./public_html --crawl`, and `--export-fingerprints` / `--against`."""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.watch.leaks import harmless_csv, page, roster

ROOT = Path(__file__).resolve().parent.parent
ROSTER = roster(100, seed=13)
OTHER = roster(100, seed=14)


def run(*args: str, key: str | None = "gate-test-key") -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"}
    if key:
        env["FINGERPRINT_KEY"] = key
    return subprocess.run([sys.executable, "-m", "bot", "scan", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def site(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True)
    (folder / "index.html").write_bytes(page("Home", list(files)))
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder


def no_raw_values(text: str) -> int:
    return sum(1 for row in ROSTER.rows + OTHER.rows if row[1] in text or row[0] in text)


def test_the_gate_fails_a_build_with_a_leak_and_passes_a_clean_one(tmp_path):
    leaky = site(tmp_path / "leaky", {"budget.csv": harmless_csv(), "upload.csv": ROSTER.csv()})
    clean = site(tmp_path / "clean", {"budget.csv": harmless_csv()})
    failed = run(str(leaky), "--crawl")
    assert failed.returncode == 1, failed.stderr[-500:]
    assert "INCIDENT" in failed.stdout and "upload.csv" in failed.stdout
    assert no_raw_values(failed.stdout + failed.stderr) == 0
    passed = run(str(clean), "--crawl")
    assert passed.returncode == 0, passed.stdout[-500:]


def test_a_known_leak_is_recognised_again_below_the_threshold(tmp_path):
    original = site(tmp_path / "original", {"detained.csv": ROSTER.csv()})
    known = tmp_path / "known.json"
    exported = run(str(original), "--crawl", "--export-fingerprints", str(known))
    assert exported.returncode == 1 and known.exists()
    assert no_raw_values(known.read_text()) == 0, "the file holds fingerprints, never values"

    # 40% of the rows re-posted; at --threshold critical the scan alone would pass the gate
    mirror = site(tmp_path / "mirror", {"copy.csv": ROSTER.csv(0, 40)})
    assert run(str(mirror), "--crawl", "--threshold", "critical").returncode == 0
    again = run(str(mirror), "--crawl", "--threshold", "critical", "--against", str(known), "--json")
    assert again.returncode == 1
    notes = json.loads(again.stdout)["notes"]
    assert any("40% of the A-numbers of" in note and "(40 of 100)" in note for note in notes), notes

    unrelated = site(tmp_path / "unrelated", {"other.csv": OTHER.csv()})
    other = run(str(unrelated), "--crawl", "--threshold", "critical", "--against", str(known), "--json")
    assert other.returncode == 0
    assert not any("Known leak" in note for note in json.loads(other.stdout)["notes"])


def test_fingerprint_files_need_a_fixed_key(tmp_path):
    folder = site(tmp_path / "s", {"budget.csv": harmless_csv()})
    answer = run(str(folder), "--export-fingerprints", str(tmp_path / "k.json"), key=None)
    assert answer.returncode == 2 and "FINGERPRINT_KEY" in answer.stderr
    assert "Traceback" not in answer.stderr
