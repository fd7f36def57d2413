"""The safe fetcher against a real HTTP server on 127.0.0.1.

Every test guards `socket.create_connection` (tests/scan/fetch_guard.py): a connect to anything but
127.0.0.1 / ::1 fails the test. The address rules are in test_fetch_addresses.py.
"""

import gzip
import time
import tracemalloc
import zlib

import pytest

from bot.config import ScanSettings
from bot.errors import FetchFailed, FetchRefused, LimitExceeded
from bot.scan.fetch import USER_AGENT, fetch
from bot.scan.limits import Deadline
from tests.helpers.webserver import Reply, WebServer
from tests.scan.fetch_guard import CSV, LOCAL

pytestmark = pytest.mark.usefixtures("connects")  # tests/scan/conftest.py

# --- success -------------------------------------------------------------------------------


def test_fetch_keeps_body_and_validators(web_server):
    url = web_server.add(
        "/people.csv",
        CSV,
        content_type="text/csv",
        etag='"v1"',
        last_modified="Wed, 21 Oct 2026 07:28:00 GMT",
    )
    result = fetch(url, LOCAL)
    assert (result.status, result.content, result.url, result.final_url) == (200, CSV, url, url)
    assert result.content_type == "text/csv"
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 21 Oct 2026 07:28:00 GMT"
    assert result.redirects == [] and result.elapsed > 0
    sent = web_server.requests_for("/people.csv")[0].headers
    assert sent["user-agent"] == USER_AGENT
    assert sent["accept-encoding"] == "identity"


def test_conditional_request_gets_304_without_body(web_server):
    url = web_server.add("/people.csv", CSV, etag='"v1"')
    result = fetch(url, LOCAL, headers={"If-None-Match": '"v1"'})
    assert (result.status, result.content) == (304, b"")
    assert web_server.requests_for("/people.csv")[0].conditional == {"if-none-match": '"v1"'}


@pytest.mark.parametrize("status", [404, 410, 500])
def test_error_statuses_are_returned_not_raised(web_server, status):
    url = web_server.add("/gone.csv", b"missing", status=status)
    assert fetch(url, LOCAL).status == status


def test_takedown_shows_as_404(web_server):
    url = web_server.add("/people.csv", CSV)
    assert fetch(url, LOCAL).status == 200
    web_server.remove("/people.csv")
    assert fetch(url, LOCAL).status == 404


def test_head_returns_no_body(web_server):
    url = web_server.add("/people.csv", CSV, etag='"v2"')
    result = fetch(url, LOCAL, method="HEAD")
    assert (result.status, result.content, result.etag) == (200, b"", '"v2"')
    assert [r.method for r in web_server.requests] == ["HEAD"]


def test_lying_content_type_is_still_fetched_as_bytes(web_server):
    url = web_server.add("/photo.png", CSV, content_type="image/png")
    result = fetch(url, LOCAL)
    assert result.content == CSV and result.content_type == "image/png"


