"""What leaves the incident room: pages (PagerDuty / Opsgenie) and the stakeholder channel.

- `escalated(ctx, incident, now)`: the takedown target passed; page through every configured
  service (one alert per incident: `alert_key`), say in the room that on-call was paged, or which
  service failed and why (never silent). Remembered on the incident (`paged`) so a restart still
  resolves it.
- `resolved(ctx, incident, why)`: the takedown (or the close) resolves an open page.
- `tell_stakeholders(ctx, incident, headline)`: a short post in STAKEHOLDER_CHANNEL: status and
  figures only, never the leak's URL, a sample or a found value.

Pages run one at a time on their own thread (retries with backoff must not hold up the sweep),
in order, so a resolve never overtakes its trigger.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from bot.errors import LeakwatchError
from bot.incidents.clocks import format_duration, from_iso
from bot.model import Incident
from bot.paging import Alert, Pager
from bot.slack.blocks import type_label

log = logging.getLogger(__name__)


def alert_key(number: int) -> str:
    """PagerDuty's dedup_key and Opsgenie's alias: one alert per incident."""
    return f"leakwatch-incident-{number}"


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


def _alert(ctx, incident: Incident, now) -> Alert:
    target = ctx.settings.takedown_target_minutes * 60
    over = (now - from_iso(incident.notified_at)).total_seconds() - target
    types = ", ".join(type_label(f.type) for f in incident.findings) or "unknown"
    summary = (f"Leakwatch incident #{_number(incident)}: personal data still online "
               f"{format_duration(max(over, 0))} past the {format_duration(target)} takedown target")
    return Alert(key=alert_key(_number(incident)), summary=summary,
                 severity=incident.severity or "high",
                 details={"incident": _number(incident), "people_affected": incident.records_affected,
                          "types": types, "slack_channel": incident.channel_id,
                          "notified_at": incident.notified_at},
                 link=f"https://slack.com/app_redirect?channel={incident.channel_id}")


def _say(ctx, incident: Incident, text: str) -> None:
    try:
        ctx.slack.post(incident.channel_id, text)
    except LeakwatchError as err:
        log.warning("incident %d: could not say a paging result: %s", _number(incident), err.code)


def _pending(ctx, number: int, action: str | None, *, only_if: str | None = None) -> None:
    """Remember (or forget) a page still to send, so a restart sends it (the key dedupes a repeat)."""
    def change(doc: Incident) -> None:
        if only_if is None or doc.page_pending == only_if:
            doc.page_pending = action

    ctx.records.modify(number, change)


def escalated(ctx, incident: Incident, now) -> None:
    outside: Outside = ctx.outside
    if not outside.pager.enabled or incident.drill:  # a drill escalates in its room only
        return
    _pending(ctx, _number(incident), "trigger")
    outside.submit(_page, ctx, incident, now)


def resume(ctx) -> None:
    """After a restart: send the pages a stopped process had not finished."""
    if not ctx.outside.pager.enabled:
        return
    for incident in ctx.records.all(("open", "down", "closed")):
        if incident.page_pending == "trigger" and incident.status == "open":
            log.info("incident %d: sending the page left unsent by a restart", incident.number)
            ctx.outside.submit(_page, ctx, incident, ctx.clock())
        elif incident.page_pending in ("trigger", "resolve"):
            ctx.outside.submit(_unpage, ctx, incident, "taken down" if incident.status == "down" else "incident closed")


def _page(ctx, incident: Incident, now) -> None:
    number, pager = _number(incident), ctx.outside.pager
    failures = pager.trigger(_alert(ctx, incident, now))
    _pending(ctx, number, None, only_if="trigger")
    paged = [s.name for s in pager.services if s.name not in failures]
    if paged:
        def remember(doc: Incident) -> None:
            doc.paged = sorted(set(doc.paged) | set(paged))

        ctx.records.modify(number, remember)
        ctx.records.add_event(number, "paged", f"On-call paged through {' and '.join(paged)}.", at=ctx.clock())
        _say(ctx, incident, f":pager: On-call paged through {' and '.join(paged)}; the takedown resolves the page.")
    for failure in failures.values():
        ctx.records.add_event(number, "page_failed", f"Paging failed: {failure}", at=ctx.clock())
        _say(ctx, incident, f":warning: *Paging failed:* {failure} Call on-call directly.")


def resolved(ctx, incident: Incident, why: str) -> None:
    """Resolve a page sent, or still on its way (the queue keeps the order: trigger, then resolve)."""
    if not (incident.paged or incident.page_pending) or not ctx.outside.pager.enabled or incident.drill:
        return
    _pending(ctx, _number(incident), "resolve")
    ctx.outside.submit(_unpage, ctx, incident, why)


def _unpage(ctx, incident: Incident, why: str) -> None:
    number = _number(incident)
    failures = ctx.outside.pager.resolve(alert_key(number))
    _pending(ctx, number, None, only_if="resolve")
    if failures:
        for failure in failures.values():
            ctx.records.add_event(number, "page_failed", f"Resolving the page failed: {failure}", at=ctx.clock())
            _say(ctx, incident, f":warning: The page could not be resolved: {failure} Resolve it by hand.")
        return
    def forget(doc: Incident) -> None:
        doc.paged = []

    ctx.records.modify(number, forget)
    ctx.records.add_event(number, "page_resolved", f"Page resolved ({why}).", at=ctx.clock())
    _say(ctx, incident, f":pager: Page resolved ({why}).")


def tell_stakeholders(ctx, incident: Incident, headline: str, *, update: str | None = None, by: str | None = None) -> None:
    """One short post: what happened, status, people, severity, clock. No URL, no sample."""
    channel = ctx.settings.stakeholder_channel
    if not channel or incident.drill:  # a drill is practice: stakeholders hear nothing
        return
    from bot.incidents.outside_blocks import stakeholder_post

    text, post_blocks = stakeholder_post(incident, headline, ctx.clock(), ctx.settings.takedown_target_minutes,
                                         update=update, by=by)
    try:
        ctx.slack.post(channel, text, blocks=post_blocks)
    except LeakwatchError as err:
        log.warning("incident %d: the stakeholder post failed: %s", _number(incident), err.code)
