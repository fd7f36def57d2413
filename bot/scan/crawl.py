"""Same-site crawl: a page, the documents it links to, and the pages one level down.

Level 0 is the start page. Level 1 is everything it links to on the same site (same scheme,
host and port): documents, pages, and links of unknown type, which are fetched and sniffed.
Level 2 is only the *documents* (by extension) that level-1 pages link to; pages found there are
not followed. Every fetched resource is scanned with the normal pipeline (isolated) and lands in
`report.documents`; the combined report is their merge.

robots.txt is deliberately NOT obeyed. It asks polite crawlers to stay away; it hides nothing.
A path it disallows is still served to anyone who asks, so a leak there is still a leak.

Bounds: a document count, a total byte count, an overall time budget (each fetch also keeps the
per-document SCAN_TIMEOUT_SECONDS), and at most `per_host` requests in flight per host. The
User-Agent is the safe fetcher's, which names the bot.

For watches, `previous` carries what was seen last time per URL (ETag, Last-Modified, content
hash, and a page's links): requests are conditional, and a 304 or an identical body is not
scanned again.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.config import ScanSettings
from bot.errors import FetchFailed, FetchRefused, LeakwatchError
from bot.scan.limits import Deadline
from bot.scan.links import extract_links, file_name, link_kind, normalize_url, same_site_links, site_of
from bot.scan.report import Report


@dataclass(frozen=True)
class CrawlLimits:
    #: resources fetched besides the start page
    max_documents: int = 50
    max_total_bytes: int = 200_000_000
    total_seconds: float = 300.0
    #: requests in flight to one host at a time
    per_host: int = 2
    max_links_per_page: int = 5000


@dataclass
class Seen:
    """What a crawl remembers of one URL for the next conditional fetch (no content, no values)."""

    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    #: a page's same-site links, so a 304 page still leads to its documents
    links: list[str] | None = None

    def to_dict(self) -> dict:
        return {"etag": self.etag, "last_modified": self.last_modified, "sha256": self.sha256,
                "links": self.links}

    @classmethod
    def from_dict(cls, data: dict) -> Seen:
        return cls(data.get("etag"), data.get("last_modified"), data.get("sha256"), data.get("links"))


@dataclass
class CrawlResult:
    #: the merge of every document scanned this time (per-document reports in `.documents`)
    report: Report
    #: URL -> Seen.to_dict(), to pass back as `previous` next time
    memory: dict[str, dict] = field(default_factory=dict)
    scanned: list[str] = field(default_factory=list)
    #: answered 304, or the same bytes as last time: not scanned again
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: links found but left out (over a cap or out of time)
    skipped: int = 0


@dataclass
class _Visit:
    url: str
    report: Report | None = None
    final_url: str | None = None
    links: list[str] = field(default_factory=list)
    is_page: bool = False
    unchanged: bool = False
    failed: bool = False
    #: the status of a page or document that answered with an HTTP error
    http_status: int | None = None
    skipped_reason: str | None = None


Fetcher = Callable[..., object]
Scanner = Callable[..., Report]


class _Crawl:
    def __init__(self, settings: ScanSettings, limits: CrawlLimits, previous: dict[str, dict],
                 fetcher: Fetcher, scanner: Scanner):
        self.settings = settings
        self.limits = limits
        self.previous = {url: Seen.from_dict(seen) for url, seen in previous.items()}
        self.memory: dict[str, dict] = {}
        self.fetcher = fetcher
        self.scanner = scanner
        self.deadline = Deadline(limits.total_seconds)
        self.lock = threading.Lock()
        self.host_slots: dict[str, threading.Semaphore] = {}
        self.bytes_total = 0

    def _slot(self, url: str) -> threading.Semaphore:
        host = urlsplit(url).netloc
        with self.lock:
            return self.host_slots.setdefault(host, threading.Semaphore(self.limits.per_host))

    def visit(self, url: str) -> _Visit:
        if self.deadline.expired():
            return _Visit(url, skipped_reason="time")
        with self.lock:
            if self.bytes_total >= self.limits.max_total_bytes:
                return _Visit(url, skipped_reason="bytes")
        seen = self.previous.get(url)
        headers = {}
        if seen and seen.etag:
            headers["If-None-Match"] = seen.etag
        if seen and seen.last_modified:
            headers["If-Modified-Since"] = seen.last_modified
        # each fetch keeps the per-document budget, cut short by what is left of the crawl's
        budget = max(0.1, min(self.settings.timeout_seconds, self.deadline.remaining()))
        try:
            with self._slot(url):
                fetched = self.fetcher(url, self.settings, deadline=Deadline(budget), headers=headers or None)
        except LeakwatchError as err:
            return _Visit(url, report=_error_report(url, err), failed=True)
        if fetched.status == 304 and seen is not None:
            self.memory[url] = seen.to_dict()
            return _Visit(url, links=seen.links or [], is_page=seen.links is not None, unchanged=True)
        if fetched.status >= 400 or fetched.status == 304:
            err = FetchFailed(f"The server answered HTTP {fetched.status} for this address.", code="http_status")
            return _Visit(url, report=_error_report(url, err), failed=True, http_status=fetched.status)
        content = fetched.content
        with self.lock:
            self.bytes_total += len(content)
        digest = hashlib.sha256(content).hexdigest()
        is_page = _looks_like_html(content, fetched.content_type)
        links = extract_links(content, fetched.final_url or url, limit=self.limits.max_links_per_page) if is_page else []
        self.memory[url] = Seen(fetched.etag, fetched.last_modified, digest, links if is_page else None).to_dict()
        if seen is not None and seen.sha256 == digest:
            return _Visit(url, final_url=fetched.final_url, links=links, is_page=is_page, unchanged=True)
        try:
            report = self.scanner(content, target=url, settings=self.settings, name=file_name(url), source=fetched)
        except LeakwatchError as err:
            report = _error_report(url, err)
        if report.content_sha256 is None:
            report.content_sha256 = digest
        if not is_page and report.kind == "html":
            # the sniffer knows better than the first bytes and the Content-Type
            is_page = True
            links = extract_links(content, fetched.final_url or url, limit=self.limits.max_links_per_page)
            self.memory[url]["links"] = links
        return _Visit(url, report=report, final_url=fetched.final_url, links=links, is_page=is_page)

    def visit_all(self, urls: list[str]) -> list[_Visit]:
        if not urls:
            return []
        # one more worker than fetch slots, so a scan in progress does not idle the network
        with ThreadPoolExecutor(max_workers=self.limits.per_host + 1, thread_name_prefix="crawl") as pool:
            return list(pool.map(self.visit, urls))


def _error_report(url: str, err: LeakwatchError) -> Report:
    return Report(target=url, error=str(err), error_code=err.code)


def _looks_like_html(content: bytes, content_type: str | None) -> bool:
    head = content[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    if content_type and "html" in content_type.lower():
        return not head.startswith((b"%pdf", b"pk\x03\x04", b"{", b"["))
    return False


def _pick(links: list[str], seen: set[str], room: int, *, documents_only: bool) -> tuple[list[str], int]:
    """Links not yet visited, assets left out, at most `room`; returns (picked, left out)."""
    picked: list[str] = []
    left_out = 0
    for link in links:
        if link in seen:
            continue
        kind = link_kind(link)
        if kind == "asset" or (documents_only and kind != "document"):
            continue
        seen.add(link)
        if len(picked) < room:
            picked.append(link)
        else:
            left_out += 1
    return picked, left_out


def crawl(start_url: str, settings: ScanSettings, *, limits: CrawlLimits | None = None,
          previous: dict[str, dict] | None = None, fetcher: Fetcher | None = None,
          scanner: Scanner | None = None) -> CrawlResult:
    """Crawl `start_url` and its same-site documents; never raises for a bad link or page."""
    limits = limits or CrawlLimits()
    if fetcher is None:
        from bot.scan.fetch import fetch as fetcher
    if scanner is None:
        # fetched bytes are untrusted: parsed in the bounded child process
        from bot.scan.pipeline import scan_content as scanner
    from bot.scan.report import merge_reports

    started = time.monotonic()
    start = normalize_url(start_url)
    if start is None:
        err = FetchRefused("Only http:// and https:// addresses can be crawled.")
        return CrawlResult(report=_error_report(start_url, err))
    state = _Crawl(settings, limits, previous or {}, fetcher, scanner)
    first = state.visit(start)
    visits = [first]
    skipped = 0
    if not first.failed:
        # the site is where the start page really lives, and where it was asked for
        sites = {site_of(start)}
        if first.final_url and site_of(first.final_url):
            sites.add(site_of(first.final_url))
        visited = {start}
        level1, left = _pick(same_site_links(first.links, sites), visited, limits.max_documents, documents_only=False)
        skipped += left
        level1_visits = state.visit_all(level1)
        visits += level1_visits
        room = limits.max_documents - len(level1)
        level2_links = [link for v in level1_visits if v.is_page for link in same_site_links(v.links, sites)]
        level2, left = _pick(level2_links, visited, max(room, 0), documents_only=True)
        skipped += left
        visits += state.visit_all(level2)
    return _result(start_url, visits, state, limits, skipped, time.monotonic() - started, merge_reports)


def _result(target: str, visits: list[_Visit], state: _Crawl, limits: CrawlLimits, skipped: int,
            seconds: float, merge_reports: Callable[..., Report]) -> CrawlResult:
    first = visits[0]
    # a link that answers 404 is a broken link, not a document that might hide a leak: noted only
    broken = [v for v in visits[1:] if v.http_status is not None]
    reports = [v.report for v in visits if v.report is not None and (v is first or v.http_status is None)]
    if first.failed and first.report is not None:
        # the start page itself could not be read: the whole crawl failed, say why
        combined = first.report
        combined.target = target
        combined.documents = []
    else:
        combined = merge_reports(target, reports, state.settings.threshold, kind="crawl")
        # documents that could not be read are in `notes` and keep the exit status at 2; the
        # crawl as a whole did read its page
        combined.error = combined.error_code = None
        if broken:
            statuses = sorted({str(v.http_status) for v in broken})
            combined.notes.append(f"{len(broken)} linked addresses answered HTTP {'/'.join(statuses)} (broken links).")
    out_of_time = sum(1 for v in visits if v.skipped_reason == "time")
    over_bytes = sum(1 for v in visits if v.skipped_reason == "bytes")
    left_out = (
        (skipped, f"a crawl scans at most {limits.max_documents} documents"),
        (out_of_time, f"the crawl used its {limits.total_seconds:g}-second budget"),
        (over_bytes, f"the crawl read its {limits.max_total_bytes:,}-byte budget"),
    )
    for count, reason in left_out:
        if count:
            combined.notes.append(f"{count} linked documents were not scanned: {reason}.")
            combined.skipped.append({"where": f"{count} linked documents", "reason": reason})
    unchanged = [v.url for v in visits if v.unchanged]
    failed = [v.url for v in visits if v.failed]
    combined.stats = {**combined.stats, "documents_scanned": sum(1 for r in reports if not r.error),
                      "documents_unchanged": len(unchanged),
                      "documents_failed": len(failed), "crawl_bytes": state.bytes_total, "crawl_seconds": round(seconds, 3)}
    return CrawlResult(
        report=combined, memory=state.memory,
        scanned=[v.url for v in visits if v.report is not None and not v.failed],
        unchanged=unchanged, failed=failed,
        skipped=skipped + out_of_time + over_bytes,
    )
