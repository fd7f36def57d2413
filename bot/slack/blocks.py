"""Pure Block Kit builders (no Slack calls): the scan result and the help texts.

Everything shown comes from a Report, which holds counts, places, masked samples and sentences
only: never a raw found value. Long lists are cut so a message stays inside Slack's limits
(3,000 characters per section, 50 blocks).
"""

from __future__ import annotations

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

TYPE_LABELS = {
    "A_NUMBER": "A-numbers",
    "SSN": "Social Security numbers",
    "ITIN": "ITINs",
    "PASSPORT": "Passport numbers",
    "EMAIL": "Email addresses",
    "PHONE": "Phone numbers",
    "CREDIT_CARD": "Card numbers",
    "IBAN": "IBANs",
    "DATE_OF_BIRTH": "Dates of birth",
    "PERSON_NAME": "Names",
    "NATIONALITY": "Nationalities",
    "ADDRESS": "Addresses",
    "USCIS_RECEIPT": "USCIS receipt numbers",
    "I94": "I-94 numbers",
    "SEVIS_ID": "SEVIS ids",
    "MEDICAL_RECORD": "Medical record numbers",
    "CUSTODY_LOCATION": "Custody locations",
    "IP_ADDRESS": "IP addresses",
}

SCAN_HELP = (
    "*Scan for personal data*\n"
    "• `/scan <url>`: scan a page or document (xlsx, csv, pdf, html, json, text).\n"
    "• `/scan <url> --crawl`: also scan the documents that page links to on the same site.\n"
    "• A file: use the message shortcut *Scan for personal data* on a message with files, "
    "or send the file to me in a direct message.\n"
    "You get severity, how many people are affected, what was found and where, with masked "
    "samples only. At or above the incident threshold an incident room opens."
)


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


def _target_line(report: Report) -> str:
    target = _escape(report.target)
    return f"*Target:* {target}" + (f" ({report.kind})" if report.kind not in ("", "unsupported") else "")


def _finding_line(finding) -> str:
    line = f"• *{type_label(finding.type)}*: {_count(finding.count, finding.count_exact)}"
    places = [_escape(p)[:200] for p in finding.where[:MAX_PLACES_SHOWN]]
    if places:
        more = len(finding.where) - len(places)
        line += " in " + ", ".join(f"`{p}`" for p in places) + (f" and {more} more" if more > 0 else "")
    if finding.samples:
        line += " · e.g. " + ", ".join(f"`{_escape(s)[:40]}`" for s in finding.samples[:3])
    return line


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


def _incident_line(incident: dict | None, report: Report) -> str:
    if incident and incident.get("channel_id"):
        number = f" #{incident['number']}" if incident.get("number") else ""
        return f"Incident{number} opened in <#{incident['channel_id']}>: the takedown clock is running there."
    if incident and incident.get("error"):
        return f"No incident room was opened: {_escape(incident['error'])} Use `/incident open <url>` to open one."
    if report.incident:
        return "Open an incident with `/incident open <url or title>` to time and prove the takedown."
    return ""


def next_steps(report: Report, incident: dict | None = None) -> str:
    if report.error:
        return "Check the address or file and try again; nothing was found because nothing could be read."
    if report.severity == "none":
        return "Nothing to do: no personal data was found."
    steps = []
    if report.incident:
        steps.append("*Take it down now:* remove the file or block the URL, then run `/incident down`.")
    else:
        steps.append("*Review it:* below the incident threshold, but check whether it should be public.")
    line = _incident_line(incident, report)
    if line:
        steps.append(line)
    return "\n".join(steps)


def scan_result(report: Report, incident: dict | None = None) -> tuple[str, list[dict]]:
    """(fallback text, blocks) for one report. `incident` is {"channel_id", "number"} or {"error"}."""
    if report.error:
        # the fallback text notifies too: a file named "<!channel>" must not ping anyone
        text = f"Could not scan {_escape(report.target)}: {_escape(report.error)}"
        blocks = [
            _section(f":warning: *Could not scan*\n{_target_line(report)}\n{_escape(report.error)}"),
            _context(next_steps(report)),
        ]
        return text, blocks

    icon = SEVERITY_ICON.get(report.severity, "")
    if report.severity == "none":
        headline = f"{icon} *No personal data found*"
        text = f"No personal data found in {_escape(report.target)}."
    else:
        headline = f"{icon} *Personal data found: {report.severity.upper()}*"
        text = (f"Personal data found ({report.severity}) in {_escape(report.target)}: "
                f"{report.records_affected:,} people affected.")
    blocks = [_section(f"{headline}\n{_target_line(report)}")]
    if report.severity != "none":
        blocks.append({
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Severity*\n{report.severity}"},
                {"type": "mrkdwn", "text": f"*People affected*\n{report.records_affected:,}"},
            ],
        })
        lines = _finding_lines(report)
        if lines:
            blocks.append(_section("*Found*\n" + "\n".join(lines)))
    if report.reasons:
        blocks.append(_context(" ".join(_escape(r) for r in report.reasons[:3])))
    blocks.append(_section(next_steps(report, incident)))
    stats = report.stats or {}
    facts = []
    if stats.get("cells"):
        facts.append(f"{stats['cells']:,} cells read")
    if stats.get("seconds") is not None:
        facts.append(f"{stats['seconds']:.1f} s")
    facts.extend(_escape(n) for n in report.notes[:2])
    if facts:
        blocks.append(_context(" · ".join(facts)))
    return text, blocks


def help_blocks(text: str = SCAN_HELP) -> tuple[str, list[dict]]:
    return text, [_section(text)]


def notice(text: str) -> tuple[str, list[dict]]:
    """A one-sentence message (refusals, errors, acknowledgements)."""
    return text, [_section(_escape(text))]
