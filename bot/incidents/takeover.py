"""A running replica takes over the page work and announcements a dead replica left, after a lease.

A page intent (`Incident.page_pending`: "trigger", "resolve", "update") is written with the change
that calls for it and taken on by the process that wrote it (`page_claimed_at`, set with every
mark: outside.set_pending); the mark is cleared in the write that records the page's outcome. A
takedown or close is saved with what is left to tell (`Incident.announcing`), which
announce.finish crosses off step by step. A process killed in between leaves the mark, or the
steps; `outside.resume` finishes them when a process STARTS. With two replicas on PostgreSQL the
live one must not wait for a restart, so its sweep (every SETUP_RETRY, with effects.recover_claimed)
calls `take_over`:

- a page mark whose claim is older than `LEASE` (a page takes seconds: the live process that
  wrote it would have cleared it) is claimed here, atomically: a conditional update of the
  incident (still the same mark, still older than the lease; the row locked meanwhile on
  PostgreSQL) moves `page_claimed_at` to now, so exactly one replica wins; it then sends what the
  mark names (outside.follow_up: a repeated trigger or resolve is deduplicated by the alert key,
  and a resolve already scheduled for retry is handed to that retry);
- an announcement whose last claim (or, never claimed, its save `at`) is older than `LEASE` is
  claimed the same way (`Announcement.claimed_at`) and finished (announce.finish with resumed:
  every post looked for in the channel first, so nothing is told twice). This also catches a
  step Slack refused on a closed incident or one with no URL, which no takedown check revisits.

A live process whose page work waits longer than the lease (a queue of slow paging calls) may see
it taken over: the cost is a repeated call the services deduplicate, never a lost page.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.incidents import announce, outside
from bot.incidents.clocks import from_iso, to_iso
from bot.incidents.effects import CLAIM_LEASE
from bot.incidents.job_records import NotClaimed
from bot.model import Incident

log = logging.getLogger(__name__)

#: a page mark or an announcement untouched this long was left by a process that died
LEASE = CLAIM_LEASE


def _stale(claimed_at: str | None, now: datetime) -> bool:
    return claimed_at is None or from_iso(claimed_at) <= now - LEASE


def page_stale(incident: Incident, now: datetime) -> bool:
    return incident.page_pending is not None and _stale(incident.page_claimed_at, now)


def announcement_stale(incident: Incident, now: datetime) -> bool:
    job = incident.announcing
    return job is not None and _stale(job.claimed_at or job.at, now)


def claim_page(ctx, number: int, now: datetime) -> Incident | None:
    """The incident with its page mark claimed here, or None (cleared, or claimed by another)."""
    def change(doc: Incident) -> None:
        if not page_stale(doc, now):
            raise NotClaimed
        doc.page_claimed_at = to_iso(now)

    try:
        return ctx.records.modify(number, change)
    except NotClaimed:
        return None


def claim_announcement(ctx, number: int, now: datetime) -> Incident | None:
    """The incident with its announcement claimed here, or None (told meanwhile, or claimed)."""
    def change(doc: Incident) -> None:
        if not announcement_stale(doc, now):
            raise NotClaimed
        doc.announcing.claimed_at = to_iso(now)

    try:
        return ctx.records.modify(number, change)
    except NotClaimed:
        return None


def take_over(ctx, now: datetime) -> int:
    """Claim and do what dead processes left past the lease; returns how many were taken over."""
    taken = 0
    for incident in ctx.records.all(("open", "down", "closed")):
        if ctx.outside.pager.enabled and page_stale(incident, now):
            claimed = claim_page(ctx, incident.number, now)
            if claimed is not None:
                log.info("incident %d: page %s left by a stopped process: taken over", claimed.number,
                         claimed.page_pending)
                outside.follow_up(ctx, claimed)
                taken += 1
        if announcement_stale(incident, now) and claim_announcement(ctx, incident.number, now) is not None:
            log.info("incident %d: the %s announcement left half-told: taken over", incident.number,
                     incident.announcing.what)
            announce.finish(ctx, incident.number, outside.tell_stakeholders, resumed=True)
            taken += 1
    return taken
