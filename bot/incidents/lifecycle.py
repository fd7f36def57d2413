"""The incident's life: open (or join), notified, taken down, reopened, closed.

Opening is a list of small steps (channel, invites, summary, pin, topic, timer, checklist, jobs),
each saved as soon as it is done, so a bot killed half-way finishes the remaining steps at the
next start (`ensure_room`) instead of opening a second room or losing the first.
Functions take an IncidentContext (`ctx`: settings, slack, records, clock, per-incident locks;
bot/incidents/context.py), never the whole service.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from bot.errors import LeakwatchError
from bot.incidents import announce, blocks, effects, outside
from bot.incidents.announce import refresh_timer, refresh_topic
from bot.incidents.checklist import new_items
from bot.incidents.clocks import Due, from_iso, legal_schedule, takedown_schedule, to_iso
from bot.incidents.naming import channel_name
from bot.incidents.records import url_key
from bot.incidents.room import post_checklist
from bot.model import Check, Incident, ManualDown, ScanSummary
from bot.slack import times

log = logging.getLogger(__name__)

TIMER_KEY = "timer"
POLL_KEY = "poll"


def new_incident(*, summary: ScanSummary | None, url: str | None, title: str | None, reporter: str,
                 origin_channel: str | None, now: datetime) -> Incident:
    incident = Incident(title=title, url=url, url_key=url_key(url), opened_at=to_iso(now), opened_by=reporter,
                        origin_channel=origin_channel, notified_at=to_iso(now), members=[reporter])
    if summary is not None:
        incident.severity, incident.records_affected = summary.severity, summary.records_affected
        incident.findings = copy.deepcopy(summary.findings)
        incident.content_sha256, incident.final_url = summary.content_sha256, summary.final_url
        incident.last_modified, incident.etag = summary.last_modified, summary.etag
        incident.first_seen_at = to_iso(now)
    return incident


def oncall(ctx) -> tuple[list[str], str | None]:
    """Who is on call: the user group's members (and its id, for mentions), or ONCALL_USERS."""
    settings = ctx.settings
    if settings.oncall_usergroup:
        try:
            return ctx.slack.usergroup_members(settings.oncall_usergroup), settings.oncall_usergroup
        except LeakwatchError as err:
            log.warning("on-call user group could not be read: %s", err.code)
            return list(settings.oncall_users), settings.oncall_usergroup
    return list(settings.oncall_users), None


def mention_oncall(incident: Incident) -> str:
    if incident.oncall_group:
        return f"<!subteam^{incident.oncall_group}>"
    if incident.oncall:
        return " ".join(f"<@{user}>" for user in incident.oncall)
    return "<!channel>"


def _actual_name(ctx, channel: str, wanted: str) -> str:
    """The name Slack gave (a suffix was added if the wanted one was taken)."""
    try:
        return ctx.slack.call("conversations.info", channel=channel).get("channel", {}).get("name") or wanted
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


def _set(**fields) -> Callable[[Incident], None]:
    """A change that sets these fields of an incident."""
    def change(doc: Incident) -> None:
        for key, value in fields.items():
            setattr(doc, key, value)

    return change


def _marker(name: str, fields: dict | None) -> Callable[[Incident], None]:
    def mark(doc: Incident) -> None:
        for key, value in (fields or {}).items():
            setattr(doc, key, value)
        doc.setup[name] = True

    return mark


def _step(ctx, number: int, name: str, fields: dict | None = None) -> Incident:
    return ctx.records.modify(number, _marker(name, fields))


def _noted_step(ctx, number: int, name: str, fields: dict, entry: tuple[str, str, datetime, str | None]) -> Incident:
    """An opening step marked done with its timeline `entry` (kind, text, at, by) in the same
    write: a crash between them would leave the step done and its entry never written."""
    kind, text, at, by = entry
    return ctx.records.modify_with_event(number, _marker(name, fields), kind, text, at=at, by=by)


