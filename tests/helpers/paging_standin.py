"""Local stand-ins of PagerDuty's Events API v2 and Opsgenie's Alert API, on one real HTTP server.

    with PagingStandIn() as paging:
        paging.pagerduty_url            # http://127.0.0.1:PORT/v2/enqueue   (PAGERDUTY_EVENTS_URL)
        paging.opsgenie_url             # http://127.0.0.1:PORT              (OPSGENIE_API_URL)
        paging.routing_key / paging.api_key   # the only key each accepts (others: 400 / 401)
        paging.calls                    # every PagingCall (service, action, key, body, headers, status)
        paging.wait_for("pagerduty", "trigger", timeout=10)   # answered 202, any key
        paging.wait_for("pagerduty", "resolve", key="leakwatch-incident-2")   # only that incident's
        paging.alerts                   # {(service, key): "triggered" | "resolved"}
        paging.priorities               # {(service, key): the last severity/priority set}
        paging.fail_next("pagerduty", status=503, times=2)   # then answer normally
        paging.fail_next("opsgenie", status=429, times=1, retry_after="0")
        paging.clear_failures()                              # answer normally from now on

Answers are shaped as the real services answer: PagerDuty 202 `{"status": "success", "message":
"Event processed", "dedup_key": ...}`, 400 `{"status": "invalid event", ...}` for a bad routing key
or event; Opsgenie 202 `{"result": "Request will be processed", "took": 0.1, "requestId": ...}`,
401 for a wrong GenieKey, 422 for a message-less alert or a priority that is not P1..P5. Opsgenie's
"Update Alert Priority" (PUT /v2/alerts/{alias}/priority?identifierType=alias) is recorded as
action "update"; a PagerDuty trigger for a key already triggered is an update of that alert.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

ROUTING_KEY = "R0standinroutingkey000000000000"
API_KEY = "00000000-0000-4000-8000-standin00000"
_CLOSE = re.compile(r"^/v2/alerts/([^/?]+)/close$")
_PRIORITY = re.compile(r"^/v2/alerts/([^/?]+)/priority$")


@dataclass
class PagingCall:
    service: str        # "pagerduty" | "opsgenie"
    action: str         # "trigger" | "resolve" | "?"
    key: str | None     # dedup_key / alias
    body: dict
    headers: dict
    path: str
    status: int = 202
    at: float = field(default_factory=time.monotonic)


class PagingStandIn:
    def __init__(self):
        self.routing_key, self.api_key = ROUTING_KEY, API_KEY
        self._calls: list[PagingCall] = []
        self.alerts: dict[tuple[str, str], str] = {}
        self.priorities: dict[tuple[str, str], str] = {}
        self._failures: dict[str, list[tuple[int, str | None]]] = {"pagerduty": [], "opsgenie": []}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- life ------------------------------------------------------------------------------------

    def start(self) -> PagingStandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_PUT(self):
                self.do_POST(method="PUT")

            def do_POST(self, method="POST"):
                length = min(int(self.headers.get("Content-Length") or 0), 1_000_000)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                status, payload, headers = standin._answer(self.path, raw, {k.lower(): v for k, v in self.headers.items()},
                                                          method)
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> PagingStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def pagerduty_url(self) -> str:
        return self.base_url + "/v2/enqueue"

    @property
    def opsgenie_url(self) -> str:
        return self.base_url

    def env(self) -> dict[str, str]:
        """The bot's settings that page through this stand-in (both services)."""
        return {"PAGERDUTY_ROUTING_KEY": self.routing_key, "PAGERDUTY_EVENTS_URL": self.pagerduty_url,
                "OPSGENIE_API_KEY": self.api_key, "OPSGENIE_API_URL": self.opsgenie_url}

    # -- control and inspection -----------------------------------------------------------------------

    @property
    def calls(self) -> list[PagingCall]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, service: str, action: str | None = None) -> list[PagingCall]:
        return [c for c in self.calls if c.service == service and (action is None or c.action == action)]

    def fail_next(self, service: str, *, status: int = 503, times: int = 1, retry_after: str | None = None) -> None:
        with self._lock:
            self._failures[service].extend([(status, retry_after)] * times)

    def clear_failures(self) -> None:
        with self._lock:
            for queue in self._failures.values():
                queue.clear()

    def wait_for(self, service: str, action: str, *, status: int = 202, count: int = 1, key: str | None = None,
                 timeout: float = 15.0) -> list[PagingCall]:
        """The calls of `service` `action` answered `status` (and for alert `key`, when given), once
        there are `count` of them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [c for c in self.calls_to(service, action) if c.status == status and (key is None or c.key == key)]
            if len(found) >= count:
                return found
            time.sleep(0.05)
        seen = [(c.service, c.action, c.status) for c in self.calls]
        raise AssertionError(f"no {count} x {service} {action} ({status}{f', {key}' if key else ''}) within "
                             f"{timeout}s; seen {seen}")

    # -- the two APIs ---------------------------------------------------------------------------------

    def _answer(self, path: str, raw: str, headers: dict, method: str = "POST") -> tuple[int, dict, dict]:
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        route = urlsplit(path).path
        if method == "PUT":
            if not _PRIORITY.match(route) or "identifierType=alias" not in path:
                return 404, {"message": "not found"}, {}
            service, action, key = "opsgenie", "update", unquote(_PRIORITY.match(route).group(1))
        elif route == "/v2/enqueue":
            service, action, key = "pagerduty", body.get("event_action", "?"), body.get("dedup_key")
        elif route == "/v2/alerts":
            service, action, key = "opsgenie", "trigger", body.get("alias")
        elif _CLOSE.match(route):
            service, action, key = "opsgenie", "resolve", unquote(_CLOSE.match(route).group(1))
        else:
            return 404, {"message": "not found"}, {}
        with self._lock:
            failure = self._failures[service].pop(0) if self._failures[service] else None
        status, payload, extra = (self._pagerduty(body, action, key) if service == "pagerduty"
                                  else self._opsgenie(body, action, key, headers))
        if failure is not None:
            status, payload = failure[0], {"message": "stand-in failure"}
            extra = {"Retry-After": failure[1]} if failure[1] is not None else {}
        elif status == 202:
            with self._lock:
                if action != "update":
                    self.alerts[(service, key)] = "triggered" if action == "trigger" else "resolved"
                if action in ("trigger", "update"):
                    self.priorities[(service, key)] = (body.get("payload") or {}).get("severity") or body.get("priority")
        with self._lock:
            self._calls.append(PagingCall(service, action, key, body, headers, path, status))
        return status, payload, extra

    def _pagerduty(self, body: dict, action: str, key: str | None) -> tuple[int, dict, dict]:
        if body.get("routing_key") != self.routing_key:
            return 400, {"status": "invalid event", "message": "Event object is invalid",
                         "errors": ["Invalid routing key"]}, {}
        if action not in ("trigger", "acknowledge", "resolve") or (action != "trigger" and not key):
            return 400, {"status": "invalid event", "message": "Event object is invalid"}, {}
        if action == "trigger":
            payload = body.get("payload") or {}
            if not payload.get("summary") or not payload.get("source") or \
                    payload.get("severity") not in ("critical", "error", "warning", "info"):
                return 400, {"status": "invalid event", "message": "Event object is invalid"}, {}
            key = key or uuid.uuid4().hex
        return 202, {"status": "success", "message": "Event processed", "dedup_key": key}, {}

    def _opsgenie(self, body: dict, action: str, key: str | None, headers: dict) -> tuple[int, dict, dict]:
        if headers.get("authorization") != f"GenieKey {self.api_key}":
            return 401, {"message": "Could not authenticate", "took": 0.0, "requestId": uuid.uuid4().hex}, {}
        if action == "trigger" and (not body.get("message") or len(body["message"]) > 130):
            return 422, {"message": "Request body is not processable", "took": 0.0}, {}
        if action == "update" and body.get("priority") not in ("P1", "P2", "P3", "P4", "P5"):
            return 422, {"message": "Request body is not processable", "took": 0.0}, {}
        return 202, {"result": "Request will be processed", "took": 0.1, "requestId": uuid.uuid4().hex}, {}
