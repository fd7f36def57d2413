"""Same-site crawl against a real local site: caps, depth, per-document findings, politeness.

The site has 32 pages and documents; the server's request log shows what was fetched, how often,
and (through slow handlers) how many requests were in flight at once.
"""

import json
import threading

import pytest

from bot.config import ScanSettings
from bot.scan.crawl import CrawlLimits, crawl
from bot.scan.report import fingerprint, resolve_key
from tests.helpers.webserver import Reply, WebServer
from tests.watch.leaks import harmless_csv, page, roster

KEY = "crawl-test-key"
SETTINGS = ScanSettings(allow_hosts=("127.0.0.1",), fingerprint_key=KEY, timeout_seconds=15)
ROSTER = roster(40, seed=7)

SECTIONS = 10
TOP_DOCUMENTS = [f"/files/doc{i}.csv" for i in range(5)] + [
    "/files/roster.csv", "/files/notes.txt", "/files/data.json", "/private/hidden.csv",
]
DOWNLOADS = ["/download?id=7", "/download?id=8"]  # no extension: fetched, then sniffed


def _a_number_fingerprints(digits: list[str]) -> set[str]:
    return {fingerprint("A_NUMBER", d, resolve_key(KEY)) for d in digits}


def build_site(web: WebServer, elsewhere: WebServer) -> set[str]:
    """The site; returns every path (with query) a crawl of "/" must fetch."""
    sections = [f"/section/{i}.html" for i in range(SECTIONS)]
    links = sections + TOP_DOCUMENTS + DOWNLOADS + [
        "/style.css", "/logo.png", elsewhere.url("/stolen.csv"), "mailto:webmaster@example.gov",
        "#top", "/section/0.html#part-2", "javascript:void(0)",
    ]
    web.add("/", page("Agency home", links), content_type="text/html")
    web.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    web.add("/style.css", b"body{}", content_type="text/css")
    web.add("/logo.png", b"\x89PNG\r\n", content_type="image/png")
    for i, section in enumerate(sections):
        web.add(section, page(f"Section {i}", [f"/section/{i}/table.csv", f"/deeper/{i}.html", "/", "/files/roster.csv"]),
                content_type="text/html")
        web.add(f"/section/{i}/table.csv", harmless_csv(5 + i), content_type="text/csv")
        web.add(f"/deeper/{i}.html", page("Too deep", [f"/deeper/{i}/more.csv"]), content_type="text/html")
    for path in TOP_DOCUMENTS:
        web.add(path, harmless_csv(), content_type="text/csv")
    web.add("/files/roster.csv", ROSTER.csv(), content_type="text/csv", etag='"roster-v1"')
    web.add("/files/notes.txt", b"Office hours are nine to five.\n", content_type="text/plain")
    web.add("/files/data.json", b'{"items": [1, 2, 3]}', content_type="application/json")
    web.add("/download", harmless_csv(3), content_type="application/octet-stream")
    elsewhere.add("/stolen.csv", ROSTER.csv(), content_type="text/csv")
    return {"/", *sections, *(f"/section/{i}/table.csv" for i in range(SECTIONS)), *TOP_DOCUMENTS, *DOWNLOADS}


@pytest.fixture
def site():
    with WebServer() as web, WebServer() as elsewhere:
        expected = build_site(web, elsewhere)
        yield web, elsewhere, expected


@pytest.fixture(scope="module")
def crawled():
    """One full crawl of the site, shared by the tests that only read its outcome."""
    with WebServer() as web, WebServer() as elsewhere:
        expected = build_site(web, elsewhere)
        yield web, elsewhere, expected, crawl(web.url("/"), SETTINGS)


def test_a_site_of_32_pages_and_documents_is_crawled_once_each(crawled):
    web, elsewhere, expected, result = crawled

    fetched = [r.path for r in web.requests]
    assert sorted(fetched) == sorted(expected), "each page and document once; no assets, nothing too deep"
    assert not web.requests_for("/robots.txt"), "robots.txt does not hide a leak, so it is not consulted"
    assert elsewhere.requests == [], "another site (another port) is not crawled"
    assert all(r.headers.get("user-agent", "").startswith("Leakwatch/") for r in web.requests)

    report = result.report
    assert report.error is None
    assert report.kind == "crawl"
    assert len(report.documents) == len(expected)
    assert result.failed == [] and result.unchanged == []


def test_per_document_findings_and_one_combined_report(crawled):
    web, _, _, result = crawled
    report = result.report

    leaky = [doc for doc in report.documents if doc.findings]
    assert [doc.target for doc in leaky] == [web.url("/files/roster.csv")]
    a_numbers = leaky[0].finding("A_NUMBER")
    assert a_numbers is not None and a_numbers.count == 40
    assert set(a_numbers.fingerprints) == _a_number_fingerprints(ROSTER.a_number_digits)

    combined = report.finding("A_NUMBER")
    assert combined is not None and combined.count == 40
    assert all(place.startswith(web.url("/files/roster.csv")) for place in combined.where)
    assert report.incident and report.records_affected == leaky[0].records_affected

    text = json.dumps(report.to_dict())
    leaked = sum(1 for row in ROSTER.rows if row[1] in text or row[0] in text)
    assert leaked == 0, f"{leaked} raw roster values appear in the report"


