"""Who leads, how bad, and where things stand: `/incident lead`, `/incident severity`,
`/incident update`. Each takes an IncidentContext (bot/incidents/context.py), changes the stored
incident, puts it on the timeline, and says it in the room.

- `set_lead`: the lead is invited to the room (a lead must be able to act on it), shown in the
  topic and the pinned summary, and mentioned first by reminders and escalations
  (`mention_people`).
- `set_severity`: one of SEVERITIES, with an optional reason (checked for personal data, like
  every text that reaches the timeline); the summary shows the new level, the stakeholder channel
  hears the new level with the figures (not the reason), and an open page takes it
  (outside.severity_changed; a drill stays in its room).
- `post_update`: the room, the timeline and STAKEHOLDER_CHANNEL; never the exposed file's address.

`guard(text, what)` raises when a text holds personal data (service.refuse_personal_data).
"""

from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from bot.errors import LeakwatchError
from bot.incidents import blocks, lifecycle
from bot.incidents.outside import mark_update, severity_changed, tell_stakeholders
from bot.model import Incident

log = logging.getLogger(__name__)

SEVERITIES = ("low", "medium", "high", "critical")
UPDATE_MAX = 1500
#: `<@U123>` and `<@U123|name>` as Slack escapes a mention (should_escape), or a bare user id
_MENTION = re.compile(r"^<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>$|^([UW][A-Z0-9]{6,})$")
_SLACK_MARKUP = re.compile(r"<(@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|https?://[^|>]+)(?:\|([^>]*))?>")


class BadRoleCommand(LeakwatchError):
    code = "bad_role_command"


def mention_people(incident: Incident) -> str:
    """The lead first, then on-call (without naming the lead twice)."""
    oncall = lifecycle.mention_oncall(incident)
    if not incident.lead:
        return oncall
    if oncall == "<!channel>":
        return f"<@{incident.lead}>"
    rest = " ".join(part for part in oncall.split() if part != f"<@{incident.lead}>")
    return f"<@{incident.lead}> {rest}".strip()


def _refresh_room(ctx, incident: Incident) -> None:
    """Topic and pinned summary show the current lead and severity."""
    lifecycle.refresh_topic(ctx, incident)
    if incident.summary_ts:
        text, summary_blocks = blocks.summary(incident, ctx.clock())
        try:
            ctx.slack.update(incident.channel_id, incident.summary_ts, text, blocks=summary_blocks)
        except LeakwatchError as err:
            log.warning("incident %d: summary not updated: %s", incident.number, err.code)


def set_lead(ctx, incident: Incident, text: str, *, by: str, saved=None) -> str:
    """`saved` (if given) is called once the new lead and its entry are stored."""
    match = _MENTION.match(text.strip())
    if not match:
        raise BadRoleCommand("Say who leads it by mentioning them: /incident lead @name.")
    lead = match.group(1) or match.group(2)
    if lead == incident.lead:
        return f"<@{lead}> already leads incident #{incident.number}."
    previous = incident.lead

    def change(doc: Incident) -> None:
        doc.lead = lead
        doc.members = sorted({*doc.members, lead})

    with ctx.incident_lock(incident.number):
        try:
            ctx.slack.invite(incident.channel_id, [lead])
        except LeakwatchError as err:
            raise BadRoleCommand(f"<@{lead}> could not be added to the incident channel ({err}).") from None
        with ctx.records.together(incident.number):
            incident = ctx.records.modify(incident.number, change)
            ctx.records.add_event(incident.number, "lead", f"Lead: <@{lead}>"
                                  + (f" (was <@{previous}>)." if previous else "."), at=ctx.clock(), by=by)
    if saved is not None:
        saved()
    ctx.slack.post(incident.channel_id, f":bust_in_silhouette: <@{lead}> now leads incident #{incident.number} "
                                        f"(set by <@{by}>). Reminders mention the lead first.")
    _refresh_room(ctx, incident)
    return f"<@{lead}> now leads incident #{incident.number}."


def set_severity(ctx, incident: Incident, text: str, *, by: str, guard, saved=None) -> str:
    """`saved` (if given) is called once the new level, the page's update and the entry are stored."""
    words = text.split(maxsplit=1)
    level = words[0].lower() if words else ""
    if level not in SEVERITIES:
        raise BadRoleCommand(f"Give the severity as one of {', '.join(SEVERITIES)}, then why: "
                             "/incident severity critical names and A-numbers of detainees.")
    reason = " ".join(words[1].split()) if len(words) > 1 else ""
    if len(reason) > 300:
        raise BadRoleCommand(f"A reason is at most 300 characters; this one has {len(reason):,}.")
    if reason:
        guard(reason, "reason")
    number, why = incident.number, f": {reason}" if reason else " (no reason given)"

    def change(doc: Incident) -> None:  # the page's update is remembered with the new level
        doc.severity = level
        mark_update(ctx, doc)

    with ctx.incident_lock(number):
        previous = ctx.records.get(number).severity
        if level == previous:
            return f"Incident #{number} is already {level}."
        with ctx.records.together(number):
            incident = ctx.records.modify(number, change)
            ctx.records.add_event(number, "severity", f"Severity {previous} -> {level}{why}", at=ctx.clock(), by=by)
    if saved is not None:
        saved()
    severity_changed(ctx, incident, previous)
    ctx.slack.post(incident.channel_id, f":vertical_traffic_light: <@{by}> changed the severity of incident "
                                        f"#{number} from {previous} to *{level}*{blocks.escape(why)}")
    _refresh_room(ctx, incident)
    told = " The stakeholders were told." if ctx.settings.stakeholder_channel and not incident.drill else ""
    return f"Incident #{incident.number} is now {level}.{told}"


def plain_text(text: str) -> str:
    """Slack's markup in a typed text (`<@U1|dana>`, `<https://x|x>`) as the words it shows."""
    def words(match: re.Match) -> str:
        inner, label = match.group(1), match.group(2)
        if inner.startswith(("@", "#")):
            return (inner[0] + label) if label else inner
        return label or inner
    return " ".join(_SLACK_MARKUP.sub(words, text).split())


def _holds_address(incident: Incident, text: str) -> bool:
    address = urlsplit(incident.url or "")
    if not address.hostname:
        return False
    path, lowered = address.path.rstrip("/").lower(), text.lower()
    return (len(path) > 3 and path in lowered) or (address.netloc.lower() + path) in lowered


def post_update(ctx, incident: Incident, text: str, *, by: str, guard) -> str:
    text = plain_text(text)
    if not text:
        raise BadRoleCommand("Say what to tell: /incident update <text>, e.g. /incident update Owner is removing it.")
    if len(text) > UPDATE_MAX:
        raise BadRoleCommand(f"An update is at most {UPDATE_MAX:,} characters; this one has {len(text):,}.")
    if _holds_address(incident, text):
        raise BadRoleCommand("Leave the exposed file's address out of an update: stakeholders get figures only.")
    guard(text, "update")
    ctx.records.add_event(incident.number, "update", f"Update: {text}", at=ctx.clock(), by=by)
    ctx.slack.post(incident.channel_id, f":memo: *Update* from <@{by}>: {blocks.escape(text)}")
    tell_stakeholders(ctx, incident, "update", update=text, by=by)
    told = " and to the stakeholders" if ctx.settings.stakeholder_channel else ""
    return f"Incident #{incident.number}: update posted in <#{incident.channel_id}>{told}."
