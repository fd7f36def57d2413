"""The safe fetcher: one URL in, one FetchResult out, bounded in where, how long and how much.

- Where: every hop's URL passes `netpolicy.check_url` (scheme, port, host), and at connect time a
  custom httpcore network backend resolves the name itself, checks *every* address, and connects
  to a checked address. TLS still uses the host name (SNI, certificate check) and the Host header
  is the URL's, so nothing is lost by connecting to the address, and DNS cannot change between
  the check and the connect.
- How long: `settings.timeout_seconds` (or a shorter caller deadline) is one wall-clock budget for
  the whole fetch; every socket operation is clamped to what is left of it, so a server that
  drips one byte a second is cut off at the budget, not after it.
- How much: the body is streamed and counted as it arrives; a Content-Length over the limit is
  refused before reading; compressed bodies are unpacked (inflate.py) a slice at a time under a
  byte and ratio bound, so a gzip bomb stops at once with flat memory.

Errors are bot.errors types with one sentence; 4xx/5xx statuses are returned, not raised.
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import os
import queue
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field

import httpcore
import httpx

from bot.config import ScanSettings
from bot.errors import FetchFailed, FetchRefused, LimitExceeded
from bot.scan.inflate import inflater_for, size_text
from bot.scan.limits import Deadline
from bot.scan.netpolicy import CheckedURL, IPAddress, check_address, check_url, is_allowed_host, parse_ip_host

USER_AGENT = "Leakwatch/0.1 (+personal-data exposure scanner)"
MAX_REDIRECTS = 5
REDIRECT_STATUSES = (301, 302, 303, 307, 308)


@dataclass
class FetchResult:
    url: str  # as asked
    final_url: str  # after redirects
    status: int  # final HTTP status (4xx/5xx are returned, not raised)
    content: bytes  # body, at most settings.max_bytes (b"" for HEAD/304)
    content_type: str | None
    last_modified: str | None
    etag: str | None
    redirects: list[str] = field(default_factory=list)  # each hop's URL
    elapsed: float = 0.0


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` names, in the order the system resolver gives them."""
    literal = parse_ip_host(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchFailed(
            f"Could not find {host}: the name does not resolve; check the spelling or whether the site still exists."
        ) from None
    addresses: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(sockaddr[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def _resolve_within(host: str, port: int, deadline: Deadline) -> list[IPAddress]:
    """`resolve`, but given up when the budget runs out (the system resolver has no timeout)."""
    if parse_ip_host(host) is not None:
        return resolve(host, port)
    answer: queue.Queue = queue.Queue(maxsize=1)

    def look_up() -> None:
        try:
            answer.put((resolve(host, port), None))
        except Exception as exc:  # handed over to the waiting thread
            answer.put((None, exc))

    threading.Thread(target=look_up, daemon=True, name=f"resolve {host}").start()
    try:
        addresses, error = answer.get(timeout=max(deadline.remaining(), 0.001))
    except queue.Empty:
        raise _OutOfTime() from None
    if error is not None:
        raise error
    return addresses


# --- time budget -----------------------------------------------------------------------------


def _timed_out(host: str, deadline: Deadline) -> FetchFailed:
    return FetchFailed(
        f"Fetching from {host} took longer than the {deadline.seconds:g}-second limit (SCAN_TIMEOUT_SECONDS), so it was stopped."
    )


class _OutOfTime(Exception):
    """Raised inside httpcore when the budget is spent; turned into FetchFailed by fetch()."""


def _clamp(timeout: float | None, deadline: Deadline) -> float:
    remaining = deadline.remaining()
    if remaining <= 0:
        raise _OutOfTime()
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read, write and handshake waits at most what is left of the budget."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline):
        self._inner = inner
        self._deadline = deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, self._deadline))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, self._deadline))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        # server_hostname is the URL's host name, not the address: certificates are checked for the name.
        tls = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, self._deadline))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str):
        return self._inner.get_extra_info(info)


# --- where we may connect --------------------------------------------------------------------


class _PolicyBackend(httpcore.NetworkBackend):
    """Resolves, checks every address, then connects to a checked address (never re-resolves)."""

    def __init__(self, exempt_hosts: tuple[str, ...], deadline: Deadline):
        self._exempt_hosts = exempt_hosts
        self._deadline = deadline
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = _resolve_within(host, port, self._deadline)
        exempt = is_allowed_host(host, self._exempt_hosts, port)
        for address in addresses:  # an allow-listed host still never reaches link-local or metadata
            check_address(host, address, exempt=exempt)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._sockets.connect_tcp(
                    str(address), port, _clamp(timeout, self._deadline), local_address, socket_options
                )
                return _DeadlineStream(stream, self._deadline)
            except httpcore.ConnectError as exc:
                failure = exc
        raise failure or httpcore.ConnectError(f"{host} has no address")

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise FetchRefused("Refused: the scanner does not connect to local sockets.")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.lru_cache(maxsize=4)
def _tls_context(cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    # loading the CA bundle takes tens of milliseconds: once per process, not once per fetch
    return httpx.create_ssl_context(trust_env=True)


def tls_context() -> ssl.SSLContext:
    """Certificates: certifi's roots, or SSL_CERT_FILE / SSL_CERT_DIR (a company CA) when set."""
    return _tls_context(os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))


class _PolicyTransport(httpx.HTTPTransport):
    def __init__(self, backend: _PolicyBackend):
        context = tls_context()
        super().__init__(verify=context, trust_env=False)  # never a proxy from the environment
        # httpx has no public switch for the network backend: give it a pool built on ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=context,
            network_backend=backend,
            max_connections=4,
        )


# --- body ------------------------------------------------------------------------------------


