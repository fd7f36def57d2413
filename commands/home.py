"""The Home tab: `app_home_opened` -> `views.publish` of bot/slack/home_view.py for that person.

What a person sees there is what they may see elsewhere: the open incidents whose channels they
are in (all of them for ADMIN_USERS; the others are only counted), the active watches, and their
own last scans. Scans are remembered per person by `remember_scan` (called for every scan a
person asked for, commands/scan.py): when, the target as they gave it, severity, people and types:
never a sample or a value. The newest KEEP per person are kept.
"""

from __future__ import annotations

import logging

from bot.errors import LeakwatchError
from bot.incidents.clocks import to_iso, utcnow
from bot.slack.home_view import home_view
from bot.store import shared_store
from commands.access import refusal, visible_incidents

log = logging.getLogger(__name__)

TABLE = "recent_scans"
KEEP = 10


def register(app) -> None:
    app.event("app_home_opened")(on_home_opened)


def remember_scan(services, report, user: str | None) -> None:
    """Keep the facts of one scan for the person's Home tab. Never raises."""
    if not user:
        return
    try:
        table = shared_store(services).table(TABLE)
        table.insert({"user": user, "at": to_iso(utcnow()), "target": str(report.target)[:300],
                      "severity": report.severity, "records_affected": report.records_affected,
                      "types": [f.type for f in report.findings][:10], "error": bool(report.error)})
        mine = sorted(table.search(where={"user": user}), key=lambda d: (d["at"], d.id))
        for old in mine[:-KEEP]:
            table.remove(old.id)
    except Exception as err:  # noqa: BLE001 - the Home tab must never cost a scan its answer
        log.warning("could not remember a scan for the Home tab: %s", type(err).__name__)


def recent_scans(services, user: str) -> list[dict]:
    table = shared_store(services).table(TABLE)
    return sorted(table.search(where={"user": user}), key=lambda d: (d["at"], d.id), reverse=True)


def build(services, user: str) -> dict:
    settings, now = services.settings, utcnow()
    refused = refusal(settings, user, None)
    if refused:
        return home_view(incidents=[], watches=[], scans=[], now=now, target_minutes=0, refusal=refused)
    incidents, hidden = [], 0
    if services.incidents is not None:
        visible = visible_incidents(services, user)
        for incident in services.incidents.records.all(("open", "down")):
            if visible(incident):
                incidents.append(incident)
            else:
                hidden += 1
    watches = services.watches.watches.active() if getattr(services, "watches", None) is not None else []
    return home_view(incidents=incidents, watches=watches, scans=recent_scans(services, user), now=now,
                     target_minutes=settings.takedown_target_minutes, hidden_incidents=hidden)


def publish(services, user: str) -> None:
    try:
        services.slack.call("views.publish", user_id=user, view=build(services, user))
    except LeakwatchError as err:
        log.warning("the Home tab could not be published: %s", err.code)


def on_home_opened(event, context) -> None:
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    publish(context["services"], event["user"])
