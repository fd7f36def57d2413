"""Never spread the leak: synthetic leaks of every format, and layouts that put a value into a
label (a sheet, a header, a JSON key, an archive entry, a caption), go through the real scan.

No raw value may appear in the report (masked samples and fingerprints aside), in any log record
(DEBUG included, libraries included), or on the command line's stdout/stderr, which also carries
whatever the parse child writes. Failures name values by a short hash, never the value; checks
on text are computed before `assert` so pytest's explanation cannot print the text.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import ScanSettings
from bot.scan.pipeline import scan_content, scan_url
from bot.scan.report import MASK_CHAR
from tests.helpers.webserver import WebServer
from tests.security.leaky_files import (
    KNOWN_GAPS,
    LEAKS,
    MALFORMED,
    json_keys_are_a_numbers,
    leaked_ids,
    pdf_form_lines,
    pdf_with_value_in_font_encoding,
    xlsx_sheet_named_unknown_person,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def settings() -> ScanSettings:
    return replace(ScanSettings.from_env({}), timeout_seconds=20, fingerprint_key="security-tests",
                   allow_hosts=("127.0.0.1",))


def report_text(report: dict) -> str:
    """The report as JSON without the fields that are digests (hex can hold chance digit runs)."""
    data = json.loads(json.dumps(report))
    data.pop("content_sha256", None)
    for finding in data.get("findings", []):
        finding.pop("fingerprints", None)
    data["documents"] = [json.loads(report_text(doc)) for doc in data.get("documents", [])]
    return json.dumps(data, ensure_ascii=False)


def assert_masked(report: dict) -> None:
    for finding in report["findings"]:
        for sample in finding["samples"]:
            clear = len(sample) - sample.count(MASK_CHAR) - (1 if finding["type"] == "A_NUMBER" else 0)
            assert clear <= 4, f"{finding['type']} sample shows {clear} characters in clear"


@pytest.mark.parametrize("name", sorted(LEAKS))
def test_leak_is_found_and_no_raw_value_in_the_report_or_logs(name, settings, caplog):
    caplog.set_level(logging.DEBUG)
    report = scan_content(LEAKS[name](), target=name, settings=settings, name=name).to_dict()

    error_code = report["error_code"]
    assert error_code is None, error_code
    assert report["findings"], f"{name}: nothing found, so the check below would prove nothing"
    assert_masked(report)
    text = report_text(report)
    for field in ("findings", "reasons", "notes"):
        leaked = leaked_ids(json.dumps(report[field], ensure_ascii=False))
        assert not leaked, f"{name}: {len(leaked)} raw values in `{field}` (ids {leaked})"
    in_report, in_logs = leaked_ids(text), leaked_ids(caplog.text)
    assert not in_report, f"{name}: raw values in the report (ids {in_report})"
    assert not in_logs, f"{name}: raw values in log records (ids {in_logs})"


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_error_quotes_nothing(name, settings, caplog):
    caplog.set_level(logging.DEBUG)
    report = scan_content(MALFORMED[name](), target=name, settings=settings, name=name).to_dict()

    in_report, in_logs = leaked_ids(report_text(report)), leaked_ids(caplog.text)
    assert not in_report, f"{name}: raw values in the report (ids {in_report})"
    assert not in_logs, f"{name}: raw values in log records (ids {in_logs})"
    if report["error"]:
        error = report["error"]
        one_sentence = "\n" not in error and "Traceback" not in error and len(error) < 300
        assert one_sentence, f"{name}: the error is not one short sentence ({len(error)} characters)"


def test_url_scan_with_every_logger_at_debug_logs_no_value(settings, caplog):
    """httpx/httpcore log requests and headers at DEBUG/INFO; the body must never reach a log."""
    caplog.set_level(logging.DEBUG)
    with WebServer() as web:
        web.add("/roster.csv", LEAKS["roster.csv"](), content_type="text/csv")
        report = scan_url(web.url("/roster.csv"), settings).to_dict()
    assert report["findings"], report["error_code"]
    assert caplog.records, "no log record at all: the capture is not working"
    in_report, in_logs = leaked_ids(report_text(report)), leaked_ids(caplog.text)
    assert not in_logs, f"raw values in log records (ids {in_logs})"
    assert not in_report, f"raw values in the report (ids {in_report})"


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SCAN_", "FINGERPRINT"))}
    env.update(PYTHONPATH=str(ROOT), SCAN_TIMEOUT_SECONDS="20")
    return subprocess.run([sys.executable, "-m", "bot", "scan", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def leak_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("leaks")
    for name, make in {**LEAKS, **MALFORMED}.items():
        (folder / name).write_bytes(make())
    return folder


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "human"])
def test_command_line_output_holds_no_raw_value(leak_folder, as_json):
    """Every file at once through `python -m bot scan FOLDER`: stdout and stderr (which carries the
    parse children's stderr too) hold no raw value."""
    done = _cli(".", *(["--json"] if as_json else []), "--progress", cwd=leak_folder)
    # leaks were found, so 1 (2 only when nothing incident-level was found: README "exit status")
    exit_code = done.returncode  # never `done.x` in an assert: pytest would print its stdout
    assert exit_code == 1, f"exit {exit_code}"
    traceback_shown = "Traceback" in done.stderr
    assert not traceback_shown, "a traceback on stderr"
    if as_json:
        report = json.loads(done.stdout)
        assert len(report["documents"]) == len(LEAKS) + len(MALFORMED)
        assert sum(bool(doc["findings"]) for doc in report["documents"]) >= len(LEAKS)
        stdout = report_text(report)
    else:
        stdout = done.stdout
        names_a_numbers = "A_NUMBER" in stdout
        assert names_a_numbers, "the summary names no A-number finding"
    on_stdout, on_stderr = leaked_ids(stdout), leaked_ids(done.stderr)
    assert not on_stdout, f"raw values on stdout (ids {on_stdout})"
    assert not on_stderr, f"raw values on stderr (ids {on_stderr})"


def test_library_log_from_the_parse_child_stays_out_of_stderr(tmp_path):
    """pypdf logs a font's /Encoding name at ERROR; the name is content (here an A-number and a
    name). The parse child has no logging set up, so Python's last-resort handler would print it."""
    path = tmp_path / "font-encoding.pdf"
    path.write_bytes(pdf_with_value_in_font_encoding())
    done = _cli(str(path), "--json", cwd=tmp_path)
    exit_code = done.returncode
    assert exit_code == 1, f"exit {exit_code}: the leak in the text must still be found"
    on_stderr, in_report = leaked_ids(done.stderr), leaked_ids(report_text(json.loads(done.stdout)))
    assert not on_stderr, f"raw values on stderr (ids {on_stderr})"
    assert not in_report, f"raw values in the report (ids {in_report})"


# --- known gaps: each fails today; strict, so fixing one turns it into a failure to un-mark ----------


def test_sheet_named_after_someone_found_nowhere_else_is_masked(settings):
    report = scan_content(xlsx_sheet_named_unknown_person(), target="s.xlsx", settings=settings).to_dict()
    assert report["findings"], report["error_code"]
    leaked = leaked_ids(report_text(report))
    assert not leaked, f"{len(leaked)} raw values in the report"


def test_identifiers_used_as_json_keys_are_found(settings):
    report = scan_content(json_keys_are_a_numbers(), target="k.json", settings=settings).to_dict()
    types = {finding["type"] for finding in report["findings"]}
    assert {"A_NUMBER", "SSN"} <= types, sorted(types)
    assert not leaked_ids(report_text(report))


def test_pdf_form_lines_are_found(settings):
    report = scan_content(pdf_form_lines(), target="f.pdf", settings=settings).to_dict()
    types = {finding["type"] for finding in report["findings"]}
    assert {"A_NUMBER", "SSN"} <= types, sorted(types)


def test_known_gap_files_leak_nothing_whatever_they_find(settings, caplog):
    """Even where detection falls short, nothing that was read may be repeated."""
    caplog.set_level(logging.DEBUG)
    for name, make in KNOWN_GAPS.items():
        report = scan_content(make(), target=name, settings=settings, name=name).to_dict()
        where = [w for finding in report["findings"] for w in finding["where"]]
        in_places = leaked_ids(json.dumps([report["notes"], where], ensure_ascii=False))
        assert not in_places, f"{name}: raw values in notes or places"
    in_logs = leaked_ids(caplog.text)
    assert not in_logs, f"raw values in log records (ids {in_logs})"
