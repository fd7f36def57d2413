"""Pure Block Kit builders (no Slack calls): the scan result and the help texts.

Everything shown comes from a Report, which holds counts, places, masked samples and sentences
only: never a raw found value. Long lists are cut so a message stays inside Slack's limits
(3,000 characters per section, 50 blocks).
"""

from __future__ import annotations

import re

from bot.scan.detectors import REGISTRY
from bot.scan.report import Report

SECTION_MAX = 2900
MAX_FINDINGS_SHOWN = 12
MAX_PLACES_SHOWN = 3

SEVERITY_ICON = {
    "critical": ":rotating_light:",
    "high": ":red_circle:",
    "medium": ":large_orange_circle:",
    "low": ":large_yellow_circle:",
    "none": ":white_check_mark:",
}

#: type codes a person reads: the detectors' labels, capitalised ("A-numbers", "Dates of birth")
TYPE_LABELS = {t: d.label[:1].upper() + d.label[1:] for t, d in REGISTRY.items()}

#: type codes in sentences written by the scanner ("40 people named with A_NUMBER") read as words
TYPE_CODE = re.compile(r"\b(" + "|".join(sorted(TYPE_LABELS, key=len, reverse=True)) + r")\b")

SCAN_HELP = (
    "*Scan for personal data*\n"
    "• `/scan <url>`: scan a page or document (Excel, Word, PowerPoint, OpenDocument, PDF, CSV, HTML, "
    "JSON, XML, SQL dumps, e-mail, archives).\n"
    "   e.g. `/scan https://example.gov/files/roster.xlsx`\n"
    "• `/scan <url> --crawl`: also scan the documents that page links to on the same site.\n"
    "• A file: use the message shortcut *Scan for personal data* on a message with files, "
    "or send the file to me in a direct message.\n"
    "Only you see the answer: how bad, how many people, what was found and where (masked samples "
    "only). When it is serious, a private incident channel opens and on-call is invited."
)

#: why a failed scan is not a clean one, and what to do, by error_code
ERROR_NEXT_STEPS = {
    "refused": "the bot did not fetch it.",
    "unreachable": "the bot could not reach it. Check the address, or try again in a minute.",
    "http_status": "the server did not return the document. Check the address.",
    "limit": "it is over a size or time limit, so it was not fully read.",
    "unreadable": "nothing in it could be read. Open it yourself, or ask for it as xlsx, csv or pdf.",
}
NOT_CHECKED = "nothing in it was checked. Check the address or file and try again."


