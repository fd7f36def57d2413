"""The page an incident sends (PagerDuty / Opsgenie): `alert_for(ctx, incident, now)` is a pure
function of the incident and the time: its key (one alert per incident: paging.incident_key), a
summary with how far past the takedown target it is, the severity, and figures only (people,
types, the room): never the leak's URL, a sample or a found value. Used by every page that
leaves: the trigger and the update (outside.py), the update tried again (page_retry.py)."""

from __future__ import annotations

from bot.incidents.clocks import format_duration, from_iso
from bot.model import Incident
from bot.paging import Alert, incident_key
from bot.slack.blocks import type_label


def alert_for(ctx, incident: Incident, now) -> Alert:
    target = ctx.settings.takedown_target_minutes * 60
    over = (now - from_iso(incident.notified_at)).total_seconds() - target
    types = ", ".join(type_label(f.type) for f in incident.findings) or "unknown"
    summary = (f"Leakwatch incident #{incident.number}: personal data still online "
               f"{format_duration(max(over, 0))} past the {format_duration(target)} takedown target")
    return Alert(key=incident_key(incident.number), summary=summary,
                 severity=incident.severity or "high",
                 details={"incident": incident.number, "people_affected": incident.records_affected,
                          "types": types, "slack_channel": incident.channel_id,
                          "notified_at": incident.notified_at},
                 link=f"https://slack.com/app_redirect?channel={incident.channel_id}")
