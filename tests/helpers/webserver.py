"""A real HTTP server on 127.0.0.1 for tests: ephemeral port, one thread per request.

Use it as a context manager, or as the `web_server` pytest fixture (tests/conftest.py loads this
module as a plugin, so any test can ask for `web_server`):

    from tests.helpers.webserver import WebServer, Reply

    with WebServer() as web:
        web.add("/data.csv", b"a,b\\n1,2\\n", content_type="text/csv",
                etag='"v1"', last_modified="Wed, 21 Oct 2026 07:28:00 GMT")
        web.url("/data.csv")              # "http://127.0.0.1:PORT/data.csv"
        web.remove("/data.csv")           # takedown: now 404 ...
        web.gone("/data.csv")             # ... or 410
        web.add("/new.csv", b"...")       # add or replace a file while running
        web.redirect("/old", "/data.csv", status=302)   # path, or a full URL anywhere
        web.add("/fake.png", b"a,b\\n", content_type="image/png")   # a lying Content-Type
        web.add("/dynamic", handler=lambda request: Reply(200, body=b"..."))
        web.drip("/slow", b"abc", interval=1.0)         # one byte per interval
        web.huge("/big", size=10_000_000, content_length=False)   # streamed, never held in memory
        web.gzip_bomb("/bomb", unpacked_size=200_000_000)         # Content-Encoding: gzip

        web.requests                      # every request so far: Request(method, path, headers)
        web.requests_for("/data.csv")     # only those for one path (query string ignored)
        web.clear_requests()

Files added with `etag=` or `last_modified=` answer conditional requests (If-None-Match,
If-Modified-Since) with 304 and no body, so a test can see a document was not re-downloaded:
`[r.status for r in web.requests_for(path)] == [200, 304]`.

A body may be bytes (sent with Content-Length, keep-alive) or a function returning an iterable
of byte chunks (streamed without Content-Length, connection closed at the end). Streaming
bodies should wait with `web.stopping.wait(seconds)` rather than `time.sleep`, so they end
when the server stops. `WebServer(host="::1")` serves on IPv6 loopback instead, and
`WebServer(tls=(cert_file, key_file))` serves https.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

Body = bytes | Callable[[], Iterable[bytes]]


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Body = b""
    #: sent as Content-Length for a streamed body (to lie, or to announce a huge one)
    content_length: int | None = None


@dataclass
class Request:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # lower-case names
    #: status the server answered with (None while the reply is still being sent)
    status: int | None = None

    @property
    def conditional(self) -> dict[str, str]:
        """The conditional headers the client sent (if-none-match, if-modified-since)."""
        return {k: v for k, v in self.headers.items() if k in ("if-none-match", "if-modified-since")}


@dataclass
class _Route:
    reply: Reply | None = None
    handler: Callable[[Request], Reply] | None = None
    etag: str | None = None
    last_modified: str | None = None


@lru_cache(maxsize=4)
def gzip_bomb_bytes(unpacked_size: int) -> bytes:
    """`unpacked_size` zero bytes, gzipped (about 1000 to 1); built once per size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = []
    left = unpacked_size
    while left > 0:
        parts.append(packer.compress(block[: min(left, len(block))]))
        left -= len(block)
    parts.append(packer.flush())
    return b"".join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format, *args):  # keep test output clean
        pass

    def handle(self):
        # a client that hangs up between requests (a fetcher that stopped early) is not an error
        with contextlib.suppress(ConnectionError):
            super().handle()

    def do_GET(self):
        self._answer()

    def do_HEAD(self):
        self._answer(head=True)

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        self._answer()

    def _answer(self, head: bool = False) -> None:
        web = self.server.web
        record = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
        web._log(record)
        reply = web._reply_for(record)
        record.status = reply.status
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        body = reply.body
        if isinstance(body, bytes):
            self.send_header(
                "Content-Length", str(len(body) if reply.content_length is None else reply.content_length)
            )
            self.end_headers()
            if not head and reply.status not in (204, 304):
                self._write(body)
            return
        if reply.content_length is not None:
            self.send_header("Content-Length", str(reply.content_length))
        self.send_header("Connection", "close")
        self.close_connection = True
        self.end_headers()
        if head:
            return
        for chunk in body():
            if not self._write(chunk) or web.stopping.is_set():
                return

    def _write(self, data: bytes) -> bool:
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
            return False  # the client hung up (it hit a limit): not an error


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    web: WebServer


