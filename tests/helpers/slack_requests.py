"""Requests exactly as Slack sends them to `/slack/events`, signed with the signing secret.

- slash commands: `application/x-www-form-urlencoded` with token, team_id, channel_id, user_id,
  command, text, response_url, trigger_id...;
- shortcuts and block actions: a form body with one field, `payload=<json>`;
- Events API: a JSON body (`event_callback`, `url_verification`);
- every request: `X-Slack-Request-Timestamp` and `X-Slack-Signature = v0=HMAC-SHA256(secret,
  "v0:{timestamp}:{body}")`.

    slack = SlackRequests(bot.url, SIGNING_SECRET, standin)
    answer = slack.slash("/scan", "https://...", user_id="U1", channel_id="C1")
    answer.status, answer.json(), answer.elapsed, answer.response_url   # where respond() will POST
    slack.shortcut_on_message(files=[info], user_id=..., channel_id=...)
    slack.event({"type": "message", "channel_type": "im", ...})
    slack.post(body, content_type, sign=False)  /  timestamp=time.time() - 360  /  signature="v0=bad"
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

SIGNING_SECRET = "standin-signing-secret-0123456789"
TEAM_ID = "T0STANDIN"


def signature(secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def slash_command_body(command: str, text: str, *, user_id: str, channel_id: str, response_url: str,
                       channel_name: str = "general") -> str:
    return urlencode({
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "standin",
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": "A0LEAKWATCH",
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:32]}",
    })


def message_shortcut_payload(callback_id: str, message: dict, *, user_id: str, channel_id: str,
                             response_url: str) -> dict:
    return {
        "type": "message_action",
        "token": "deprecated-verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "channel": {"id": channel_id, "name": "general"},
        "is_enterprise_install": False,
        "callback_id": callback_id,
        "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:20]}",
        "response_url": response_url,
        "message_ts": message.get("ts"),
        "message": message,
    }


def block_actions_payload(action_id: str, value: str, *, user_id: str, channel_id: str, response_url: str,
                          message_ts: str = "1700000000.000100", block_id: str = "b1", extra: dict | None = None) -> dict:
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": {"id": user_id, "username": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0LEAKWATCH",
        "token": "deprecated-verification-token",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel_id, "is_ephemeral": False},
        "trigger_id": f"{int(time.time())}.{uuid.uuid4().hex[:20]}",
        "channel": {"id": channel_id, "name": "general"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": block_id, "type": "button", "value": value,
                     "action_ts": f"{time.time():.6f}"}],
        **(extra or {}),
    }


def event_callback(event: dict) -> dict:
    return {
        "token": "deprecated-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": "A0LEAKWATCH",
        "event": event,
        "type": "event_callback",
        "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM_ID, "user_id": "UBOTSTANDIN", "is_bot": True}],
    }


def file_message_event(files: list[dict], *, user_id: str, channel_id: str, channel_type: str, ts: str) -> dict:
    """A message carrying files, as Slack sends it (subtype file_share, file objects inline)."""
    return {"type": "message", "subtype": "file_share", "text": "", "user": user_id, "channel": channel_id,
            "channel_type": channel_type, "ts": ts, "event_ts": ts,
            "files": [{"id": f["id"], "name": f.get("name"), "mimetype": f.get("mimetype", "")} for f in files]}


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict
    elapsed: float
    response_url: str | None = None

    def json(self):
        return json.loads(self.body or b"null")

    def reply_text(self) -> str:
        """What the person sees from the immediate answer: Bolt sends plain text or JSON with `text`."""
        if "json" in (self.headers.get("Content-Type") or self.headers.get("content-type") or ""):
            return (self.json() or {}).get("text", "")
        return self.body.decode("utf-8", "replace")


class SlackRequests:
    def __init__(self, bot_url: str, secret: str = SIGNING_SECRET, standin=None, timeout: float = 10.0):
        self.events_url = bot_url.rstrip("/") + "/slack/events"
        self.secret = secret
        self.standin = standin
        self.timeout = timeout

    def _response_url(self) -> str:
        return self.standin.response_url() if self.standin else "http://127.0.0.1:9/response/none"

    def post(self, body: str, content_type: str, *, sign: bool = True, timestamp: float | None = None,
             signature_value: str | None = None, response_url: str | None = None,
             extra_headers: dict | None = None) -> Answer:
        ts = str(int(time.time() if timestamp is None else timestamp))
        headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
                   **(extra_headers or {})}
        if sign:
            headers["X-Slack-Request-Timestamp"] = ts
            headers["X-Slack-Signature"] = signature_value or signature(self.secret, ts, body)
        request = urllib.request.Request(self.events_url, data=body.encode(), headers=headers, method="POST")
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data, status, out_headers = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as err:
            data, status, out_headers = err.read(), err.code, dict(err.headers)
        return Answer(status, data, out_headers, time.perf_counter() - started, response_url)

    def slash(self, command: str, text: str = "", *, user_id: str = "U0ASKER", channel_id: str = "C0GENERAL",
              **options) -> Answer:
        response_url = self._response_url()
        body = slash_command_body(command, text, user_id=user_id, channel_id=channel_id, response_url=response_url)
        return self.post(body, "application/x-www-form-urlencoded", response_url=response_url, **options)

    def payload(self, payload: dict, **options) -> Answer:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, "application/x-www-form-urlencoded", response_url=payload.get("response_url"), **options)

    def shortcut_on_message(self, files: list[dict], *, user_id: str = "U0ASKER", channel_id: str = "C0GENERAL",
                            ts: str = "1700000000.000100", callback_id: str = "scan_message_files") -> Answer:
        message = {"type": "message", "user": "U0UPLOADER", "ts": ts, "text": "",
                   "files": [{"id": f["id"], "name": f.get("name")} for f in files]}
        payload = message_shortcut_payload(callback_id, message, user_id=user_id, channel_id=channel_id,
                                           response_url=self._response_url())
        return self.payload(payload)

    def block_action(self, action_id: str, value: str = "", *, user_id: str = "U0ASKER",
                     channel_id: str = "C0GENERAL", **kw) -> Answer:
        return self.payload(block_actions_payload(action_id, value, user_id=user_id, channel_id=channel_id,
                                                  response_url=self._response_url(), **kw))

    def event(self, event: dict, **options) -> Answer:
        return self.post(json.dumps(event_callback(event)), "application/json", **options)

    def url_verification(self, challenge: str) -> Answer:
        body = json.dumps({"token": "deprecated-verification-token", "challenge": challenge, "type": "url_verification"})
        return self.post(body, "application/json")
