"""Pure Block Kit for what goes outside the incident room: the stakeholder channel's short posts.

A stakeholder post says what happened (opened, taken down, closed, a new severity, an update in a
responder's words), the status, severity, people affected, the takedown clock and the lead: never the leak's
URL, a title that could name it, a place inside the file or a sample. Golden-tested.
"""

from __future__ import annotations

from datetime import datetime

from bot.config import SEVERITIES, severity_rank
from bot.incidents.clocks import format_duration, from_iso
from bot.model import Incident
from bot.slack import times

STATUS = {"open": "still online", "down": "taken down", "closed": "closed"}
UPDATE_MAX = 1500


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clock(incident: Incident, now: datetime, target_minutes: float) -> str:
    figures = incident.figures
    if figures:
        return f"taken down {format_duration(figures.notification_to_takedown_seconds)} after notification"
    elapsed = (now - from_iso(incident.notified_at)).total_seconds()
    target = target_minutes * 60
    state = "within" if elapsed <= target else "past"
    return f"{format_duration(elapsed)} since notification ({state} the {format_duration(target)} target)"


def severity_headline(previous: str | None, level: str) -> str:
    """`severity raised to critical (was high)`: the headline of a severity change. The reason given
    in the room is not repeated: it was written for responders (`/incident update` speaks to the
    stakeholders in words)."""
    if previous in SEVERITIES and level in SEVERITIES:
        moved = "raised" if severity_rank(level) > severity_rank(previous) else "lowered"
        return f"severity {moved} to {level} (was {previous})"
    return f"severity set to {level}"


def stakeholder_post(incident: Incident, headline: str, now: datetime, target_minutes: float,
                     update: str | None = None, by: str | None = None) -> tuple[str, list]:
    number = incident.number
    status = STATUS.get(incident.status, incident.status)
    facts = [f"*Status:* {status}", f"*Severity:* {incident.severity or 'unknown'}",
             f"*People affected:* {incident.records_affected:,}",
             f"*Clock:* {_clock(incident, now, target_minutes) if incident.status != 'closed' or incident.figures else 'closed'}"]
    if incident.lead:
        facts.append(f"*Lead:* <@{incident.lead}>")
    lines = [f":mega: *Incident #{number}: {headline}* · {times.moment(now)}", " · ".join(facts)]
    if update:
        lines.append(f"> {_escape(update[:UPDATE_MAX])}" + (f" — <@{by}>" if by else ""))
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
              {"type": "context", "elements": [{"type": "mrkdwn", "text":
                  "Figures only: the address of the exposed data and any samples stay in the incident channel."}]}]
    return f"Incident #{number}: {headline} ({status})", blocks
