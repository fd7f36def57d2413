"""The Slack Web API stand-in: a real threaded HTTP server on 127.0.0.1 that records every call.

The local workspace (`python -m bot` with no Slack settings) runs the bot against it; tests
point the bot at it with `SLACK_API_URL=standin.api_url`. It keeps a little state (channels,
members, messages, pins, files, users, user groups) so answers behave like Slack's:
`name_taken` for a taken channel name, `already_in_channel`, `already_pinned`, `cant_invite_self`,
`message_not_found` for an unknown ts, and so on.

    standin = SlackStandIn().start()            # or: with SlackStandIn() as standin:
    standin.api_url                             # "http://127.0.0.1:PORT/api/"
    standin.bot_token                           # the only token it accepts (Bearer or token=)

    # what the bot did
    standin.calls                               # every Call so far (a copy), in order
    standin.calls_to("chat.postMessage")        # only that method
    standin.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == "C1", timeout=10)
                                                # polls until a matching call exists; returns it
                                                # (AssertionError listing recorded methods on timeout)
    standin.recorded_text()                     # every recorded path, header and body as one string
                                                # (for "no raw value anywhere" checks)
    standin.clear()                             # forget recorded calls (state stays)

    # answers for slash commands / shortcuts: response_url POSTs are recorded as "response_url"
    url = standin.response_url()                # a fresh http://127.0.0.1:PORT/response/<id>
    standin.wait_for("response_url", where=lambda c: c.path.endswith(url.rsplit("/", 1)[1]))

    # make the next calls of a method fail
    standin.fail_next("conversations.create", "name_taken", times=1)
    standin.rate_limit_next("chat.postMessage", times=1, retry_after=1)   # HTTP 429 + Retry-After
    standin.rate_limit_next("chat.postMessage", where=lambda p: p.get("channel") == "D1")
                                                # only calls whose params match (other work the
                                                # bot does meanwhile is not disturbed)
    standin.expire_next_responses(times=1)      # response_url answers 404 "expired_url" (Slack's
                                                # answer after 30 minutes or 5 uses)

    # state for the bot to find
    info = standin.add_file(b"bytes", "people.csv", channel="C1", ts="1700000000.000100")
                                                # files.info answers with `info`; the bytes are
                                                # served at info["url_private_download"] to the
                                                # bot token only (403 otherwise)
    standin.add_channel("inc-pii-x", members=["U1"]) -> channel id
    standin.set_usergroup("S1", ["U1", "U2"]); standin.add_user("U1", real_name="...", tz="Europe/Berlin")
    standin.channels / standin.messages / standin.pins    # the state, for assertions
    SocketModeStandIn().start().attach(standin)  # apps.connections.open answers its ws:// URL

The Slack methods and the state live in `bot/workspace/slack_methods.py`.

    # files the bot uploads (files.getUploadURLExternal -> POST the bytes -> completeUploadExternal)
    standin.files[file_id]["shares"]; standin.file_content(file_id)

Call fields: method ("chat.postMessage", "response_url", "file_download", "file_upload"), params (query + form
or JSON body, decoded; Block Kit stays a list when sent as JSON), body (raw text), headers (lower
case names), path, status (HTTP status returned), at (time.monotonic()).
"""

from __future__ import annotations

import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from bot.workspace.slack_methods import BOT_TOKEN, BOT_USER_ID, TEAM_ID, SlackMethods

__all__ = ["BOT_TOKEN", "BOT_USER_ID", "TEAM_ID", "Call", "SlackStandIn"]


@dataclass
class Call:
    method: str
    params: dict
    body: str
    headers: dict
    path: str
    status: int = 200
    at: float = field(default_factory=time.monotonic)


