"""Resolving and updating a page: a resolve that fails (the service down, 429) is tried again on later sweeps,
with backoff, until it is resolved or RESOLVE_TRIES tries have failed; the room hears once when
the bot gives up ("Resolve it by hand"), never once per try.

State lives in the database, so a restart carries on: the incident's `paged` lists the services
whose page is still open (each is dropped as soon as it answers the resolve: `each_answer`), and one job per failing resolve (kind
`page_resolve`, key `page:resolve:<time of the first failure>`, payload `{"why": ...}`) holds when
the next try is due and, in `attempts`, how many retries were made. The job is claimed like every
due job (records.claim: pending -> claimed atomically, SKIP LOCKED across PostgreSQL replicas), so
two replicas never both resolve. A retry whose process died while it held the claim is settled by
effects.recover_claimed: its last message carries the job in its metadata (found: done), else the
job goes back to pending and is tried again (a repeated resolve is harmless to both services).

- `settle(ctx, incident, why, names, failures, tries=, job=)`: after one try of `names`: forget the
  services resolved; all resolved: say so; otherwise the next try is scheduled (or the job moved),
  or, at RESOLVE_TRIES, the bot gives up and says it once. The first try's writes (services
  forgotten, entry, retry job, the incident's `page_pending` cleared) are one transaction
  (IncidentRecords.together), so a restart never resolves again as a first try beside a retry.
- `due(ctx, job, now)`: the sweep's entry: claim the job, then resolve on the paging thread.

A retry is dropped when the incident reopened (its page is wanted again; the next takedown resolves
it) and when nothing is left to resolve. A close cancels the pending job and resolves at once
(lifecycle.close -> outside.resolved), starting its own bounded series.

A page UPDATE (a new severity, outside.py) that fails is tried again the same way: `updated(ctx,
incident, names, failures, tries=)` after each try; the first try's failure writes its entry, a
`page_update` job (key `page:update:<time>`, payload `{"services": [...]}`: those still showing the
old severity) and the cleared `page_pending = "update"` in one transaction, and says once that the
bot tries again; each retry sends the incident's severity as it is then (a newer change's own first
try cancels an older retry); success says it, RESOLVE_TRIES failed tries say once that it gave up.
`update_due(ctx, job, now)` is the sweep's entry. A retry is dropped once the incident is no longer
open (the takedown resolves the page) or nothing it named is still paged.

Waits: TAKEDOWN_POLL_SECONDS, doubling, at most RETRY_MAX_WAIT (the default 30 s poll: 30 s, 1, 2, 4,
8, 16, 30 min, about an hour in all).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.errors import LeakwatchError
from bot.incidents import effects
from bot.incidents.clocks import Due, format_duration, to_iso
from bot.incidents.page_alert import alert_for
from bot.model import Incident, Job
from bot.paging import incident_key

log = logging.getLogger(__name__)

KIND = "page_resolve"
UPDATE_KIND = "page_update"
UPDATE_KEY = "page:update:"
#: tries in all, the first (at the takedown or close) included
RESOLVE_TRIES = 8
RETRY_MAX_WAIT = timedelta(minutes=30)


def wait_after(ctx, tries: int) -> timedelta:
    """How long after the `tries`-th failed try the next one is due."""
    first = timedelta(seconds=ctx.settings.takedown_poll_seconds)
    return min(first * 2 ** (tries - 1), RETRY_MAX_WAIT)


def each_answer(ctx, number: int, action: str):
    """`Pager.trigger/resolve(answered=...)`: one small write per service as soon as it answers (a
    trigger adds it to `paged`, a resolve drops it), so a process killed before the next service
    is asked does not send this one again at the restart."""
    def answered(name: str) -> None:
        def change(doc: Incident) -> None:
            doc.paged = sorted({*doc.paged, name}) if action == "trigger" else [n for n in doc.paged if n != name]

        ctx.records.modify(number, change)

    return answered


def say(ctx, incident: Incident, text: str, job: Job | None = None) -> None:
    """One line in the room; with the job's metadata when a job sends it (found after a crash)."""
    try:
        if job is None:
            ctx.slack.post(incident.channel_id, text)
        else:
            ctx.slack.call("chat.postMessage", channel=incident.channel_id, text=text, unfurl_links=False,
                           unfurl_media=False, metadata=effects.metadata(job))
    except LeakwatchError as err:
        log.warning("incident %d: could not say a paging result: %s", incident.number, err.code)


