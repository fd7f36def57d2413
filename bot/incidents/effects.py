"""Effects exactly once across crashes: every reminder carries Slack message metadata naming its
incident and job, and a send interrupted by a crash is settled by looking in the channel.

A one-shot job (reminder, escalation, legal clock) is claimed in the store, sent, then marked
done. A bot killed between "sent" and "marked" leaves the job `claimed`. Recovery (at start, and
on every sweep for claims older than CLAIM_LEASE, which is how a replica takes over a dead
replica's claims) reads the incident channel's recent history (`conversations.history` with
`include_all_metadata`) for the bot's own message whose metadata names that incident and job:
- found: it was sent; the job is marked done, not sent again;
- not found: it was not sent; the job goes back to pending and is sent once;
- Slack cannot be asked: the job stays claimed and is tried again later (never guessed).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.errors import LeakwatchError
from bot.incidents.clocks import from_iso
from bot.model import Job

log = logging.getLogger(__name__)

EVENT_TYPE = "leakwatch_job"
#: a claim older than this is a send whose process died (a send takes seconds)
CLAIM_LEASE = timedelta(seconds=120)
#: how far back before the claim the channel is read (clock skew between Slack and the bot)
LOOK_BACK = timedelta(minutes=2)
HISTORY_PAGES = 5


def metadata(job: Job) -> dict:
    """Slack message metadata for a job's message: no personal data, only numbers and keys."""
    return {"event_type": EVENT_TYPE, "event_payload": {"incident": job.incident, "job": job.key}}


def _is_ours(message: dict, job: Job) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return (meta.get("event_type") == EVENT_TYPE and payload.get("incident") == job.incident
            and payload.get("job") == job.key)


def already_posted(slack, channel: str, job: Job) -> bool:
    """Whether the channel holds the bot's message for this job, posted since just before its
    claim. Raises LeakwatchError when Slack cannot be asked."""
    claimed = from_iso(job.claimed_at) if job.claimed_at else None
    params = {"channel": channel, "include_all_metadata": True, "limit": 200}
    if claimed is not None:
        params["oldest"] = f"{(claimed - LOOK_BACK).timestamp():.6f}"
    for _ in range(HISTORY_PAGES):
        answer = slack.call("conversations.history", **params)
        if any(_is_ours(m, job) for m in answer.get("messages") or []):
            return True
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not answer.get("has_more") or not cursor:
            return False
        params["cursor"] = cursor
    return False


def recover_claimed(ctx, now: datetime, *, lease: timedelta = CLAIM_LEASE) -> int:
    """Settle claims older than `lease` by looking in the channel; returns how many were settled."""
    settled = 0
    for job in ctx.records.stuck_claims(now - lease):
        incident = ctx.records.get(job.incident)
        if incident is None or not incident.channel_id:
            ctx.records.finish(job.id, now, status="skipped", note="no incident room to post in")
            continue
        try:
            sent = already_posted(ctx.slack, incident.channel_id, job)
        except LeakwatchError as err:
            log.warning("incident %d: job %s left claimed, Slack could not be asked: %s", job.incident, job.key,
                        err.code)
            continue
        if sent:
            ctx.records.finish(job.id, now, status="done", note="sent before the bot stopped (found in the channel)")
            ctx.records.add_event(job.incident, "recovered", f"The bot stopped right after sending "
                                  f"{job.kind.replace('_', ' ')}; found in the channel, not sent again.", at=now)
        else:
            ctx.records.release(job.id, job.claimed_at)
            ctx.records.add_event(job.incident, "recovered", f"The bot stopped before sending "
                                  f"{job.kind.replace('_', ' ')}; sending it now.", at=now)
        log.info("incident %d: interrupted job %s %s", job.incident, job.key, "was sent" if sent else "is sent again")
        settled += 1
    return settled
