"""Drills: `/incident drill` opens a practice incident on the bot's own synthetic sample file.

A drill is an ordinary incident with `drill=True`: the same room, clock, reminders, escalation in
the room, checklist and takedown proof, marked DRILL everywhere, and never leaving the room (no
page through PagerDuty/Opsgenie, no stakeholder post, no re-post matches: bot/incidents/outside.py
and repost.py skip drills). Its report says how long the team took.

- `open_drill(ctx, user=, channel=)`: scans the synthetic sample (bot/workspace/sample.py: made-up
  people) so the room shows real findings, then opens the room. With DRILL_URL set (the local
  workspace sets it to its sample site), the drill's file is `<DRILL_URL>drill-<token>.csv`, a
  fresh file per drill that the sample site serves until someone takes it down there, and the
  bot's re-check proves the takedown; without it the drill has no URL and `/incident down`
  records the takedown.
- `DrillMarks(slack, records)`: the Slack gateway as the incident modules see it: every message,
  edit and topic in a drill's room is marked (one place, so nothing posted there is left unmarked).
- `mark_text`, `mark_blocks`, `team_time` are pure (golden-tested).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from bot.incidents.clocks import format_duration, from_iso
from bot.model import Checklist, Incident

DRILL = "DRILL"
TEXT_MARK = f"[{DRILL}] "
NOTE = (":rotating_light: *DRILL*: a practice incident on the bot's own synthetic sample file "
        "(made-up people). No page, no stakeholder post.")
TITLE = "DRILL: practice incident on the bot's synthetic sample file"


def mark_text(text: str) -> str:
    return text if text.startswith(TEXT_MARK) else TEXT_MARK + text


def mark_blocks(blocks: list | None) -> list | None:
    """A context line on top of a drill room's message (once)."""
    if not blocks:
        return blocks
    first = blocks[0]
    if first.get("type") == "context" and first.get("block_id") == "drill":
        return blocks
    return [{"type": "context", "block_id": "drill", "elements": [{"type": "mrkdwn", "text": NOTE}]}, *blocks]


def drill_url(base: str | None) -> str | None:
    if not base:
        return None
    return base.rstrip("/") + f"/drill-{secrets.token_hex(3)}.csv"


def team_time(incident: Incident, sheet: Checklist | None, now: datetime, target_minutes: float) -> str:
    """How long the team took, in one paragraph of mrkdwn (for the drill's report)."""
    opened = from_iso(incident.opened_at)
    target = format_duration(target_minutes * 60)
    if incident.taken_down_at:
        took = (from_iso(incident.taken_down_at) - opened).total_seconds()
        verdict = "within" if took <= target_minutes * 60 else "over"
        line = f"*Drill result:* the team took *{format_duration(took)}* to take the sample down ({verdict} the {target} target)"
    else:
        line = f"*Drill result:* not taken down yet, {format_duration((now - opened).total_seconds())} after the drill opened (target {target})"
    items = sheet.items if sheet else []
    done = [item for item in items if item.done and item.at]
    line += f"; checklist {len(done)} of {len(items)} done"
    if done:
        last = max(from_iso(item.at) for item in done)
        line += f", the last tick {format_duration((last - opened).total_seconds())} after opening"
    return line + "."


class DrillMarks:
    """The Slack gateway for the incident modules: messages in a drill's room are marked DRILL."""

    def __init__(self, slack, records):
        self._slack = slack
        self._records = records

    def __getattr__(self, name):
        return getattr(self._slack, name)

    def _drill_room(self, channel: str) -> bool:
        incident = self._records.by_channel(channel) if channel else None
        return bool(incident and incident.drill)

    def post(self, channel: str, text: str, blocks: list | None = None, **options) -> str:
        if self._drill_room(channel):
            text, blocks = mark_text(text), mark_blocks(blocks)
        return self._slack.post(channel, text, blocks=blocks, **options)

    def update(self, channel: str, ts: str, text: str, blocks: list | None = None) -> None:
        if self._drill_room(channel):
            text, blocks = mark_text(text), mark_blocks(blocks)
        return self._slack.update(channel, ts, text, blocks=blocks)

    def set_topic(self, channel: str, topic: str) -> None:
        return self._slack.set_topic(channel, mark_text(topic) if self._drill_room(channel) else topic)

    def call(self, method: str, **params) -> dict:
        """The same marks on the raw methods (reminders are posted with message metadata this way)."""
        if method in ("chat.postMessage", "chat.update") and self._drill_room(params.get("channel", "")):
            params["text"] = mark_text(params.get("text", ""))
            if isinstance(params.get("blocks"), list):
                params["blocks"] = mark_blocks(params["blocks"])
        elif method == "conversations.setTopic" and self._drill_room(params.get("channel", "")):
            params["topic"] = mark_text(params.get("topic", ""))
        return self._slack.call(method, **params)


def open_drill(ctx, *, user: str, channel: str) -> Incident:
    """Open the drill's room: scan the sample, create the incident (never joining another), set up."""
    from bot.incidents import lifecycle
    from bot.incidents.records import summarize_report
    from bot.scan.pipeline import scan_bytes
    from bot.workspace.sample import ROSTER_NAME, roster_csv

    url = drill_url(ctx.settings.drill_url)
    report = scan_bytes(roster_csv(), target=url or ROSTER_NAME, settings=ctx.settings.scan, name=ROSTER_NAME)
    now = ctx.clock()
    incident = lifecycle.new_incident(summary=summarize_report(report), url=url, title=None if url else TITLE,
                                      reporter=user, origin_channel=channel, now=now)
    incident.drill = True
    incident.url_key = None  # a drill never joins (or is joined by) a real incident for the same URL
    # the incident and its "drill" entry in one write: a crash between them lost the entry
    number = ctx.records.create(incident, events=[
        ("drill", "Drill opened: a practice incident on the bot's synthetic sample file.")], at=now, by=user)
    return lifecycle.ensure_room(ctx, number)
