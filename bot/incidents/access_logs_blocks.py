"""The access-log summary posted in an incident channel: pure Block Kit, golden-tested.

Counts, crawler names and times only: client addresses and user agents are personal data and
never reach Slack (the per-client table is `python -m bot downloads --export`).
"""

from __future__ import annotations

from datetime import datetime

from bot.downloads.crawlers import KINDS
from bot.incidents.blocks import _context, _fields, _section, escape
from bot.incidents.clocks import from_iso
from bot.slack import times


def _when(text: str | None) -> datetime | None:
    return from_iso(text.replace("Z", "+00:00")) if text else None


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def logs_summary(summary: dict, number: int, added: list[str]) -> tuple[str, list]:
    formats = ", ".join(f"{name} {n}" for name, n in summary.get("formats", {}).items())
    window = summary.get("window") or {}
    start, end = _when(window.get("from")), _when(window.get("to"))
    span = (f"from {times.full(start) if start else 'the start of the logs'} "
            f"to {times.full(end) if end else 'the end of the logs'}")
    text = (f"Access logs of incident #{number}: {summary['downloads_complete']:,} complete downloads, "
            f"{summary['clients']:,} clients")
    blocks = [
        _section(f":mag: *Access logs read* for incident #{number}: {_plural(summary.get('files', 0), 'file')} "
                 f"({formats}), {_plural(summary['lines'], 'line')}, {span}"),
        _fields(f"*Complete downloads*\n*{summary['downloads_complete']:,}* "
                f"({summary.get('downloads_complete_external', 0):,} from outside)",
                f"*Partial downloads*\n{summary['downloads_partial']:,}",
                f"*Clients that got content*\n{summary['clients']:,} ({summary.get('clients_internal', 0):,} internal)",
                f"*Requests for the file*\n{summary['requests']:,} (HEAD {summary.get('head', 0):,}, "
                f"304 {summary.get('not_modified', 0):,}, redirects {summary.get('redirects', 0):,})"),
    ]
    first, last = _when(summary.get("first_fetch")), _when(summary.get("last_fetch"))
    if first:
        blocks.append(_context(f"First fetch {times.full(first)} · last fetch {times.full(last)}"))
    crawlers = summary.get("crawlers", [])
    if crawlers:
        lines = [f"• {escape(c['name'])} ({KINDS.get(c['kind'], c['kind'])}): {_plural(c['requests'], 'request')}, "
                 f"{c.get('complete', 0):,} complete, first {times.full(_when(c['first']))}" for c in crawlers[:15]]
        if len(crawlers) > 15:
            lines.append(f"… and {len(crawlers) - 15} more")
        blocks.append(_section("*Robots, archives and link previews* (as their user agent claims; not verified)\n"
                               + "\n".join(lines)))
    else:
        blocks.append(_section("*Robots, archives and link previews:* none fetched it."))
    notes = ["Checklist: the access-log item is ticked with these figures"
             + (f"; added: {'; '.join(escape(a) for a in added)}." if added else ".")]
    unread = summary.get("files_unread", [])
    if summary.get("lines_unread") or unread:
        note = f"{_plural(summary.get('lines_unread', 0), 'line')} unread"
        if unread:
            note += "; not read: " + "; ".join(escape(f"{f['file']}: {f['reason']}") for f in unread[:3])
        notes.append(note + ".")
    notes.append("Client addresses are personal data: they stay out of Slack "
                 "(`python -m bot downloads --export` writes the per-client table).")
    blocks.append(_context(" ".join(notes)))
    return text, blocks


def logs_refused(reason: str) -> str:
    return f"The access logs could not be read: {reason}"
