"""What the exposure picture and the breach report know of an incident (`ExposureFacts`).

`facts_from_incident` is the one place that reads the incident record (bot/model.py); the renderers take
only these facts and a `downloads` summary (the report of `python -m bot downloads`, or None), so
they are pure functions, golden-tested. No raw found value is here: finding types and counts,
times, checklist ticks and the bot's own timeline texts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.incidents.clocks import from_iso, legal_deadlines, parse_http_date
from bot.model import Checklist, Incident
from bot.model import TimelineEntry as ModelTimelineEntry


@dataclass(frozen=True)
class ChecklistEntry:
    text: str
    done: bool
    by: str | None = None
    at: datetime | None = None


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    text: str
    by: str | None = None


@dataclass(frozen=True)
class ExposureFacts:
    number: int
    url: str | None
    title: str | None
    status: str
    severity: str
    records_affected: int
    findings: tuple[tuple[str, int], ...]          # (type, distinct values)
    opened_at: datetime
    notified_at: datetime
    notified_given: bool                           # False: the clock counts from the opening
    target_minutes: float
    first_detected_at: datetime | None = None
    last_modified_at: datetime | None = None
    taken_down_at: datetime | None = None
    takedown_how: str | None = None
    reopened: int = 0
    legal_deadlines: tuple[tuple[str, datetime], ...] = ()
    checklist: tuple[ChecklistEntry, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()


def _when(text: str | None) -> datetime | None:
    return from_iso(text) if text else None


def facts_from_incident(incident: Incident, *, events: list[ModelTimelineEntry], checklist: Checklist | None,
                        clocks: tuple[tuple[str, float], ...], target_minutes: float) -> ExposureFacts:
    """The typed incident record (bot/model.py) -> the facts the renderers take."""
    notified = from_iso(incident.notified_at)
    figures = incident.figures
    return ExposureFacts(
        number=int(incident.number), url=incident.url, title=incident.title, status=incident.status,
        severity=incident.severity, records_affected=int(incident.records_affected or 0),
        findings=tuple((f.type, int(f.count)) for f in incident.findings),
        opened_at=from_iso(incident.opened_at), notified_at=notified,
        notified_given=incident.notified_source == "set", target_minutes=target_minutes,
        first_detected_at=_when(incident.first_seen_at) or from_iso(incident.opened_at),
        last_modified_at=parse_http_date(incident.last_modified),
        taken_down_at=_when(figures.taken_down_at if figures else incident.taken_down_at),
        takedown_how=incident.takedown_how, reopened=int(incident.reopened or 0),
        legal_deadlines=tuple(legal_deadlines(notified, clocks)),
        checklist=tuple(ChecklistEntry(item.text, item.done, item.by, _when(item.at))
                        for item in (checklist.items if checklist else [])),
        timeline=tuple(TimelineEntry(from_iso(e.at), e.text, e.by) for e in events),
    )


def published(facts: ExposureFacts, downloads: dict | None) -> tuple[datetime | None, str]:
    """When the file went public, by the earliest evidence: the first fetch in the access logs or
    the Last-Modified header; else the first detection."""
    evidence = []
    if downloads and downloads.get("first_fetch"):
        evidence.append((from_iso(downloads["first_fetch"].replace("Z", "+00:00")), "first fetch in the access logs"))
    if facts.last_modified_at:
        evidence.append((facts.last_modified_at, "Last-Modified header"))
    if evidence:
        return min(evidence, key=lambda e: e[0])
    if facts.first_detected_at:
        return facts.first_detected_at, "first detection, no earlier evidence"
    return None, "no evidence"


def exposure_end(facts: ExposureFacts) -> datetime | None:
    return facts.taken_down_at
