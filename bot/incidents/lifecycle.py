"""The incident's life: open (or join), notified, taken down, reopened, closed.

Opening is a list of small steps (channel, invites, summary, pin, topic, timer, checklist, jobs),
each saved as soon as it is done, so a bot killed half-way finishes the remaining steps at the
next start (`ensure_room`) instead of opening a second room or losing the first.
Functions take the IncidentService (`svc`: records, slack, settings, clock, locks).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.errors import LeakwatchError
from bot.incidents import blocks, outside
from bot.incidents.checklist import new_items
from bot.incidents.clocks import Due, from_iso, legal_schedule, takedown_schedule, to_iso
from bot.incidents.naming import channel_name
from bot.incidents.records import url_key
from bot.slack import times

log = logging.getLogger(__name__)

TIMER_KEY = "timer"
POLL_KEY = "poll"


def new_incident(svc, *, summary: dict | None, url: str | None, title: str | None, reporter: str,
                 origin_channel: str | None, now: datetime) -> dict:
    summary = summary or {}
    return {
        "title": title, "url": url, "url_key": url_key(url), "status": "open",
        "opened_at": to_iso(now), "opened_by": reporter, "origin_channel": origin_channel,
        "notified_at": to_iso(now), "notified_by": None, "notified_source": "opening",
        "severity": summary.get("severity", "unknown"), "records_affected": summary.get("records_affected", 0),
        "findings": summary.get("findings", []), "fingerprints": summary.get("fingerprints", {}),
        "content_sha256": summary.get("content_sha256"), "final_url": summary.get("final_url"),
        "last_modified": summary.get("last_modified"), "etag": summary.get("etag"),
        "first_seen_at": to_iso(now) if summary else None,
        "channel_id": None, "channel_name": None, "summary_ts": None, "timer_ts": None,
        "oncall": [], "oncall_group": None, "members": [reporter],
        "setup": {}, "setup_complete": False,
        "last_check": None, "last_seen_up_at": None, "unreachable_streak": 0,
        "manual_down": None, "taken_down_at": None, "takedown_reason": None, "takedown_how": None,
        "figures": None, "takedowns": [], "reopened": 0, "closed_at": None, "closed_by": None,
    }


def oncall(svc) -> tuple[list[str], str | None]:
    """Who is on call: the user group's members (and its id, for mentions), or ONCALL_USERS."""
    settings = svc.settings
    if settings.oncall_usergroup:
        try:
            return svc.slack.usergroup_members(settings.oncall_usergroup), settings.oncall_usergroup
        except LeakwatchError as err:
            log.warning("on-call user group could not be read: %s", err.code)
            return list(settings.oncall_users), settings.oncall_usergroup
    return list(settings.oncall_users), None


def mention_oncall(incident: dict) -> str:
    if incident.get("oncall_group"):
        return f"<!subteam^{incident['oncall_group']}>"
    if incident.get("oncall"):
        return " ".join(f"<@{user}>" for user in incident["oncall"])
    return "<!channel>"


def _actual_name(svc, channel: str, wanted: str) -> str:
    """The name Slack gave (a suffix was added if the wanted one was taken)."""
    try:
        return svc.slack.call("conversations.info", channel=channel).get("channel", {}).get("name") or wanted
    except LeakwatchError:
        return wanted


def _optional(number: int, step: str, call) -> None:
    """Invites and the pin help, but a refusal (a restricted workspace, a deactivated person) must
    not keep the clock from starting: logged and passed. Slack being unreachable is retried."""
    try:
        failed = call()
    except LeakwatchError as err:
        if err.code == "unreachable":
            raise
        log.warning("incident %d: %s refused by Slack: %s", number, step, err.code)
        return
    if failed:
        log.warning("incident %d: %d people could not be invited", number, len(failed))


def _step(svc, number: int, name: str, fields: dict | None = None) -> dict:
    def mark(doc):
        doc.update(fields or {})
        doc["setup"][name] = True

    return svc.records.modify(number, mark)


