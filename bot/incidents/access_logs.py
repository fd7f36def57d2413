"""An incident's access logs, and the picture and report made after the takedown.

Takes an IncidentContext (bot/incidents/context.py), like the other incident modules.
- `read_access_logs(ctx, incident, paths, names, by=)`: the logs read against the incident's URL
  and exposure window (from the Last-Modified evidence, when there is one, to the takedown); the
  figures kept on the incident (`Incident.downloads`: counts, crawler names and times, never a
  client address), a timeline event, and the checklist (the three in one store transaction): the
  access-log item ticked with the figures, and items for what the figures call for
  (`calls_for`): a search engine fetched it -> request cache removal; an archive or AI crawler
  fetched it -> request exclusion; complete downloads from outside the organisation -> the
  notification duty.
- `upload_clients`: on request, the per-client table (addresses) into the private incident channel.
- `upload_picture` / `upload_report_files`: the exposure PNG and the breach report (bot/report/)
  uploaded to the incident channel through the one Slack wrapper; a failed upload is logged and
  said, never raised.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from bot.errors import LeakwatchError
from bot.incidents.checklist import MAX_ITEMS, OPTION_TEXT_MAX
from bot.incidents.clocks import from_iso, parse_http_date, to_iso
from bot.model import ChecklistItem, Incident

log = logging.getLogger(__name__)

EVIDENCE_ITEM = "preserve-evidence"
#: crawler kind -> (checklist item id prefix, item text); `{name}` is the crawler's name
CALLS_FOR = {
    "search": ("logs-search", "Request cache removal: {name} fetched it"),
    "archive": ("logs-archive", "Request exclusion: {name} fetched it"),
    "ai": ("logs-ai", "Request exclusion: {name} (AI crawler) fetched it"),
}
NOTIFY_ITEM = "logs-notify"


def exposure_window(incident: Incident) -> tuple[datetime | None, datetime | None]:
    """From the Last-Modified evidence (else the start of the logs) to the takedown (else their end)."""
    start = parse_http_date(incident.last_modified)
    end = from_iso(incident.taken_down_at) if incident.taken_down_at else None
    return start, end


def kept_summary(report: dict, names: dict[str, str]) -> dict:
    """What the incident keeps: the report without the per-client table; temporary paths -> file names."""
    kept = {k: v for k, v in report.items() if k != "top_clients"}
    kept["files_unread"] = [{"file": names.get(p["file"], Path(p["file"]).name), "reason": p["reason"]}
                            for p in report.get("files_unread", [])]
    return kept


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _short(text: str) -> str:
    return text if len(text) <= OPTION_TEXT_MAX else text[: OPTION_TEXT_MAX - 1] + "…"


def calls_for(summary: dict) -> list[ChecklistItem]:
    """The checklist items the figures call for, with stable ids (reading the logs again updates them)."""
    items = []
    for crawler in summary.get("crawlers", []):
        if crawler["kind"] in CALLS_FOR:
            prefix, text = CALLS_FOR[crawler["kind"]]
            first = from_iso(crawler["first"].replace("Z", "+00:00"))
            items.append(ChecklistItem(f"{prefix}-{_slug(crawler['name'])}", _short(text.format(name=crawler["name"])),
                                       _short(f"first fetch {first:%Y-%m-%d %H:%M} UTC, as its user agent claims")))
    outside = summary.get("downloads_complete_external", 0)
    if outside:
        items.append(ChecklistItem(NOTIFY_ITEM, _short(f"Notification duty: {outside:,} complete downloads from outside"),
                                   "Copies are outside the organisation: notify the people, per counsel"))
    return items


def evidence_text(summary: dict) -> str:
    return _short(f"Access logs read: {summary['downloads_complete']:,} complete, {summary['downloads_partial']:,} "
                  f"partial downloads, {summary['clients']:,} clients")


def apply_to_checklist(items: list[ChecklistItem], summary: dict, *, by: str | None, at: str) -> list[str]:
    """Ticks the access-log item with the figures; adds (or refreshes) the items the figures call
    for. Returns the texts of the items added."""
    added = []
    by_id = {item.id: item for item in items}
    for wanted in calls_for(summary):
        existing = by_id.get(wanted.id)
        if existing is not None:
            if not existing.done:
                existing.text, existing.detail = wanted.text, wanted.detail
        elif len(items) < MAX_ITEMS:
            wanted.added_by, wanted.added_at = by, at
            items.append(wanted)
            added.append(wanted.text)
    evidence = by_id.get(EVIDENCE_ITEM)
    if evidence is not None:
        evidence.done, evidence.by, evidence.at, evidence.text = True, by, at, evidence_text(summary)
    return added


def timeline_text(summary: dict) -> str:
    crawlers = ", ".join(c["name"] for c in summary.get("crawlers", [])) or "none"
    return (f"Access logs read: {summary.get('files', 0):,} files, {summary['requests']:,} requests for the file, "
            f"{summary['downloads_complete']:,} complete downloads ({summary.get('downloads_complete_external', 0):,} "
            f"from outside), {summary['downloads_partial']:,} partial, {summary['clients']:,} clients; crawlers: {crawlers}")


def read_access_logs(ctx, incident: Incident, paths: list[str], names: dict[str, str], *,
                     by: str | None, with_clients: bool = False) -> tuple[dict, list[str], str | None]:
    """(the report, the checklist items added, the per-client CSV when asked). A report with
    `error` changed nothing."""
    from bot.downloads.summary import clients_csv, downloads_report
    from bot.downloads.tally import Tally
    from bot.incidents import room

    start, end = exposure_window(incident)
    tally = Tally()
    report = downloads_report(paths, incident.url or "", start=start, end=end, tally=tally)
    if report["error"]:
        return report, [], None
    summary = kept_summary(report, names)
    now, number = ctx.clock(), incident.number

    def keep(doc: Incident) -> None:
        doc.downloads = summary

    # the figures, their timeline entry and the checklist they tick: one transaction, so another
    # replica (or a restart after a crash) sees all three or none
    with ctx.records.together(number):
        ctx.records.modify(number, keep)
        ctx.records.add_event(number, "access_logs", timeline_text(summary), at=now, by=by)
        _, added = ctx.records.change_checklist(
            number, lambda sheet: apply_to_checklist(sheet.items, summary, by=by, at=to_iso(now)))
    room.rebuild_checklist(ctx, number)
    return summary, added or [], clients_csv(tally) if with_clients else None


def upload_clients(ctx, incident: Incident, table: str) -> str:
    """The per-client table, on request, only into a private incident channel; a sentence for the room."""
    if not ctx.settings.incident_channel_private:
        return ("The per-client table goes only to a private channel, and incident channels are not private here "
                "(INCIDENT_CHANNEL_PRIVATE): run `python -m bot downloads --export` where the logs are.")
    name = f"incident-{incident.number}-clients.csv"
    try:
        ctx.slack.upload(incident.channel_id, name, table.encode("utf-8"),
                         title=f"Incident #{incident.number}: who fetched it, per client (personal data)")
    except LeakwatchError as err:
        return f"The per-client table could not be uploaded: {err}"
    return f"The per-client table is the file `{name}` in this private channel (addresses are personal data)."


def exposure_facts(ctx, incident: Incident):
    from bot.report.facts import facts_from_incident

    number = incident.number
    return facts_from_incident(incident, events=ctx.records.timeline(number), checklist=ctx.records.checklist(number),
                               clocks=ctx.settings.legal_clocks, target_minutes=ctx.settings.takedown_target_minutes)


def picture_name(number: int) -> str:
    return f"incident-{number}-timeline.png"


def upload_picture(ctx, incident: Incident, *, comment: str | None = None) -> str | None:
    """The exposure PNG in the incident channel; its file name, or None when it could not go."""
    from bot.report.timeline import timeline_png

    name = picture_name(incident.number)
    try:
        png = timeline_png(exposure_facts(ctx, incident), incident.downloads)
        ctx.slack.upload(incident.channel_id, name, png, title=f"Incident #{incident.number}: exposure timeline",
                         comment=comment)
    except LeakwatchError as err:
        log.warning("incident %d: the exposure picture could not be uploaded: %s", incident.number, err.code)
        return None
    return name


def upload_report_files(ctx, incident: Incident) -> list[str]:
    """The picture and the breach report (Markdown) in the incident channel; the names uploaded."""
    from bot.report.breach import breach_report

    uploaded = []
    picture = upload_picture(ctx, incident)
    if picture:
        uploaded.append(picture)
    name = f"incident-{incident.number}-breach-report.md"
    text = breach_report(exposure_facts(ctx, incident), incident.downloads, ctx.clock(), picture=picture)
    try:
        ctx.slack.upload(incident.channel_id, name, text.encode("utf-8"),
                         title=f"Incident #{incident.number}: breach report (draft for the regulator)")
        uploaded.append(name)
    except LeakwatchError as err:
        log.warning("incident %d: the breach report could not be uploaded: %s", incident.number, err.code)
    return uploaded
