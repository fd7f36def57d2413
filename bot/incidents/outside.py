"""What leaves the incident room: pages (PagerDuty / Opsgenie) and the stakeholder channel.

- `escalated(ctx, incident, now)`: the takedown target passed; if the incident's severity is at or
  above the paging level (`pages_at`: INCIDENT_SEVERITY_THRESHOLD, the level that opens incidents;
  an unknown severity pages), page through every configured service (one alert per incident:
  `incident_key`), say in the room that on-call was paged, or which service failed and why (never
  silent); below it, say in the room that it was not paged and how to page. Remembered on the
  incident (`paged`, each service as soon as it answers) so a restart still resolves it and never
  pages a service twice.
- `severity_changed(ctx, incident, previous)`: `/incident severity` reaches the stakeholder channel
  (the new severity and the figures; the reason stays in the room) and the page: an open page gets
  the new severity (`Pager.update`); an incident past its target that was not paged is paged once
  it is raised to the paging level. `page_pending = "update"` (`mark_update`, written with the new
  severity) until done, so a restart sends it.
- `mark_resolve(ctx, doc)` inside the takedown's (or the close's) own write, then
  `resolved(ctx, incident, why)`: the takedown (or the close) resolves an open page; the intent is
  saved with the status, so a crash between them still resolves it at the next start. A resolve
  that fails is tried again by the sweep (bot/incidents/page_retry.py), said once in the room when
  it gives up.
- `resume(ctx)` at start: the pages a stopped process left unsent, then the takedowns and closes it
  left half-told (announce.finish). A running replica does the same for a mark older than its
  lease (`page_claimed_at`, written with every mark by `set_pending`): bot/incidents/takeover.py,
  through `follow_up`.
- `tell_stakeholders(ctx, incident, headline)`: a short post in STAKEHOLDER_CHANNEL: status and
  figures only, never the leak's URL, a sample or a found value.

Drills never page and never reach the stakeholders. Pages run one at a time on their own thread
(retries with backoff must not hold up the sweep), in order, so a resolve never overtakes its
trigger; each piece of work reads the incident again when it runs, so what it does fits the
incident as it is then (a page already sent is not sent again, a page resolved meanwhile is left).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from bot.config import SEVERITIES, severity_rank
from bot.errors import LeakwatchError
from bot.incidents import announce, effects, page_retry
from bot.incidents.clocks import from_iso, to_iso
from bot.incidents.page_alert import alert_for
from bot.incidents.page_retry import say as _say
from bot.model import Incident
from bot.paging import Pager, incident_key

log = logging.getLogger(__name__)


def _number(incident: Incident) -> int:
    return incident.number


class Outside:
    """Held by the IncidentService as `ctx.outside`."""

    def __init__(self, settings, pager: Pager | None = None):
        self.settings = settings
        self.pager = pager if pager is not None else Pager.from_settings(settings)
        self._queue = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paging")

    def stop(self) -> None:
        self._queue.shutdown(wait=True, cancel_futures=False)

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Until the work submitted so far is done (tests, shutdown); False on timeout."""
        try:
            self._queue.submit(lambda: None).result(timeout)
        except TimeoutError:
            return False
        except RuntimeError:  # shut down: nothing runs any more
            pass
        return True

    def submit(self, work, *args) -> None:
        try:
            self._queue.submit(_logged, work, *args)
        except RuntimeError:  # shutting down: do it now rather than lose it
            _logged(work, *args)


def _logged(work, *args) -> None:
    try:
        work(*args)
    except Exception as err:  # noqa: BLE001 - a paging thread must never die silently
        log.error("outside work %s failed: %s", getattr(work, "__name__", "?"), type(err).__name__)


def paging_level(ctx) -> str:
    """The severity from which an escalation pages: the one that opens an incident."""
    return ctx.settings.scan.threshold


def pages_at(ctx, severity: str | None) -> bool:
    """At or above the paging level; an unknown severity (an incident opened by hand on a title)
    pages: someone judged it an incident without a scan to weigh it."""
    if severity not in SEVERITIES:
        return True
    return severity_rank(severity) >= severity_rank(paging_level(ctx))


def target_passed(ctx, incident: Incident, now: datetime) -> bool:
    target = timedelta(minutes=ctx.settings.takedown_target_minutes)
    return now - from_iso(incident.notified_at) >= target


def set_pending(ctx, doc: Incident, action: str | None) -> None:
    """The one way `page_pending` is set: a new mark is taken on by this process now
    (`page_claimed_at`), so no other replica's sweep takes it over within the lease (takeover.py)."""
    doc.page_pending = action
    if action is not None:
        doc.page_claimed_at = to_iso(ctx.clock())


