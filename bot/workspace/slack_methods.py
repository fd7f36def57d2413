"""The Slack Web API methods of the stand-in: its state and how each method answers.

`SlackMethods` is a mixin of `bot.workspace.standin.SlackStandIn` (the HTTP server and the recorded
calls). It keeps a little state (channels, members, messages, pins, files, users, user groups,
bookmarks) so answers behave like Slack's: `name_taken` for a taken channel name,
`already_in_channel`, `already_pinned`, `cant_invite_self`, `message_not_found` for an unknown ts.

A method `chat.postMessage` is answered by `_m_chat_postMessage(params) -> dict`, called with the
stand-in's lock held; an unknown method answers `unknown_method`. Add a method by adding an `_m_`
function here. The host class provides `_lock`, `_ids`, `bot_user_id` and `base_url`, and
initialises the state with `_init_state()`.
"""

from __future__ import annotations

import json
import re
import time

BOT_TOKEN = "xoxb-standin-bot-token"
BOT_USER_ID = "UBOTSTANDIN"
TEAM_ID = "T0STANDIN"
_CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


class SlackMethods:
    def _init_state(self) -> None:
        self.channels: dict[str, dict] = {}
        self.messages: dict[tuple[str, str], dict] = {}
        self.pins: set[tuple[str, str]] = set()
        self.files: dict[str, dict] = {}
        self._file_bytes: dict[str, bytes] = {}
        self.users: dict[str, dict] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.bookmarks: list[dict] = []

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
                   "thread_ts": p.get("thread_ts"), "metadata": _metadata(p.get("metadata"))}
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": message["text"], "ts": ts}}

    def _m_conversations_history(self, p):
        """Newest first, `oldest`/`latest` bounds, `limit` with a cursor; metadata only when
        `include_all_metadata` is asked for (as Slack does)."""
        channel = p.get("channel")
        if channel not in self.channels:
            return self._err("channel_not_found")
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        found = sorted((m for (c, _), m in self.messages.items() if c == channel and oldest <= float(m["ts"]) <= latest),
                       key=lambda m: float(m["ts"]), reverse=True)
        start, limit = int(p.get("cursor") or 0), max(1, min(int(p.get("limit") or 100), 999))
        page = found[start:start + limit]
        with_metadata = str(p.get("include_all_metadata")).lower() in ("true", "1")
        messages = [{"type": "message", "ts": m["ts"], "text": m["text"], "bot_id": "BSTANDIN",
                     **({"metadata": m["metadata"]} if with_metadata and m.get("metadata") else {})} for m in page]
        more = start + limit < len(found)
        return {"ok": True, "messages": messages, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

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

    def _m_files_list(self, p):
        channel = p.get("channel")
        shared = [info for info in self.files.values() if not channel or any(
            channel in (info.get("shares") or {}).get(scope, {}) for scope in ("public", "private"))]

        def when(info: dict) -> float:
            entries = [e for scope in (info.get("shares") or {}).values() for e in scope.get(channel, [])]
            return max((float(e["ts"]) for e in entries), default=0.0)

        shared.sort(key=when, reverse=True)
        count = int(p.get("count") or 100)
        return {"ok": True, "files": shared[:count], "paging": {"count": count, "total": len(shared)}}

    def _m_files_getUploadURLExternal(self, p):
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            return self._err("invalid_arguments")
        file_id = self._next_id("F")
        self.files[file_id] = {"id": file_id, "name": p["filename"], "title": p["filename"],
                               "size": int(p["length"]), "shares": {}, "uploaded": False}
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, content: bytes) -> int:
        """The bytes POSTed to an upload_url (called by the HTTP handler); the HTTP status."""
        with self._lock:
            if file_id not in self.files or self.files[file_id].get("uploaded"):
                return 404
            self._file_bytes[file_id] = content
            self.files[file_id]["uploaded"] = True
            return 200

    def _m_files_completeUploadExternal(self, p):
        try:
            wanted = json.loads(p.get("files") or "[]")
        except ValueError:
            return self._err("invalid_arguments")
        done = []
        for item in wanted:
            info = self.files.get(item.get("id"))
            if info is None or not info.get("uploaded"):
                return self._err("file_not_found")
            info["title"] = item.get("title") or info["name"]
            channel = p.get("channel_id")
            if channel:
                if channel not in self.channels:
                    return self._err("channel_not_found")
                ts = self._next_ts()
                info["shares"] = {"private" if self.channels[channel]["is_private"] else "public": {channel: [{"ts": ts}]}}
            done.append({"id": info["id"], "title": info["title"]})
        return {"ok": True, "files": done}

    def file_content(self, file_id: str) -> bytes:
        """What was uploaded as (or added for) this file."""
        with self._lock:
            return self._file_bytes.get(file_id, b"")

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

    def _m_users_conversations(self, p):
        """The channels a person is in (only those the bot is in too: it sees no others)."""
        user = p.get("user") or self.bot_user_id
        types = set((p.get("types") or "public_channel").split(","))
        found = [{"id": c["id"], "name": c["name"], "is_private": c["is_private"]}
                 for c in self.channels.values()
                 if user in c["members"] and self.bot_user_id in c["members"]
                 and ("private_channel" if c["is_private"] else "public_channel") in types]
        return {"ok": True, "channels": found, "response_metadata": {"next_cursor": ""}}

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


def json_param(value, kind: type):
    """A parameter that a JSON body holds as an object and a form body as a JSON string (blocks,
    metadata): the value if it is (or parses as) a `kind`, else None."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, kind) else None


def _metadata(value) -> dict | None:
    """chat.postMessage `metadata`: an object with an event type."""
    value = json_param(value, dict)
    return value if value and value.get("event_type") else None