def ensure_room(ctx, number: int) -> Incident:
    """Do whatever opening steps are not done yet; safe to call again at any point."""
    with ctx.incident_lock(number):
        incident = ctx.records.get(number)
        if incident is None or incident.setup_complete:
            return incident
        now, opened = ctx.clock(), from_iso(incident.opened_at)
        done = incident.setup
        if not incident.channel_id:
            source = incident.url or incident.title or f"incident {number}"
            name = channel_name(ctx.settings.incident_channel_prefix, from_iso(incident.opened_at), source)
            channel = ctx.slack.create_channel(name, private=ctx.settings.incident_channel_private)
            actual = _actual_name(ctx, channel, name)
            incident = _noted_step(ctx, number, "channel", {"channel_id": channel, "channel_name": actual},
                                   ("open", f"Incident opened; room #{actual} created.", now, incident.opened_by))
        channel = incident.channel_id
        if not done.get("invite"):
            people, group = oncall(ctx)
            _optional(number, "invite", lambda: ctx.slack.invite(channel, [incident.opened_by, *people]))
            incident = _noted_step(ctx, number, "invite", {"oncall": people, "oncall_group": group,
                                                           "members": sorted({*incident.members, *people})},
                                   ("invite", f"Invited the reporter and {len(people)} on-call.", now, None))
        if not incident.summary_ts:
            text, summary_blocks = blocks.summary(incident, now)
            ts = effects.post_once(ctx, channel, number, "setup:summary", text, summary_blocks, opened)
            incident = _step(ctx, number, "summary", {"summary_ts": ts})
        if not done.get("pin"):
            _optional(number, "pin", lambda: ctx.slack.pin(channel, incident.summary_ts))
            incident = _step(ctx, number, "pin")
        if not done.get("topic"):
            refresh_topic(ctx, incident)
            incident = _step(ctx, number, "topic")
        if not incident.timer_ts:
            text, timer_blocks = blocks.timer(incident, now, ctx.settings.takedown_target_minutes)
            ts = effects.post_once(ctx, channel, number, "setup:timer", text, timer_blocks, opened)
            incident = _step(ctx, number, "timer", {"timer_ts": ts})
        if not done.get("checklist"):
            ctx.records.create_checklist(number, new_items())
            post_checklist(ctx, number, once_since=opened)
            incident = _step(ctx, number, "checklist")
        schedule_jobs(ctx, incident)
        log.info("incident %d: room ready channel=%s", number, channel)
        return ctx.records.modify(number, _set(setup_complete=True))


def schedule_jobs(ctx, incident: Incident, *, immediate_poll: bool = False) -> None:
    """All due work of an open incident, by key: idempotent, so a restart can simply call it again."""
    number, now = incident.number, ctx.clock()
    notified = from_iso(incident.notified_at)
    dues: list[Due] = []
    if incident.status == "open":
        dues += takedown_schedule(notified, ctx.settings.takedown_target_minutes)
    if incident.status in ("open", "down"):
        dues += legal_schedule(notified, ctx.settings.legal_clocks)
        if incident.url:
            first = now if immediate_poll else now + timedelta(seconds=ctx.settings.takedown_poll_seconds)
            dues.append(Due(POLL_KEY, "poll", first, POLL_KEY, {}))
    pending = {job.key for job in ctx.records.incident_jobs(number) if job.status == "pending"}
    # a recurring job already pending keeps its own rhythm unless asked to poll now
    dues = [d for d in dues if not (d.key == POLL_KEY and d.key in pending
                                    and not (immediate_poll and d.key == POLL_KEY))]
    ctx.records.schedule(number, dues)


def join(ctx, incident: Incident, *, summary: ScanSummary | None, reporter: str, now: datetime) -> Incident:
    """The same URL reported again: invite the reporter, note it; content seen again reopens it.
    Its scan record, the reporter as a member, the "Reported again" entry (and, down, the reopen)
    are one write, after the invite (harmless to repeat) and before the room hears it."""
    number = incident.number
    ensure_room(ctx, number)
    with ctx.incident_lock(number):
        incident = ctx.records.get(number)
        joins = bool(reporter) and reporter not in incident.members
        if joins:
            ctx.slack.invite(incident.channel_id, [reporter])

        def member(doc: Incident) -> None:
            if joins and reporter not in doc.members:
                doc.members.append(reporter)

        again = {"kind": "scan", "text": "Reported again: the URL is still exposed.", "by": reporter}
        reason = "A new scan finds the content served again."
        reopens = incident.status == "down"
        with ctx.records.together(number):
            if summary is not None:
                ctx.records.add_scan(number, summary, at=now, by=reporter)
            if reopens:
                incident = write_reopen(ctx, number, reason, now, also=member, entries=[again])
            else:
                incident = ctx.records.modify(number, member)
                ctx.records.add_event(number, at=now, **again)
        ctx.slack.post(incident.channel_id, f"<@{reporter}> reported the same URL again; the scan still finds "
                                               f"{summary.records_affected if summary else 0:,} people's data.")
        if reopens:
            tell_reopened(ctx, incident, reason)
        return ctx.records.get(number)


