"""Who may use the bot: ALLOWED_USERS / ALLOWED_CHANNELS, checked on every command, shortcut,
button and modal before any listener runs (a global Bolt middleware).

- Both lists empty: everyone, everywhere.
- ALLOWED_CHANNELS set: commands run only in those channels, plus incident channels the bot made
  (`services.incidents.is_incident_channel`), since those are created on the fly.
- Files sent to the bot in a direct message are checked against ALLOWED_USERS only (commands/files.py).
- Events in AUTO_SCAN_CHANNELS are not requests by anyone: the operator chose those channels.

A refused person gets a short ephemeral reason; the log records who and where, nothing else.

Per incident (`incident_refusal` / `require_incident_access`, called by every incident action
once it knows which incident is meant): only the members of the incident's channel, and
ADMIN_USERS, may act on it or tick its checklist. Membership comes from Slack
(`conversations.members`); a yes is remembered for a few seconds, a no is always asked again (so
someone just invited is let in at once). When Slack cannot say, the answer is no. Listing many
incidents (`/incident list`, the Home tab) asks once for all of a person's channels
(`users.conversations`, `visible_incidents`), so the answer stays within Slack's 3 seconds.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from slack_bolt.response import BoltResponse

from bot.config import Settings
from bot.errors import LeakwatchError
from bot.slack.errors import tell_person

log = logging.getLogger(__name__)

#: request types that a person starts (Events API callbacks are handled per event kind)
_INTERACTIVE = {"block_actions", "message_action", "shortcut", "view_submission", "interactive_message"}


def refusal(settings: Settings, user: str | None, channel: str | None, *, incident_channel: bool = False) -> str | None:
    """The sentence refusing this person here, or None when allowed. `channel=None`: a DM to the bot."""
    if settings.allowed_users and user not in settings.allowed_users:
        return "You are not on the list of people who may use this bot (ALLOWED_USERS); ask your Slack admin."
    if settings.allowed_channels and channel is not None and channel not in settings.allowed_channels \
            and not incident_channel:
        places = ", ".join(f"<#{c}>" for c in settings.allowed_channels[:5])
        return f"This bot only works in certain channels (ALLOWED_CHANNELS): try {places}."
    return None


NOT_A_MEMBER = ("Only the members of an incident's channel (and ADMIN_USERS) may act on that incident; "
                "ask someone in the channel to add you.")
CANNOT_CHECK = "Slack could not say whether you are in the incident's channel; try again in a minute."


class NotAllowed(LeakwatchError):
    code = "not_allowed"


class Membership:
    """Who is in a channel, asked of Slack. A yes is kept `ttl` seconds; a no is asked again."""

    MAX_PAGES = 50

    def __init__(self, slack, *, ttl: float = 15.0, clock=time.monotonic):
        self.slack, self.ttl, self.clock = slack, ttl, clock
        self._known: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()

    def _members(self, channel: str) -> frozenset[str]:
        members: set[str] = set()
        cursor = ""
        for _ in range(self.MAX_PAGES):
            params = {"channel": channel, "limit": 200}
            if cursor:
                params["cursor"] = cursor
            page = self.slack.call("conversations.members", **params)
            members.update(page.get("members") or [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                break
        return frozenset(members)

    def is_member(self, channel: str, user: str) -> bool:
        with self._lock:
            known = self._known.get(channel)
        if known and known[0] > self.clock() and user in known[1]:
            return True
        members = self._members(channel)  # raises LeakwatchError when Slack cannot say
        with self._lock:
            self._known[channel] = (self.clock() + self.ttl, members)
        return user in members


    def channels_of(self, user: str) -> frozenset[str]:
        """Every channel (public or private) `user` is in that the bot can see: one paginated call,
        for listing many incidents at once (`/incident list`, the Home tab)."""
        channels: set[str] = set()
        cursor = ""
        for _ in range(self.MAX_PAGES):
            params = {"user": user, "types": "public_channel,private_channel", "exclude_archived": "true",
                      "limit": 1000}
            if cursor:
                params["cursor"] = cursor
            page = self.slack.call("users.conversations", **params)
            channels.update(c["id"] for c in page.get("channels") or [] if c.get("id"))
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
            if not cursor:
                break
        return frozenset(channels)


def _membership(services) -> Membership:
    found = services.extras.get("membership")
    if found is None:
        found = services.extras.setdefault("membership", Membership(services.slack))
    return found


def incident_refusal(services, channel_id: str | None, user: str | None) -> str | None:
    """The one line refusing `user` an incident whose channel is `channel_id`; None when allowed."""
    if user and user in services.settings.admin_users:
        return None
    if not user or not channel_id:
        return NOT_A_MEMBER
    try:
        allowed = _membership(services).is_member(channel_id, user)
    except LeakwatchError as err:
        log.warning("membership of an incident channel unknown: %s", err.code)
        return CANNOT_CHECK
    if not allowed:
        log.info("refused user=%s incident channel=%s: not a member", user, channel_id)
    return None if allowed else NOT_A_MEMBER


def visible_incidents(services, user: str | None):
    """A test `incident -> bool`: may this person see it (a member of its channel, or an admin)?
    Asks Slack once for all incidents; when Slack cannot say, nothing is visible."""
    if user and user in services.settings.admin_users:
        return lambda incident: True
    if not user:
        return lambda incident: False
    try:
        channels = _membership(services).channels_of(user)
    except LeakwatchError as err:
        log.warning("the channels of a person are unknown: %s", err.code)
        return lambda incident: False
    return lambda incident: bool(incident.channel_id) and incident.channel_id in channels


def require_incident_access(services, channel_id: str | None, user: str | None) -> None:
    reason = incident_refusal(services, channel_id, user)
    if reason is not None:
        raise NotAllowed(reason)


def _requester(body: dict) -> tuple[str | None, str | None]:
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    return user, channel


def _is_incident_channel(services, channel: str | None) -> bool:
    check = getattr(getattr(services, "incidents", None), "is_incident_channel", None)
    if not channel or check is None:
        return False
    try:
        return bool(check(channel))
    except Exception as err:  # noqa: BLE001 - fail closed, but say why in the log
        log.warning("is_incident_channel failed: %s", type(err).__name__)
        return False


def _json_response(payload: dict) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(payload), headers={"content-type": "application/json"})


def check_access(body: dict, context, respond, next):  # noqa: A002 - Bolt passes `next` by name
    """Global middleware: refuse before any listener runs."""
    is_command = "command" in body
    if not is_command and body.get("type") not in _INTERACTIVE:
        return next()
    services = context["services"]
    user, channel = _requester(body)
    # a modal has no channel; its opener was checked when the modal was opened
    if body.get("type") == "view_submission":
        channel = None
    reason = refusal(services.settings, user, channel, incident_channel=_is_incident_channel(services, channel))
    if reason is None:
        return next()
    log.info("refused user=%s channel=%s request=%s", user, channel, body.get("command") or body.get("type"))
    if is_command:
        return _json_response({"response_type": "ephemeral", "text": reason})
    if body.get("type") == "view_submission":
        # the modal itself is the private place to say it
        return _json_response({"response_action": "update", "view": {
            "type": "modal", "title": {"type": "plain_text", "text": "Not allowed"},
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": reason}}]}})
    # acknowledge at once; the reason follows on its own so Slack's 3 seconds are never at risk
    threading.Thread(target=tell_person, args=(reason, body), kwargs={"respond": respond, "services": services},
                     daemon=True).start()
    return BoltResponse(status=200, body="")