def _pending(ctx, number: int, action: str | None, *, only_if: str | None = None) -> None:
    """Remember (or forget) a page still to send, so a restart sends it (the key dedupes a repeat)."""
    def change(doc: Incident) -> None:
        if only_if is None or doc.page_pending == only_if:
            set_pending(ctx, doc, action)

    ctx.records.modify(number, change)


def escalated(ctx, incident: Incident, now) -> None:
    outside: Outside = ctx.outside
    if not outside.pager.enabled or incident.drill:  # a drill escalates in its room only
        return
    if not pages_at(ctx, incident.severity):
        level = paging_level(ctx)
        ctx.records.add_event(_number(incident), "not_paged", f"Not paged: severity {incident.severity} is below "
                              f"the paging level ({level}).", at=now)
        _say(ctx, incident, f":pager: On-call was not paged: incident #{_number(incident)} is *{incident.severity}*, "
                            f"below the paging level ({level}). `/incident severity {level} <reason>` pages.")
        return
    _pending(ctx, _number(incident), "trigger")
    outside.submit(_page, ctx, incident, now)


def severity_changed(ctx, incident: Incident, previous: str | None) -> None:
    """After `/incident severity`: the stakeholders hear it, and the page follows (on its thread)."""
    if incident.drill:
        return
    from bot.incidents.outside_blocks import severity_headline

    tell_stakeholders(ctx, incident, severity_headline(previous, incident.severity))
    if ctx.outside.pager.enabled:
        ctx.outside.submit(_follow_severity, ctx, _number(incident))


def mark_update(ctx, doc: Incident) -> None:
    """Inside the new severity's own write: the page is to follow it (`page_pending = "update"`,
    unless a trigger or resolve on its way reads the new level itself), so a crash right after
    the change still carries it to the page at the next start (resume)."""
    if ctx.outside.pager.enabled and not doc.drill and doc.page_pending is None:
        set_pending(ctx, doc, "update")


def _follow_severity(ctx, number: int) -> None:
    """An open page takes the new severity; an incident past its target, never paged, is paged
    once its severity reaches the paging level."""
    try:
        _carry_severity(ctx, number)
    finally:
        _pending(ctx, number, None, only_if="update")


def _carry_severity(ctx, number: int) -> None:
    incident, now = ctx.records.get(number), ctx.clock()
    if incident is None or incident.status != "open" or incident.page_pending in ("trigger", "resolve"):
        return  # a trigger on its way reads the new severity itself
    pager = ctx.outside.pager
    if incident.paged:
        names = [s.name for s in pager.services if s.name in incident.paged]
        failures = pager.update(alert_for(ctx, incident, now), only=incident.paged)
        page_retry.updated(ctx, incident, names, failures, tries=1)  # a failure is tried again (a job)
    elif target_passed(ctx, incident, now) and pages_at(ctx, incident.severity):
        log.info("incident %d: raised to %s past its target: paging", number, incident.severity)
        _pending(ctx, number, "trigger")
        _page(ctx, incident, now)


def resume(ctx) -> None:
    """After a restart: send the pages a stopped process had not finished, then tell the takedowns
    and closes it had not finished telling (bot/incidents/announce.py)."""
    incidents = ctx.records.all(("open", "down", "closed"))
    if ctx.outside.pager.enabled:
        _resume_pages(ctx, incidents)
    for incident in incidents:
        if incident.announcing is not None:
            log.info("incident %d: finishing the %s announcement a restart cut short", incident.number,
                     incident.announcing.what)
            announce.finish(ctx, incident.number, tell_stakeholders, resumed=True)


def _resume_pages(ctx, incidents: list[Incident]) -> None:
    for incident in incidents:
        if incident.page_pending is not None:
            # taken on by this process (a replica's sweep leaves it for the lease)
            incident = ctx.records.modify(incident.number, _claimed(ctx, incident.page_pending)) or incident
        follow_up(ctx, incident)


def _claimed(ctx, action: str):
    def change(doc: Incident) -> None:
        if doc.page_pending == action:
            doc.page_claimed_at = to_iso(ctx.clock())

    return change


def follow_up(ctx, incident: Incident) -> None:
    """Send the page `incident.page_pending` names, which the process that marked it did not
    finish (a restart, or a replica's sweep that took it over: takeover.py)."""
    if incident.page_pending is None or not ctx.outside.pager.enabled:
        return
    if incident.page_pending == "update":
            ctx.outside.submit(_follow_severity, ctx, incident.number)
    elif incident.page_pending == "trigger" and incident.status == "open":
        log.info("incident %d: sending the page left unsent by a stopped process", incident.number)
        ctx.outside.submit(_page, ctx, incident, ctx.clock())
    elif incident.page_pending == "resolve" and page_retry.retrying(ctx, incident.number):
        # the first try was made and its retry scheduled but the mark was left (written by an
        # older version, apart): the retry carries on; a second first try would say it twice
        _pending(ctx, incident.number, None, only_if="resolve")
    elif incident.page_pending in ("trigger", "resolve"):
        # a trigger cut short may have reached a service before `paged` was written: resolve all
        ctx.outside.submit(_unpage, ctx, incident, "taken down" if incident.status == "down" else "incident closed",
                           incident.page_pending == "trigger")