def _stored(saved: Callable[[], None] | None) -> None:
    """Tell the caller the change is committed (the command's answer to Slack, bot/slack/ack.py)."""
    if saved is not None:
        saved()


def set_notified(ctx, number: int, moment: datetime, *, by: str, saved: Callable[[], None] | None = None) -> Incident:
    """The clocks count from `moment`: the time, its entry and the jobs moved to it are one write,
    so a replica sweeping meanwhile never fires a reminder on the old schedule beside the new time.
    `saved` is called once that write is committed, before the room hears it."""
    with ctx.incident_lock(number):
        def change(doc: Incident) -> None:
            doc.notified_at, doc.notified_by, doc.notified_source = to_iso(moment), by, "set"
            if doc.taken_down_at:
                from bot.incidents.takedown import figures

                doc.figures = figures(doc, from_iso(doc.taken_down_at))

        with ctx.records.together(number):
            incident = ctx.records.modify(number, change)
            ctx.records.add_event(number, "notified", f"Notification time set to {times.utc_text(moment)}; "
                                  "the takedown and legal clocks count from it.", at=ctx.clock(), by=by)
            schedule_jobs(ctx, incident)
        _stored(saved)
        refresh_topic(ctx, incident)
        refresh_timer(ctx, incident)
        if incident.figures:  # already down: the posted figures were counted from the old time
            text, figure_blocks = blocks.takedown_posted(incident, ctx.clock())
            ctx.slack.post(incident.channel_id, "Recounted from the new notification time. " + text,
                           blocks=figure_blocks)
        return incident


def record_takedown(ctx, incident: Incident, *, at: datetime, reason: str, how: str, by: str | None = None) -> Incident:
    """Open -> down: figures, final timer, topic, the message with the figures. The status, the page
    to resolve, the jobs cancelled, the entry and what is left to tell are one write; the telling
    (announce.finish) is finished by the next start if this process dies during it."""
    from bot.incidents.takedown import figures

    number, now = incident.number, ctx.clock()

    def change(doc: Incident) -> None:
        doc.status, doc.taken_down_at, doc.takedown_reason, doc.takedown_how = "down", to_iso(at), reason, how
        doc.takedown_by, doc.figures, doc.manual_down = by, figures(doc, at), None
        doc.takedowns.append(copy.deepcopy(doc.figures))
        outside.mark_resolve(ctx, doc)
        doc.announcing = announce.plan("down", f"announce:down:{len(doc.takedowns)}", now, by=by)

    with ctx.records.together(number):
        incident = ctx.records.modify(number, change)
        ctx.records.cancel(number, keys_starting=("takedown:", TIMER_KEY), note="taken down")
        ctx.records.add_event(number, "takedown", f"Taken down ({how}). {reason} Notification to takedown: "
                                                  f"{incident.figures.notification_to_takedown_minutes:.2f} min.",
                              at=now, by=by)
    log.info("incident %d: taken down after %.2f min (%s)", number,
             incident.figures.notification_to_takedown_minutes, how)
    outside.resolved(ctx, incident, "taken down")
    announce.finish(ctx, number, outside.tell_stakeholders)
    return incident


def reopen(ctx, incident: Incident, reason: str, now: datetime) -> Incident:
    """Down (or closed) -> open, loudly: on-call is mentioned; the clock runs on from the same
    notification. `write_reopen`, then `tell_reopened`."""
    incident = write_reopen(ctx, incident.number, reason, now)
    return tell_reopened(ctx, incident, reason)


def write_reopen(ctx, number: int, reason: str, now: datetime, *, also: Callable[[Incident], object] | None = None,
                 entries: Iterable[dict] = ()) -> Incident:
    """The reopen's one write: the status (with `also`, the caller's own change of the incident in
    the same write, e.g. a re-post's new URL), the caller's `entries` (add_event keywords), the
    "reopen" entry and the jobs an open incident runs on (reminders, escalation, the poll). A crash
    leaves all or none: never a new URL or a "repost" entry on an incident still down or closed."""
    def change(doc: Incident) -> None:
        if also is not None:
            also(doc)
        doc.status, doc.figures, doc.taken_down_at, doc.reopened = "open", None, None, doc.reopened + 1
        doc.announcing = None  # a takedown not yet fully told is told no more: it is back

    with ctx.records.together(number):
        incident = ctx.records.modify(number, change)
        for entry in entries:
            ctx.records.add_event(number, at=now, **entry)
        ctx.records.add_event(number, "reopen", f"The content is back: {reason}", at=now)
        schedule_jobs(ctx, incident)
    log.info("incident %d: reopened", number)
    return incident