def ensure_room(svc, number: int) -> dict:
    """Do whatever opening steps are not done yet; safe to call again at any point."""
    with svc.incident_lock(number):
        incident = svc.records.get(number)
        if incident is None or incident.get("setup_complete"):
            return incident
        now = svc.clock()
        done = incident["setup"]
        if not incident.get("channel_id"):
            source = incident.get("url") or incident.get("title") or f"incident {number}"
            name = channel_name(svc.settings.incident_channel_prefix, from_iso(incident["opened_at"]), source)
            channel = svc.slack.create_channel(name, private=svc.settings.incident_channel_private)
            incident = _step(svc, number, "channel", {"channel_id": channel, "channel_name": _actual_name(svc, channel, name)})
            svc.records.add_event(number, "open", f"Incident opened; room #{incident['channel_name']} created.",
                                  at=now, by=incident["opened_by"])
        channel = incident["channel_id"]
        if not done.get("invite"):
            people, group = oncall(svc)
            _optional(number, "invite", lambda: svc.slack.invite(channel, [incident["opened_by"], *people]))
            incident = _step(svc, number, "invite", {"oncall": people, "oncall_group": group,
                                                     "members": sorted({*incident["members"], *people})})
            svc.records.add_event(number, "invite", f"Invited the reporter and {len(people)} on-call.", at=now)
        if not incident.get("summary_ts"):
            text, summary_blocks = blocks.summary(incident, now)
            incident = _step(svc, number, "summary", {"summary_ts": svc.slack.post(channel, text, blocks=summary_blocks)})
        if not done.get("pin"):
            _optional(number, "pin", lambda: svc.slack.pin(channel, incident["summary_ts"]))
            incident = _step(svc, number, "pin")
        if not done.get("topic"):
            refresh_topic(svc, incident)
            incident = _step(svc, number, "topic")
        if not incident.get("timer_ts"):
            text, timer_blocks = blocks.timer(incident, now, svc.settings.takedown_target_minutes)
            incident = _step(svc, number, "timer", {"timer_ts": svc.slack.post(channel, text, blocks=timer_blocks)})
        if not done.get("checklist"):
            svc.records.create_checklist(number, new_items())
            svc.post_checklist(number)
            incident = _step(svc, number, "checklist")
        schedule_jobs(svc, incident)
        log.info("incident %d: room ready channel=%s", number, channel)
        return svc.records.modify(number, lambda doc: doc.update(setup_complete=True))


def schedule_jobs(svc, incident: dict, *, immediate_poll: bool = False) -> None:
    """All due work of an open incident, by key: idempotent, so a restart can simply call it again."""
    number, now = incident.id, svc.clock()
    notified = from_iso(incident["notified_at"])
    dues: list[Due] = []
    if incident["status"] == "open":
        dues += takedown_schedule(notified, svc.settings.takedown_target_minutes)
        dues.append(Due(TIMER_KEY, "timer", now + timedelta(seconds=svc.settings.timer_update_seconds), TIMER_KEY, {}))
    if incident["status"] in ("open", "down"):
        dues += legal_schedule(notified, svc.settings.legal_clocks)
        if incident.get("url"):
            first = now if immediate_poll else now + timedelta(seconds=svc.settings.takedown_poll_seconds)
            dues.append(Due(POLL_KEY, "poll", first, POLL_KEY, {}))
    existing = {job["key"]: job for job in svc.records.incident_jobs(number)}
    # a recurring job already pending keeps its own rhythm unless asked to poll now
    dues = [d for d in dues if not (d.key in (TIMER_KEY, POLL_KEY) and existing.get(d.key, {}).get("status") == "pending"
                                    and not (immediate_poll and d.key == POLL_KEY))]
    svc.records.schedule(number, dues)


def refresh_topic(svc, incident: dict) -> None:
    try:
        svc.slack.set_topic(incident["channel_id"], blocks.topic(incident, svc.settings.takedown_target_minutes))
    except LeakwatchError as err:
        log.warning("incident %d: topic not set: %s", incident.id, err.code)


