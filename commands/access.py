"""Who may use the bot: ALLOWED_USERS / ALLOWED_CHANNELS, checked on every command, shortcut,
button and modal before any listener runs (a global Bolt middleware).

- Both lists empty: everyone, everywhere.
- ALLOWED_CHANNELS set: commands run only in those channels, plus incident channels the bot made
  (`services.incidents.is_incident_channel`), since those are created on the fly.
- Files sent to the bot in a direct message are checked against ALLOWED_USERS only (commands/files.py).
- Events in AUTO_SCAN_CHANNELS are not requests by anyone: the operator chose those channels.

A refused person gets a short ephemeral reason; the log records who and where, nothing else.
"""

from __future__ import annotations

import json
import logging
import threading

from slack_bolt.response import BoltResponse

from bot.config import Settings
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
