"""Effects exactly once across crashes: every reminder carries Slack message metadata naming its
incident and job, and a send interrupted by a crash is settled by looking in the channel.

A one-shot job (reminder, escalation, legal clock) is claimed in the store, sent, then marked
done. A bot killed between "sent" and "marked" leaves the job `claimed`. Recovery (at start, and
on every sweep for claims older than CLAIM_LEASE, which is how a replica takes over a dead
replica's claims) reads the incident channel's recent history (`conversations.history` with
`include_all_metadata`) for the bot's own message whose metadata names that incident and job:
- found: it was sent, and is never sent again; the job becomes `sent` (records.mark_sent, with
  when it went out) and the sweep finishes what follows its message (bot/incidents/sweep.py
  `_after_post`: the job's own timeline entry when it is missing, the page of an escalation that
  had not reached the paging step), then marks it done. A job already `sent` once (its finishing
  cut short too) is not looked up again: it goes back to `sent`;
- not found: it was not sent; the job goes back to pending and is sent once;
- Slack cannot be asked: the job stays claimed and is tried again later (never guessed).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.errors import LeakwatchError
from bot.incidents.clocks import from_iso, to_iso
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
    return metadata_for(job.incident, job.key)


def metadata_for(incident: int, key: str) -> dict:
    return {"event_type": EVENT_TYPE, "event_payload": {"incident": incident, "job": key}}


def _is_ours(message: dict, incident: int, key: str) -> bool:
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return meta.get("event_type") == EVENT_TYPE and payload.get("incident") == incident and payload.get("job") == key


def find_posted(slack, channel: str, incident: int, key: str, since: datetime | None) -> str | None:
    """The ts of the bot's message for (incident, key) in the channel, posted since just before
    `since`, or None. Raises LeakwatchError when Slack cannot be asked."""
    params = {"channel": channel, "include_all_metadata": True, "limit": 200}
    if since is not None:
        params["oldest"] = f"{(since - LOOK_BACK).timestamp():.6f}"
    for _ in range(HISTORY_PAGES):
        answer = slack.call("conversations.history", **params)
        for message in answer.get("messages") or []:
            if _is_ours(message, incident, key):
                return message.get("ts") or ""
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not answer.get("has_more") or not cursor:
            return None
        params["cursor"] = cursor
    return None


def already_posted(slack, channel: str, job: Job) -> bool:
    """Whether the channel holds the bot's message for this job, posted since just before its
    claim. Raises LeakwatchError when Slack cannot be asked."""
    claimed = from_iso(job.claimed_at) if job.claimed_at else None
    return find_posted(slack, channel, job.incident, job.key, claimed) is not None


def post_once(ctx, channel: str, incident: int, key: str, text: str, blocks: list | None,
              since: datetime) -> str:
    """Post a message that must exist once (a room's summary, timer, checklist), unless a bot that
    stopped before saving its ts already posted it: then that message's ts. Returns the ts."""
    found = find_posted(ctx.slack, channel, incident, key, since)
    if found:
        log.info("incident %d: %s was posted before the bot stopped; kept, not posted again", incident, key)
        return found
    params = {"channel": channel, "text": text, "unfurl_links": False, "unfurl_media": False,
              "metadata": metadata_for(incident, key)}
    if blocks:
        params["blocks"] = blocks
    return ctx.slack.call("chat.postMessage", **params).get("ts", "")


def recover_claimed(ctx, now: datetime, *, lease: timedelta = CLAIM_LEASE) -> int:
    """Settle claims older than `lease` by looking in the channel; returns how many were settled."""
    settled = 0
    for job in ctx.records.stuck_claims(now - lease):
        incident = ctx.records.get(job.incident)
        if incident is None or not incident.channel_id:
            ctx.records.finish(job.id, now, status="skipped", note="no incident room to post in")
            continue
        try:
            sent = bool(job.sent_at) or already_posted(ctx.slack, incident.channel_id, job)
        except LeakwatchError as err:
            log.warning("incident %d: job %s left claimed, Slack could not be asked: %s", job.incident, job.key,
                        err.code)
            continue
        if sent:
            with ctx.records.together(job.incident):
                marked = ctx.records.mark_sent(job.id, job.claimed_at, job.sent_at or job.claimed_at or to_iso(now))
                if marked and not job.sent_at:
                    ctx.records.add_event(job.incident, "recovered", f"The bot stopped right after sending "
                                          f"{job.kind.replace('_', ' ')}; found in the channel, not sent again.", at=now)
        else:
            ctx.records.release(job.id, job.claimed_at)
            ctx.records.add_event(job.incident, "recovered", f"The bot stopped before sending "
                                  f"{job.kind.replace('_', ' ')}; sending it now.", at=now)
        log.info("incident %d: interrupted job %s %s", job.incident, job.key, "was sent" if sent else "is sent again")
        settled += 1
    return settled
