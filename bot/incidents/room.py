"""The checklist message in an incident room: posted, and rebuilt from the stored state.

Takes an IncidentContext (bot/incidents/context.py). The newest message is the one kept current;
rendering and sending hold the incident's sheet lock, so the last update shown is the newest state.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.errors import LeakwatchError
from bot.incidents import blocks, effects
from bot.model import MessageRef

log = logging.getLogger(__name__)


def post_checklist(ctx, number: int, *, once_since: datetime | None = None) -> str:
    """Post the checklist (again) in the incident room; the newest message is the one kept current.
    `once_since` (opening the room): the one posted by a bot that stopped before saving it counts."""
    with ctx.sheet_lock(number):
        incident, sheet = ctx.records.get(number), ctx.records.checklist(number)
        text, sheet_blocks = blocks.checklist(incident, sheet, ctx.clock(), ctx.settings.legal_clocks)
        if once_since is not None:
            ts = effects.post_once(ctx, incident.channel_id, number, "setup:checklist", text, sheet_blocks, once_since)
        else:
            ts = ctx.slack.post(incident.channel_id, text, blocks=sheet_blocks)

        def keep(doc) -> None:
            doc.message = MessageRef(channel=incident.channel_id, ts=ts)

        ctx.records.change_checklist(number, keep)
        return ts


def rebuild_checklist(ctx, number: int, also: tuple[str, str | None] | None = None) -> None:
    """Re-render from the stored state and update the message (and `also`, the clicked one)."""
    with ctx.sheet_lock(number):
        incident, sheet = ctx.records.get(number), ctx.records.checklist(number)
        if incident is None or sheet is None:
            return
        text, sheet_blocks = blocks.checklist(incident, sheet, ctx.clock(), ctx.settings.legal_clocks)
        targets = []
        if sheet.message:
            targets.append((sheet.message.channel, sheet.message.ts))
        if also and also[1] and also not in targets:
            targets.append(also)
        for channel, ts in targets:
            try:
                ctx.slack.update(channel, ts, text, blocks=sheet_blocks)
            except LeakwatchError as err:
                log.warning("incident %d: checklist message not updated: %s", number, err.code)