def settle(ctx, incident: Incident, why: str, names: list[str], failures: dict[str, str], *, tries: int,
           job: Job | None = None, clears: tuple[str, ...] = ("resolve",)) -> None:
    """After one try of `names`. The first try (no job) writes everything it leaves (the services
    forgotten, the entry, the retry job, a `page_pending` in `clears` cleared) in one transaction,
    then says it:
    a crash in between loses at most that line, never leaves a retry job beside a resolve still
    pending (which a restart would send again as a first try). A retry (its job claimed) says its
    line first, as every job does, so that recovery finds it (effects.recover_claimed)."""
    number, now = incident.number, ctx.clock()
    resolved = [name for name in names if name not in failures]
    reasons = " ".join(failures.values())
    line = None
    if not failures:
        after = f" after {tries} tries" if tries > 1 else ""
        entry, line = ("page_resolved", f"Page resolved ({why}){after}."), f":pager: Page resolved ({why}){after}."
        ending = ("done", f"resolved on try {tries}")
    elif tries >= RESOLVE_TRIES:
        entry = ("page_failed", f"Resolving the page failed {tries} times, given up: {reasons}")
        line = f":warning: The page could not be resolved after {tries} tries: {reasons} Resolve it by hand."
        ending = ("failed", f"given up after {tries} tries")
    else:
        entry, ending = None, None
        if job is None:
            left = sum((wait_after(ctx, n) for n in range(1, RESOLVE_TRIES)), timedelta())
            entry = ("page_failed", f"Resolving the page failed: {reasons} Tried again later.")
            line = (f":warning: The page could not be resolved yet: {reasons} The bot tries again "
                    f"{RESOLVE_TRIES - 1} times over about {format_duration(left.total_seconds())} and says "
                    "here if it gives up.")
    if job is not None and line is not None:
        say(ctx, incident, line, job)

    def change(doc: Incident) -> None:
        doc.paged = [name for name in doc.paged if name not in resolved]
        if job is None and doc.page_pending in clears:
            doc.page_pending = None

    # the job first, the incident last: were they ever written apart, the half state is a retry
    # scheduled beside a resolve still marked pending, which resume() hands to the retry
    with ctx.records.together(number):
        if job is not None and ending is not None:
            ctx.records.finish(job.id, now, status=ending[0], note=ending[1])
        elif job is not None:
            ctx.records.retry(job.id, now + wait_after(ctx, tries), job.attempts + 1)
        elif ending is None:
            ctx.records.schedule(number, [Due(f"page:resolve:{to_iso(now)}", KIND, now + wait_after(ctx, tries),
                                              "page", {"why": why})], recurring=())
        if entry is not None:
            ctx.records.add_event(number, entry[0], entry[1], at=now)
        if resolved or job is None:
            ctx.records.modify(number, change)
    if job is None and line is not None:
        say(ctx, incident, line)
    if failures and resolved:
        log.info("incident %d: page resolved through %s; %d still to resolve", number, " and ".join(resolved),
                 len(failures))
    if failures and ending is None and job is not None:
        log.info("incident %d: resolve try %d of %d failed", number, tries, RESOLVE_TRIES)


def retrying(ctx, number: int) -> bool:
    """Whether a retry of this incident's resolve is scheduled (pending or being tried)."""
    return any(job.kind == KIND and job.status in ("pending", "claimed") for job in ctx.records.incident_jobs(number))


def due(ctx, job: Job, now: datetime) -> None:
    """A retry is due: claimed here (one replica only), resolved on the paging thread."""
    if not ctx.records.claim(job.id, now):
        return
    incident = ctx.records.get(job.incident)
    pager = getattr(ctx.outside, "pager", None)
    note = None
    if incident is None or not incident.paged:
        note = "nothing left to resolve"
    elif pager is None or not pager.enabled:
        note = "paging is not configured"
    elif incident.status == "open":
        note = "the incident reopened: the page stays open until the next takedown"
    if note is not None:
        ctx.records.finish(job.id, now, status="skipped", note=note)
        return
    ctx.outside.submit(_retry, ctx, job)


