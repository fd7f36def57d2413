"""Hostile input beyond tests/scan/test_hostile_*: counts (sheets, entries, pages, rows), depth
(nested zips, a million nested tags), odd bytes (NUL, broken UTF-16), a million-digit number, and
formulas and links in a workbook that must never be evaluated or fetched.

Each goes through the real isolated scan (the parse child with its memory ceiling and time limit)
and must end in a report: a finding, a note, or one plain sentence; never a traceback.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace

import pytest

from bot.config import ScanSettings
from bot.scan.pipeline import scan_content
from tests.helpers.webserver import WebServer
from tests.security.hostile_more import (
    HOSTILE_MORE,
    READABLE_ODDITIES,
    deeply_nested_html,
    log_lines,
    xlsx_with_external_references,
)

TIMEOUT = 10
MEMORY_MB = 400


@pytest.fixture(scope="module")
def settings() -> ScanSettings:
    return replace(ScanSettings.from_env({}), timeout_seconds=TIMEOUT, max_memory_mb=MEMORY_MB,
                   fingerprint_key="hostile-tests")


def one_sentence(text: str) -> bool:
    return bool(text) and "\n" not in text and "Traceback" not in text and len(text) < 300 and text.endswith(".")


@pytest.mark.parametrize("name", sorted(HOSTILE_MORE))
def test_hostile_file_is_refused_by_a_limit_not_by_the_backstop(name, settings):
    data = HOSTILE_MORE[name]()
    started = time.monotonic()
    report = scan_content(data, target=name, settings=settings, name=name)
    elapsed = time.monotonic() - started

    if name == "nested-30-deep.zip":  # read to the allowed depth, the rest listed as not read
        assert report.error is None and report.exit_code == 2, report.to_dict()
        assert [item["reason"] for item in report.skipped] == ["it is an archive nested deeper than 4 levels"]
    elif name == "hundred-thousand-pages.pdf":  # the first pages are read, the rest listed as not read
        assert report.error is None and report.exit_code == 2, report.to_dict()
        assert report.skipped == [{"where": "pages 501-100,000 of 100,000", "reason": "past the 500-page limit of one scan"}]
    else:
        assert report.error_code in ("limit", "unreadable"), report.error_code
        assert one_sentence(report.error), report.error
        assert "SCAN_TIMEOUT_SECONDS" not in report.error, "only the time limit stopped it"
        assert "more memory than the scanner allows" not in report.error, "only the memory ceiling stopped it"
    assert elapsed < TIMEOUT, f"{name}: {elapsed:.1f} s"
    peak = report.stats.get("peak_rss_mb")
    assert peak is None or peak < 300, f"{name}: parse child peaked at {peak} MB"


@pytest.mark.parametrize("name", sorted(READABLE_ODDITIES))
def test_odd_file_is_read_or_refused_in_one_sentence(name, settings):
    report = scan_content(READABLE_ODDITIES[name](), target=name, settings=settings, name=name)
    if report.error is not None:
        assert report.error_code in ("limit", "unreadable"), report.error_code
        assert one_sentence(report.error), report.error
    assert report.stats["seconds"] < TIMEOUT


def test_million_nested_tags_are_read_and_the_person_found(settings):
    report = scan_content(deeply_nested_html(), target="n.html", settings=settings)
    assert report.error is None, report.error_code
    assert report.finding("A_NUMBER") is not None, [f.type for f in report.findings]


def test_million_digit_number_is_one_sentence(settings):
    """CPython 3.11 refuses int() over 4,300 digits with a ValueError; the user must not see it."""
    report = scan_content(HOSTILE_MORE["million-digit-number.json"](), target="n.json", settings=settings)
    assert one_sentence(report.error), report.error
    assert "4300" not in report.error and "int" not in report.error.split()


def test_endless_log_lines_stop_at_the_time_budget(settings):
    """Ten million short lines: no count cap applies to text, so the time budget must end it."""
    quick = replace(settings, timeout_seconds=2)
    started = time.monotonic()
    report = scan_content(log_lines(), target="app.log", settings=quick, name="app.log")
    elapsed = time.monotonic() - started
    assert report.error_code == "limit", report.error_code
    assert one_sentence(report.error), report.error
    assert elapsed < 2 + 4, f"{elapsed:.1f} s for a 2-second budget"


def test_workbook_formulas_and_external_links_are_never_fetched(settings):
    with WebServer() as web:
        data = xlsx_with_external_references(web.base_url.rstrip("/"))
        report = scan_content(data, target="links.xlsx", settings=replace(settings, allow_hosts=("127.0.0.1",)))
        requested = [request.path for request in web.requests]
    assert requested == [], f"the scan fetched {len(requested)} URLs named in the workbook"
    assert report.error is None, report.error_code
    assert report.finding("A_NUMBER") is not None, [f.type for f in report.findings]


@pytest.mark.parametrize("kind", ["device", "symlink-to-device", "fifo"])
def test_a_path_that_is_not_a_regular_file_is_refused_without_reading(kind, settings, tmp_path):
    """`scan /dev/zero` read until memory ran out; a FIFO blocked for ever; a symlink named
    `export.csv` pointing at /dev/urandom did both."""
    from bot.scan.pipeline import scan_path

    if kind == "device":
        path = "/dev/zero"
    elif kind == "symlink-to-device":
        path = str(tmp_path / "export.csv")
        os.symlink("/dev/urandom", path)
    else:
        path = str(tmp_path / "pipe.csv")
        os.mkfifo(path)
    started = time.monotonic()
    report = scan_path(path, settings)
    assert time.monotonic() - started < 2
    assert report.error_code == "unreadable", report.error_code
    assert one_sentence(report.error), report.error


def test_against_file_that_never_ends_is_one_sentence(tmp_path):
    import resource
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    target = tmp_path / "small.csv"
    target.write_text("Name,A-Number\nTestperson Alpha,A000000001\n")

    def ceiling():  # so a failing run cannot take the machine's memory
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    done = subprocess.run([sys.executable, "-m", "bot", "scan", str(target), "--fingerprint-key", "k",
                           "--against", "/dev/zero"], capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, preexec_fn=ceiling)
    exit_code, traceback_shown = done.returncode, "Traceback" in done.stderr
    assert exit_code == 2 and not traceback_shown, f"exit {exit_code}, traceback {traceback_shown}"
