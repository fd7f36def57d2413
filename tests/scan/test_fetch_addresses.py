"""The safe fetcher's address rules against a real HTTP server on 127.0.0.1: places refused before
any connect, names resolving to private addresses, every resolved address checked and the socket
sent to the checked one, trusted hosts (Slack's file downloads), and TLS checked for the name.

Every test guards `socket.create_connection` (tests/scan/fetch_guard.py).
"""

import shutil
import socket
import subprocess
import threading
import time

import pytest

from bot.config import ScanSettings
from bot.errors import FetchFailed, FetchRefused, LimitExceeded
from bot.scan import fetch as fetch_module
from bot.scan.fetch import fetch
from tests.helpers.webserver import WebServer
from tests.scan.fetch_guard import CSV, LOCAL, STRICT

pytestmark = pytest.mark.usefixtures("connects")  # tests/scan/conftest.py

# --- refusals before any connect ------------------------------------------------------------

REFUSED_WITHOUT_ALLOW_LIST = [
    "http://127.0.0.1:{port}/a.csv", "http://2130706433:{port}/a.csv", "http://0x7f.1:{port}/a.csv",
    "http://127.1:{port}/a.csv", "http://0177.0.0.1:{port}/a.csv", "http://localhost:{port}/a.csv",
    "http://0.0.0.0:{port}/a.csv", "http://[::1]:{port}/a.csv", "http://[::ffff:127.0.0.1]:{port}/a.csv",
    "http://127.0.0.1/a.csv", "http://169.254.169.254/latest/meta-data/", "http://100.100.100.200/",
    "http://[fd00::1]/", "http://[64:ff9b::7f00:1]/", "http://[2002:7f00:1::1]/", "http://[fd00:ec2::254]/",
    "http://metadata.google.internal/computeMetadata/v1/", "http://93.184.215.14:6379/",
    "file:///etc/passwd", "gopher://127.0.0.1:6379/_FLUSHALL",
]  # fmt: skip


@pytest.mark.parametrize("url", REFUSED_WITHOUT_ALLOW_LIST)
def test_refused_without_allow_list(web_server, connects, url):
    web_server.add("/a.csv", CSV)
    with pytest.raises(FetchRefused) as caught:
        fetch(url.format(port=web_server.port), STRICT)
    message = str(caught.value)
    assert message.startswith("Refused:") and "\n" not in message
    assert connects == [] and web_server.requests == []


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch, connects):
    monkeypatch.setattr(
        fetch_module, "resolve", lambda host, port: [fetch_module.ipaddress.ip_address("10.0.0.5")]
    )
    with pytest.raises(FetchRefused) as caught:
        fetch("http://files.example.test/people.csv", STRICT)
    assert str(caught.value) == (
        "Refused: files.example.test resolves to 10.0.0.5, a private address; "
        "add the host to SCAN_ALLOW_HOSTS if it is an internal staging site."
    )
    assert connects == []


def test_every_resolved_address_is_checked(monkeypatch, connects):
    answers = ["93.184.215.14", "127.0.0.1"]  # a public answer first does not hide the loopback one
    monkeypatch.setattr(
        fetch_module, "resolve", lambda host, port: [fetch_module.ipaddress.ip_address(a) for a in answers]
    )
    with pytest.raises(FetchRefused, match="127.0.0.1, a loopback address"):
        fetch("http://mixed.example.test/", STRICT)
    assert connects == []


def test_connects_to_the_checked_address_and_keeps_the_host_name(web_server, monkeypatch, connects):
    # an allow-listed staging name that resolves to this machine: resolved once, by us, and the
    # socket is opened to that address, while the Host header still names the site
    lookups = []

    def resolve(host, port):
        lookups.append(host)
        return [fetch_module.ipaddress.ip_address("127.0.0.1")]

    monkeypatch.setattr(fetch_module, "resolve", resolve)
    web_server.add("/a.csv", CSV)
    settings = ScanSettings(allow_hosts=("staging.example.test",))
    result = fetch(f"http://staging.example.test:{web_server.port}/a.csv", settings)
    assert result.content == CSV
    assert lookups == ["staging.example.test"]
    assert connects == [("127.0.0.1", web_server.port)]
    assert web_server.requests[0].headers["host"] == f"staging.example.test:{web_server.port}"


def test_unresolvable_name_fails_plainly(monkeypatch):
    def no_such_name(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with pytest.raises(FetchFailed, match="does not resolve"):
        fetch("https://no-such-site.example.test/", STRICT)


def test_slow_name_lookup_counts_against_the_budget(monkeypatch):
    release = threading.Event()

    def stuck_dns(*args, **kwargs):
        release.wait(10)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", stuck_dns)
    started = time.monotonic()
    try:
        with pytest.raises(FetchFailed, match="0.5-second limit"):
            fetch("https://slow-dns.example.test/", ScanSettings(timeout_seconds=0.5))
        assert time.monotonic() - started < 4
    finally:
        release.set()


def test_connection_refused_fails_plainly():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again before the fetch: nothing listens
    with pytest.raises(FetchFailed, match="Could not connect to 127.0.0.1"):
        fetch(f"http://127.0.0.1:{port}/", LOCAL)


# --- trusted (Slack file downloads) ----------------------------------------------------------


def test_trusted_skips_the_address_rules_for_that_host_only(web_server):
    url = web_server.add("/files/export.csv", CSV)
    assert fetch(url, STRICT, trusted=True, headers={"Authorization": "Bearer xoxb-test"}).content == CSV
    web_server.redirect("/files/moved", f"http://localhost:{web_server.port}/files/export.csv")
    with pytest.raises(FetchRefused):
        fetch(web_server.url("/files/moved"), STRICT, trusted=True)


def test_trusted_keeps_size_and_scheme_limits(web_server):
    url = web_server.huge("/files/big.csv", size=5_000_000, content_length=False)
    with pytest.raises(LimitExceeded):
        fetch(url, STRICT, trusted=True)
    with pytest.raises(FetchRefused):
        fetch("file:///etc/passwd", STRICT, trusted=True)


# --- TLS: certificate checked for the name, while the socket goes to the checked address ---------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-days", "2", "-subj", "/CN=staging.example.test", "-addext", "subjectAltName=DNS:staging.example.test",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return str(cert), str(key)


@pytest.mark.parametrize(("name", "ok"), [("staging.example.test", True), ("other.example.test", False)])
def test_https_checks_the_certificate_for_the_host_name(certificate, monkeypatch, connects, name, ok):
    monkeypatch.setenv("SSL_CERT_FILE", certificate[0])
    monkeypatch.setattr(
        fetch_module, "resolve", lambda host, port: [fetch_module.ipaddress.ip_address("127.0.0.1")]
    )
    with WebServer(tls=certificate) as web:
        web.add("/a.csv", CSV)
        url = f"https://{name}:{web.port}/a.csv"
        settings = ScanSettings(allow_hosts=(name,), timeout_seconds=5)
        if ok:
            assert fetch(url, settings).content == CSV
        else:
            with pytest.raises(FetchFailed, match="certificate could not be verified"):
                fetch(url, settings)
    assert connects == [("127.0.0.1", web.port)]
