"""What leaves the incident room: pages (PagerDuty / Opsgenie) and the stakeholder channel.

- `escalated(svc, incident, now)`: the takedown target passed; page through every configured
  service (one alert per incident: `alert_key`), say in the room that on-call was paged, or which
  service failed and why (never silent). Remembered on the incident (`paged`) so a restart still
  resolves it.
- `resolved(svc, incident, why)`: the takedown (or the close) resolves an open page.
- `tell_stakeholders(svc, incident, headline)`: a short post in STAKEHOLDER_CHANNEL: status and
  figures only, never the leak's URL, a sample or a found value.

Pages run one at a time on their own thread (retries with backoff must not hold up the sweep),
in order, so a resolve never overtakes its trigger.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from bot.errors import LeakwatchError
from bot.incidents.clocks import format_duration, from_iso
from bot.paging import Alert, Pager
from bot.slack.blocks import type_label

log = logging.getLogger(__name__)


def alert_key(number: int) -> str:
    """PagerDuty's dedup_key and Opsgenie's alias: one alert per incident."""
    return f"leakwatch-incident-{number}"


def _number(incident: dict) -> int:
    return incident["number"]


class Outside:
    """Held by the IncidentService as `svc.outside`."""

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


def _alert(svc, incident: dict, now) -> Alert:
    target = svc.settings.takedown_target_minutes * 60
    over = (now - from_iso(incident["notified_at"])).total_seconds() - target
    types = ", ".join(type_label(f["type"]) for f in incident.get("findings") or []) or "unknown"
    summary = (f"Leakwatch incident #{_number(incident)}: personal data still online "
               f"{format_duration(max(over, 0))} past the {format_duration(target)} takedown target")
    return Alert(key=alert_key(_number(incident)), summary=summary,
                 severity=incident.get("severity") or "high",
                 details={"incident": _number(incident), "people_affected": incident.get("records_affected", 0),
                          "types": types, "slack_channel": incident.get("channel_id"),
                          "notified_at": incident["notified_at"]},
                 link=f"https://slack.com/app_redirect?channel={incident.get('channel_id')}")


def _say(svc, incident: dict, text: str) -> None:
    try:
        svc.slack.post(incident["channel_id"], text)
    except LeakwatchError as err:
        log.warning("incident %d: could not say a paging result: %s", _number(incident), err.code)


def escalated(svc, incident: dict, now) -> None:
    outside: Outside = svc.outside
    if not outside.pager.enabled:
        return
    outside.submit(_page, svc, incident, now)


def _page(svc, incident: dict, now) -> None:
    number, pager = _number(incident), svc.outside.pager
    failures = pager.trigger(_alert(svc, incident, now))
    paged = [s.name for s in pager.services if s.name not in failures]
    if paged:
        svc.records.modify(number, lambda doc: doc.update(paged=sorted(set(doc.get("paged") or []) | set(paged))))
        svc.records.add_event(number, "paged", f"On-call paged through {' and '.join(paged)}.", at=svc.clock())
        _say(svc, incident, f":pager: On-call paged through {' and '.join(paged)}; the takedown resolves the page.")
    for failure in failures.values():
        svc.records.add_event(number, "page_failed", f"Paging failed: {failure}", at=svc.clock())
        _say(svc, incident, f":warning: *Paging failed:* {failure} Call on-call directly.")


def resolved(svc, incident: dict, why: str) -> None:
    if not incident.get("paged") or not svc.outside.pager.enabled:
        return
    svc.outside.submit(_unpage, svc, incident, why)


def _unpage(svc, incident: dict, why: str) -> None:
    number = _number(incident)
    failures = svc.outside.pager.resolve(alert_key(number))
    if failures:
        for failure in failures.values():
            svc.records.add_event(number, "page_failed", f"Resolving the page failed: {failure}", at=svc.clock())
            _say(svc, incident, f":warning: The page could not be resolved: {failure} Resolve it by hand.")
        return
    svc.records.modify(number, lambda doc: doc.update(paged=[]))
    svc.records.add_event(number, "page_resolved", f"Page resolved ({why}).", at=svc.clock())
    _say(svc, incident, f":pager: Page resolved ({why}).")


def tell_stakeholders(svc, incident: dict, headline: str, *, update: str | None = None, by: str | None = None) -> None:
    """One short post: what happened, status, people, severity, clock. No URL, no sample."""
    channel = svc.settings.stakeholder_channel
    if not channel:
        return
    from bot.incidents.outside_blocks import stakeholder_post

    text, post_blocks = stakeholder_post(incident, headline, svc.clock(), svc.settings.takedown_target_minutes,
                                         update=update, by=by)
    try:
        svc.slack.post(channel, text, blocks=post_blocks)
    except LeakwatchError as err:
        log.warning("incident %d: the stakeholder post failed: %s", _number(incident), err.code)
