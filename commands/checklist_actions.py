"""Checklist checkboxes (block_actions): each tick or untick is saved with who and when.

Slack is answered once the tick is stored (AckOnce, bot/slack/ack.py), not before: a click the
bot acknowledged is never lost to a crash between the answer and the write. Access rules are checked before this runs
(commands/access.py, a global middleware). Here the click must also come from a member of the
incident's channel (or ADMIN_USERS), and from the incident's own room: the block id names the
incident, and a checklist copied elsewhere does not get to change it.
"""

from __future__ import annotations

import logging
import re

from bot.errors import LeakwatchError
from bot.incidents.checklist import ACTION_PREFIX, parse_block_id
from bot.slack.ack import AckOnce
from bot.slack.errors import GENERIC, log_failure, tell_person, user_sentence
from commands.access import incident_refusal

log = logging.getLogger(__name__)

ACTION_PATTERN = re.compile(rf"^{ACTION_PREFIX}_\d+$")


def register(app) -> None:
    app.action(ACTION_PATTERN)(on_checklist_toggle)


def on_checklist_toggle(ack, body, action, respond, context) -> None:
    answer = AckOnce(ack)
    try:
        _toggle(answer, body, action, respond, context)
    finally:
        answer()


def _toggle(answer: AckOnce, body, action, respond, context) -> None:
    services = context["services"]
    if services.incidents is None:
        return
    parsed = parse_block_id(action.get("block_id", ""))
    user = (body.get("user") or {}).get("id")
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    refused = incident_refusal(services, channel, user) if parsed is not None else None
    if refused is not None:
        # not a member (a public incident channel can be read by anyone): refuse, and put the
        # message back as stored, since Slack already shows the box as clicked
        tell_person(refused, body, respond=respond, services=services)
        try:
            services.incidents.rebuild_checklist(parsed[0], also=(channel, container.get("message_ts")))
        except LeakwatchError as err:
            log.info("checklist not restored after a refused tick: %s", err.code)
        return
    try:
        if parsed is None:
            raise LeakwatchError("This checkbox is not part of an incident checklist.")
        services.incidents.toggle(number=parsed[0], action=action, message=body.get("message"), user=user,
                                  channel=channel, message_ts=container.get("message_ts"), saved=answer)
    except Exception as err:  # noqa: BLE001 - one sentence to the person, the type to the log
        log_failure(err, "checklist tick")
        tell_person(user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC, body, respond=respond,
                    services=services)
