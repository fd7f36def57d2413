"""`/incident open|drill|notified|lead|severity|update|down|status|report|list|close`, and the
start-up of the incident part.

`/incident drill` opens a practice incident (bot/incidents/drill.py), marked DRILL everywhere,
including the status answered here.

Inside an incident channel the incident is implied; elsewhere `#N` names it. Every subcommand that
names an incident is checked first (commands/access.py): only members of the incident's channel
and ADMIN_USERS may act on it; `/incident list` shows others only a count. Quick answers (help,
list, status) come back in the acknowledgement; the rest acknowledge at once (Slack's 3 seconds)
and answer privately when done. `/incident report` posts in the room when asked there.
`/incident open` is kept in the store until answered, so a bot stopped half-way opens it at its
next start (commands/scan_requests.py, resumed by `attach`).
"""

from __future__ import annotations

import logging

from slack_bolt.context.respond import Respond

from bot.errors import LeakwatchError
from bot.incidents import drill
from bot.incidents.service import IncidentService
from bot.slack.ack import AckOnce
from bot.slack.blocks import notice
from bot.slack.errors import GENERIC, log_failure, user_sentence
from bot.store import shared_store
from bot.workers import PoolBusy
from commands import incident_downloads, scan_requests
from commands.access import require_incident_access, visible_incidents
from commands.scan import send

log = logging.getLogger(__name__)

HELP = (
    "*/incident*: the incident channel, the takedown clock and its proof.\n"
    "• `/incident open <url or title>`: open an incident by hand (a URL is scanned and re-checked until it is gone)\n"
    "   e.g. `/incident open https://example.gov/files/roster.xlsx`\n"
    "• `/incident notified [HH:MM | ISO time]`: when the site's owner was told, in your own Slack time zone; the takedown clock and "
    "legal deadlines count from it. e.g. `/incident notified 14:05`\n"
    "• `/incident down`: you removed the file; the bot verifies it and posts the figures\n"
    "• `/incident lead @name`: who leads it (topic, summary; reminders mention the lead first)\n"
    "• `/incident severity <low|medium|high|critical> [reason]`: change the severity; the reason goes on the timeline, the new level to the stakeholders and the page\n"
    "• `/incident update <text>`: tell the room and the stakeholders where things stand (no URL, no values)\n"
    "• `/incident status` · `/incident report` (for the breach log) · `/incident list` · `/incident close`\n"
    "• `/incident drill`: a practice incident on the bot's own synthetic sample file, marked DRILL: the same "
    "clock, escalation and checklist, no paging or stakeholder posts; its report says how long the team took\n"
    "• `/incident downloads [clients]`: read the access logs shared in the incident channel (who fetched the "
    "file); `clients` also uploads the per-client table to this private channel\n"
    "In an incident channel the incident is implied; elsewhere add its number: `/incident status #12`."
)
SUBCOMMANDS = ("open", "drill", "notified", "down", "status", "report", "list", "close", "update", "downloads",
               "lead", "severity")
#: the subcommands that change the incident: Slack is answered once the change is stored
STORED_FIRST = ("notified", "lead", "severity", "close")


def register(app) -> None:
    app.command("/incident")(on_incident_command)


def attach(services) -> None:
    """Start-up: the shared store, the service and its sweep loop (Services.build fixed the key),
    then the `/incident open` commands a stopped bot left unanswered."""
    store = shared_store(services)
    services.incidents = IncidentService(services.settings, services.slack, store)
    services.incidents.start()

    def run(request_id, request):
        respond = Respond(response_url=request["response_url"]) if request.get("response_url") else None
        _submit_open(services, request_id, request["url"], user=request.get("user"), channel=request.get("channel"),
                     respond=respond)

    def give_up(sentence, user, channel):
        send(services, sentence, None, user=user, channel=channel)

    services.extras["open_requests"] = resumer = scan_requests.Resumer(services, run, give_up, kind="open")
    resumer.start()


def detach(services) -> None:
    resumer = services.extras.get("open_requests")
    if resumer is not None:
        resumer.stop()
    if services.incidents is not None:
        services.incidents.stop()


def _submit_open(services, request_id: int | None, text: str, *, user, channel, respond) -> None:
    try:
        services.workers.submit(_open_job, services, text, user=user, channel=channel, respond=respond,
                                request_id=request_id)
    except PoolBusy as err:
        scan_requests.forget(services, request_id)
        if respond is not None:
            _answer(respond, str(err))


def _answer(respond, text: str, first: AckOnce | None = None, blocks: list | None = None) -> None:
    """The private answer; Slack's acknowledgement (`first`, if not given yet) goes before it."""
    if first is not None:
        first()
    try:
        respond(text=text, blocks=blocks or notice(text, links=True)[1], response_type="ephemeral",
                replace_original=False)
    except Exception as err:  # noqa: BLE001 - response_url expired: nothing else to do
        log.info("could not answer an /incident command: %s", type(err).__name__)


