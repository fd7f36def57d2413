"""commands/scan_requests.py on both stores: a left request is taken once (two PostgreSQL replicas
resuming at once: one takes it), only once older than the lease, and answered with one sentence
instead of scanned again after MAX_TRIES; a live `--crawl` that waited on the worker pool is not
taken by another replica (its lease counts from its start and outlasts the crawl's budget)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from bot.incidents.clocks import to_iso, utcnow
from bot.scan.crawl import CrawlLimits
from bot.scan.report import Report
from bot.store import Store
from commands import scan, scan_requests


def services(store):
    return SimpleNamespace(store=store, settings=None)


@pytest.fixture(params=["tinydb", "postgresql"])
def two(request, tmp_path):
    """Two processes' views of one store: the same TinyDB store twice, or two PostgreSQL pools."""
    if request.param == "tinydb":
        store = Store(tmp_path / "bot.json")
        yield services(store), services(store)
    else:
        first, second = request.getfixturevalue("postgres_replicas")
        yield services(first), services(second)


def test_a_left_request_is_taken_once_then_given_up(two):
    one, other = two
    number = scan_requests.remember(one, "https://example.gov/roster.csv", False, user="U1", channel="C1",
                                    response_url="http://127.0.0.1:9/response/1")
    runs, said = [], []

    def run(*args):
        runs.append(args)

    def give_up(sentence, user, channel):
        said.append((sentence, user, channel))

    # a fresh request may be a live replica's scan: left alone under the lease
    settings = SimpleNamespace(scan=SimpleNamespace(timeout_seconds=30.0))
    assert scan_requests.resume(one, run, give_up, lease=scan_requests.lease(settings)) == 0
    taken = scan_requests.resume(one, run, give_up, lease=timedelta(0)) + \
        scan_requests.resume(other, run, give_up, lease=timedelta(seconds=30))  # just taken: not again
    assert taken == 1 and len(runs) == 1 and runs[0][0] == number
    assert {k: runs[0][1][k] for k in ("url", "crawl", "user", "channel", "response_url")} == {
        "url": "https://example.gov/roster.csv", "crawl": False, "user": "U1", "channel": "C1",
        "response_url": "http://127.0.0.1:9/response/1"}
    # another kind's resumer leaves it alone
    assert scan_requests.resume(one, run, give_up, lease=timedelta(0), kind="open") == 0
    for _ in range(scan_requests.MAX_TRIES - 2):
        scan_requests.resume(other, run, give_up, lease=timedelta(0))
    assert len(runs) == scan_requests.MAX_TRIES - 1 and not said
    scan_requests.resume(one, run, give_up, lease=timedelta(0))
    assert len(runs) == scan_requests.MAX_TRIES - 1
    assert said and said[0][1:] == ("U1", "C1") and "`/scan https://example.gov/roster.csv`" in said[0][0]
    assert one.store.table(scan_requests.TABLE).all() == []


def test_an_answered_request_is_forgotten(two):
    one, _ = two
    number = scan_requests.remember(one, "https://example.gov/a.csv", True, user="U1", channel="C1", response_url=None)
    scan_requests.forget(one, number)
    assert scan_requests.resume(one, lambda *a: pytest.fail("scanned again"), lambda *a: None, lease=timedelta(0)) == 0


def test_a_live_crawl_that_queued_is_not_taken_by_another_replica(two, monkeypatch):
    """A `/scan --crawl` kept, then queued 4 minutes on a busy worker pool, then crawling for its
    whole budget: the other replica's checks leave it alone until the crawl is over."""
    one, other = two
    settings = SimpleNamespace(scan=SimpleNamespace(timeout_seconds=30.0))
    one.settings = settings
    number = scan_requests.remember(one, "https://example.gov/", True, user="U1", channel="C1", response_url=None)
    queued = utcnow() - timedelta(minutes=4)
    one.store.table(scan_requests.TABLE).update(number, {"at": to_iso(queued)})
    seen = []

    def crawling(services, url, crawl, progress=None):
        # the crawl runs: the other replica checks now, and again as the crawl's budget ends
        began = utcnow()
        for now in (began, began + timedelta(seconds=CrawlLimits.total_seconds + settings.scan.timeout_seconds)):
            with monkeypatch.context() as clock:
                clock.setattr(scan_requests, "utcnow", lambda now=now: now)
                seen.append(scan_requests.resume(other, lambda *a: pytest.fail("a live crawl was taken"),
                                                 lambda *a: None, lease=scan_requests.lease(settings)))
        return Report(target=url)

    monkeypatch.setattr(scan, "_scan", crawling)
    monkeypatch.setattr(scan, "deliver_report", lambda *a, **k: None)
    scan.scan_url_job(one, "https://example.gov/", crawl=True, user="U1", channel="C1", respond=None,
                      request_id=number)
    assert seen == [0, 0]
    assert one.store.table(scan_requests.TABLE).all() == []  # answered and forgotten
