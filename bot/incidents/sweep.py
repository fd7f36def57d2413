"""The one sweep loop: find due jobs in the database and do them, exactly as the database says.

Nothing is kept in memory between sweeps: every due time is an absolute UTC time in the `jobs`
table, so a restarted bot picks up where the stopped one left off. The order for one-shot jobs
(reminders, escalations, legal clocks) is "claim, send, mark done" (see records.py): a reminder
missed while the bot was down fires once at the next start, and is never sent twice. When
several reminders of one chain are overdue at once (a long outage), only the latest fires; the
earlier ones are marked `skipped`, since "10 minutes left" is wrong once the target has passed.
"Send" is the message, then its timeline entry, then (an escalation) the page, outside.escalated.
A bot that stops after the message and before "done" leaves the job claimed; recovery finds the
message in the channel (effects.py) and marks the job `sent`, and the sweep finishes it without
posting again: the entry if the timeline lacks it, the page if no page outcome followed the message.

The timer message is refreshed every TIMER_UPDATE_SECONDS counted from the notification: each
tick is claimed on the incident by one process (records.claim_timer_tick), so replicas refresh it
once per tick between them; this process's next try is kept in memory only, so a restarted bot
tries at once (and refreshes, unless this very tick was refreshed before the restart).
A page whose resolve failed is tried again as a `page_resolve` job (bot/incidents/page_retry.py);
a page mark or an announcement a dead replica left is taken over after a lease (takeover.py).
The takedown poll is a recurring job that moves its own due time (every TAKEDOWN_POLL_SECONDS). Polls fetch and scan, which takes time, so
they run on a small pool of their own, at most one per incident at a time.
"""

from __future__ import annotations

import logging
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from bot.errors import LeakwatchError, SlackCallFailed
from bot.incidents import blocks, effects, lifecycle, outside, page_retry, roles, takeover
from bot.incidents.clocks import from_iso
from bot.incidents.records import timer_tick
from bot.model import Job

log = logging.getLogger(__name__)

ONE_SHOT = ("takedown_reminder", "takedown_escalation", "legal_reminder", "legal_deadline")
#: a send that could not reach Slack is tried again this often, then given up
SEND_ATTEMPTS = 5
RETRY_AFTER = timedelta(seconds=10)
#: how often rooms whose opening failed half-way are tried again
SETUP_RETRY = timedelta(seconds=30)


def _where(err: BaseException) -> str:
    frame = traceback.extract_tb(err.__traceback__)[-1] if err.__traceback__ else None
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else "?"


def _message(ctx, job: Job, incident, now: datetime) -> str:
    """The room message of a one-shot job."""
    target, payload = ctx.settings.takedown_target_minutes, job.payload
    if job.kind == "takedown_reminder":
        return blocks.takedown_reminder(incident, now, target, roles.mention_people(incident) if incident.lead else "")
    if job.kind == "takedown_escalation":
        return blocks.escalation(incident, now, target, roles.mention_people(incident))
    if job.kind == "legal_reminder":
        return blocks.legal_reminder(payload, now)
    return blocks.legal_deadline(payload, now, roles.mention_people(incident))


def _entry(job: Job, incident) -> tuple[str, str]:
    """The timeline entry (kind, text) written after a one-shot job's message."""
    if job.kind == "takedown_reminder":
        return "reminder", "Reminder: the takedown target nears."
    if job.kind == "takedown_escalation":
        return "escalation", ("Escalation: takedown target passed; "
                              + ("the lead and on-call" if incident.lead else "on-call") + " mentioned.")
    label = job.payload.get("label", "")
    if job.kind == "legal_reminder":
        return "legal", f"Legal clock reminder: {label}."
    return "legal", f"Legal deadline reached: {label}."


#: timeline entries saying an escalation's page went out, or why not (bot/incidents/outside.py)
PAGE_OUTCOMES = ("paged", "not_paged", "page_failed")


def _after_post(ctx, job: Job, incident, at: datetime, *, late: bool = False) -> None:
    """What follows a one-shot job's message: its timeline entry, and for an escalation the page
    (outside.escalated). `late`: the message was posted by a bot that stopped before this ran to
    its end, so each step is done only if it is not done yet: the entry unless the timeline has
    it, the page while the incident is open and no page outcome was written since the message
    (a page already on its way is not sent twice: outside._page skips services already paged)."""
    number = job.incident
    if not (late and ctx.records.has_job_entry(number, job.key)):
        kind, text = _entry(job, incident)
        ctx.records.add_event(number, kind, text, at=at, data={"job": job.key})
    if job.kind != "takedown_escalation":
        return
    if late:
        incident = ctx.records.get(number) or incident
        outcome = any(e.kind in PAGE_OUTCOMES and from_iso(e.at) >= at for e in ctx.records.timeline(number))
        if incident.status != "open" or incident.paged or outcome:
            return
    outside.escalated(ctx, incident, ctx.clock() if late else at)