class _Server6(_Server):
    address_family = socket.AF_INET6


class WebServer:
    def __init__(self, host: str = "127.0.0.1", *, tls: tuple[str, str] | None = None):
        self.host = host
        self.tls = tls  # (certificate file, key file): serve https
        self.stopping = threading.Event()
        self._routes: dict[str, _Route] = {}
        self._requests: list[Request] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._port = 0

    # --- lifecycle ---

    def start(self) -> WebServer:
        server_class = _Server6 if ":" in self.host else _Server
        self._server = server_class((self.host, 0), _Handler)
        self._server.web = self
        self._port = self._server.server_address[1]
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> WebServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._port, "the server was never started"
        return self._port

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # --- routes ---

    def add(
        self,
        path: str,
        body: Body = b"",
        *,
        status: int = 200,
        content_type: str | None = "application/octet-stream",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        content_length: int | None = None,
        handler: Callable[[Request], Reply] | None = None,
    ) -> str:
        """Serve `body` (or whatever `handler` returns) at `path`; returns the full URL."""
        all_headers = {"Content-Type": content_type} if content_type else {}
        if etag:
            all_headers["ETag"] = etag
        if last_modified:
            all_headers["Last-Modified"] = last_modified
        all_headers.update(headers or {})
        route = _Route(Reply(status, all_headers, body, content_length), handler, etag, last_modified)
        with self._lock:
            self._routes[path] = route
        return self.url(path)

    def remove(self, path: str) -> None:
        """Take a file down: the path answers 404 from now on."""
        with self._lock:
            self._routes.pop(path, None)

    def gone(self, path: str) -> None:
        """Take a file down with 410 Gone."""
        self.add(path, b"gone", status=410, content_type="text/plain")

    def redirect(self, path: str, target: str, status: int = 302) -> str:
        return self.add(path, b"", status=status, content_type=None, headers={"Location": target})

    def drip(self, path: str, data: bytes, interval: float = 1.0, content_type: str = "text/plain") -> str:
        """Send `data` one byte every `interval` seconds (a slow-drip server)."""

        def chunks():
            for i in range(len(data)):
                yield data[i : i + 1]
                if self.stopping.wait(interval):
                    return

        return self.add(path, chunks, content_type=content_type)

    def huge(
        self, path: str, size: int, *, content_length: bool = True, content_type: str = "text/plain"
    ) -> str:
        """`size` bytes of text, generated as sent; with or without a Content-Length header."""

        def chunks():
            block = b"x" * 65535 + b"\n"
            left = size
            while left > 0:
                yield block[: min(left, len(block))]
                left -= len(block)

        return self.add(
            path, chunks, content_type=content_type, content_length=size if content_length else None
        )

    def gzip_bomb(self, path: str, unpacked_size: int = 200_000_000) -> str:
        """A small gzip body that unpacks to `unpacked_size` zero bytes, sent as Content-Encoding: gzip."""
        packed = gzip_bomb_bytes(unpacked_size)
        return self.add(path, packed, content_type="text/csv", headers={"Content-Encoding": "gzip"})

    # --- request log ---

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[Request]:
        return [r for r in self.requests if urlsplit(r.path).path == path]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    def _log(self, request: Request) -> None:
        with self._lock:
            self._requests.append(request)

    def _reply_for(self, request: Request) -> Reply:
        with self._lock:
            route = self._routes.get(urlsplit(request.path).path)
        if route is None:
            return Reply(404, {"Content-Type": "text/plain"}, b"not found")
        if route.handler:
            return route.handler(request)
        assert route.reply is not None
        if route.reply.status == 200 and _not_modified(route, request):
            headers = {k: v for k, v in route.reply.headers.items() if k in ("ETag", "Last-Modified")}
            return Reply(304, headers, b"")
        return route.reply


def _not_modified(route: _Route, request: Request) -> bool:
    sent_etag = request.headers.get("if-none-match")
    if sent_etag is not None:
        return route.etag is not None and route.etag in [t.strip() for t in sent_etag.split(",")]
    sent_date = request.headers.get("if-modified-since")
    return sent_date is not None and route.last_modified is not None and sent_date == route.last_modified


@pytest.fixture
def web_server():
    """A running WebServer on 127.0.0.1, stopped after the test."""
    with WebServer() as server:
        yield server
