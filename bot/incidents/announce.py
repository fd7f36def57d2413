"""Telling a takedown or a close, exactly once across crashes: the room, the timer and topic, the
stakeholder channel.

The status change is saved together with what is left to tell (`Incident.announcing`, an
Announcement listing its steps) in one write (lifecycle.record_takedown / lifecycle.close), then
`finish(ctx, number, tell)` does the steps in order, crossing each off as it is done. A bot killed
half-way finishes the rest at its next start (outside.resume calls `finish` for every incident
still announcing), and the next takedown check of a taken-down incident (lifecycle.apply_check, on
whichever replica runs it) finishes what Slack refused or a dead replica left, so a takedown is
never saved without being told. A timer or topic refresh
(harmless to repeat) is crossed off with the step after it: one write fewer each.

Exactly once: the room message and the stakeholder post carry the announcement's key in their
Slack metadata (effects.metadata_for); after a restart a step is first looked for in the channel
(effects.find_posted) and, found, only crossed off. A timer or topic refresh is harmless to
repeat; the exposure picture is the one step a crash can repeat (a second copy of the same PNG).
A step that Slack refuses stays on the list for the next start; a newer change (a reopen) drops
what is left (it would tell a state that is gone).

Steps: a takedown posts its figures, the picture, refreshes the timer and topic, tells the
stakeholders; a close refreshes the timer and topic, posts who closed it, tells the stakeholders.
Also here, as every status change uses them: `refresh_topic`, `refresh_timer`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from bot.errors import LeakwatchError
from bot.incidents import access_logs, blocks, effects
from bot.incidents.clocks import from_iso, to_iso
from bot.model import Announcement, Incident

log = logging.getLogger(__name__)

STEPS = {"down": ("post", "picture", "timer", "topic", "stakeholders"),
         "closed": ("timer", "topic", "post", "stakeholders")}
#: steps harmless to do twice: crossed off with the step after them (one write fewer each)
REPEATABLE = ("timer", "topic")
#: what the stakeholder channel's headline says
HEADLINES = {"down": "taken down", "closed": "closed"}
PICTURE_COMMENT = ("The exposure timeline. Share the access logs here to add who fetched it "
                   "(`/incident downloads`).")


def plan(what: str, key: str, at: datetime, *, by: str | None = None) -> Announcement:
    """The announcement to save with the status change `what` (down | closed)."""
    return Announcement(what=what, key=key, at=to_iso(at), steps=list(STEPS[what]), by=by)


def refresh_topic(ctx, incident: Incident) -> None:
    try:
        ctx.slack.set_topic(incident.channel_id, blocks.topic(incident, ctx.settings.takedown_target_minutes))
    except LeakwatchError as err:
        log.warning("incident %d: topic not set: %s", incident.number, err.code)


def refresh_timer(ctx, incident: Incident) -> None:
    """Update the one timer message in place; if someone deleted it, post a new one and keep that."""
    if not incident.timer_ts:
        return
    text, timer_blocks = blocks.timer(incident, ctx.clock(), ctx.settings.takedown_target_minutes)
    try:
        ctx.slack.update(incident.channel_id, incident.timer_ts, text, blocks=timer_blocks)
    except LeakwatchError as err:
        if err.code != "message_not_found":
            raise
        ts = ctx.slack.post(incident.channel_id, text, blocks=timer_blocks)
        ctx.records.modify(incident.number, lambda doc: setattr(doc, "timer_ts", ts))


def post_keyed(ctx, channel: str, number: int, key: str, text: str, message_blocks: list | None, *,
               since: datetime | None) -> None:
    """Post a message carrying (incident, key) in its metadata; with `since` (after a restart),
    not when the channel already holds it. Raises LeakwatchError when Slack refuses."""
    if since is not None:
        effects.post_once(ctx, channel, number, key, text, message_blocks, since)
        return
    params = {"channel": channel, "text": text, "unfurl_links": False, "unfurl_media": False,
              "metadata": effects.metadata_for(number, key)}
    if message_blocks:
        params["blocks"] = message_blocks
    ctx.slack.call("chat.postMessage", **params)


def _room_post(ctx, incident: Incident, job: Announcement, since: datetime | None) -> None:
    if job.what == "down":
        text, message_blocks = blocks.takedown_posted(incident, ctx.clock())
    else:
        text, message_blocks = (f":lock: <@{job.by}> closed incident #{incident.number}. `/incident report` still "
                                "shows its timeline and figures."), None
    post_keyed(ctx, incident.channel_id, incident.number, job.key, text, message_blocks, since=since)


def _do(ctx, incident: Incident, job: Announcement, step: str, tell: Callable, since: datetime | None) -> None:
    if step == "post":
        _room_post(ctx, incident, job, since)
    elif step == "picture":
        access_logs.upload_picture(ctx, incident, comment=PICTURE_COMMENT)
    elif step == "timer":
        refresh_timer(ctx, incident)
    elif step == "topic":
        refresh_topic(ctx, incident)
    elif step == "stakeholders":
        tell(ctx, incident, HEADLINES[job.what], key=job.key, since=since)


def _cross_off(key: str, steps: list[str]) -> Callable[[Incident], None]:
    def change(doc: Incident) -> None:
        if doc.announcing is not None and doc.announcing.key == key:
            doc.announcing.steps = [s for s in doc.announcing.steps if s not in steps]
            if not doc.announcing.steps:
                doc.announcing = None

    return change


def finish(ctx, number: int, tell: Callable, *, resumed: bool = False) -> bool:
    """Do the steps left of the incident's announcement; True when nothing is left. `tell` is
    outside.tell_stakeholders (passed in: that module calls this one). `resumed`: a process may
    have died after a post and before crossing it off, so posts are looked for first."""
    with ctx.incident_lock(number):
        incident = ctx.records.get(number)
        if incident is None or incident.announcing is None:
            return True
        job = incident.announcing
        since = from_iso(job.at) if resumed else None
        done: list[str] = []
        for step in list(job.steps):
            try:
                _do(ctx, incident, job, step, tell, since)
            except LeakwatchError as err:
                log.warning("incident %d: %s not told yet (%s): finished at the next start", number, step, err.code)
                if done:
                    ctx.records.modify(number, _cross_off(job.key, done))
                return False
            done.append(step)
            if step not in REPEATABLE or step == job.steps[-1]:  # a refresh is crossed off with the next step
                incident = ctx.records.modify(number, _cross_off(job.key, done)) or incident
                done = []
        log.info("incident %d: %s told", number, HEADLINES.get(job.what, job.what))
        return True
