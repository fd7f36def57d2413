"""A Slack Web API stand-in: a real threaded HTTP server on 127.0.0.1 that records every call.

Point the bot at it with `SLACK_API_URL=standin.api_url`. It keeps a little state (channels,
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

Call fields: method ("chat.postMessage", "response_url", "file_download"), params (query + form
or JSON body, decoded; Block Kit stays a list when sent as JSON), body (raw text), headers (lower
case names), path, status (HTTP status returned), at (time.monotonic()).
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

BOT_TOKEN = "xoxb-standin-bot-token"
BOT_USER_ID = "UBOTSTANDIN"
TEAM_ID = "T0STANDIN"
_CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


@dataclass
class Call:
    method: str
    params: dict
    body: str
    headers: dict
    path: str
    status: int = 200
    at: float = field(default_factory=time.monotonic)


class SlackStandIn:
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
        self.channels: dict[str, dict] = {}
        self.messages: dict[tuple[str, str], dict] = {}
        self.pins: set[tuple[str, str]] = set()
        self.files: dict[str, dict] = {}
        self._file_bytes: dict[str, bytes] = {}
        self.users: dict[str, dict] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.bookmarks: list[dict] = []
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

    # --- state ---------------------------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def add_channel(self, name: str, members: list[str] = (), private: bool = False,
                    channel_id: str | None = None) -> str:
        with self._lock:
            channel_id = channel_id or self._next_id("C")
            self.channels[channel_id] = {"id": channel_id, "name": name, "is_private": private,
                                         "members": {self.bot_user_id, *members}, "topic": ""}
            return channel_id

    def add_user(self, user_id: str, **profile) -> None:
        with self._lock:
            self.users[user_id] = {"id": user_id, "name": user_id.lower(), "real_name": f"User {user_id}",
                                   "tz": "UTC", "tz_offset": 0, **profile}

    def set_usergroup(self, group: str, users: list[str]) -> None:
        with self._lock:
            self.usergroups[group] = list(users)

    def add_file(self, content: bytes, name: str, *, file_id: str | None = None, mimetype: str = "",
                 filetype: str = "", channel: str | None = None, ts: str | None = None,
                 user: str = "U0UPLOADER", private: bool = False) -> dict:
        with self._lock:
            file_id = file_id or self._next_id("F")
            shares = {}
            if channel:
                shares["private" if private else "public"] = {channel: [{"ts": ts or self._next_ts()}]}
            info = {
                "id": file_id, "name": name, "title": name, "mimetype": mimetype, "filetype": filetype,
                "size": len(content), "user": user, "is_external": False,
                "url_private": f"{self.base_url}/files/{file_id}/{name}",
                "url_private_download": f"{self.base_url}/files/{file_id}/download/{name}",
                "shares": shares,
            }
            self.files[file_id] = info
            self._file_bytes[file_id] = content
            return info

    # --- HTTP --------------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode("utf-8", "replace") if length else ""
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

    # --- methods (called under the lock) -----------------------------------------------------------

    @staticmethod
    def _err(error: str, **extra) -> dict:
        return {"ok": False, "error": error, **extra}

    def _m_apps_connections_open(self, p):
        # only with the app token of an attached Socket Mode stand-in (tests/helpers/socket_standin.py)
        if self.socket_mode is None:
            return self._err("invalid_auth")
        return {"ok": True, "url": self.socket_mode.new_url()}

    def _m_auth_test(self, p):
        return {"ok": True, "url": "https://standin.slack.com/", "team": "Stand-in", "user": "leakwatch",
                "team_id": TEAM_ID, "user_id": self.bot_user_id, "bot_id": "BSTANDIN"}

    def _m_chat_postMessage(self, p):
        channel = p.get("channel")
        if not channel:
            return self._err("channel_not_found")
        ts = self._next_ts()
        message = {"channel": channel, "ts": ts, "text": p.get("text", ""), "blocks": p.get("blocks"),
                   "thread_ts": p.get("thread_ts")}
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": message["text"], "ts": ts}}

    def _m_chat_update(self, p):
        key = (p.get("channel"), p.get("ts"))
        if key not in self.messages:
            return self._err("message_not_found")
        self.messages[key].update({"text": p.get("text", ""), "blocks": p.get("blocks")})
        return {"ok": True, "channel": key[0], "ts": key[1], "text": p.get("text", "")}

    def _m_chat_postEphemeral(self, p):
        if not p.get("channel") or not p.get("user"):
            return self._err("channel_not_found" if not p.get("channel") else "user_not_in_channel")
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_chat_delete(self, p):
        key = (p.get("channel"), p.get("ts"))
        if self.messages.pop(key, None) is None:
            return self._err("message_not_found")
        return {"ok": True, "channel": key[0], "ts": key[1]}

    def _m_conversations_create(self, p):
        name = str(p.get("name", ""))
        if len(name) > 80:
            return self._err("invalid_name_maxlength")
        if not _CHANNEL_NAME.match(name):
            return self._err("invalid_name_specials")
        if any(c["name"] == name for c in self.channels.values()):
            return self._err("name_taken")
        private = p.get("is_private") in (True, "true", "1", "True")
        channel_id = self.add_channel(name, private=private)
        return {"ok": True, "channel": self._channel_view(channel_id)}

    def _channel_view(self, channel_id: str) -> dict:
        c = self.channels[channel_id]
        return {"id": c["id"], "name": c["name"], "is_private": c["is_private"], "is_channel": True,
                "topic": {"value": c["topic"]}, "num_members": len(c["members"])}

    def _m_conversations_invite(self, p):
        channel = self.channels.get(p.get("channel"))
        if channel is None:
            return self._err("channel_not_found")
        users = [u for u in str(p.get("users", "")).split(",") if u]
        if not users:
            return self._err("no_user")
        errors = []
        for user in users:
            if user == self.bot_user_id:
                errors.append({"user": user, "ok": False, "error": "cant_invite_self"})
            elif user in channel["members"]:
                errors.append({"user": user, "ok": False, "error": "already_in_channel"})
        if errors:  # like Slack without force=true: nobody is added when one fails
            return self._err(errors[0]["error"], errors=errors)
        channel["members"].update(users)
        return {"ok": True, "channel": self._channel_view(channel["id"])}

    def _m_conversations_setTopic(self, p):
        channel = self.channels.get(p.get("channel"))
        if channel is None:
            return self._err("channel_not_found")
        topic = str(p.get("topic", ""))
        if len(topic) > 250:
            return self._err("too_long")
        channel["topic"] = topic
        return {"ok": True, "channel": self._channel_view(channel["id"])}

    def _m_conversations_info(self, p):
        if p.get("channel") not in self.channels:
            return self._err("channel_not_found")
        return {"ok": True, "channel": self._channel_view(p["channel"])}

    def _m_conversations_open(self, p):
        users = str(p.get("users", ""))
        if not users:
            return self._err("users_list_not_supplied")
        return {"ok": True, "channel": {"id": "D" + users.split(",")[0].lstrip("UW")}}

    def _m_conversations_members(self, p):
        channel = self.channels.get(p.get("channel"))
        if channel is None:
            return self._err("channel_not_found")
        return {"ok": True, "members": sorted(channel["members"]), "response_metadata": {"next_cursor": ""}}

    def _m_conversations_join(self, p):
        channel = self.channels.get(p.get("channel"))
        if channel is None:
            return self._err("channel_not_found")
        channel["members"].add(self.bot_user_id)
        return {"ok": True, "channel": self._channel_view(channel["id"])}

    def _m_files_info(self, p):
        info = self.files.get(p.get("file"))
        if info is None:
            return self._err("file_not_found")
        return {"ok": True, "file": info}

    def _m_pins_add(self, p):
        key = (p.get("channel"), p.get("timestamp"))
        if key not in self.messages:
            return self._err("message_not_found")
        if key in self.pins:
            return self._err("already_pinned")
        self.pins.add(key)
        return {"ok": True}

    def _m_bookmarks_add(self, p):
        bookmark = {"id": self._next_id("Bk"), "channel_id": p.get("channel_id"), "title": p.get("title"),
                    "type": p.get("type"), "link": p.get("link")}
        self.bookmarks.append(bookmark)
        return {"ok": True, "bookmark": bookmark}

    def _m_usergroups_users_list(self, p):
        group = p.get("usergroup")
        if group not in self.usergroups:
            return self._err("no_such_subteam")
        return {"ok": True, "users": list(self.usergroups[group])}

    def _m_users_info(self, p):
        user = p.get("user", "")
        if user not in self.users and not user.startswith(("U", "W")):
            return self._err("user_not_found")
        if user not in self.users:
            self.add_user(user)
        return {"ok": True, "user": self.users[user]}

    def _view(self, p):
        view = p.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        return {"ok": True, "view": {"id": p.get("view_id") or self._next_id("V"), **(view or {})}}

    def _m_views_open(self, p):
        return self._view(p) if p.get("trigger_id") else self._err("invalid_arguments")

    def _m_views_publish(self, p):
        return self._view(p) if p.get("user_id") else self._err("invalid_arguments")

    def _m_views_update(self, p):
        return self._view(p)

    def _m_reactions_add(self, p):
        key = (p.get("channel"), p.get("timestamp"))
        message = self.messages.get(key)
        if message is not None:
            reactions = message.setdefault("reactions", set())
            if p.get("name") in reactions:
                return self._err("already_reacted")
            reactions.add(p.get("name"))
        return {"ok": True}