class SlackStandIn(SlackMethods):
    def __init__(self, bot_token: str = BOT_TOKEN):
        self.bot_token = bot_token
        self.bot_user_id = BOT_USER_ID
        self._lock = threading.RLock()
        self._calls: list[Call] = []
        #: method -> scripted answers, each (where-predicate or None, answer)
        self._failures: dict[str, list[tuple]] = {}
        self._rate_limits: dict[str, list[tuple]] = {}
        self._expired_responses = 0
        self._ids = itertools.count(1)
        self._init_state()
        #: a SocketModeStandIn attaches itself here: apps.connections.open then accepts its app
        #: token and answers with its ws:// URL (otherwise the app token is refused: invalid_auth)
        self.socket_mode = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                standin._handle(self)

            def do_POST(self):
                standin._handle(self)

            def log_message(self, format, *args):  # quiet: tests read recorded calls instead
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="slack-standin", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server, "start() the stand-in first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    # --- recorded calls ------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        with self._lock:
            self._calls.clear()

    def wait_for(self, method: str, where=None, timeout: float = 10.0, count: int = 1):
        """The first matching call (or the first `count` as a list when count > 1), polling to a deadline."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if where is None or where(c)]
            if len(found) >= count:
                return found[0] if count == 1 else found[:count]
            if time.monotonic() >= deadline:
                methods = [c.method for c in self.calls]
                raise AssertionError(f"no {count} x {method} within {timeout}s; recorded methods: {methods}")
            time.sleep(0.02)

    def recorded_text(self) -> str:
        return "\n".join(f"{c.path}\n{json.dumps(c.headers)}\n{c.body}" for c in self.calls)

    # --- scripted answers ----------------------------------------------------------------------

    def fail_next(self, method: str, error: str, times: int = 1, where=None, **extra) -> None:
        """The next `times` calls of `method` (whose params match `where`, if given) fail with `error`."""
        with self._lock:
            self._failures.setdefault(method, []).extend([(where, (error, extra))] * times)

    def rate_limit_next(self, method: str, times: int = 1, retry_after: int = 1, where=None) -> None:
        """The next `times` calls of `method` (matching `where(params)`) get HTTP 429 + Retry-After."""
        with self._lock:
            self._rate_limits.setdefault(method, []).extend([(where, retry_after)] * times)

    @staticmethod
    def _take(scripted: list[tuple] | None, params: dict):
        """Pop and return the first scripted answer that applies to these params, else None."""
        for index, (where, answer) in enumerate(scripted or []):
            if where is None or where(params):
                del scripted[index]
                return answer
        return None

    def expire_next_responses(self, times: int = 1) -> None:
        with self._lock:
            self._expired_responses += times

    def response_url(self) -> str:
        return f"{self.base_url}/response/{uuid.uuid4().hex}"

    # --- HTTP --------------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        sent = request.rfile.read(length) if length else b""
        raw = sent.decode("utf-8", "replace")
        headers = {k.lower(): v for k, v in request.headers.items()}
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if raw:
            if "json" in headers.get("content-type", ""):
                try:
                    body = json.loads(raw)
                    params.update(body if isinstance(body, dict) else {"_json": body})
                except ValueError:
                    pass
            else:
                params.update(dict(parse_qsl(raw, keep_blank_values=True)))
        path = parts.path
        if path.startswith("/api/"):
            method = path[len("/api/"):]
            status, payload, extra_headers = self._api(method, params, headers)
            self._record(Call(method, params, raw, headers, request.path, status))
            self._send(request, status, json.dumps(payload).encode(), "application/json", extra_headers)
        elif path.startswith("/response/"):
            with self._lock:
                expired = self._expired_responses > 0
                self._expired_responses -= 1 if expired else 0
            status = 404 if expired else 200
            self._record(Call("response_url", params, raw, headers, request.path, status))
            self._send(request, status, b"expired_url" if expired else b'{"ok": true}',
                       "text/plain" if expired else "application/json")
        elif path.startswith("/upload/"):
            status = self.receive_upload(path.split("/")[2], sent)  # the bytes as sent: a PNG stays a PNG
            self._record(Call("file_upload", {"file": path.split("/")[2]}, raw, headers, request.path, status))
            self._send(request, status, f"OK - {len(raw)}".encode(), "text/plain")
        elif path.startswith("/files/"):
            status, content = self._download(path, headers)
            self._record(Call("file_download", {"file": path.split("/")[2]}, "", headers, request.path, status))
            self._send(request, status, content, "application/octet-stream")
        else:
            self._record(Call("unknown_path", params, raw, headers, request.path, 404))
            self._send(request, 404, b"not found", "text/plain")

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    @staticmethod
    def _send(request, status: int, body: bytes, content_type: str, extra_headers: dict | None = None) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in (extra_headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(body)

    def _download(self, path: str, headers: dict) -> tuple[int, bytes]:
        file_id = path.split("/")[2]
        if headers.get("authorization") != f"Bearer {self.bot_token}":
            return 403, b"forbidden"
        with self._lock:
            content = self._file_bytes.get(file_id)
        return (404, b"not found") if content is None else (200, content)

    def _api(self, method: str, params: dict, headers: dict) -> tuple[int, dict, dict]:
        with self._lock:
            retry_after = self._take(self._rate_limits.get(method), params)
            if retry_after is not None:
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(retry_after)}
            token = headers.get("authorization", "").removeprefix("Bearer ") or params.get("token", "")
            if not token:
                return 200, {"ok": False, "error": "not_authed"}, {}
            app_token = getattr(self.socket_mode, "app_token", None)
            if token != self.bot_token and not (method == "apps.connections.open" and token == app_token):
                return 200, {"ok": False, "error": "invalid_auth"}, {}
            failure = self._take(self._failures.get(method), params)
            if failure is not None:
                error, extra = failure
                return 200, {"ok": False, "error": error, **extra}, {}
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                return 200, {"ok": False, "error": "unknown_method"}, {}
            return 200, handler(params), {}