def _read_body(response: httpx.Response, host: str, max_bytes: int, deadline: Deadline) -> bytes:
    declared = response.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > max_bytes:
        raise LimitExceeded(
            f"{host} announced {size_text(int(declared))}, more than the {size_text(max_bytes)} limit (SCAN_MAX_BYTES), so it was not downloaded."
        )
    inflater = inflater_for(response.headers.get("content-encoding", ""), host, max_bytes)
    body = bytearray()
    received = 0
    for chunk in response.iter_raw():
        received += len(chunk)
        if received > max_bytes:
            raise LimitExceeded(
                f"{host} sent more than the {size_text(max_bytes)} limit (SCAN_MAX_BYTES), so the download was stopped."
            )
        for piece in inflater.feed(chunk) if inflater else (chunk,):
            body += piece
        if deadline.expired():
            raise _OutOfTime()
    if inflater:
        body += inflater.finish()
    return bytes(body)


# --- fetch -----------------------------------------------------------------------------------


def _same_origin(a: httpx.URL, b: httpx.URL) -> bool:
    return (a.scheme, a.raw_host, a.port) == (b.scheme, b.raw_host, b.port)


def _redirect_target(
    current: CheckedURL, location: str, settings: ScanSettings, trusted_host: str | None
) -> CheckedURL:
    """The next hop, checked by the same policy as the first one."""
    try:
        target: httpx.URL | str = current.url.join(location)
    except httpx.InvalidURL:
        target = location  # check_url says why it is not a web address
    return check_url(target, settings.allow_hosts, trusted_host=trusted_host)


def _request_headers(extra: dict[str, str] | None) -> dict[str, str]:
    headers = {"Accept": "*/*"}
    headers.update(extra or {})
    # fixed: an honest name, and no compression (so sizes are what they say)
    headers["User-Agent"] = USER_AGENT
    headers["Accept-Encoding"] = "identity"
    return headers


def _connect_failure(host: str, exc: Exception) -> FetchFailed:
    text = str(exc).lower()
    if "certificate" in text or "ssl" in text:
        why = "its HTTPS certificate could not be verified"
    elif "refused" in text:
        why = "the connection was refused"
    else:
        why = "the connection failed"
    return FetchFailed(f"Could not connect to {host}: {why}; check the address or try again later.")


def fetch(
    url: str,
    settings: ScanSettings,
    *,
    deadline: Deadline | None = None,
    headers: dict[str, str] | None = None,
    trusted: bool = False,
    method: str = "GET",
) -> FetchResult:
    """Fetch `url` under the scanner's network policy and limits (see the module docstring).

    `trusted=True` exempts the URL's own host from the address and port rules (Slack file
    downloads from the configured Slack API host); redirects elsewhere are checked as usual.
    Raises FetchRefused (policy), FetchFailed (DNS, connect, TLS, timeout), LimitExceeded (size).
    """
    method = method.upper()
    if method not in ("GET", "HEAD"):
        raise ValueError(f"fetch() only does GET and HEAD, not {method}")
    started = time.monotonic()
    budget = Deadline(settings.timeout_seconds)
    if deadline is not None and deadline.remaining() < budget.remaining():
        budget = deadline
    trusted_host = None
    if trusted:
        with contextlib.suppress(httpx.InvalidURL):  # if so, check_url below says why
            trusted_host = httpx.URL(url).raw_host.decode("ascii")
    current: CheckedURL = check_url(url, settings.allow_hosts, trusted_host=trusted_host)
    exempt_hosts = tuple(settings.allow_hosts) + ((trusted_host,) if trusted_host else ())
    backend = _PolicyBackend(exempt_hosts, budget)
    hop_headers = _request_headers(headers)
    redirects: list[str] = []
    redirected = False
    try:
        with httpx.Client(
            transport=_PolicyTransport(backend),
            trust_env=False,
            follow_redirects=False,
            timeout=settings.timeout_seconds,
        ) as client:
            while True:
                with client.stream(method, current.url, headers=hop_headers) as response:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        if len(redirects) >= MAX_REDIRECTS:
                            raise LimitExceeded(
                                f"{url[:120]} redirects more than {MAX_REDIRECTS} times, so it was not followed further."
                            )
                        redirected = True
                        target = _redirect_target(current, location, settings, trusted_host)
                        if not _same_origin(current.url, target.url):
                            # credentials meant for one site never go to another
                            hop_headers = {
                                k: v for k, v in hop_headers.items() if k.lower() != "authorization"
                            }
                        if response.status_code == 303 and method != "HEAD":
                            method = "GET"
                        redirects.append(str(target.url))
                        current = target
                        continue
                    nobody = method == "HEAD" or response.status_code in (204, 304)
                    content = (
                        b"" if nobody else _read_body(response, current.host, settings.max_bytes, budget)
                    )
                    return FetchResult(
                        url=url,
                        final_url=str(current.url),
                        status=response.status_code,
                        content=content,
                        content_type=response.headers.get("content-type"),
                        last_modified=response.headers.get("last-modified"),
                        etag=response.headers.get("etag"),
                        redirects=redirects,
                        elapsed=time.monotonic() - started,
                    )
    except FetchRefused as exc:
        if not redirected:
            raise
        raise FetchRefused(f"{str(exc).rstrip('.')} (the link redirected there).") from None
    except (_OutOfTime, httpx.TimeoutException):
        raise _timed_out(current.host, budget) from None
    except httpx.ConnectError as exc:
        raise _connect_failure(current.host, exc) from None
    except httpx.HTTPError:
        raise FetchFailed(
            f"The connection to {current.host} broke off or did not speak valid HTTP; try again later."
        ) from None