def refresh_timer(svc, incident: dict) -> None:
    """Update the one timer message in place; if someone deleted it, post a new one and keep that."""
    if not incident.get("timer_ts"):
        return
    text, timer_blocks = blocks.timer(incident, svc.clock(), svc.settings.takedown_target_minutes)
    try:
        svc.slack.update(incident["channel_id"], incident["timer_ts"], text, blocks=timer_blocks)
    except LeakwatchError as err:
        if err.code != "message_not_found":
            raise
        ts = svc.slack.post(incident["channel_id"], text, blocks=timer_blocks)
        svc.records.modify(incident.id, lambda doc: doc.update(timer_ts=ts))


def join(svc, incident: dict, *, summary: dict | None, reporter: str, now: datetime) -> dict:
    """The same URL reported again: invite the reporter, note it; content seen again reopens it."""
    number = incident.id
    ensure_room(svc, number)
    with svc.incident_lock(number):
        incident = svc.records.get(number)
        if reporter and reporter not in incident["members"]:
            svc.slack.invite(incident["channel_id"], [reporter])
            incident = svc.records.modify(number, lambda doc: doc["members"].append(reporter))
        svc.records.add_event(number, "scan", "Reported again: the URL is still exposed.", at=now, by=reporter)
        svc.slack.post(incident["channel_id"], f"<@{reporter}> reported the same URL again; the scan still finds "
                                               f"{(summary or {}).get('records_affected', 0):,} people's data.")
        if incident["status"] == "down":
            reopen(svc, incident, "A new scan finds the content served again.", now)
        return svc.records.get(number)


def set_notified(svc, number: int, moment: datetime, *, by: str) -> dict:
    with svc.incident_lock(number):
        def change(doc):
            doc.update(notified_at=to_iso(moment), notified_by=by, notified_source="set")
            if doc.get("taken_down_at"):
                from bot.incidents.takedown import figures

                doc["figures"] = figures(doc, from_iso(doc["taken_down_at"]))

        incident = svc.records.modify(number, change)
        svc.records.add_event(number, "notified", f"Notification time set to {times.utc_text(moment)}; "
                                                  "the takedown and legal clocks count from it.", at=svc.clock(), by=by)
        schedule_jobs(svc, incident)
        refresh_topic(svc, incident)
        refresh_timer(svc, incident)
        if incident.get("figures"):  # already down: the posted figures were counted from the old time
            text, figure_blocks = blocks.takedown_posted(incident, svc.clock())
            svc.slack.post(incident["channel_id"], "Recounted from the new notification time. " + text,
                           blocks=figure_blocks)
        return incident


def record_takedown(svc, incident: dict, *, at: datetime, reason: str, how: str, by: str | None = None) -> dict:
    """Open -> down: figures, final timer, topic, the message with the figures."""
    from bot.incidents.takedown import figures

    number = incident.id

    def change(doc):
        doc.update(status="down", taken_down_at=to_iso(at), takedown_reason=reason, takedown_how=how,
                   takedown_by=by, figures=figures(doc, at), manual_down=None)
        doc["takedowns"].append(doc["figures"])

    incident = svc.records.modify(number, change)
    svc.records.cancel(number, keys_starting=("takedown:", TIMER_KEY), note="taken down")
    svc.records.add_event(number, "takedown", f"Taken down ({how}). {reason} Notification to takedown: "
                                              f"{incident['figures']['notification_to_takedown_minutes']:.2f} min.",
                          at=svc.clock(), by=by)
    log.info("incident %d: taken down after %.2f min (%s)", number,
             incident["figures"]["notification_to_takedown_minutes"], how)
    text, figure_blocks = blocks.takedown_posted(incident, svc.clock())
    svc.slack.post(incident["channel_id"], text, blocks=figure_blocks)
    refresh_timer(svc, incident)
    refresh_topic(svc, incident)
    outside.resolved(svc, incident, "taken down")
    outside.tell_stakeholders(svc, incident, "taken down")
    return incident