def tell_reopened(ctx, incident: Incident, reason: str) -> Incident:
    """What follows the reopen's write: the room (on-call mentioned), the timer, the topic, the
    stakeholders."""
    ctx.slack.post(incident.channel_id, blocks.reopened(incident, reason, mention_oncall(incident)))
    refresh_timer(ctx, incident)
    refresh_topic(ctx, incident)
    outside.tell_stakeholders(ctx, incident, "reopened: the data is back online")
    return incident


def close(ctx, number: int, *, by: str, saved: Callable[[], None] | None = None) -> Incident:
    """-> closed: the status, the page to resolve, the jobs cancelled, the entry and what is left
    to tell are one write (then `saved` is called); the telling (announce.finish) is finished by the
    next start if needed."""
    with ctx.incident_lock(number):
        now = ctx.clock()

        def change(doc: Incident) -> None:
            doc.status, doc.closed_at, doc.closed_by = "closed", to_iso(now), by
            outside.mark_resolve(ctx, doc)
            doc.announcing = announce.plan("closed", "announce:closed", now, by=by)

        with ctx.records.together(number):
            incident = ctx.records.modify(number, change)
            ctx.records.cancel(number, note="incident closed")
            ctx.records.add_event(number, "close", "Incident closed.", at=now, by=by)
        _stored(saved)
        log.info("incident %d: closed", number)
        outside.resolved(ctx, incident, "incident closed")
        announce.finish(ctx, number, outside.tell_stakeholders)
        return incident


def apply_check(ctx, number: int, observation, started: datetime) -> str | None:
    """One takedown check's outcome: record it, and move the incident if the state changed."""
    from bot.incidents.takedown import GONE_STATUSES, classify

    with ctx.incident_lock(number):
        incident = ctx.records.get(number)
        if incident is None or incident.status == "closed":
            return None
        if incident.announcing is not None:  # a takedown left half-told (Slack refused, or a replica died)
            announce.finish(ctx, number, outside.tell_stakeholders, resumed=True)
        verdict = classify(observation, fingerprints=ctx.records.fingerprints(number),
                           content_sha256=incident.content_sha256,
                           unreachable_streak=incident.unreachable_streak)
        unreachable = observation.report is None and observation.status not in GONE_STATUSES
        previous = incident.last_check.state if incident.last_check else None

        def note(doc: Incident) -> None:
            doc.last_check = Check(at=to_iso(started), state=verdict.state, reason=verdict.reason,
                                   status=verdict.status)
            doc.unreachable_streak = doc.unreachable_streak + 1 if unreachable else 0
            if verdict.state == "up":
                doc.last_seen_up_at = to_iso(started)

        with ctx.records.together(number):
            incident = ctx.records.modify(number, note)
            if verdict.state != previous:
                ctx.records.add_event(number, "check", f"Check: {verdict.state}. {verdict.reason}", at=started)
        manual = incident.manual_down
        if incident.status == "open" and verdict.state == "down":
            if manual:
                record_takedown(ctx, incident, at=from_iso(manual.at), reason=verdict.reason,
                                how="verified by the bot", by=manual.by)
            else:
                record_takedown(ctx, incident, at=started, reason=verdict.reason, how="detected by the bot's check")
        elif incident.status == "open" and verdict.state == "up" and manual and started >= from_iso(manual.at):
            ctx.records.modify_with_event(number, _set(manual_down=None), "still_up",
                                          f"Takedown reported by hand not confirmed. {verdict.reason}",
                                          at=started, by=manual.by)
            ctx.slack.post(incident.channel_id, blocks.still_up(verdict.reason))
        elif incident.status == "down" and verdict.state == "up":
            reopen(ctx, incident, verdict.reason, started)
        return verdict.state


def record_manual_down(ctx, number: int, *, by: str) -> Incident:
    with ctx.incident_lock(number):
        now = ctx.clock()
        with ctx.records.together(number):
            incident = ctx.records.modify(number, _set(manual_down=ManualDown(at=to_iso(now), by=by)))
            ctx.records.add_event(number, "down_reported", "Takedown reported by hand; the bot verifies it now.",
                                  at=now, by=by)
            schedule_jobs(ctx, incident, immediate_poll=True)
        return incident
