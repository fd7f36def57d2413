"""The stand-in as a workspace a person watches: changes are announced, ephemerals are kept.

`LiveStandIn` is the Slack Web API stand-in (`standin.py`) for a long-running local workspace:

    live = LiveStandIn(me="U0YOU").start()
    url = live.response_url_for(channel="C1", user="U0YOU")   # a response_url the bot can answer on
    ts = live.post_as_user("D0YOU", "U0YOU", "hello", files=[info])   # what the person wrote
    live.add_ephemeral("C1", "U0YOU", "text", blocks)                 # shown only to that person
    live.version                                   # grows by one on every change
    live.wait_for_change(since=version, timeout=20) -> version       # blocks until a change (or timeout)
    live.snapshot() -> dict                        # everything the page shows, JSON-ready

What changes the workspace: every Web API call the bot makes (a posted or edited message, a topic,
a pin, a new channel, an ephemeral, a file shared in a channel, the Home tab it publishes), every answer on a response_url (ephemeral or in the channel,
replacing or deleting the message whose button was pressed, as Slack does), and what the person
does. Recorded calls are kept to the last MAX_CALLS (a workspace runs for days). Messages that
`chat.update` changes are marked edited. State is persisted by `persist.py` through
`export_state()` / `import_state()`.
"""

from __future__ import annotations

import collections
import itertools
import json
import threading

from bot.workspace.slack_methods import json_param
from bot.workspace.standin import Call, SlackStandIn

MAX_CALLS = 500
#: Slack's response_urls expire after 30 minutes; the newest are remembered
MAX_RESPONSE_URLS = 2000
#: ephemerals are not kept by Slack either; the page shows the newest per channel
MAX_EPHEMERALS_PER_CHANNEL = 50


def ts_key(ts: str) -> tuple[int, int]:
    """Message timestamps sort as numbers ("1700000000.000010" after "1700000000.000009")."""
    seconds, _, fraction = str(ts).partition(".")
    try:
        return int(seconds), int(fraction or 0)
    except ValueError:
        return 0, 0


