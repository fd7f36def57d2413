"""The workspace page's server side: a WSGI app beside the bot's `/slack/events` on one port.

    GET  /                         the page (static/index.html; app.css, blockkit.js, app.js)
    GET  /api/state?since=N        everything the page shows, as JSON; waits up to LONG_POLL_SECONDS
                                   for a change after version N (long polling: edits show at once)
    GET  /api/files/<id>/<name>    a file in a message (yours, or a report the bot shared), to download
    POST /api/command  {"channel", "text"}     "/scan …" goes to the bot as a signed slash command
                                               (its immediate answer is shown to the person only);
                                               other text is the person's message in that channel
    POST /api/action   {"channel", "ts", "block_id", "action_id", "value"?, "selected"?: [values]}
                                               a button or checkboxes: a signed block_actions payload
    POST /api/upload?channel=D…&name=…  (body: the file)   a file sent in a direct message
    POST /api/home     {}                      the Home tab opened: an app_home_opened event

Requests are accepted only for this machine's own address (a Host header of 127.0.0.1 or
localhost on this port: no DNS rebinding) and, for POST, only with a JSON body or the
`X-Leakwatch-Workspace` header and a same-origin Origin, which a page on another site cannot send
without a preflight this app never answers. Bodies are bounded; a bad request is one sentence.
"""

from __future__ import annotations

import json
import logging
import time
from http import HTTPStatus
from importlib import resources
from urllib.parse import parse_qs

from bot.workspace.live import LiveStandIn
from bot.workspace.relay import BotRelay
from bot.workspace.sample_site import SampleSite

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 15.0
MAX_JSON_BYTES = 64_000
MAX_TEXT_CHARS = 4_000
STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/static/app.css": ("app.css", "text/css; charset=utf-8"),
          "/static/blockkit.js": ("blockkit.js", "text/javascript; charset=utf-8"),
          "/static/app.js": ("app.js", "text/javascript; charset=utf-8")}
SECURITY_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]


class BadRequest(Exception):
    def __init__(self, status: int, sentence: str):
        super().__init__(sentence)
        self.status = status


def _static_files() -> dict[str, bytes]:
    folder = resources.files("bot.workspace") / "static"
    return {name: (folder / name).read_bytes() for name, _ in STATIC.values()}