def test_the_document_cap_is_kept_and_said(site):
    web, _, _ = site
    result = crawl(web.url("/"), SETTINGS, limits=CrawlLimits(max_documents=12))
    assert len(web.requests) == 1 + 12
    assert len(result.report.documents) == 13
    assert any("at most 12" in note for note in result.report.notes)
    assert result.skipped > 0


def test_the_byte_budget_stops_further_fetches(site):
    web, _, _ = site
    result = crawl(web.url("/"), SETTINGS, limits=CrawlLimits(max_total_bytes=3000, per_host=1))
    assert len(web.requests) < 10
    assert any("byte budget" in note for note in result.report.notes)


def test_at_most_two_requests_at_a_time_per_host():
    in_flight = 0
    most = 0
    lock = threading.Lock()

    with WebServer() as web:
        def slow(request):
            nonlocal in_flight, most
            with lock:
                in_flight += 1
                most = max(most, in_flight)
            web.stopping.wait(0.15)
            with lock:
                in_flight -= 1
            return Reply(200, {"Content-Type": "text/csv"}, harmless_csv(3))

        docs = [f"/slow/{i}.csv" for i in range(8)]
        web.add("/", page("Slow", docs), content_type="text/html")
        for path in docs:
            web.add(path, handler=slow)
        result = crawl(web.url("/"), SETTINGS)

    assert len(result.report.documents) == 9
    assert most == 2, f"at most {most} requests were in flight at once; the bound is two and the crawl uses both"


def test_unchanged_documents_are_asked_conditionally_and_not_scanned_again(site):
    web, _, expected = site
    first = crawl(web.url("/"), SETTINGS)
    web.clear_requests()
    web.add("/files/doc1.csv", harmless_csv(7), content_type="text/csv")  # changed, no validator

    second = crawl(web.url("/"), SETTINGS, previous=first.memory)

    roster_requests = web.requests_for("/files/roster.csv")
    assert [r.status for r in roster_requests] == [304]
    assert roster_requests[0].conditional == {"if-none-match": '"roster-v1"'}
    assert [d.target for d in second.report.documents] == [web.url("/files/doc1.csv")]
    assert web.url("/files/roster.csv") in second.unchanged
    assert len(second.unchanged) == len(expected) - 1
    assert not second.report.incident, "an unchanged leak does not alert twice"


def test_a_start_page_that_is_a_document_is_scanned_alone():
    with WebServer() as web:
        web.add("/leak.csv", ROSTER.csv(), content_type="text/csv")
        result = crawl(web.url("/leak.csv"), SETTINGS)
    assert [d.target for d in result.report.documents] == [web.url("/leak.csv")]
    assert result.report.incident


def test_a_missing_start_page_is_one_sentence():
    with WebServer() as web:
        result = crawl(web.url("/nothing-here"), SETTINGS)
    assert result.report.error and "404" in result.report.error and "\n" not in result.report.error
    assert result.report.exit_code == 2


def test_only_http_addresses_are_crawled():
    result = crawl("file:///etc/passwd", SETTINGS)
    assert result.report.error_code == "refused"


def test_a_broken_link_is_noted_and_an_unreadable_document_keeps_the_gate_closed():
    with WebServer() as web:
        web.add("/", page("Home", ["/gone.csv", "/ok.csv", "/slow.csv"]), content_type="text/html")
        web.add("/ok.csv", harmless_csv(), content_type="text/csv")
        web.drip("/slow.csv", b"a,b\n1,2\n", interval=5.0)
        settings = ScanSettings(allow_hosts=("127.0.0.1",), fingerprint_key=KEY, timeout_seconds=1)
        result = crawl(web.url("/"), settings)
    report = result.report
    assert report.error is None
    assert any("1 linked addresses answered HTTP 404" in note for note in report.notes)
    assert sorted(d.target.rsplit("/", 1)[1] for d in report.documents) == ["", "ok.csv", "slow.csv"]
    assert report.exit_code == 2, "a document that could not be read may hide a leak"


def test_a_page_served_without_an_html_type_is_still_followed():
    with WebServer() as web:
        web.add("/", b"<!-- generated -->\n<html><body><a href='/section'>s</a></body></html>",
                content_type="application/octet-stream")
        web.add("/section", b"<!-- x -->\n<html><body><a href='/leak.csv'>l</a></body></html>",
                content_type="application/octet-stream")
        web.add("/leak.csv", ROSTER.csv(), content_type="text/csv")
        result = crawl(web.url("/"), SETTINGS)
    assert [r.path for r in web.requests] == ["/", "/section", "/leak.csv"]
    assert result.report.incident