class LiveStandIn(SlackStandIn):
    def __init__(self, *, me: str, bot_token: str | None = None):
        super().__init__(**({"bot_token": bot_token} if bot_token else {}))
        self.me = me
        self._calls = collections.deque(maxlen=MAX_CALLS)
        self._changed = threading.Condition(self._lock)
        self.version = 0
        #: channel -> [{"ts", "to" (the one person who sees it), "text", "blocks", "ephemeral": True}]
        self.ephemerals: dict[str, list[dict]] = {}
        #: response_url id -> where its answers go: {"channel", "user", "message_ts"}
        self._responses: collections.OrderedDict[str, dict] = collections.OrderedDict()
        #: user -> the Home tab view the bot published for them (views.publish)
        self.home: dict[str, dict] = {}
        #: called (outside the lock) after each change, e.g. to persist the state
        self.on_change = None

    # --- changes ---------------------------------------------------------------------------------

    def changed(self) -> None:
        with self._changed:
            self.version += 1
            self._changed.notify_all()
        if self.on_change is not None:
            self.on_change()

    def wait_for_change(self, since: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self.version != since, timeout=timeout)
            return self.version

    def _record(self, call: Call) -> None:
        super()._record(call)
        if call.status != 200:
            return
        if call.method == "response_url":
            self._answer_on_response_url(call)
        elif call.method == "chat.postEphemeral" and call.params.get("channel") and call.params.get("user"):
            self.add_ephemeral(call.params["channel"], call.params["user"], call.params.get("text", ""),
                               json_param(call.params.get("blocks"), list), notify=False)
        elif call.method == "chat.update":
            with self._lock:
                message = self.messages.get((call.params.get("channel"), call.params.get("ts")))
                if message is not None:
                    message["edited"] = True
        elif call.method == "files.completeUploadExternal":
            self._show_uploaded_files(call.params)
        elif call.method == "views.publish" and call.params.get("user_id"):
            view = call.params.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            with self._lock:
                self.home[str(call.params["user_id"])] = view if isinstance(view, dict) else {}
        elif call.method in ("auth.test", "users.info", "files.info", "file_download", "conversations.info",
                             "conversations.members", "usergroups.users.list"):
            return  # reads change nothing
        self.changed()

    # --- what the person does and sees ---------------------------------------------------------

    def response_url_for(self, *, channel: str, user: str, message_ts: str | None = None) -> str:
        url = self.response_url()
        with self._lock:
            self._responses[url.rsplit("/", 1)[1]] = {"channel": channel, "user": user, "message_ts": message_ts}
            while len(self._responses) > MAX_RESPONSE_URLS:
                self._responses.popitem(last=False)
        return url

    def post_as_user(self, channel: str, user: str, text: str, files: list[dict] | None = None) -> str:
        with self._lock:
            ts = self._next_ts()
            self.messages[(channel, ts)] = {"channel": channel, "ts": ts, "text": text, "blocks": None,
                                            "thread_ts": None, "user": user,
                                            "files": [_file_view(f) for f in files or []]}
        self.changed()
        return ts

    def add_ephemeral(self, channel: str, user: str, text: str, blocks: list | None = None, *,
                      notify: bool = True, sender: str | None = None) -> None:
        """Shown to `user` only; from the bot, or from the workspace itself (`sender="workspace"`)."""
        with self._lock:
            kept = self.ephemerals.setdefault(channel, [])
            kept.append({"channel": channel, "ts": self._next_ts(), "to": user, "text": str(text or ""),
                         "blocks": blocks, "ephemeral": True, "from": sender})
            del kept[:-MAX_EPHEMERALS_PER_CHANNEL]
        if notify:
            self.changed()

    def _answer_on_response_url(self, call: Call) -> None:
        with self._lock:
            where = self._responses.get(call.path.rsplit("/", 1)[-1])
        if where is None:
            return
        try:
            answer = json.loads(call.body or "{}")
        except ValueError:
            answer = dict(call.params)
        if not isinstance(answer, dict):
            return
        text, blocks = str(answer.get("text") or ""), json_param(answer.get("blocks"), list)
        original = (where["channel"], where.get("message_ts"))
        with self._lock:
            if _true(answer.get("delete_original")) and original in self.messages:
                del self.messages[original]
                return
            if _true(answer.get("replace_original")) and original in self.messages:
                self.messages[original].update({"text": text, "blocks": blocks, "edited": True})
                return
            in_channel = answer.get("response_type") == "in_channel"
        if in_channel:
            with self._lock:
                ts = self._next_ts()
                self.messages[(where["channel"], ts)] = {"channel": where["channel"], "ts": ts, "text": text,
                                                         "blocks": blocks, "thread_ts": None}
        else:
            self.add_ephemeral(where["channel"], where["user"], text, blocks, notify=False)

    def _show_uploaded_files(self, params: dict) -> None:
        """A file the bot shared in a channel shows as its message there, as in Slack."""
        channel = params.get("channel_id")
        try:
            wanted = json.loads(params.get("files") or "[]")
        except ValueError:
            return
        with self._lock:
            for item in wanted if isinstance(wanted, list) else []:
                info = self.files.get((item or {}).get("id"))
                shares = (info or {}).get("shares") or {}
                for entries in shares.values():
                    for entry in (entries or {}).get(channel) or []:
                        self.messages[(channel, entry["ts"])] = {
                            "channel": channel, "ts": entry["ts"], "text": str(params.get("initial_comment") or ""),
                            "blocks": None, "thread_ts": params.get("thread_ts"), "files": [_file_view(info)]}

    def file_for_page(self, file_id: str) -> tuple[dict, bytes] | None:
        """A file shown on the page (sent by you or shared by the bot), for its download link."""
        with self._lock:
            info = self.files.get(file_id)
            return None if info is None else (dict(info), self._file_bytes.get(file_id, b""))

    # --- the page's view --------------------------------------------------------------------------

    def snapshot(self) -> dict:
        with self._lock:
            channels = []
            for channel in self.channels.values():
                channels.append({"id": channel["id"], "name": channel["name"], "private": channel["is_private"],
                                 "im": channel["id"].startswith("D"), "topic": channel.get("topic", ""),
                                 "members": sorted(channel["members"]),
                                 "pins": sorted((ts for c, ts in self.pins if c == channel["id"]), key=ts_key)})
            messages: dict[str, list[dict]] = {c["id"]: [] for c in channels}
            for (channel, _ts), message in self.messages.items():
                messages.setdefault(channel, []).append(_message_view(message))
            for channel, kept in self.ephemerals.items():
                messages.setdefault(channel, []).extend(dict(m) for m in kept if m.get("to") == self.me)
            for listed in messages.values():
                listed.sort(key=lambda m: ts_key(m["ts"]))
            users = {uid: u.get("real_name") or u.get("name") or uid for uid, u in self.users.items()}
            home = self.home.get(self.me) or {}
            return {"version": self.version, "me": self.me, "bot": self.bot_user_id, "users": users,
                    "home": {"blocks": json_param(home.get("blocks"), list) or []},
                    "usergroups": {g: len(members) for g, members in self.usergroups.items()},
                    "channels": channels, "messages": messages}

    # --- persistence (persist.py) -------------------------------------------------------------------

    def export_state(self) -> dict:
        with self._lock:
            return {
                "next_id": next(self._ids),
                "channels": [{**c, "members": sorted(c["members"])} for c in self.channels.values()],
                "messages": [{**m, "reactions": sorted(m.get("reactions") or ())} for m in self.messages.values()],
                "pins": sorted([list(p) for p in self.pins]),
                "files": [dict(info) for info in self.files.values()],  # bytes: file_blobs()
                "users": list(self.users.values()),
                "usergroups": self.usergroups,
                "bookmarks": self.bookmarks,
                "ephemerals": self.ephemerals,
            }

    def file_blobs(self) -> dict[str, bytes]:
        """Each file's bytes (persist.py writes each once, beside the state)."""
        with self._lock:
            return dict(self._file_bytes)

    def import_state(self, state: dict, blobs=None) -> None:
        """`blobs(file_id) -> bytes` reads back what file_blobs() gave (b"" when lost)."""
        with self._lock:
            self._ids = itertools.count(int(state.get("next_id") or 1))
            self.channels = {c["id"]: {**c, "members": set(c.get("members") or ())} for c in state.get("channels", [])}
            self.messages = {(m["channel"], m["ts"]): {**m, "reactions": set(m.get("reactions") or ())}
                             for m in state.get("messages", [])}
            self.pins = {tuple(p) for p in state.get("pins", [])}
            for info in state.get("files", []):
                self.files[info["id"]] = info
                self._file_bytes[info["id"]] = blobs(info["id"]) if blobs else b""
            self.users = {u["id"]: u for u in state.get("users", [])}
            self.usergroups = dict(state.get("usergroups") or {})
            self.bookmarks = list(state.get("bookmarks") or [])
            self.ephemerals = {c: list(kept) for c, kept in (state.get("ephemerals") or {}).items()}

    def rebase_file_urls(self) -> None:
        """After a restart the stand-in listens on a new port: files keep working at the new address."""
        with self._lock:
            for file_id, info in self.files.items():
                name = info.get("name") or "file"
                info["url_private"] = f"{self.base_url}/files/{file_id}/{name}"
                info["url_private_download"] = f"{self.base_url}/files/{file_id}/download/{name}"


def _true(value) -> bool:
    return value in (True, "true", "1", "True")


def _file_view(info: dict) -> dict:
    return {"id": info.get("id"), "name": info.get("name"), "size": info.get("size"),
            "mimetype": info.get("mimetype", "")}


def _message_view(message: dict) -> dict:
    view = {key: message.get(key) for key in ("channel", "ts", "text", "thread_ts", "user", "files")}
    view["blocks"] = json_param(message.get("blocks"), list)
    view["edited"] = bool(message.get("edited"))
    view["reactions"] = sorted(message.get("reactions") or ())
    return view