def on_incident_command(ack, command, respond, context) -> None:
    services = context["services"]
    incidents: IncidentService | None = services.incidents
    text = (command.get("text") or "").strip()
    words = text.split()
    sub = words[0].lower() if words else ""
    rest = text[len(words[0]):].strip() if words else ""
    if sub in ("", "help", "-h", "--help", "?") or rest.lower() == "help" or sub not in SUBCOMMANDS:
        prefix = "" if sub in ("", "help", "-h", "--help", "?") or sub in SUBCOMMANDS else f"There is no `/incident {sub[:20]}`. "
        ack(text=prefix + HELP)
        return
    if incidents is None:
        ack(text="Incidents are not enabled on this bot.")
        return
    user, channel = command.get("user_id"), command.get("channel_id")
    try:
        if sub == "list":
            answer, blocks = incidents.listing(visible_incidents(services, user))
            ack(text=answer, blocks=blocks)
            return
        if sub == "open":
            # kept before the acknowledgement: a bot stopped mid-open opens it at start (scan_requests.py)
            request_id = scan_requests.remember(services, rest, False, user=user, channel=channel, kind="open",
                                                response_url=getattr(respond, "response_url", None))
            ack(text="Opening an incident…")
            _submit_open(services, request_id, rest, user=user, channel=channel, respond=respond)
            return
        if sub == "drill":
            ack(text="Opening a drill (a practice incident)…")
            services.workers.submit(_drill_job, services, user=user, channel=channel, respond=respond)
            return
        incident, rest = incidents.resolve(rest, channel)
        require_incident_access(services, incident.channel_id, user)
        if sub == "status":
            answer, blocks = incidents.status(incident)
            if incident.drill:
                answer, blocks = drill.mark_text(answer), drill.mark_blocks(blocks)
            ack(text=answer, blocks=blocks)
            return
    except PoolBusy as err:
        _answer(respond, str(err))
        return
    except LeakwatchError as err:
        ack(text=str(err))
        return
    # a change of the incident answers Slack once it is stored (bot/slack/ack.py): a bot killed
    # between the answer and the write never told Slack "done" for a change it lost
    stored = AckOnce(ack) if sub in STORED_FIRST else None
    if stored is None:
        ack()
    try:
        if sub == "notified":
            _answer(respond, incidents.notified(incident, rest, user=user, saved=stored), stored)
        elif sub == "down":
            _answer(respond, incidents.manual_down(incident, user=user))
        elif sub == "update":
            _answer(respond, incidents.update(incident, rest, user=user))
        elif sub == "lead":
            _answer(respond, incidents.lead(incident, rest, user=user, saved=stored), stored)
        elif sub == "severity":
            _answer(respond, incidents.severity(incident, rest, user=user, saved=stored), stored)
        elif sub == "close":
            _answer(respond, incidents.close(incident, user=user, saved=stored), stored)
        elif sub == "report":
            answer, blocks = incidents.report(incident)
            if channel == incident.channel_id:
                services.slack.post(channel, answer, blocks=blocks)
            else:
                _answer(respond, answer, blocks=blocks)
            incident_downloads.report_files(services, incident)  # the picture and the breach report
        elif sub == "downloads":
            _answer(respond, incident_downloads.downloads_command(services, incident, rest, user=user, respond=respond))
    except Exception as err:  # noqa: BLE001 - the person gets one sentence, the log the type
        log_failure(err, f"/incident {sub}")
        _answer(respond, user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC, stored)
    finally:
        if stored is not None:
            stored()


def _open_job(services, text: str, *, user: str, channel: str, respond, request_id: int | None = None) -> None:
    from bot.scan.pipeline import scan_url

    scan_requests.started(services, request_id)  # the replicas' lease counts from here, not from the queue
    try:
        opened = services.incidents.open_from_command(text, user=user, channel=channel, scan=scan_url,
                                                      opened=scan_requests.marker(services, request_id))
    except Exception as err:  # noqa: BLE001
        log_failure(err, "/incident open")
        _answer(respond, user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC)
    else:
        verb = "is already open" if opened["joined"] else "opened"
        _answer(respond, f"Incident #{opened['number']} {verb} in <#{opened['channel_id']}>.")
    scan_requests.forget(services, request_id)


def _drill_job(services, *, user: str, channel: str, respond) -> None:
    try:
        opened = services.incidents.drill(user=user, channel=channel)
    except Exception as err:  # noqa: BLE001
        log_failure(err, "/incident drill")
        _answer(respond, user_sentence(err) if isinstance(err, LeakwatchError) else GENERIC)
        return
    _answer(respond, f"DRILL #{opened['number']} opened in <#{opened['channel_id']}>: a practice incident on the bot's "
                     "synthetic sample file. No page and no stakeholder post; take the sample down to stop the clock.")