def _page(ctx, incident: Incident, now) -> None:
    number, pager = _number(incident), ctx.outside.pager
    current = ctx.records.get(number) or incident
    names = [s.name for s in pager.services if s.name not in current.paged]
    if not names:  # paged meanwhile (a severity raised as the target passed): not twice
        _pending(ctx, number, None, only_if="trigger")
        return
    failures = pager.trigger(alert_for(ctx, current, now), only=names,
                             answered=page_retry.each_answer(ctx, number, "trigger"))
    paged = [name for name in names if name not in failures]

    def remember(doc: Incident) -> None:  # one write: a takedown reading between sees one or the other
        if doc.page_pending == "trigger":
            doc.page_pending = None
        doc.paged = sorted(set(doc.paged) | set(paged))

    with ctx.records.together(number):
        ctx.records.modify(number, remember)
        if paged:
            ctx.records.add_event(number, "paged", f"On-call paged through {' and '.join(paged)}.", at=ctx.clock())
    if paged:
        _say(ctx, incident, f":pager: On-call paged through {' and '.join(paged)}; the takedown resolves the page.")
    for failure in failures.values():
        ctx.records.add_event(number, "page_failed", f"Paging failed: {failure}", at=ctx.clock())
        _say(ctx, incident, f":warning: *Paging failed:* {failure} Call on-call directly.")


def mark_resolve(ctx, doc: Incident) -> None:
    """Inside the takedown's (or the close's) own write: a page sent, or on its way, is to be
    resolved (`page_pending = "resolve"`), so a crash right after the status change still resolves
    it at the next start (resume)."""
    if (doc.paged or doc.page_pending) and ctx.outside.pager.enabled and not doc.drill:
        set_pending(ctx, doc, "resolve")


def resolved(ctx, incident: Incident, why: str) -> None:
    """Resolve the page `mark_resolve` marked with the status change (the queue keeps the order:
    a trigger on its way is sent first, then resolved)."""
    if incident.page_pending != "resolve" or not ctx.outside.pager.enabled or incident.drill:
        return
    ctx.outside.submit(_unpage, ctx, incident, why)


def _unpage(ctx, incident: Incident, why: str, every_service: bool = False) -> None:
    """Resolve the services an open page went through (every one when `every_service`); a failure
    is tried again by the sweep (page_retry.py)."""
    number = _number(incident)
    current = ctx.records.get(number) or incident
    # a trigger cut short may have reached a service whose answer was not recorded: every one
    names = [s.name for s in ctx.outside.pager.services] if every_service else list(current.paged)
    clears = ("resolve", "trigger") if every_service else ("resolve",)
    if names:
        failures = ctx.outside.pager.resolve(incident_key(number), only=names,
                                             answered=page_retry.each_answer(ctx, number, "resolve"))
        page_retry.settle(ctx, current, why, names, failures, tries=1, clears=clears)  # clears with its writes
        return
    for pending in clears:  # nothing was open
        _pending(ctx, number, None, only_if=pending)


def tell_stakeholders(ctx, incident: Incident, headline: str, *, update: str | None = None, by: str | None = None,
                      key: str | None = None, since: datetime | None = None) -> None:
    """One short post: what happened, status, people, severity, clock. No URL, no sample. With
    `key` (an announcement, bot/incidents/announce.py) the post carries it in its metadata, and
    with `since` it is not posted again when the channel already holds it."""
    channel = ctx.settings.stakeholder_channel
    if not channel or incident.drill:  # a drill is practice: stakeholders hear nothing
        return
    from bot.incidents.outside_blocks import stakeholder_post

    text, post_blocks = stakeholder_post(incident, headline, ctx.clock(), ctx.settings.takedown_target_minutes,
                                         update=update, by=by)
    try:
        if key is None:
            ctx.slack.post(channel, text, blocks=post_blocks)
            return
        if since is not None:
            try:
                if effects.find_posted(ctx.slack, channel, _number(incident), key, since) is not None:
                    return
            except LeakwatchError as err:  # a channel the bot may post in but not read: told again
                log.warning("incident %d: the stakeholder channel could not be read: %s", _number(incident), err.code)
        announce.post_keyed(ctx, channel, _number(incident), key, text, post_blocks, since=None)
    except LeakwatchError as err:
        log.warning("incident %d: the stakeholder post failed: %s", _number(incident), err.code)
        if key is not None:
            raise  # an announcement's step: left on its list, told at the next try (announce.finish)
