"""The one wrapper over the Slack Web API. Every call the bot makes goes through `SlackGateway`.

Why one wrapper:
- errors are typed: a failed call raises `SlackCallFailed` whose `.code` is Slack's error code
  (`channel_not_found`, `name_taken`...) and whose message is a sentence, never a raw
  `SlackApiError` carrying the request payload;
- errors that mean "already done" are success (`already_in_channel`, `cant_invite_self`,
  `already_pinned`), so callers can retry whole steps safely after a restart;
- 429s are retried by slack_sdk's RateLimitErrorRetryHandler, which sleeps for Retry-After;
- links are never unfurled: a scan result must not make Slack fetch (and preview) the leak.

Usage (the incidents code gets it as `services.slack`):

    ts = slack.post(channel_id, "text", blocks=[...], thread_ts=None)
    slack.update(channel_id, ts, "new text", blocks=[...])
    slack.ephemeral(channel_id, user_id, "only you can see this")
    channel_id = slack.create_channel("inc-pii-20260101-detained", private=True)
    slack.invite(channel_id, ["U1", "U2"]); slack.pin(channel_id, ts); slack.set_topic(channel_id, "...")
    file_id = slack.upload(channel_id, "incident-7-report.md", data, title="Incident #7 report")
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from bot.config import Settings
from bot.errors import FetchFailed, FetchRefused, LimitExceeded, SlackCallFailed

log = logging.getLogger(__name__)

#: Slack's own limits (https://api.slack.com/methods/conversations.create, conversations.setTopic)
CHANNEL_NAME_MAX = 80
TOPIC_MAX = 250
#: how many suffixes (-2, -3, ...) are tried when a channel name is taken
NAME_SUFFIX_TRIES = 20
RATE_LIMIT_RETRIES = 3

#: errors that mean the wanted state already holds
_ALREADY_DONE = {
    "conversations.invite": {"already_in_channel", "cant_invite_self"},
    "pins.add": {"already_pinned"},
    "reactions.add": {"already_reacted"},
    "conversations.join": {"already_in_channel"},
}

#: invite errors about one person (the others can still be invited)
_PER_PERSON = {
    "user_not_found", "cant_invite", "user_is_restricted", "user_is_ultra_restricted", "ura_max_channels",
    "user_team_not_in_channel", "cant_invite_app_user", "not_allowed_token_type", "user_disabled",
}

#: what a person should read when a call fails with these codes
_SENTENCES = {
    "not_in_channel": "The bot is not a member of that channel; invite it with /invite @Leakwatch and try again.",
    "channel_not_found": "Slack could not find that channel, or the bot cannot see it.",
    "is_archived": "That channel is archived.",
    "missing_scope": "The Slack app is missing a permission for this; reinstall it from manifest.json.",
    "invalid_auth": "Slack refused the bot token (invalid_auth); check SLACK_BOT_TOKEN.",
    "not_authed": "Slack refused the bot token (not_authed); check SLACK_BOT_TOKEN.",
    "token_revoked": "The bot token was revoked; reinstall the app and update SLACK_BOT_TOKEN.",
    "account_inactive": "The bot token belongs to a deactivated app; reinstall it.",
    "ratelimited": "Slack is rate-limiting the bot right now; try again in a minute.",
    "file_not_found": "Slack could not find that file, or the bot may not read it.",
    "file_deleted": "That file has been deleted.",
    "user_not_found": "Slack could not find that person.",
    "no_such_subteam": "Slack could not find that user group.",
    "restricted_action": "A workspace setting stops the bot from doing this.",
}

_NAME_BAD = re.compile(r"[^a-z0-9_-]+")


def make_web_client(settings: Settings) -> WebClient:
    """The WebClient Bolt and the gateway share: SLACK_API_URL, 429 and connection retries."""
    return WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ConnectionErrorRetryHandler(max_retry_count=1),
        ],
    )


def channel_name(raw: str) -> str:
    """Slack's channel-name rules: lowercase, only a-z 0-9 - _, at most 80 characters."""
    name = _NAME_BAD.sub("-", raw.strip().lower()).strip("-_")
    name = re.sub(r"-{2,}", "-", name)
    return (name[:CHANNEL_NAME_MAX].rstrip("-_")) or "channel"


def _with_suffix(name: str, number: int) -> str:
    suffix = f"-{number}"
    return name[: CHANNEL_NAME_MAX - len(suffix)].rstrip("-_") + suffix