class WorkspacePage:
    def __init__(self, live: LiveStandIn, relay: BotRelay, site: SampleSite, *, port: int, max_upload: int):
        self.live, self.relay, self.site = live, relay, site
        self.port = port
        self.max_upload = max_upload
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.files = _static_files()

    # --- WSGI ----------------------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        try:
            if environ.get("HTTP_HOST", "") not in self.hosts:
                raise BadRequest(421, "This workspace answers only at its own address on this machine.")
            if path in STATIC and method in ("GET", "HEAD"):
                name, kind = STATIC[path]
                return self._send(start_response, 200, self.files[name], kind)
            if path == "/api/state" and method == "GET":
                return self._json(start_response, 200, self.state(environ))
            if path.startswith("/api/files/") and method == "GET":
                return self.download(path, start_response)
            if path.startswith("/api/") and method == "POST":
                self._check_origin(environ)
                handler = {"/api/command": self.command, "/api/action": self.action,
                           "/api/upload": self.upload, "/api/home": self.home}.get(path)
                if handler is not None:
                    return self._json(start_response, 200, handler(environ))
            raise BadRequest(404 if method in ("GET", "HEAD", "POST") else 405, "There is nothing here.")
        except BadRequest as err:
            return self._json(start_response, err.status, {"ok": False, "error": str(err)})
        except Exception as err:  # noqa: BLE001 - the page gets one sentence, the log the type
            log.warning("workspace request %s failed: %s", path, type(err).__name__)
            return self._json(start_response, 500, {"ok": False, "error": "Something went wrong; try again."})

    def _check_origin(self, environ) -> None:
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin.removeprefix("http://") not in self.hosts:
            raise BadRequest(403, "Requests from other sites are refused.")
        if "application/json" not in environ.get("CONTENT_TYPE", "") and not environ.get("HTTP_X_LEAKWATCH_WORKSPACE"):
            raise BadRequest(415, "Send JSON.")

    @staticmethod
    def _send(start_response, status: int, body: bytes, kind: str):
        start_response(f"{status} {HTTPStatus(status).phrase}",
                       [("Content-Type", kind), ("Content-Length", str(len(body))), *SECURITY_HEADERS])
        return [body]

    def _json(self, start_response, status: int, payload: dict):
        return self._send(start_response, status, json.dumps(payload).encode(), "application/json")

    @staticmethod
    def _body(environ, limit: int) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            raise BadRequest(413, f"That is too large (at most {limit // 1_000_000 or 1} MB here).")
        return environ["wsgi.input"].read(length) if length else b""

    def _json_body(self, environ) -> dict:
        try:
            body = json.loads(self._body(environ, MAX_JSON_BYTES) or b"{}")
        except ValueError:
            raise BadRequest(400, "That was not JSON.") from None
        if not isinstance(body, dict):
            raise BadRequest(400, "Send a JSON object.")
        return body

    def _channel(self, value) -> str:
        channel = str(value or "")
        with self.live._lock:
            if channel not in self.live.channels:
                raise BadRequest(404, "There is no such channel.")
        return channel

    # --- the API ---------------------------------------------------------------------------------

    def state(self, environ) -> dict:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            since = int((query.get("since") or ["-1"])[0])
        except ValueError:
            since = -1
        if since == self.live.version:
            self.live.wait_for_change(since, LONG_POLL_SECONDS)
        return {**self.live.snapshot(), "sample": self.site.status()}

    def download(self, path: str, start_response):
        found = self.live.file_for_page(path.split("/")[3] if path.count("/") >= 3 else "")
        if found is None:
            raise BadRequest(404, "There is no such file.")
        info, content = found
        name = "".join(c for c in str(info.get("name") or "file") if c.isalnum() or c in "._-")[:120] or "file"
        start_response("200 OK", [("Content-Type", "application/octet-stream"), ("Content-Length", str(len(content))),
                                  ("Content-Disposition", f'attachment; filename="{name}"'), *SECURITY_HEADERS])
        return [content]

    def command(self, environ) -> dict:
        body = self._json_body(environ)
        channel = self._channel(body.get("channel"))
        text = str(body.get("text") or "").strip()[:MAX_TEXT_CHARS]
        if not text:
            raise BadRequest(400, "Type a message or a slash command first.")
        me = self.live.me
        if not text.startswith("/"):
            # escaped as Slack's own clients send a person's text: &, < and > are never markup
            typed = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            reply = self.relay.message(user=me, channel=channel, text=typed)
            return {"ok": reply.status == 200}
        command, _, rest = text.partition(" ")
        reply = self.relay.slash(command.lower(), rest.strip(), user=me, channel=channel)
        if reply.status == 404 or (reply.status == 0 and not reply.text):
            self.live.add_ephemeral(channel, me, f"`{command[:40]}` is not a command here. Try `/scan`, "
                                                 "`/incident`, `/watch` or `/checklist`.", sender="workspace")
        elif reply.text or reply.blocks:
            self.live.add_ephemeral(channel, me, reply.text, reply.blocks)
        elif reply.status != 200:
            self.live.add_ephemeral(channel, me, f"The bot answered {reply.status}; look at its log.", sender="workspace")
        return {"ok": reply.status == 200}

    def action(self, environ) -> dict:
        body = self._json_body(environ)
        channel = self._channel(body.get("channel"))
        selected = body.get("selected")
        reply = self.relay.block_action(
            user=self.live.me, channel=channel, message_ts=str(body.get("ts") or ""),
            block_id=str(body.get("block_id") or ""), action_id=str(body.get("action_id") or ""),
            value=str(body.get("value") or ""),
            selected=[str(v) for v in selected] if isinstance(selected, list) else None)
        if reply.status != 200:
            self.live.add_ephemeral(channel, self.live.me, reply.text or f"The bot answered {reply.status}.",
                                    sender="workspace")
        return {"ok": reply.status == 200}

    def home(self, environ) -> dict:
        """The person opened the Home tab: Slack's app_home_opened; the bot publishes the view."""
        self._json_body(environ)
        dm = "D" + self.live.me.lstrip("UW")
        reply = self.relay.event({"type": "app_home_opened", "user": self.live.me, "channel": dm, "tab": "home",
                                  "event_ts": f"{time.time():.6f}"})
        return {"ok": reply.status == 200}

    def upload(self, environ) -> dict:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        channel = self._channel((query.get("channel") or [""])[0])
        name = ((query.get("name") or ["file"])[0].replace("/", "_").replace("\\", "_").strip() or "file")[:200]
        content = self._body(environ, self.max_upload)
        if not content:
            raise BadRequest(400, "That file is empty.")
        reply = self.relay.file_upload(user=self.live.me, channel=channel, name=name, content=content,
                                       mimetype=str(environ.get("CONTENT_TYPE") or "")[:100])
        return {"ok": reply.status == 200}