def reopen(svc, incident: dict, reason: str, now: datetime) -> dict:
    """Down -> open, loudly: on-call is mentioned; the clock runs on from the same notification."""
    number = incident.id
    incident = svc.records.modify(number, lambda doc: doc.update(status="open", figures=None, taken_down_at=None,
                                                                 reopened=doc.get("reopened", 0) + 1))
    svc.records.add_event(number, "reopen", f"The content is back: {reason}", at=now)
    log.info("incident %d: reopened", number)
    svc.slack.post(incident["channel_id"], blocks.reopened(incident, reason, mention_oncall(incident)))
    schedule_jobs(svc, incident)
    refresh_timer(svc, incident)
    refresh_topic(svc, incident)
    outside.tell_stakeholders(svc, incident, "reopened: the data is back online")
    return incident


def close(svc, number: int, *, by: str) -> dict:
    with svc.incident_lock(number):
        now = svc.clock()
        incident = svc.records.modify(number, lambda doc: doc.update(status="closed", closed_at=to_iso(now), closed_by=by))
        svc.records.cancel(number, note="incident closed")
        svc.records.add_event(number, "close", "Incident closed.", at=now, by=by)
        log.info("incident %d: closed", number)
        refresh_timer(svc, incident)
        refresh_topic(svc, incident)
        svc.slack.post(incident["channel_id"], f":lock: <@{by}> closed incident #{number}. `/incident report` still "
                                               "shows its timeline and figures.")
        outside.resolved(svc, incident, "incident closed")
        outside.tell_stakeholders(svc, incident, "closed")
        return incident


def apply_check(svc, number: int, observation, started: datetime) -> str | None:
    """One takedown check's outcome: record it, and move the incident if the state changed."""
    from bot.incidents.takedown import GONE_STATUSES, classify

    with svc.incident_lock(number):
        incident = svc.records.get(number)
        if incident is None or incident["status"] == "closed":
            return None
        verdict = classify(observation, fingerprints=incident.get("fingerprints") or {},
                           content_sha256=incident.get("content_sha256"),
                           unreachable_streak=incident.get("unreachable_streak", 0))
        unreachable = observation.report is None and observation.status not in GONE_STATUSES
        previous = (incident.get("last_check") or {}).get("state")

        def note(doc):
            doc["last_check"] = {"at": to_iso(started), "state": verdict.state, "reason": verdict.reason,
                                 "status": verdict.status}
            doc["unreachable_streak"] = doc.get("unreachable_streak", 0) + 1 if unreachable else 0
            if verdict.state == "up":
                doc["last_seen_up_at"] = to_iso(started)

        incident = svc.records.modify(number, note)
        if verdict.state != previous:
            svc.records.add_event(number, "check", f"Check: {verdict.state}. {verdict.reason}", at=started)
        manual = incident.get("manual_down")
        if incident["status"] == "open" and verdict.state == "down":
            if manual:
                record_takedown(svc, incident, at=from_iso(manual["at"]), reason=verdict.reason,
                                how="verified by the bot", by=manual["by"])
            else:
                record_takedown(svc, incident, at=started, reason=verdict.reason, how="detected by the bot's check")
        elif incident["status"] == "open" and verdict.state == "up" and manual and started >= from_iso(manual["at"]):
            svc.records.modify(number, lambda doc: doc.update(manual_down=None))
            svc.records.add_event(number, "still_up", f"Takedown reported by hand not confirmed. {verdict.reason}",
                                  at=started, by=manual["by"])
            svc.slack.post(incident["channel_id"], blocks.still_up(verdict.reason))
        elif incident["status"] == "down" and verdict.state == "up":
            reopen(svc, incident, verdict.reason, started)
        return verdict.state


def record_manual_down(svc, number: int, *, by: str) -> dict:
    with svc.incident_lock(number):
        now = svc.clock()
        incident = svc.records.modify(number, lambda doc: doc.update(manual_down={"at": to_iso(now), "by": by}))
        svc.records.add_event(number, "down_reported", "Takedown reported by hand; the bot verifies it now.", at=now, by=by)
        schedule_jobs(svc, incident, immediate_poll=True)
        return incident
