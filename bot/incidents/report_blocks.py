"""The incident report: the message (pure Block Kit, golden-tested) and the file it becomes when
the message cannot hold it all.

- `report(incident, events, now, clocks) -> (text, blocks)`: figures, facts with full dates,
  masked findings, the newest REPORT_EVENTS_SHOWN timeline lines within Slack's limits;
- `report_parts(...) -> (text, blocks, hidden)`: the same, and how many timeline events the
  message could not hold (it says how many: never cut silently);
- `report_file(incident, events, now, clocks) -> str`: the whole report as Markdown, every time in
  UTC with its date (a file is read days later, pasted into a breach log, outside Slack).
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.incidents.blocks import (
    SECTION_MAX,
    STATUS_WORDS,
    _context,
    _elapsed,
    _findings_lines,
    _header,
    _how,
    _section,
    _what,
    escape,
    figure_fields,
    full_moment,
)
from bot.incidents.clocks import format_duration, from_iso, legal_deadlines
from bot.model import Incident, TimelineEntry
from bot.slack import times
from bot.slack.blocks import readable_types


def _report_facts(incident: Incident, now: datetime, clocks: tuple[tuple[str, float], ...],
                  show=full_moment) -> list[str]:
    """One `*Field:* value` line each, with full dates: pasted as is into a breach log."""
    lines = [line for line in (_what(incident),) if line]
    lines.append(f"*Status:* {STATUS_WORDS.get(incident.status, incident.status)}")
    lines.append(f"*Severity:* {incident.severity} · "
                 f"*People affected:* {incident.records_affected:,}")
    lines.append(f"*Reported:* {show(from_iso(incident.opened_at))} by <@{incident.opened_by}>")
    figures = incident.figures
    if figures and figures.exposure_from:
        lines.append(f"*Online since:* {show(from_iso(figures.exposure_from))} "
                     f"({figures.exposure_evidence})")
    notified_line = show(from_iso(incident.notified_at))
    if incident.notified_source != "set":
        notified_line += " (not given: the clock counts from the opening; set it with `/incident notified`)"
    lines.append(f"*Owner notified:* {notified_line}")
    if figures:
        proof = f". Proof: {escape(incident.takedown_reason)}" if incident.takedown_reason else ""
        lines.append(f"*Taken down:* {show(from_iso(figures.taken_down_at))}, {_how(incident)}{proof}")
    else:
        lines.append(f"*Taken down:* not yet, {format_duration(_elapsed(incident, now))} after notification")
    notified = from_iso(incident.notified_at)
    deadlines = [f"{label}: due {show(due)}" for label, due in legal_deadlines(notified, clocks)]
    lines.append(f"*Legal deadlines:* {'; '.join(deadlines) or 'none configured'}")
    return lines


#: timeline lines shown in the report message; the rest go in the report file
REPORT_EVENTS_SHOWN = 60
MAX_BLOCKS = 50


def report(incident: Incident, events: list[TimelineEntry], now: datetime, clocks: tuple[tuple[str, float], ...]) -> tuple[str, list]:
    text, report_blocks, _ = report_parts(incident, events, now, clocks)
    return text, report_blocks


def report_parts(incident: Incident, events: list[TimelineEntry], now: datetime,
                 clocks: tuple[tuple[str, float], ...]) -> tuple[str, list, int]:
    """(text, blocks, hidden): `hidden` timeline events did not fit in one message (Slack's 50
    blocks, 3,000 characters a section); the message says how many, and the caller sends the
    whole report as a file (report_file.py)."""
    number = incident.number
    blocks = [_header(f"Incident #{number} report: personal data exposed")]
    if incident.figures:
        blocks.append(figure_fields(incident))
    blocks.append(_section("\n".join(_report_facts(incident, now, clocks))))
    findings = _findings_lines(incident)
    if findings:
        blocks.append(_section("*Data exposed* (masked samples)\n" + "\n".join(findings)))
    lines = [timeline_line(event, now) for event in events][-REPORT_EVENTS_SHOWN:]
    sections: list[list[str]] = [[]]
    budget = SECTION_MAX - 200  # room for the title and the "earlier events" line
    for line in lines:
        line = line[:budget]
        if sections[-1] and sum(len(x) + 1 for x in sections[-1]) + len(line) > budget:
            sections.append([])
        sections[-1].append(line)
    room = MAX_BLOCKS - len(blocks) - 2  # the closing context, and a note on the report file
    sections = sections[-room:]
    hidden = len(events) - sum(len(chunk) for chunk in sections)
    title = "*Timeline*"
    if hidden:
        title += f"\n… {hidden:,} earlier events: the whole timeline is in the report file."
    blocks.extend(_section("\n".join([title, *chunk] if i == 0 else chunk)) for i, chunk in enumerate(sections))
    blocks.append(_context(f"Report made {full_moment(now)}. Counts, places and masked samples only: "
                           "no personal data is in this report."))
    return f"Report for incident #{number}", blocks, hidden


_PERSON = re.compile(r"&lt;@([UW][A-Z0-9]{2,})&gt;")


def timeline_line(event: TimelineEntry, now: datetime, show=times.stamp) -> str:
    """The time (to the second, with the date: a pasted log keeps its dates) then the event in words."""
    who = f" — <@{event.by}>" if event.by else ""
    # a person named in an event (the lead) stays a mention; everything else stays escaped
    text = _PERSON.sub(r"<@\1>", readable_types(escape(event.text)))
    return f"{show(from_iso(event.at))} {text}{who}"


def _plain(text: str) -> str:
    """mrkdwn to plain Markdown: mentions as @id, Slack's escapes undone."""
    text = re.sub(r"<[@#]([A-Z0-9]+)>", r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def report_file(incident: Incident, events: list[TimelineEntry], now: datetime, clocks: tuple[tuple[str, float], ...]) -> str:
    """The whole report as Markdown: every fact, every finding line, the entire timeline, in UTC."""
    number = incident.number
    out = [f"# Incident #{number} report: personal data exposed", ""]
    figures = incident.figures
    if figures:
        out.append(f"- **Notification to takedown:** {format_duration(figures.notification_to_takedown_seconds)} "
                   f"({figures.notification_to_takedown_minutes:.2f} minutes)")
        if figures.exposure_seconds is not None:
            out.append(f"- **Exposure window:** {figures.exposure_seconds / 3600:.2f} hours")
    out += [f"- {_plain(line)}" for line in _report_facts(incident, now, clocks, show=times.utc_text)]
    findings = _findings_lines(incident)
    if findings:
        out += ["", "## Data exposed (masked samples)", "", *(_plain(line) for line in findings)]
    out += ["", f"## Timeline ({len(events):,} events, UTC)", ""]
    out += [f"- {_plain(timeline_line(event, now, show=_utc_stamp))}" for event in events]
    out += ["", f"Report made {times.utc_text(now)}. Counts, places and masked samples only: no personal data "
                "is in this report.", ""]
    return "\n".join(out)
