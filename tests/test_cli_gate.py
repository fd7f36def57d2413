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


def _zip(entries: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_leak_past_the_depth_limit_is_not_passed_as_clean(tmp_path):
    deep = _zip({"roster.csv": ROSTER.csv()})
    for level in range(5):  # five zips deep: past the depth one scan opens
        deep = _zip({f"level{level}.zip": deep, f"readme{level}.txt": b"Quarterly export, see attached.\n"})
    target = tmp_path / "export.zip"
    target.write_bytes(deep)
    answer = run(str(target), "--json")
    assert answer.returncode == 2, answer.stdout[-500:]
    report = json.loads(answer.stdout)
    assert report["complete"] is False and report["error"] is None
    assert [item["reason"] for item in report["skipped"]] == ["it is an archive nested deeper than 4 levels"]
    human = run(str(target))
    assert human.returncode == 2 and "PARTLY READ" in human.stdout and "not read:" in human.stdout
    assert no_raw_values(answer.stdout + human.stdout) == 0


def test_a_folder_with_an_unsupported_document_is_partly_read(tmp_path):
    folder = site(tmp_path / "s", {"budget.csv": harmless_csv(),
                                   "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + _ole_entry("WordDocument")})
    answer = run(str(folder), "--json")
    assert answer.returncode == 2, answer.stdout[-500:]
    report = json.loads(answer.stdout)
    assert report["complete"] is False
    [skipped] = report["skipped"]
    assert skipped["where"] == "old.doc" and "legacy Word .doc" in skipped["reason"]


def _ole_entry(name: str) -> bytes:
    """One 128-byte OLE2 directory entry naming a stream (enough for the sniffer to tell the kind)."""
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    return encoded + bytes(64 - len(encoded)) + len(encoded).to_bytes(2, "little") + bytes(62)
