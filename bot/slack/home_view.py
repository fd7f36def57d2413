"""The bot's Home tab (App Home), as a pure function of what the viewer may see. Golden-tested.

    home_view(incidents=[...], watches=[...], scans=[...], now=..., target_minutes=15,
              hidden_incidents=2) -> {"type": "home", "blocks": [...]}

- open incidents (not closed) whose channels the viewer is in, or all for ADMIN_USERS: number,
  channel, status, severity, people, the takedown clock against its target, the lead;
- active watches: number, page, interval, until when, where alerts go;
- the viewer's own last scans: when, what, severity, people, types: counts and types only, no
  sample (the Home tab is read at a glance, over a shoulder).
Sections stay inside Slack's limits (100 blocks a view, 3,000 characters a section); a list that
is cut says how many more there are.
"""

from __future__ import annotations

from datetime import datetime

from bot.incidents.clocks import format_duration, from_iso
from bot.slack import times
from bot.slack.blocks import type_label

SECTION_MAX = 2900
SHOWN = 15
STATUS = {"open": ":red_circle: still online", "down": ":white_check_mark: taken down"}


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text if len(text) <= SECTION_MAX
                                        else text[: SECTION_MAX - 1] + "…"}}


def _list(title: str, lines: list[str], empty: str, more: int = 0) -> list[dict]:
    """A title and its lines, one section per ~3,000 characters; `more` (and anything cut) counted."""
    if not lines:
        return [_section(f"*{title}*\n{empty}")]
    shown = lines[:SHOWN]
    more += len(lines) - len(shown)
    if more:
        shown.append(f"… and {more:,} more.")
    sections, chunk = [], [f"*{title}*"]
    for line in shown:
        if sum(len(x) + 1 for x in chunk) + len(line) > SECTION_MAX:
            sections.append(_section("\n".join(chunk)))
            chunk = []
        chunk.append(line[:SECTION_MAX])
    sections.append(_section("\n".join(chunk)))
    return sections


def _clock(incident, now: datetime, target_minutes: float) -> str:
    if incident.status != "open":
        figures = incident.figures
        return f"down after {format_duration(figures.notification_to_takedown_seconds)}" if figures else "down"
    elapsed = (now - from_iso(incident.notified_at)).total_seconds()
    left = target_minutes * 60 - elapsed
    if left >= 0:
        return f":stopwatch: {format_duration(elapsed)}, {format_duration(left)} left"
    return f":warning: {format_duration(elapsed)}, target passed {format_duration(-left)} ago"


def incident_line(incident, now: datetime, target_minutes: float) -> str:
    lead = f"lead <@{incident.lead}>" if getattr(incident, "lead", None) else "no lead (`/incident lead @someone`)"
    where = f"<#{incident.channel_id}>" if incident.channel_id else "(no channel yet)"
    return (f"*#{incident.number}* {where} · {STATUS.get(incident.status, incident.status)} · "
            f"{incident.severity} · {incident.records_affected:,} people · {_clock(incident, now, target_minutes)} · "
            f"{lead}")


def watch_line(watch) -> str:
    return (f"*#{watch.number}* {_escape(watch.url)[:200]} · every {format_duration(watch.interval_seconds)} until "
            f"{times.moment(from_iso(watch.ends_at))} · alerts in <#{watch.channel}>")


def scan_line(scan: dict) -> str:
    """`scan`: {"at", "target", "severity", "records_affected", "types": [...], "error"} (no values)."""
    when = times.moment(from_iso(scan["at"]))
    what = _escape(scan.get("target", ""))[:150]
    if scan.get("error"):
        return f"{when} · `{what}` · could not be scanned"
    if scan.get("severity", "none") == "none":
        return f"{when} · `{what}` · no personal data found"
    types = ", ".join(type_label(t) for t in scan.get("types", [])[:5])
    return (f"{when} · `{what}` · *{scan['severity']}* · {scan.get('records_affected', 0):,} people · {types}")


def home_view(*, incidents: list, watches: list, scans: list[dict], now: datetime, target_minutes: float,
              hidden_incidents: int = 0, refusal: str | None = None) -> dict:
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "Leakwatch", "emoji": True}}]
    if refusal:
        blocks.append(_section(_escape(refusal)))
        return {"type": "home", "blocks": blocks}
    ordered = sorted(incidents, key=lambda i: (i.status != "open", -i.number))
    blocks += _list("Open incidents", [incident_line(i, now, target_minutes) for i in ordered],
                    "None open that you are in.")
    if hidden_incidents:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                       f"{hidden_incidents:,} more open in channels you are not in: ask someone there to add you."}]})
    blocks.append({"type": "divider"})
    blocks += _list("Active watches", [watch_line(w) for w in sorted(watches, key=lambda w: w.number)],
                    "None. `/watch <url> every 5m for 2h` watches a page during maintenance.")
    blocks.append({"type": "divider"})
    blocks += _list("Your last scans", [scan_line(s) for s in scans],
                    "None yet. `/scan <url>`, or send me a file.")
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text":
                   f"As of {times.moment(now)}; refreshed each time you open this tab. Counts and types only."}]})
    return {"type": "home", "blocks": blocks[:100]}