def test_proxies_in_the_environment_are_ignored(web_server, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9/")  # nothing listens there
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert fetch(web_server.add("/a.csv", CSV), LOCAL).content == CSV


# --- redirects -----------------------------------------------------------------------------


def _chain(web, hops: int) -> str:
    for i in range(hops):
        web.redirect(
            f"/r{i}", f"/r{i + 1}" if i + 1 < hops else "/final.csv", status=(301, 302, 307, 308)[i % 4]
        )
    web.add("/final.csv", CSV)
    return web.url("/r0")


def test_redirect_chain_is_followed(web_server):
    result = fetch(_chain(web_server, 3), LOCAL)
    assert result.content == CSV
    assert result.final_url == web_server.url("/final.csv")
    assert result.redirects == [web_server.url("/r1"), web_server.url("/r2"), web_server.url("/final.csv")]


def test_five_redirects_are_allowed(web_server):
    assert fetch(_chain(web_server, 5), LOCAL).status == 200


def test_six_redirects_are_refused(web_server):
    with pytest.raises(LimitExceeded, match="more than 5 times"):
        fetch(_chain(web_server, 6), LOCAL)
    assert not web_server.requests_for("/final.csv")


@pytest.mark.parametrize(
    "target",
    ["http://localhost:{port}/a.csv", "http://[::1]:{port}/a.csv", "http://10.0.0.1/", "http://[fd00::1]/",
     "http://169.254.169.254/latest/meta-data/", "http://0x7f.2:{port}/", "file:///etc/passwd",
     "http://example.com:6379/"],
)  # fmt: skip
def test_redirect_to_a_refused_place_is_refused(web_server, connects, target):
    web_server.add("/a.csv", CSV)
    url = web_server.redirect("/moved", target.format(port=web_server.port))
    with pytest.raises(FetchRefused, match="redirected") as caught:
        fetch(url, LOCAL)
    assert str(caught.value).startswith("Refused:")
    assert [r.path for r in web_server.requests] == ["/moved"]
    assert {address[0] for address in connects} == {"127.0.0.1"}


def test_broken_redirect_location_fails_plainly(web_server):
    url = web_server.redirect("/moved", "http://[::1")
    with pytest.raises(FetchFailed, match="did not speak valid HTTP"):
        fetch(url, LOCAL)


def test_credentials_are_not_sent_to_another_origin(web_server):
    with WebServer() as other:
        other.add("/file", CSV)
        web_server.redirect("/same", "/elsewhere")
        web_server.redirect("/elsewhere", other.url("/file"))
        result = fetch(web_server.url("/same"), LOCAL, headers={"Authorization": "Bearer xoxb-test"})
        assert result.content == CSV
        assert web_server.requests_for("/elsewhere")[0].headers.get("authorization") == "Bearer xoxb-test"
        assert "authorization" not in other.requests_for("/file")[0].headers


def test_303_turns_into_get(web_server):
    web_server.redirect("/form", "/result", status=303)
    web_server.add("/result", CSV)
    assert fetch(web_server.url("/form"), LOCAL).content == CSV


# --- time ----------------------------------------------------------------------------------


def test_slow_drip_body_is_stopped_at_the_total_budget(web_server):
    # 100 bytes at one per 0.2 s would take 20 s; every single read is quick, only the total is not
    url = web_server.drip("/drip.csv", b"x" * 100, interval=0.2)
    settings = ScanSettings(allow_hosts=("127.0.0.1",), timeout_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="1-second limit"):
        fetch(url, settings)
    assert time.monotonic() - started < 4, "the drip was not cut off near the budget"


def test_server_that_never_answers_is_stopped(web_server):
    def stall(request):
        web_server.stopping.wait(30)
        return Reply(200, body=b"late")

    url = web_server.add("/stall", handler=stall)
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="SCAN_TIMEOUT_SECONDS"):
        fetch(url, ScanSettings(allow_hosts=("127.0.0.1",), timeout_seconds=0.5))
    assert time.monotonic() - started < 4


@pytest.mark.parametrize("route", ["drip", "stall"])
def test_a_shorter_caller_deadline_wins(web_server, route):
    # with a 30 s setting, only the caller's 0.5 s deadline can stop a server that never answers
    web_server.drip("/drip", b"x" * 100, interval=0.2)
    web_server.add("/stall", handler=lambda request: web_server.stopping.wait(30) and Reply(200))
    started = time.monotonic()
    with pytest.raises(FetchFailed, match="0.5-second limit"):
        fetch(
            web_server.url(f"/{route}"),
            ScanSettings(allow_hosts=("127.0.0.1",), timeout_seconds=30),
            deadline=Deadline(0.5),
        )
    assert time.monotonic() - started < 4


# --- size ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content_length", [True, False])
def test_oversized_body_is_stopped(web_server, content_length):
    url = web_server.huge("/big.csv", size=5_000_000, content_length=content_length)
    with pytest.raises(LimitExceeded, match="SCAN_MAX_BYTES"):
        fetch(url, LOCAL)


def test_body_exactly_at_the_limit_is_fine(web_server):
    url = web_server.huge("/edge.csv", size=LOCAL.max_bytes, content_length=False)
    assert len(fetch(url, LOCAL).content) == LOCAL.max_bytes


@pytest.mark.parametrize("max_bytes", [1_000_000, 50_000_000])
def test_gzip_bomb_is_stopped_with_flat_memory(web_server, max_bytes):
    url = web_server.gzip_bomb("/bomb.csv", unpacked_size=200_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as caught:
            fetch(url, ScanSettings(allow_hosts=("127.0.0.1",), max_bytes=max_bytes))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12_000_000, f"peak Python memory {peak:,} bytes while unpacking a bomb"
    # with a high byte limit it is the ratio bound that stops it
    assert ("bomb" in str(caught.value)) == (max_bytes > 2_000_000)


@pytest.mark.parametrize(
    ("encoding", "pack"),
    [("gzip", gzip.compress), ("deflate", zlib.compress), ("deflate", lambda b: zlib.compress(b, wbits=-15))],
)
def test_compressed_body_sent_anyway_is_unpacked(web_server, encoding, pack):
    url = web_server.add("/z.csv", pack(CSV * 50), headers={"Content-Encoding": encoding})
    assert fetch(url, LOCAL).content == CSV * 50


def test_unknown_compression_is_not_unpacked(web_server):
    url = web_server.add("/z.csv", b"\x0b\x01\x80abc\x03", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchFailed, match="does not unpack"):
        fetch(url, LOCAL)


def test_corrupt_gzip_fails_plainly(web_server):
    url = web_server.add("/z.csv", b"\x1f\x8b\x08\x00garbage-not-gzip", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchFailed, match="corrupt"):
        fetch(url, LOCAL)
