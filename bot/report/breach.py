"""The breach report: `breach_report(facts, downloads, now, picture=...) -> str` (Markdown).

A pure renderer (golden-tested), ready to adapt for a supervisory authority. Its sections follow
GDPR Article 33(3), whose list closes the report as a checklist: (a) the nature of the breach,
the categories and approximate number of people and of records; (b) the contact point; (c) the
likely consequences; (d) the measures taken or proposed. Besides: the exposure window, who fetched
the file (counts and crawler names from the access logs, never an address), the time from
notification to removal, the legal clocks, the timeline and the picture.

It never holds a raw value: finding types and counts, times, checklist ticks, the bot's own
timeline texts. What only a person can say is marked **[to complete: ...]**.
"""

from __future__ import annotations

import re
from datetime import datetime

from bot.downloads.crawlers import KINDS
from bot.incidents.clocks import format_duration, format_hours_minutes, from_iso
from bot.report.facts import ExposureFacts, published
from bot.scan.detectors import REGISTRY

CATEGORY_WORDS = {
    "government_id": "government identifiers", "financial": "financial account and card numbers",
    "health": "health data", "contact": "contact details", "name": "names", "birth_date": "dates of birth",
    "nationality": "nationality", "custody": "place of detention", "network": "online identifiers",
}
#: likely consequences per category of data (Art. 33(3)(c)), a starting point for the assessment
CONSEQUENCES = {
    "custody": "people can be located in detention; with nationality and identity, a risk to their safety "
               "and their families' (persecution by the authorities they fled, retaliation)",
    "nationality": "disclosure of national origin and, with immigration identifiers, of immigration status "
                   "(discrimination, a risk in the country of origin)",
    "government_id": "identity theft and fraud with government identifiers; for immigration identifiers, "
                     "disclosure of immigration proceedings",
    "financial": "financial fraud with account or card numbers",
    "health": "disclosure of health data (a special category, GDPR Art. 9)",
    "contact": "phishing, harassment or unwanted contact; a home address can put a person in danger",
    "birth_date": "identity theft when combined with names and identifiers",
    "name": "identification of the people concerned",
    "network": "tracking or profiling by network address",
}
STATUS = {"open": "open: still online", "down": "taken down", "closed": "closed"}