def _escape(text: str) -> str:
    """Slack mrkdwn control characters; content-derived strings must not become links or mentions."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int = SECTION_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": _cut(text)}}


def _context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _cut(text)}]}


def type_label(kind: str) -> str:
    return TYPE_LABELS.get(kind, kind.replace("_", " ").capitalize())


def _count(number: int, exact: bool = True) -> str:
    return f"{number:,}" if exact else f"about {number:,}"


def readable_types(text: str) -> str:
    """`A_NUMBER` -> `A-numbers` in a sentence meant for a person."""
    return TYPE_CODE.sub(lambda m: type_label(m.group(1)), text)


def target_line(target: str, kind: str = "") -> str:
    """`*URL:* https://...` or `*File:* roster.xlsx`: the same words wherever a target is shown."""
    label = "URL" if str(target).startswith(("http://", "https://")) else "File"
    shown_kind = f" ({kind})" if kind and kind not in ("unsupported", "folder") else ""
    return f"*{label}:* {_escape(target)}{shown_kind}"


def finding_line(kind: str, count: int, where: list[str], samples: list[str], *, exact: bool = True,
                 more_places: int = 0) -> str:
    """`• *A-numbers*: 6,252 in `Sheet!D5:D6256` · e.g. `A•••••4821``: at most 3 places and 3 samples."""
    line = f"• *{type_label(kind)}*: {_count(count, exact)}"
    places = [_escape(p)[:200] for p in where[:MAX_PLACES_SHOWN]]
    if places:
        more = len(where) - len(places) + more_places
        line += " in " + ", ".join(f"`{p}`" for p in places) + (f" and {more} more" if more > 0 else "")
    if samples:
        line += " · e.g. " + ", ".join(f"`{_escape(s)[:40]}`" for s in samples[:3])
    return line


def _finding_line(finding) -> str:
    return finding_line(finding.type, finding.count, list(finding.where), list(finding.samples),
                        exact=finding.count_exact)


def _finding_lines(report: Report) -> list[str]:
    """One line per type, as many as fit in one section; the rest are counted."""
    lines: list[str] = []
    budget = SECTION_MAX - 100
    for finding in report.findings[:MAX_FINDINGS_SHOWN]:
        line = _finding_line(finding)
        if len(line) + 1 > budget:
            break
        budget -= len(line) + 1
        lines.append(line)
    hidden = len(report.findings) - len(lines)
    if hidden > 0:
        lines.append(f"…and {hidden} more types.")
    return lines


def _incident_field(incident: dict | None, report: Report) -> str:
    if incident and incident.get("channel_id"):
        number = f"#{incident['number']} " if incident.get("number") else ""
        return f"*Incident*\n{number}in <#{incident['channel_id']}>"
    if report.incident:
        return "*Incident*\nnot opened (see below)"
    return "*Incident*\nnone: below the incident level"


def next_steps(report: Report, incident: dict | None = None) -> str:
    if report.error:
        return f"*Not a clean result:* {ERROR_NEXT_STEPS.get(report.error_code or '', NOT_CHECKED)}"
    if report.severity == "none":
        return ""
    if not report.incident:
        return ("*Next:* check whether this should be public. It is below the level that opens an incident; "
                "`/incident open <url or title>` opens one anyway.")
    steps = ["*Take it down now:* remove the file at its origin (or block the URL). "
             "The bot re-checks the URL and confirms the takedown by itself."]
    if incident and incident.get("channel_id"):
        number = f" #{incident['number']}" if incident.get("number") else ""
        steps.append(f"Incident{number} opened in <#{incident['channel_id']}>: the takedown clock is running there.")
    elif incident and incident.get("error"):
        steps.append(f"No incident channel could be opened: {_escape(incident['error'])} "
                     "Open one with `/incident open <url>`.")
    else:
        steps.append("Open an incident with `/incident open <url or title>` to time and prove the takedown.")
    return "\n".join(steps)


def partly_read(report: Report, shown: int = 3) -> str:
    """What was left unread and why: a partly read target is never a clean result."""
    lines = [f"• {_escape(item['where'])}: {_escape(item['reason'])}" for item in report.skipped[:shown]]
    more = len(report.skipped) - shown
    if more > 0:
        lines.append(f"• and {more} more")
    return ("*Partly read, so not a clean result:* these parts were not read; check them by hand.\n"
            + "\n".join(lines))


def scan_result(report: Report, incident: dict | None = None) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for one report. `incident` is {"channel_id", "number"} or {"error"}."""
    if report.error:
        # the fallback text notifies too: a file named "<!channel>" must not ping anyone
        text = f"Could not scan {_escape(report.target)}: {_escape(report.error)}"
        blocks = [
            _section(f":warning: *Could not scan*\n{target_line(report.target)}\n{_escape(report.error)}"),
            _context(next_steps(report)),
        ]
        return text, blocks

    icon = SEVERITY_ICON.get(report.severity, "")
    if report.severity == "none" and not report.complete:
        headline = ":warning: *Partly read: no personal data in what was read*"
        text = f"{_escape(report.target)} was only partly read; no personal data in what was read."
    elif report.severity == "none":
        headline = f"{icon} *No personal data found*"
        text = f"No personal data found in {_escape(report.target)}."
    else:
        headline = f"{icon} *Personal data found: {report.severity.upper()}*"
        text = (f"Personal data found ({report.severity}) in {_escape(report.target)}: "
                f"{report.records_affected:,} people affected.")
    blocks = [_section(f"{headline}\n{target_line(report.target, report.kind)}")]
    if report.severity != "none":
        blocks.append({
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*People affected*\n{report.records_affected:,}"},
                {"type": "mrkdwn", "text": _incident_field(incident, report)},
            ],
        })
        lines = _finding_lines(report)
        if lines:
            blocks.append(_section("*Found* (masked samples)\n" + "\n".join(lines)))
    if report.reasons:
        blocks.append(_context(" ".join(readable_types(_escape(r)) for r in report.reasons[:3])))
    if not report.complete:
        blocks.append(_section(partly_read(report)))
    steps = next_steps(report, incident)
    if steps:
        blocks.append(_section(steps))
    stats = report.stats or {}
    facts = []
    took = f"{stats['seconds']:.1f} s" if stats.get("seconds") is not None else ""
    if stats.get("cells"):
        facts.append(f"{stats['cells']:,} cells read" + (f" in {took}" if took else ""))
    elif took:
        facts.append(f"scanned in {took}")
    facts.extend(_escape(n) for n in report.notes[:2])
    if facts:
        blocks.append(_context(" · ".join(facts)))
    return text, blocks


def help_blocks(text: str = SCAN_HELP) -> tuple[str, list[dict]]:
    return text, [_section(text)]


#: what the bot's own sentences may carry: a person, a channel, a time for the reader
_OWN_MARKUP = re.compile(r"&lt;(@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!date\^\d+\^[^&|]*\|[^&]*)&gt;")


def notice(text: str, *, links: bool = False) -> tuple[str, list[dict]]:
    """A one-sentence message (refusals, errors, acknowledgements). Everything is escaped; with
    `links` (a sentence the bot wrote itself), `<@U…>`, `<#C…>` and `<!date^…>` stay live."""
    shown = _escape(text)
    if links:
        shown = _OWN_MARKUP.sub(r"<\1>", shown)
    return text, [_section(shown)]
