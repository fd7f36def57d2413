"""`python -m bot scan` as users and deploy pipelines run it: a real process, real files, real URLs."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KEY = "test-fingerprint-key"

# synthetic people; kept only to prove they never reach the output
PEOPLE = [
    ("Okonkwo", "Adaeze", "A204518377"),
    ("Haddad", "Samir", "A209913452"),
    ("Villalobos", "Marisol", "A087341265"),
    ("Tran", "Minh Chau", "A211076530"),
    ("Petrosyan", "Arman", "A095528814"),
]


def run_scan(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("SCAN_", "FINGERPRINT", "INCIDENT_"))}
    full_env["PYTHONPATH"] = str(ROOT)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", "scan", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=full_env,
    )


@pytest.fixture
def leak_csv(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Last Name", "First Name", "A-Number"])
        writer.writerows(PEOPLE)
    return path


@pytest.fixture
def clean_text(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("Maintenance window starts at 22:00.\nNo personal data here.\n", encoding="utf-8")
    return path


def assert_no_raw_values(text: str) -> None:
    for last, first, a_number in PEOPLE:
        for raw in (last, first, a_number, a_number[1:]):
            assert raw not in text, "a raw value from the scanned file reached the output"


def test_json_report_has_the_contract_fields(leak_csv: Path):
    result = run_scan(str(leak_csv), "--json", "--fingerprint-key", KEY)
    report = json.loads(result.stdout)
    for field in ("target", "kind", "severity", "incident", "records_affected", "findings", "error", "stats"):
        assert field in report
    assert report["kind"] == "csv"
    assert report["error"] is None
    assert result.returncode == (1 if report["incident"] else 0)
    a_numbers = next(f for f in report["findings"] if f["type"] == "A_NUMBER")
    assert a_numbers["count"] == len(PEOPLE)
    assert len(a_numbers["fingerprints"]) == len(PEOPLE)
    assert all(len(sample) <= 12 and "•" in sample for sample in a_numbers["samples"])
    assert report["records_affected"] == len(PEOPLE)
    assert {"bytes", "cells", "seconds"} <= set(report["stats"])
    assert_no_raw_values(result.stdout + result.stderr)


def test_fingerprints_follow_the_spec(leak_csv: Path):
    from bot.scan.report import fingerprint

    report = json.loads(run_scan(str(leak_csv), "--json", "--fingerprint-key", KEY).stdout)
    a_numbers = next(f for f in report["findings"] if f["type"] == "A_NUMBER")
    expected = {fingerprint("A_NUMBER", a[1:].zfill(9), KEY.encode()) for _, _, a in PEOPLE}
    assert set(a_numbers["fingerprints"]) == expected


def test_human_summary_is_masked(leak_csv: Path):
    result = run_scan(str(leak_csv), "--fingerprint-key", KEY)
    assert "A_NUMBER" in result.stdout
    assert_no_raw_values(result.stdout + result.stderr)


def test_clean_file_exits_zero(clean_text: Path):
    result = run_scan(str(clean_text), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert (report["kind"], report["severity"], report["records_affected"]) == ("text", "none", 0)


def test_threshold_decides_the_exit_code(leak_csv: Path):
    report = json.loads(run_scan(str(leak_csv), "--json").stdout)
    assert report["severity"] in ("medium", "high", "critical")
    # at the report's own severity it is an incident; one level above it is not
    from bot.config import SEVERITIES

    above = SEVERITIES[min(SEVERITIES.index(report["severity"]) + 1, len(SEVERITIES) - 1)]
    assert run_scan(str(leak_csv), "--threshold", report["severity"]).returncode == 1
    if above != report["severity"]:
        assert run_scan(str(leak_csv), "--threshold", above).returncode == 0


def test_several_targets_give_an_array_and_the_worst_exit(leak_csv: Path, clean_text: Path):
    result = run_scan(str(clean_text), str(leak_csv), "--json", "--threshold", "medium")
    reports = json.loads(result.stdout)
    assert [r["target"] for r in reports] == [str(clean_text), str(leak_csv)]
    assert result.returncode == 1


def test_folder_scans_every_file_below_it(tmp_path: Path, leak_csv: Path, clean_text: Path):
    (tmp_path / "deep" / "er").mkdir(parents=True)
    leak_csv.rename(tmp_path / "deep" / "er" / "roster.csv")
    result = run_scan(str(tmp_path), "--json", "--threshold", "medium")
    report = json.loads(result.stdout)
    assert report["kind"] == "folder"
    assert sorted(d["target"] for d in report["documents"]) == ["deep/er/roster.csv", "notes.txt"]
    assert report["records_affected"] == len(PEOPLE)
    where = next(f for f in report["findings"] if f["type"] == "A_NUMBER")["where"]
    assert all(w.startswith("deep/er/roster.csv") for w in where)
    assert result.returncode == 1


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://example.org/", "http://127.0.0.1:6379/"])
def test_refused_targets_exit_2_with_one_sentence(target: str):
    result = run_scan(target, "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 2
    assert report["error"] and "\n" not in report["error"]
    assert "Traceback" not in result.stderr


def test_missing_file_is_one_sentence(tmp_path: Path):
    result = run_scan(str(tmp_path / "nope.xlsx"), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]
    assert "Traceback" not in result.stderr


def test_bad_setting_is_one_line():
    result = run_scan("README.md", env={"SCAN_MAX_BYTES": "lots"})
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "SCAN_MAX_BYTES" in result.stderr


def test_our_own_documentation_is_not_a_leak():
    """Docs that explain ID formats (placeholders, masked samples) must pass a pre-publish gate."""
    result = run_scan("README.md", "docs", "--json")
    reports = json.loads(result.stdout)
    assert [r["severity"] for r in reports] == ["none", "none"], [r["reasons"][:2] for r in reports]
    assert result.returncode == 0