class SlackGateway:
    def __init__(self, client: WebClient, settings: Settings):
        self.client = client
        self.settings = settings

    # --- the generic call every other method goes through -------------------------------------

    def call(self, method: str, **params) -> dict:
        """Call any Web API method; returns the response data. Raises SlackCallFailed.

        An "already done" error (already_in_channel, already_pinned...) is returned as
        `{"ok": True, "already": code}`.
        """
        return self._call(method, params, tolerate_done=True)

    def _call(self, method: str, params: dict, *, tolerate_done: bool) -> dict:
        try:
            response = self.client.api_call(method, json=params) if _sends_json(method) else \
                self.client.api_call(method, params=params)
            return dict(response.data) if isinstance(response.data, dict) else {}
        except SlackApiError as err:
            code = (err.response.data or {}).get("error", "unknown_error") if err.response is not None else "unknown_error"
            if tolerate_done and code in _ALREADY_DONE.get(method, ()):
                return {"ok": True, "already": code}
            raise self._failure(method, code) from None
        except SlackClientError as err:
            log.warning("slack call failed method=%s reason=%s", method, type(err).__name__)
            raise SlackCallFailed(f"Could not reach Slack to finish this ({method}).", code="unreachable") from None
        except OSError as err:
            log.warning("slack call failed method=%s reason=%s", method, type(err).__name__)
            raise SlackCallFailed(f"Could not reach Slack to finish this ({method}).", code="unreachable") from None

    @staticmethod
    def _failure(method: str, code: str) -> SlackCallFailed:
        log.warning("slack call failed method=%s error=%s", method, code)
        sentence = _SENTENCES.get(code, f"Slack refused {method} ({code}).")
        return SlackCallFailed(sentence, code=code)

    # --- messages ------------------------------------------------------------------------------

    def post(self, channel: str, text: str, blocks: list | None = None, thread_ts: str | None = None,
             unfurl: bool = False) -> str:
        """Post a message; returns its ts. Links are not unfurled unless `unfurl` is set."""
        params = {"channel": channel, "text": text, "unfurl_links": unfurl, "unfurl_media": unfurl}
        if blocks:
            params["blocks"] = blocks
        if thread_ts:
            params["thread_ts"] = thread_ts
        return self.call("chat.postMessage", **params).get("ts", "")

    def update(self, channel: str, ts: str, text: str, blocks: list | None = None) -> None:
        params = {"channel": channel, "ts": ts, "text": text}
        if blocks is not None:
            params["blocks"] = blocks
        self.call("chat.update", **params)

    def ephemeral(self, channel: str, user: str, text: str, blocks: list | None = None,
                  thread_ts: str | None = None) -> None:
        params = {"channel": channel, "user": user, "text": text}
        if blocks:
            params["blocks"] = blocks
        if thread_ts:
            params["thread_ts"] = thread_ts
        self.call("chat.postEphemeral", **params)

    def dm(self, user: str, text: str, blocks: list | None = None) -> str:
        channel = self.call("conversations.open", users=user).get("channel", {}).get("id")
        if not channel:
            raise SlackCallFailed("Slack did not open a direct message with that person.", code="no_dm")
        return self.post(channel, text, blocks=blocks)

    def upload(self, channel: str, filename: str, content: bytes, *, title: str, comment: str | None = None) -> str:
        """Share a file in a channel (Slack's external upload: get a URL, send the bytes, complete);
        returns the file id. Raises SlackCallFailed."""
        got = self.call("files.getUploadURLExternal", filename=filename, length=len(content))
        url, file_id = got.get("upload_url"), got.get("file_id")
        if not url or not file_id:
            raise SlackCallFailed("Slack did not give an address to upload the file to.", code="no_upload_url")
        try:
            response = httpx.post(url, content=content, timeout=30.0)
        except httpx.HTTPError as err:
            log.warning("file upload failed: %s", type(err).__name__)
            raise SlackCallFailed("Could not reach Slack to upload the file.", code="unreachable") from None
        if response.status_code != 200:
            raise SlackCallFailed(f"Slack refused the file upload (HTTP {response.status_code}).", code="upload_refused")
        params = {"files": json.dumps([{"id": file_id, "title": title}]), "channel_id": channel}
        if comment:
            params["initial_comment"] = comment
        self.call("files.completeUploadExternal", **params)
        return file_id

    # --- channels ------------------------------------------------------------------------------

    def create_channel(self, name: str, private: bool = True) -> str:
        """Create a channel; returns its id. A taken name gets -2, -3... appended."""
        base = channel_name(name)
        candidate = base
        for attempt in range(1, NAME_SUFFIX_TRIES + 1):
            try:
                data = self.call("conversations.create", name=candidate, is_private=private)
                return data["channel"]["id"]
            except SlackCallFailed as err:
                if err.code != "name_taken":
                    raise
                candidate = _with_suffix(base, attempt + 1)
        raise SlackCallFailed(f"Every channel name from {base} to {candidate} is taken.", code="name_taken")

    def invite(self, channel: str, users: Iterable[str]) -> list[str]:
        """Invite people; returns those who could not be invited (already members count as done).

        Slack fails the whole call when one person cannot be invited, so on failure each person is
        invited alone and only the real failures are reported.
        """
        wanted = [u for u in dict.fromkeys(users) if u]
        if not wanted:
            return []
        try:
            # one member already in means nothing was done for the others: not "already done"
            self._call("conversations.invite", {"channel": channel, "users": ",".join(wanted)}, tolerate_done=False)
            return []
        except SlackCallFailed as err:
            if err.code not in _PER_PERSON and err.code not in _ALREADY_DONE["conversations.invite"]:
                raise  # about the channel or the app, so inviting one by one would fail the same way
        failed = []
        for user in wanted:
            try:
                self.call("conversations.invite", channel=channel, users=user)
            except SlackCallFailed as err:
                if err.code not in _PER_PERSON:
                    raise
                log.warning("invite failed channel=%s user=%s error=%s", channel, user, err.code)
                failed.append(user)
        return failed

    def pin(self, channel: str, ts: str) -> None:
        self.call("pins.add", channel=channel, timestamp=ts)

    def set_topic(self, channel: str, topic: str) -> None:
        if len(topic) > TOPIC_MAX:
            topic = topic[: TOPIC_MAX - 1] + "…"
        self.call("conversations.setTopic", channel=channel, topic=topic)

    # --- people and files ----------------------------------------------------------------------

    def usergroup_members(self, group: str) -> list[str]:
        return list(self.call("usergroups.users.list", usergroup=group).get("users", []))

    def user_info(self, user: str) -> dict:
        return self.call("users.info", user=user).get("user", {})

    def channel_files(self, channel: str, count: int = 20) -> list[dict]:
        """The files shared in a channel, newest first (files.list)."""
        return list(self.call("files.list", channel=channel, count=count).get("files", []))

    def file_info(self, file_id: str) -> dict:
        return self.call("files.info", file=file_id).get("file", {})

    def download_file(self, file_info: dict) -> bytes:
        """The file's bytes, in memory only, through the safe fetcher's size and time limits."""
        from bot.scan.fetch import fetch  # the fetcher is heavy-ish; only file scans need it

        url = file_info.get("url_private_download") or file_info.get("url_private") or ""
        if not self.is_slack_file_url(url):
            raise FetchRefused("That file is not stored on Slack, so the bot will not download it with its token.")
        size = int(file_info.get("size") or 0)
        if size > self.settings.scan.max_bytes:
            raise LimitExceeded(
                f"This file is {size:,} bytes, over the {self.settings.scan.max_bytes:,}-byte limit (SCAN_MAX_BYTES)."
            )
        result = fetch(url, self.settings.scan, headers={"Authorization": f"Bearer {self.settings.slack_bot_token}"},
                       trusted=True)
        if result.status != 200:
            raise FetchFailed(f"Slack did not hand over the file (HTTP {result.status}); the bot may lack files:read.")
        if not self.is_slack_file_url(result.final_url):
            raise FetchRefused("Slack redirected the file download elsewhere, so the bot stopped.")
        return result.content

    def is_slack_file_url(self, url: str) -> bool:
        """Only Slack's own hosts may receive the bot token (plus SLACK_API_URL's host)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not host:
            return False
        api_host = (urlsplit(self.settings.slack_api_url).hostname or "").lower()
        if host == api_host:
            return True
        if parts.scheme != "https":
            return False
        return host == "files.slack.com" or host.endswith((".slack.com", ".slack-edge.com"))


def _sends_json(method: str) -> bool:
    """Methods that take Block Kit go as JSON (lists stay lists); the rest as form fields."""
    return method.startswith(("chat.", "views.", "bookmarks.")) or method in ("conversations.create",)
