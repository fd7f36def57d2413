"""`/checklist` re-posts the incident's follow-up checklist; `/checklist add <item>` extends it."""

from __future__ import annotations

import logging

from bot.errors import LeakwatchError
from bot.slack.errors import GENERIC, log_failure, user_sentence
from commands.access import require_incident_access

log = logging.getLogger(__name__)

HELP = ("*/checklist*: the incident's follow-up checklist (caches, search engines, access logs, legal "
        "deadlines, notifying the people affected).\n"
        "• `/checklist`: post it again here; the new message is the one kept up to date\n"
        "• `/checklist add <item>`: add a step, e.g. `/checklist add Ask the hosting vendor to purge backups`\n"
        "Tick the boxes in the message: each tick is saved with who and when.\n"
        "In an incident channel the incident is implied; elsewhere add its number: `/checklist #12`.")

def register(app) -> None:
    app.command("/checklist")(on_checklist_command)


def on_checklist_command(ack, command, respond, context) -> None:
    services = context["services"]
    incidents = services.incidents
    text = (command.get("text") or "").strip()
    if text.lower() in ("help", "-h", "--help", "?") or text.lower().endswith(" help"):
        ack(text=HELP)
        return
    if incidents is None:
        ack(text="Incidents are not enabled on this bot.")
        return
    user, channel = command.get("user_id"), command.get("channel_id")
    try:
        incident, rest = incidents.resolve(text, channel)
        require_incident_access(services, incident.channel_id, user)
        words = rest.split(maxsplit=1)
        adding = bool(words) and words[0].lower() == "add"
        if rest and not adding:
            raise LeakwatchError("Use /checklist to post the checklist again, or /checklist add <item>.")
        if incident.status == "closed" and adding:
            raise LeakwatchError(f"Incident #{incident.number} is closed.")
    except LeakwatchError as err:
        ack(text=str(err))
        return
    ack()
    try:
        if adding:
            answer = incidents.add_checklist_item(incident, words[1] if len(words) > 1 else "", user=user)
        else:
            incidents.post_checklist(incident.number)
            answer = f"Checklist of incident #{incident.number} posted in <#{incident.channel_id}>."
    except Exception as err:  # noqa: BLE001
        log_failure(err, "/checklist")
        answer = user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC
    try:
        respond(text=answer, response_type="ephemeral", replace_original=False)
    except Exception as err:  # noqa: BLE001
        log.info("could not answer /checklist: %s", type(err).__name__)