class Sweeper:
    def __init__(self, ctx, *, recheck, interval: float | None = None):
        self.ctx = ctx
        self.recheck = recheck
        settings = ctx.settings
        self.interval = interval or max(0.2, min(0.5, settings.timer_update_seconds, settings.takedown_poll_seconds))
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._polls = ThreadPoolExecutor(max_workers=2, thread_name_prefix="takedown-poll")
        self._inflight: set[int] = set()
        self._inflight_lock = threading.Lock()
        self._sweep_lock = threading.Lock()
        self._last_setup_retry: datetime | None = None
        #: incident -> when its timer message is next refreshed (derived, kept in memory only)
        self._timer_due: dict[int, datetime] = {}

    # -- the thread ---------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="incident-sweep", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._polls.shutdown(wait=False, cancel_futures=True)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until no takedown check is running (tests, shutdown); False on timeout."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._inflight_lock:
                if not self._inflight:
                    return True
            time.sleep(0.01)
        return False

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.run_once()
            except Exception as err:  # noqa: BLE001 - the loop must outlive any one bad job
                log.error("sweep failed: %s at %s", type(err).__name__, _where(err))

    # -- one sweep ----------------------------------------------------------------------------------

    def run_once(self, now: datetime | None = None) -> int:
        """Do every job due at `now`; returns how many were handled. Safe to call concurrently."""
        with self._sweep_lock:
            now = now or self.ctx.clock()
            due = self.ctx.records.due_jobs(now)
            latest: dict[tuple[int, str], int] = {}
            for job in due:  # sorted by due time: the last one seen per chain is the latest
                if job.kind in ONE_SHOT:
                    latest[(job.incident, job.chain)] = job.id
            for job in due:
                if job.kind in ONE_SHOT:
                    if latest[(job.incident, job.chain)] != job.id:
                        if self.ctx.records.claim(job.id, now):
                            self.ctx.records.finish(job.id, now, status="skipped", note="superseded by a later one")
                        continue
                    self._one_shot(job, now)
                elif job.kind == "timer":
                    self._timer(job, now)
                elif job.kind == "poll":
                    self._poll(job, now)
                elif job.kind == page_retry.KIND:  # a page to resolve again (claimed there)
                    page_retry.due(self.ctx, job, now)
                elif job.kind == page_retry.UPDATE_KIND:  # a page to update again (claimed there)
                    page_retry.update_due(self.ctx, job, now)
                else:
                    self.ctx.records.finish(job.id, now, status="failed", note="unknown job kind")
            self._refresh_timers(now)
            self._retry_setup(now)
            return len(due)

    def _retry_setup(self, now: datetime) -> None:
        """A room whose opening failed half-way (Slack down) is finished later, not forgotten; a
        send whose process died (another replica, or Slack unreachable at start) is settled."""
        if self._last_setup_retry is not None and now - self._last_setup_retry < SETUP_RETRY:
            return
        self._last_setup_retry = now
        effects.recover_claimed(self.ctx, now)
        self._finish_sent(now)
        takeover.take_over(self.ctx, now)  # page marks and announcements a dead replica left
        for incident in self.ctx.records.all(("open", "down")):
            if incident.setup_complete or now - from_iso(incident.opened_at) < SETUP_RETRY:
                continue
            try:
                lifecycle.ensure_room(self.ctx, incident.number)
                log.info("incident %d: room opening finished on retry", incident.number)
            except LeakwatchError as err:
                log.warning("incident %d: room opening still failing: %s", incident.number, err.code)

    def _one_shot(self, job: Job, now: datetime) -> None:
        records = self.ctx.records
        if not records.claim(job.id, now):
            return
        try:
            note = self._send(job, now)
        except SlackCallFailed as err:
            attempts = job.attempts + 1
            if err.code == "unreachable" and attempts < SEND_ATTEMPTS:
                records.retry(job.id, now + RETRY_AFTER, attempts)
            else:
                records.finish(job.id, now, status="failed", note=f"Slack: {err.code}")
            log.warning("job %s of incident %s not sent: %s", job.key, job.incident, err.code)
            return
        except Exception:
            records.finish(job.id, now, status="failed", note="internal error")
            raise
        records.finish(job.id, self.ctx.clock(), status="done" if note is None else "skipped", note=note)
        log.info("incident %s: %s %s", job.incident, job.key, "sent" if note is None else f"skipped ({note})")

    def _send(self, job: Job, now: datetime) -> str | None:
        """Send one reminder; returns None when sent, else why it no longer applies."""
        ctx, number = self.ctx, job.incident
        incident = ctx.records.get(number)
        if incident is None or incident.status == "closed":
            return "incident closed"
        if job.kind.startswith("takedown_") and incident.status != "open":
            return "already taken down"
        text = _message(ctx, job, incident, now)
        # the metadata lets a restarted (or another) bot find this message before sending it again
        ctx.slack.call("chat.postMessage", channel=incident.channel_id, text=text, unfurl_links=False,
                       unfurl_media=False, metadata=effects.metadata(job))
        _after_post(ctx, job, incident, now)
        return None

    def _finish_sent(self, now: datetime) -> None:
        """Jobs whose message a stopped bot posted (effects.recover_claimed found it): claimed here,
        finished without posting again (see `_after_post`), then done."""
        for found in self.ctx.records.sent_jobs():
            job = self.ctx.records.claim_sent(found.id, now)
            if job is None:  # another replica finishes it
                continue
            incident = self.ctx.records.get(job.incident)
            if incident is not None and job.kind in ONE_SHOT:
                try:
                    _after_post(self.ctx, job, incident, from_iso(job.sent_at) if job.sent_at else now, late=True)
                except LeakwatchError as err:  # left claimed: settled again after the lease
                    log.warning("incident %d: job %s not finished: %s", job.incident, job.key, err.code)
                    continue
            self.ctx.records.finish(job.id, self.ctx.clock(), note="sent before the bot stopped (found in the channel)")
            log.info("incident %s: %s was sent before the bot stopped; finished now", job.incident, job.key)

    def _timer(self, job: Job, now: datetime) -> None:
        """A timer job written by an older version: the tick is derived now, so it is retired."""
        self.ctx.records.finish(job.id, now, note="the timer tick is derived from the notification time now")

    def _refresh_timers(self, now: datetime) -> None:
        """Every open incident's timer message, once per tick counted from its notification time,
        by whichever process claims that tick first (records.claim_timer_tick): N replicas make
        one chat.update per tick, not N."""
        ctx = self.ctx
        step = timedelta(seconds=ctx.settings.timer_update_seconds)
        open_now = set()
        for incident in ctx.records.all(("open",)):
            if not incident.setup_complete or not incident.timer_ts:
                continue
            open_now.add(incident.number)
            due = self._timer_due.get(incident.number)
            if due is not None and now < due:
                continue
            self._timer_due[incident.number] = timer_tick(incident.notified_at, now, step) + step
            claimed = ctx.records.claim_timer_tick(incident.number, now, step)
            if claimed is None:  # this tick is another replica's (or was refreshed before a restart)
                continue
            try:
                lifecycle.refresh_timer(ctx, claimed)
            except LeakwatchError as err:
                log.warning("incident %d: timer not updated: %s", incident.number, err.code)
        for number in set(self._timer_due) - open_now:
            del self._timer_due[number]

    def _poll(self, job: Job, now: datetime) -> None:
        ctx, number = self.ctx, job.incident
        incident = ctx.records.get(number)
        if incident is None or incident.status == "closed" or not incident.url:
            ctx.records.finish(job.id, now, note="nothing to check")
            return
        with self._inflight_lock:
            if number in self._inflight:
                return
            self._inflight.add(number)
        if not ctx.records.claim_run(job.id, now, now + timedelta(seconds=ctx.settings.takedown_poll_seconds)):
            with self._inflight_lock:  # another replica runs this check
                self._inflight.discard(number)
            return
        try:
            self._polls.submit(self._check, number, incident.url, incident.content_sha256)
        except RuntimeError:  # shutting down
            with self._inflight_lock:
                self._inflight.discard(number)

    def _check(self, number: int, url: str, known_sha256: str | None = None) -> None:
        ctx = self.ctx
        try:
            started = ctx.clock()
            observation = self.recheck(url, ctx.settings.scan, known_sha256=known_sha256)
            lifecycle.apply_check(ctx, number, observation, started)
        except LeakwatchError as err:
            log.warning("incident %d: takedown check failed: %s", number, err.code)
        except Exception as err:  # noqa: BLE001 - log the type and place only: messages may quote content
            log.error("incident %d: takedown check failed: %s at %s", number, type(err).__name__, _where(err))
        finally:
            with self._inflight_lock:
                self._inflight.discard(number)