def _utc(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "unknown"


def _plain(text: str) -> str:
    """Slack mrkdwn to Markdown: mentions as @id, escapes undone."""
    text = re.sub(r"<[@#]([A-Z0-9]+)(?:\|[^>]*)?>", r"@\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _parse(text: str | None) -> datetime | None:
    return from_iso(text.replace("Z", "+00:00")) if text else None


def _label(kind: str) -> str:
    detector = REGISTRY.get(kind)
    return detector.label if detector else kind.replace("_", " ").lower()


def _category(kind: str) -> str:
    detector = REGISTRY.get(kind)
    return getattr(detector, "category", "") or "other"


def breach_report(facts: ExposureFacts, downloads: dict | None, now: datetime, *,
                  picture: str | None = None) -> str:
    out = [f"# Personal data breach report: incident #{facts.number}", "",
           f"Prepared {_utc(now)} from the incident record, as a draft to adapt for the supervisory authority. "
           "It holds counts, categories and times only: no personal data. "
           "What only a person can answer is marked **[to complete]**.", ""]
    for section in (_happened, _nature, _window, _fetched, _consequences, _measures, _contact, _clocks, _timeline):
        out += section(facts, downloads, now)
    if picture:
        out += ["## 10. The exposure timeline", "", f"![Exposure timeline of incident #{facts.number}]({picture})", ""]
    out += _article_33(picture is not None)
    return "\n".join(out)


def _happened(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    what = f"The file at `{facts.url}`" if facts.url else f"The content described as “{facts.title or 'unnamed'}”"
    start, evidence = published(facts, downloads)
    lines = ["## 1. What happened", "",
             f"{what} was publicly reachable on the web with personal data in it (a breach of confidentiality: "
             f"unauthorised disclosure). It was online from {_utc(start)} ({evidence}); Leakwatch detected it at "
             f"{_utc(facts.first_detected_at)}."]
    told = "The site's owner was notified" if facts.notified_given else "The incident was opened"
    if facts.taken_down_at:
        how = facts.takedown_how or "verified by re-fetching the address"
        lines.append(f"{told} at {_utc(facts.notified_at)}; the file was taken down at {_utc(facts.taken_down_at)} "
                     f"({how}).")
    else:
        lines.append(f"{told} at {_utc(facts.notified_at)}; at the time of this report the file is still online.")
    if facts.reopened:
        lines.append(f"It came back online {facts.reopened} time{'s' if facts.reopened != 1 else ''} after a takedown.")
    return [*lines, "", f"Status: {STATUS.get(facts.status, facts.status)}.", ""]


def _nature(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    values = sum(count for _, count in facts.findings)
    categories = sorted({_category(kind) for kind, _ in facts.findings})
    out = ["## 2. Nature of the breach: categories and approximate numbers", "",
           f"- **People concerned (approximately):** {facts.records_affected:,}",
           f"- **Records concerned (approximately):** {facts.records_affected:,} records about a person, holding "
           f"{values:,} distinct values of {len(facts.findings)} type{'s' if len(facts.findings) != 1 else ''}",
           f"- **Categories of personal data:** {', '.join(CATEGORY_WORDS.get(c, c) for c in categories) or 'none found'}",
           "- **Categories of people:** **[to complete: who they are, e.g. applicants, detainees, staff]**",
           f"- **Severity (Leakwatch's rule table):** {facts.severity}", ""]
    if facts.findings:
        out += ["| data type | category | distinct values |", "|---|---|---:|"]
        out += [f"| {_label(kind)} | {CATEGORY_WORDS.get(_category(kind), _category(kind))} | {count:,} |"
                for kind, count in facts.findings]
        ids = [_label(kind) for kind, _ in facts.findings if _category(kind) == "government_id"]
        out += ["", f"Identifier types exposed: {', '.join(ids) if ids else 'no government identifier'}.", ""]
    return out


def _window(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    start, evidence = published(facts, downloads)
    out = ["## 3. Exposure window and time to removal", "",
           f"- **Online from:** {_utc(start)} ({evidence})",
           f"- **Taken down:** {_utc(facts.taken_down_at) if facts.taken_down_at else 'not yet'}"]
    if facts.taken_down_at and start:
        out.append(f"- **Exposed for:** {format_hours_minutes((facts.taken_down_at - start).total_seconds())}")
    told = "notification" if facts.notified_given else "the incident's opening (no notification time given)"
    if facts.taken_down_at:
        took = (facts.taken_down_at - facts.notified_at).total_seconds()
        met = "met" if took <= facts.target_minutes * 60 else "missed"
        out.append(f"- **From {told} to removal:** {format_duration(took)} "
                   f"(target {format_duration(facts.target_minutes * 60)}: {met})")
    else:
        out.append(f"- **Since {told}:** {format_duration((now - facts.notified_at).total_seconds())}, not removed yet")
    return [*out, ""]


def _fetched(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    out = ["## 4. Who fetched it (the web server's access logs)", ""]
    if not downloads or downloads.get("error"):
        return [*out, "The access logs of the exposure window have not been read yet. **[to complete: share the "
                      "logs in the incident channel, or run `python -m bot downloads`]**", ""]
    formats = ", ".join(f"{name} ({n})" for name, n in downloads.get("formats", {}).items())
    window = downloads.get("window") or {}
    out += [f"Read: {downloads.get('files', 0):,} log files ({formats}), {downloads['lines']:,} lines, "
            f"window {window.get('from') or 'start of the logs'} to {window.get('to') or 'end of the logs'}.", "",
            f"- **Requests for the file:** {downloads['requests']:,}",
            f"- **Complete downloads:** {downloads['downloads_complete']:,} "
            f"({downloads.get('downloads_complete_external', downloads['downloads_complete']):,} from outside the organisation)",
            f"- **Partial downloads:** {downloads['downloads_partial']:,}",
            f"- **Distinct clients that received content:** {downloads['clients']:,} "
            f"({downloads.get('clients_internal', 0):,} internal)",
            f"- **First and last fetch:** {_utc(_parse(downloads['first_fetch']))}, {_utc(_parse(downloads['last_fetch']))}", ""]
    crawlers = downloads.get("crawlers", [])
    if crawlers:
        out += ["Robots, archives and link previews, as their user agent claims (addresses not verified):", "",
                "| name | kind | requests | complete | first fetch |", "|---|---|---:|---:|---|"]
        out += [f"| {c['name']} | {KINDS.get(c['kind'], c['kind'])} | {c['requests']:,} | {c.get('complete', 0):,} | "
                f"{_utc(_parse(c['first']))} |" for c in crawlers]
        out.append("")
    else:
        out += ["No known robot, archive or link preview fetched it.", ""]
    out += ["The per-client table (addresses are personal data) is kept with the incident record, not in this report.", ""]
    return out


def _consequences(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    categories = [c for c in CONSEQUENCES if c in {_category(kind) for kind, _ in facts.findings}]
    out = ["## 5. Likely consequences", ""]
    out += [f"- {CONSEQUENCES[c][0].upper()}{CONSEQUENCES[c][1:]}." for c in categories]
    if downloads and not downloads.get("error") and downloads.get("downloads_complete_external"):
        out.append(f"- Copies are held outside the organisation: {downloads['downloads_complete_external']:,} "
                   "complete downloads from outside addresses.")
    return [*out, "- **[to complete: the privacy officer's assessment of the risk to the people concerned]**", ""]


def _measures(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    out = ["## 6. Measures taken and proposed", ""]
    if not facts.checklist:
        return [*out, "**[to complete: no checklist was kept]**", ""]
    for item in facts.checklist:
        if item.done:
            who = f" — {_plain(f'<@{item.by}>')}" if item.by else ""
            out.append(f"- [x] {_plain(item.text)}{who}, {_utc(item.at)}")
        else:
            out.append(f"- [ ] {_plain(item.text)} (proposed, not done yet)")
    return [*out, ""]


def _contact(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    return ["## 7. Contact point", "",
            "Data protection officer or other contact point: **[to complete: name, e-mail, telephone]**", ""]


def _clocks(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    out = ["## 8. Legal clocks and deadlines", ""]
    if not facts.legal_deadlines:
        return [*out, "No legal clock is configured (`LEGAL_CLOCKS`). **[to complete]**", ""]
    out += [f"Counted from {'notification' if facts.notified_given else 'the opening of the incident'} "
            f"at {_utc(facts.notified_at)}.", "", "| clock | deadline | at the time of this report |", "|---|---|---|"]
    for label, due in facts.legal_deadlines:
        left = (due - now).total_seconds()
        state = f"{format_duration(left)} left" if left > 0 else f"passed {format_duration(-left)} ago"
        out.append(f"| {label} | {_utc(due)} | {state} |")
    return [*out, "", "A notification made after 72 hours must give the reasons for the delay (GDPR Art. 33(1)).", ""]


def _timeline(facts: ExposureFacts, downloads: dict | None, now: datetime) -> list[str]:
    out = [f"## 9. Timeline ({len(facts.timeline):,} events, UTC)", ""]
    for event in facts.timeline:
        who = f" — {_plain(f'<@{event.by}>')}" if event.by else ""
        out.append(f"- {_utc(event.at)} {_plain(event.text)}{who}")
    return [*out, ""]


def _article_33(has_picture: bool) -> list[str]:
    return ["## GDPR Article 33(3): where each required element is", "",
            "| Art. 33(3) | what the notification must at least contain | here |", "|---|---|---|",
            "| (a) | the nature of the breach, the categories and approximate number of people and of records | "
            "sections 1–4 |",
            "| (b) | the name and contact details of the data protection officer or other contact point | section 7 |",
            "| (c) | the likely consequences | section 5 |",
            "| (d) | the measures taken or proposed, including to mitigate its possible adverse effects | section 6 |",
            "",
            "Art. 33(1): within 72 hours of becoming aware (section 8). Art. 33(4): what is not known yet may follow "
            "in phases. Art. 33(5): this report and the incident record document the breach"
            + (" (section 9, the timeline, and section 10, the picture)." if has_picture else " (section 9)."), ""]