def _retry(ctx, job: Job) -> None:
    incident = ctx.records.get(job.incident)
    if incident is None or not incident.paged or incident.status == "open":
        ctx.records.finish(job.id, ctx.clock(), status="skipped", note="nothing left to resolve")
        return
    names = list(incident.paged)
    failures = ctx.outside.pager.resolve(incident_key(incident.number), only=names,
                                         answered=each_answer(ctx, incident.number, "resolve"))
    settle(ctx, incident, job.payload.get("why") or "taken down", names, failures, tries=job.attempts + 2, job=job)


# -- a page update that failed ------------------------------------------------------------------------


def updated(ctx, incident: Incident, names: list[str], failures: dict[str, str], *, tries: int,
            job: Job | None = None) -> None:
    """After one try of updating `names` to the incident's severity. The first try (no job) writes
    its entries, the retry job (when some failed) and the cleared `page_pending = "update"` in one
    transaction, then says it; a retry says its line first (recovery finds it), as `settle`."""
    number, now, severity = incident.number, ctx.clock(), incident.severity
    done = [name for name in names if name not in failures]
    reasons = " ".join(failures.values())
    entries, lines = [], []
    if done:
        after = f" after {tries} tries" if tries > 1 else ""
        entries.append(("page_updated", f"The page now says {severity} ({' and '.join(done)}){after}."))
        lines.append(f":pager: The page now says *{severity}* ({' and '.join(done)}){after}.")
    again = bool(failures) and tries < RESOLVE_TRIES
    if failures and not again:
        entries.append(("page_failed", f"Updating the page failed {tries} times, given up: {reasons}"))
        lines.append(f":warning: The page still shows the old severity after {tries} tries: {reasons} "
                     "Tell on-call directly.")
    elif failures and job is None:
        entries.append(("page_failed", f"Updating the page failed: {reasons} Tried again later."))
        lines.append(f":warning: The page still shows the old severity: {reasons} The bot tries again; "
                     "tell on-call directly meanwhile.")
    if job is not None and lines:
        say(ctx, incident, "\n".join(lines), job)
    left = {"services": sorted(failures)}

    def cleared(doc: Incident) -> None:
        if doc.page_pending == "update":
            doc.page_pending = None

    with ctx.records.together(number):
        if job is not None and again:
            ctx.records.retry(job.id, now + wait_after(ctx, tries), job.attempts + 1, payload=left)
        elif job is not None:
            ctx.records.finish(job.id, now, status="failed" if failures else "done",
                               note=f"given up after {tries} tries" if failures else f"updated on try {tries}")
        else:
            ctx.records.cancel(number, keys_starting=(UPDATE_KEY,), note="a newer severity was sent")
            if again:
                ctx.records.schedule(number, [Due(f"{UPDATE_KEY}{to_iso(now)}", UPDATE_KIND,
                                                  now + wait_after(ctx, tries), "page", left)], recurring=())
        for kind, text in entries:
            ctx.records.add_event(number, kind, text, at=now)
        if job is None:
            ctx.records.modify(number, cleared)
    if job is None:
        for line in lines:
            say(ctx, incident, line)


def update_due(ctx, job: Job, now: datetime) -> None:
    """An update retry is due: claimed here (one replica only), sent on the paging thread."""
    if not ctx.records.claim(job.id, now):
        return
    note = _update_moot(ctx, ctx.records.get(job.incident), job)
    if note is not None:
        ctx.records.finish(job.id, now, status="skipped", note=note)
        return
    ctx.outside.submit(_retry_update, ctx, job)


def _update_moot(ctx, incident: Incident | None, job: Job) -> str | None:
    """Why this update retry no longer applies, or None."""
    pager = getattr(ctx.outside, "pager", None)
    if pager is None or not pager.enabled:
        return "paging is not configured"
    if incident is None or incident.status != "open":
        return "the incident is no longer open: the takedown resolves the page"
    if not set(job.payload.get("services") or ()) & set(incident.paged):
        return "nothing left to update"
    return None


def _retry_update(ctx, job: Job) -> None:
    incident = ctx.records.get(job.incident)
    note = _update_moot(ctx, incident, job)
    if note is not None:
        ctx.records.finish(job.id, ctx.clock(), status="skipped", note=note)
        return
    names = [name for name in job.payload.get("services") or () if name in incident.paged]
    failures = ctx.outside.pager.update(alert_for(ctx, incident, ctx.clock()), only=names)
    updated(ctx, incident, names, failures, tries=job.attempts + 2, job=job)
