"""What the person does on the workspace page, sent to the bot exactly as Slack would send it.

Every request goes over HTTP to the bot's own `POST /slack/events`, signed with the signing
secret (`X-Slack-Signature: v0=HMAC-SHA256(secret, "v0:{timestamp}:{body}")`), so Bolt checks it
as it checks Slack's:

    relay = BotRelay(events_url, signing_secret, live, team_id="T0LOCAL")
    relay.slash("/scan", "https://...", user="U0YOU", channel="C0GENERAL") -> Reply(status, text, blocks)
    relay.block_action(user=, channel=, message_ts=, block_id=, action_id=, value=, selected=[...])
    relay.file_upload(user=, channel="D0YOU", name=, content=)   # message + file_shared events

Slash commands are form bodies with a `response_url` the live stand-in answers on; block actions
carry the whole message they were clicked on (blocks included; an ephemeral message is left out,
as Slack does) and the state of its inputs, built here from the stand-in's copy of that message,
never from what the page sent.
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

from bot.workspace.live import LiveStandIn

TIMEOUT_SECONDS = 10.0
APP_ID = "A0LEAKWATCH"


def sign(secret: str, timestamp: str, body: str) -> str:
    return "v0=" + hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    text: str = ""
    blocks: list | None = None


class BotRelay:
    def __init__(self, events_url: str, signing_secret: str, live: LiveStandIn, *, team_id: str):
        self.events_url = events_url
        self.secret = signing_secret
        self.live = live
        self.team = {"id": team_id, "domain": "local"}

    # --- sending -------------------------------------------------------------------------------

    def _post(self, body: str, content_type: str) -> Reply:
        timestamp = str(int(time.time()))
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": timestamp,
                   "X-Slack-Signature": sign(self.secret, timestamp, body),
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        request = urllib.request.Request(self.events_url, data=body.encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - our own port
                status, raw, kind = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as err:
            status, raw, kind = err.code, err.read(), err.headers.get("Content-Type", "")
        except (urllib.error.URLError, OSError):
            return Reply(0, "The bot did not answer; it may be busy or restarting. Try again in a moment.")
        text = raw.decode("utf-8", "replace")
        if "json" in kind:
            try:
                answer = json.loads(text or "null") or {}
            except ValueError:
                answer = {}
            if isinstance(answer, dict):
                return Reply(status, str(answer.get("text") or ""), answer.get("blocks"))
            return Reply(status)
        return Reply(status, text)

    def _user(self, user: str) -> dict:
        return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": self.team["id"]}

    def _channel(self, channel: str) -> dict:
        with self.live._lock:
            found = self.live.channels.get(channel) or {}
            return {"id": channel, "name": found.get("name", "directmessage" if channel.startswith("D") else channel)}

    @staticmethod
    def _trigger_id() -> str:
        return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex[:32]}"

    # --- slash commands ----------------------------------------------------------------------------

    def slash(self, command: str, text: str, *, user: str, channel: str) -> Reply:
        body = urlencode({
            "token": "local-workspace", "team_id": self.team["id"], "team_domain": self.team["domain"],
            "channel_id": channel, "channel_name": self._channel(channel)["name"], "user_id": user,
            "user_name": user.lower(), "command": command, "text": text, "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": self.live.response_url_for(channel=channel, user=user),
            "trigger_id": self._trigger_id(),
        })
        return self._post(body, "application/x-www-form-urlencoded")

    # --- block actions -------------------------------------------------------------------------------

    def block_action(self, *, user: str, channel: str, message_ts: str, block_id: str, action_id: str,
                     value: str | None = None, selected: list[str] | None = None) -> Reply:
        """A button press or a checkbox (un)tick on a message the stand-in holds."""
        message, element = self._find(channel, message_ts, block_id, action_id)
        if element is None:
            return Reply(404, "That control is no longer on the message.")
        ephemeral = message.pop("ephemeral", False)
        now = f"{time.time():.6f}"
        action = {"type": element.get("type"), "action_id": action_id, "block_id": block_id, "action_ts": now}
        state_value = {"type": element.get("type")}
        if element.get("type") == "checkboxes":
            wanted = set(selected or ())
            options = [o for o in element.get("options") or [] if o.get("value") in wanted]
            action["selected_options"] = options
            state_value["selected_options"] = options
        else:
            action["value"] = element.get("value", value or "")
            if element.get("text"):
                action["text"] = element["text"]
        payload = {
            "type": "block_actions", "user": self._user(user), "api_app_id": APP_ID, "token": "local-workspace",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
            "trigger_id": self._trigger_id(), "team": self.team, "enterprise": None,
            "is_enterprise_install": False, "channel": self._channel(channel),
            **({} if ephemeral else {"message": message}),  # Slack leaves an ephemeral message out
            "state": {"values": {block_id: {action_id: state_value}}},
            "response_url": self.live.response_url_for(channel=channel, user=user, message_ts=message_ts),
            "actions": [action],
        }
        return self._post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def _find(self, channel: str, ts: str, block_id: str, action_id: str) -> tuple[dict, dict | None]:
        with self.live._lock:
            stored = self.live.messages.get((channel, ts))
            ephemeral = stored is None
            if ephemeral:  # an ephemeral message shown to this person, with buttons on it
                stored = next((m for m in self.live.ephemerals.get(channel, []) if m["ts"] == ts), None)
            if stored is None:
                return {}, None
            blocks = stored.get("blocks")
            if isinstance(blocks, str):
                blocks = json.loads(blocks)
            message = {"type": "message", "ts": ts, "text": stored.get("text", ""), "blocks": blocks or [],
                       "user": self.live.bot_user_id, "bot_id": "BSTANDIN", "team": self.team["id"],
                       "ephemeral": ephemeral}
        for block in blocks or []:
            if not isinstance(block, dict) or block.get("block_id") != block_id:
                continue
            candidates = list(block.get("elements") or []) + [block.get("accessory") or {}]
            for element in candidates:
                if isinstance(element, dict) and element.get("action_id") == action_id:
                    return message, element
        return message, None

    # --- events ------------------------------------------------------------------------------------

    def event(self, event: dict) -> Reply:
        body = {"token": "local-workspace", "team_id": self.team["id"], "api_app_id": APP_ID, "event": event,
                "type": "event_callback", "event_id": "Ev" + uuid.uuid4().hex[:10].upper(),
                "event_time": int(time.time()),
                "authorizations": [{"team_id": self.team["id"], "user_id": self.live.bot_user_id, "is_bot": True}]}
        return self._post(json.dumps(body), "application/json")

    def message(self, *, user: str, channel: str, text: str) -> Reply:
        ts = self.live.post_as_user(channel, user, text)
        return self.event({"type": "message", "text": text, "user": user, "channel": channel, "ts": ts,
                           "event_ts": ts, "channel_type": "im" if channel.startswith("D") else "channel"})

    def file_upload(self, *, user: str, channel: str, name: str, content: bytes, mimetype: str = "") -> Reply:
        """As Slack announces a file sent in a message: a file_share message and a file_shared event."""
        is_im = channel.startswith("D")
        with self.live._lock:
            ts = self.live._next_ts()
        info = self.live.add_file(content, name, channel=channel, ts=ts, user=user, private=is_im,
                                  mimetype=mimetype, filetype=name.rsplit(".", 1)[-1].lower() if "." in name else "")
        with self.live._lock:
            self.live.messages[(channel, ts)] = {"channel": channel, "ts": ts, "text": "", "blocks": None,
                                                 "thread_ts": None, "user": user,
                                                 "files": [{"id": info["id"], "name": name, "size": len(content),
                                                            "mimetype": mimetype}]}
        self.live.changed()
        reply = self.event({"type": "message", "subtype": "file_share", "text": "", "user": user,
                            "channel": channel, "channel_type": "im" if is_im else "channel", "ts": ts,
                            "event_ts": ts, "files": [{"id": info["id"], "name": name, "mimetype": mimetype}]})
        self.event({"type": "file_shared", "file_id": info["id"], "user_id": user, "channel_id": channel,
                    "file": {"id": info["id"]}, "event_ts": ts})
        return reply
