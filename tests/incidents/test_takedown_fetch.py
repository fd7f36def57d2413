"""Proof of takedown against a real local web server: the real fetcher and scanner, every case
of "is it still up?" the issue names."""

from __future__ import annotations

import pytest

from bot.config import ScanSettings
from bot.incidents.records import summarize_report
from bot.incidents.takedown import classify, recheck
from bot.model import ScanSummary
from bot.scan.pipeline import scan_url
from tests.helpers.synthetic_leak import leak_csv, leak_xlsx, people
from tests.helpers.webserver import WebServer

SETTINGS = ScanSettings(allow_hosts=("127.0.0.1",), fingerprint_key="takedown-test", timeout_seconds=20)
ROWS = people(20, seed=61)
NOT_FOUND_PAGE = b"<html><body><h1>Page not found</h1><p>Sorry, that page does not exist.</p></body></html>"


@pytest.fixture(scope="module")
def web():
    with WebServer() as server:
        yield server


@pytest.fixture(scope="module")
def incident(web):
    """What an incident keeps from the first scan of the leak."""
    url = web.add("/leak/roster.csv", leak_csv(ROWS), content_type="text/csv")
    report = scan_url(url, SETTINGS)
    assert report.incident and report.error is None
    return url, summarize_report(report)


@pytest.fixture
def served_instead(web, incident):
    """The incident, for a test that serves something else at its URL: the leak is served again
    after the test, whatever it left there."""
    yield incident
    web.add("/leak/roster.csv", leak_csv(ROWS), content_type="text/csv")


def verdict(url: str, kept: ScanSummary, streak: int = 0):
    return classify(recheck(url, SETTINGS), fingerprints=kept.fingerprints, content_sha256=kept.content_sha256,
                    unreachable_streak=streak)


def test_still_served_is_up(web, incident):
    url, kept = incident
    result = verdict(url, kept)
    assert result.state == "up" and "very same file" in result.reason


def test_the_same_rows_in_another_format_are_up(web, served_instead):
    url, kept = served_instead
    web.add("/leak/roster.csv", leak_xlsx(ROWS), content_type="application/octet-stream")
    result = verdict(url, kept)
    assert result.state == "up" and result.matched > 0


def test_behind_a_redirect_is_up(web, served_instead):
    url, kept = served_instead
    web.add("/moved/roster.csv", leak_csv(ROWS), content_type="text/csv")
    web.redirect("/leak/roster.csv", "/moved/roster.csv", status=301)
    assert verdict(url, kept).state == "up"


def test_the_same_file_at_another_status_is_up(web, served_instead):
    url, kept = served_instead
    web.add("/leak/roster.csv", leak_csv(ROWS), content_type="text/csv", status=403)
    result = verdict(url, kept)
    assert result.state == "up" and "403" in result.reason


def test_a_page_not_found_served_with_200_is_down(web, served_instead):
    url, kept = served_instead
    web.add("/leak/roster.csv", NOT_FOUND_PAGE, content_type="text/html")
    result = verdict(url, kept)
    assert result.state == "down" and "none of the incident's values" in result.reason


def test_other_records_at_the_same_url_are_down(web, served_instead):
    url, kept = served_instead
    others = "A-Number,Case status\n" + "".join(f"{p.a_number},closed\n" for p in people(20, seed=62))
    web.add("/leak/roster.csv", others.encode(), content_type="text/csv")
    assert verdict(url, kept).state == "down"


@pytest.mark.parametrize("gone", ["remove", "gone"])
def test_404_and_410_are_down(web, served_instead, gone):
    url, kept = served_instead
    getattr(web, gone)("/leak/roster.csv")
    result = verdict(url, kept)
    assert result.state == "down" and result.status == (404 if gone == "remove" else 410)


def test_an_unreachable_server_is_not_proof_at_first():
    with WebServer() as gone_soon:
        url = gone_soon.url("/x.csv")
    kept = ScanSummary(target=url, fingerprints={"A_NUMBER": ["0" * 64]}, content_sha256="ab" * 32)
    assert verdict(url, kept).state == "unknown"
    assert verdict(url, kept, streak=2).state == "down"


def test_the_very_same_bytes_are_not_read_again(web, incident):
    """Every open incident is re-checked every poll: unchanged bytes are recognised by their hash
    and not scanned again; changed bytes are scanned in full."""
    url, kept = incident
    same = recheck(url, SETTINGS, known_sha256=kept.content_sha256)
    assert same.report is not None and same.report.findings == [] and not same.report.stats
    result = classify(same, fingerprints=kept.fingerprints, content_sha256=kept.content_sha256)
    assert result.state == "up" and "very same file" in result.reason

    changed_url = web.add("/leak/roster-changed.csv", leak_csv(ROWS[:12]), content_type="text/csv")
    changed = recheck(changed_url, SETTINGS, known_sha256=kept.content_sha256)
    assert changed.report.findings and changed.report.content_sha256 != kept.content_sha256
    result = classify(changed, fingerprints=kept.fingerprints, content_sha256=kept.content_sha256)
    assert result.state == "up" and "fingerprinted values" in result.reason
