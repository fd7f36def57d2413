"""What the incident code keeps in the store, and the only code that reads or writes it.

Typed at this boundary: callers get and give bot/model.py records (`Incident`, `TimelineEntry`,
`Checklist`, `Job`, `ScanRecord`); the store below holds plain JSON documents.

Tables:
- `incidents`: one document per incident; its id is the incident number (#N).
- `events`: the timeline, one document per event.
- `checklist`: one document per incident (items with who/when, where the message is).
- `jobs`: due work with absolute UTC times (reminders, escalations, legal clocks, takedown polls).
- `scans`: one summary per incident-level scan handed to the incident service.

No raw found value is ever written: incidents keep counts, types, places, masked samples and
fingerprints (keyed hashes) only; `summarize_report` is the one door from a scan into here.

Jobs (due work: claim, then send, then mark done) are bot/incidents/job_records.py's.

The live timer message is refreshed once per tick (every TIMER_UPDATE_SECONDS counted from the
notification), whichever replica gets there first: `claim_timer_tick` is a conditional update of
the incident (its `timer_tick_at` only moves forward, under the row lock), so each (incident, tick)
is claimed by one process. A process that dies between claim and refresh loses that one tick only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from bot.incidents.clocks import from_iso, to_iso
from bot.incidents.job_records import JobRecords, NotClaimed
from bot.model import (
    Checklist,
    ChecklistItem,
    FindingSummary,
    Incident,
    ScanRecord,
    ScanSummary,
    TimelineEntry,
    edit_doc,
    from_doc,
    to_doc,
)
from bot.scan.report import Report

WHERE_PER_FINDING = 5
#: fingerprints are kept per type as one string, joined: about 65 bytes per value found
FINGERPRINT_SEPARATOR = ","

OPEN_STATES = ("open", "down")


def url_key(url: str | None) -> str | None:
    """The same document under trivial spellings: case of scheme/host, default port, fragment."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.hostname:
        return url.strip()
    host = parts.hostname.lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return urlunsplit((parts.scheme.lower(), host + port, parts.path or "/", parts.query, ""))


def summarize_report(report: Report) -> ScanSummary:
    """The parts of a report an incident keeps: no raw values, bounded in size."""
    from bot.scan.matching import report_fingerprints

    fingerprints = {kind: sorted(fps) for kind, fps in sorted(report_fingerprints(report).items())}
    return ScanSummary(
        target=report.target, kind=report.kind, severity=report.severity, records_affected=report.records_affected,
        findings=[FindingSummary(type=f.type, count=f.count, where=list(f.where[:WHERE_PER_FINDING]),
                                 where_more=max(0, len(f.where) - WHERE_PER_FINDING), samples=list(f.samples[:3]))
                  for f in report.findings],
        fingerprints=fingerprints, final_url=report.final_url, http_status=report.http_status,
        last_modified=report.last_modified, etag=report.etag, content_sha256=report.content_sha256)


def timer_tick(notified_at: str, now: datetime, step: timedelta) -> datetime:
    """The start of the timer tick `now` falls in: ticks every `step` from the notification time."""
    notified = from_iso(notified_at)
    return notified + step * int(max(0.0, (now - notified) / step))


def _incident(record) -> Incident | None:
    return from_doc(Incident, record, number=record.id) if record is not None else None


class IncidentRecords(JobRecords):
    def __init__(self, store):
        self.store = store
        self.incidents = store.table("incidents")
        self.events = store.table("events")
        self.checklists = store.table("checklist")
        self.jobs = store.table("jobs")
        self.scans = store.table("scans")
        self.fingerprint_sets = store.table("fingerprints")
        self._fingerprints: dict[int, dict[str, set[str]]] = {}
        self._cache_lock = threading.Lock()

    # -- incidents --------------------------------------------------------------------------------

    def create(self, incident: Incident, *, fingerprints: dict[str, list[str]] | None = None,
               events: Iterable[tuple[str, str]] = (), scan: ScanSummary | None = None,
               at: datetime | None = None, by: str | None = None,
               within: Callable[[int], object] | None = None) -> int:
        """Insert the incident with its fingerprints, and optionally its first timeline entries
        (kind, text) and scan record, in one transaction: another replica never sees the incident
        without its fingerprints (its re-post and takedown checks would miss them) nor without
        its opening entries, and a failure part-way saves nothing (on PostgreSQL). `within(number)`
        writes in the same transaction (the command that asked marks its kept request: a restart
        does not open it again)."""
        events = list(events)
        if (events or scan is not None) and at is None:
            raise TypeError("timeline entries and scan records need their time (at=)")
        with self.store.transaction():
            number = self.incidents.insert(to_doc(incident, without=("number",)))
            # written even when there are none: a found record is the answer for good (cached)
            self.set_fingerprints(number, fingerprints or {})
            if scan is not None:
                self.add_scan(number, scan, at=at, by=by)
            for kind, text in events:
                self.add_event(number, kind, text, at=at, by=by)
            if within is not None:
                within(number)
        return number

    # -- fingerprints: every one the scan found, apart from the incident (written once, read by
    #    the takedown check and the re-post check; never sent to Slack) ------------------------------

    def set_fingerprints(self, number: int, fingerprints: dict[str, list[str]]) -> None:
        packed = {kind: FINGERPRINT_SEPARATOR.join(sorted(fps)) for kind, fps in sorted(fingerprints.items()) if fps}
        with self.store.transaction(f"fingerprints:{number}"):
            found = self.fingerprint_sets.first(where={"incident": number})
            if found is None:
                self.fingerprint_sets.insert({"incident": number, "types": packed})
            else:
                self.fingerprint_sets.update(found.id, {"types": packed})
        with self._cache_lock:
            self._fingerprints.pop(number, None)

    def fingerprints(self, number: int) -> dict[str, set[str]]:
        """{type: {fingerprint, ...}}: every fingerprint of the incident (cached: they are written
        once, with the incident, even when there are none). No record is never cached as "none": a
        replica running an older version writes them just after the incident, and a cached {} would
        hide them for good (its re-post checks would miss the leak, its takedown checks call a
        changed file "down")."""
        with self._cache_lock:
            cached = self._fingerprints.get(number)
        if cached is not None:
            return cached
        found = self.fingerprint_sets.first(where={"incident": number})
        if found is not None:
            sets = {kind: set(packed.split(FINGERPRINT_SEPARATOR)) for kind, packed in found["types"].items() if packed}
        else:  # an incident stored before they were kept apart held a sample inside its document
            old = self.incidents.get(number) or {}
            sets = {kind: set(fps) for kind, fps in (old.get("fingerprints") or {}).items() if fps}
        if sets or found is not None:
            with self._cache_lock:
                self._fingerprints[number] = sets
        return sets

    def get(self, number: int) -> Incident | None:
        return _incident(self.incidents.get(number))

    def modify(self, number: int, change: Callable[[Incident], object]) -> Incident | None:
        """Read-modify-write one incident atomically; `change` edits the record in place."""
        return _incident(self.incidents.modify(number, edit_doc(Incident, change, number=number)))

    def modify_with_event(self, number: int, change: Callable[[Incident], object], kind: str, text: str, *,
                          at: datetime, by: str | None = None, data: dict | None = None) -> Incident | None:
        """`modify` and one timeline entry in one transaction (the entry only when the incident
        exists): another replica, or a restart after a crash, sees both or neither."""
        with self.store.transaction():
            incident = self.modify(number, change)
            if incident is not None:
                self.add_event(number, kind, text, at=at, by=by, data=data)
            return incident

    def together(self, number: int):
        """Several writes of one incident as one (its status and what depends on it, a job, its
        timeline entry): one transaction, so another replica or a crash sees all or none; its scope
        serialises the replicas doing the same. Never around a Slack call."""
        return self.store.transaction(f"incident-write:{number}")

    def claim_timer_tick(self, number: int, now: datetime, step: timedelta) -> Incident | None:
        """Claim the refresh of the timer tick `now` falls in, atomically across processes: returns
        the incident as stored at the claim (to render), or None when that tick (or a later one) was
        claimed already, by another replica or before a restart, or its clock does not run."""
        def change(incident: Incident) -> None:
            if (incident.status != "open" or not incident.setup_complete or not incident.timer_ts
                    or not incident.notified_at):
                raise NotClaimed
            tick = timer_tick(incident.notified_at, now, step)
            if incident.timer_tick_at and from_iso(incident.timer_tick_at) >= tick:
                raise NotClaimed
            incident.timer_tick_at = to_iso(tick)

        try:
            return self.modify(number, change)
        except NotClaimed:
            return None

    def by_channel(self, channel_id: str) -> Incident | None:
        return _incident(self.incidents.first(lambda d: d.get("channel_id") == channel_id,
                                              where={"channel_id": channel_id}))

    def open_by_url(self, key: str | None) -> Incident | None:
        if not key:
            return None
        found = self.incidents.search(lambda d: d.get("status") in OPEN_STATES, where={"url_key": key})
        return _incident(found[0]) if found else None

    def all(self, statuses: Iterable[str] | None = None) -> list[Incident]:
        if statuses is None:
            return [_incident(r) for r in self.incidents.search()]
        found = [r for status in dict.fromkeys(statuses) for r in self.incidents.search(where={"status": status})]
        return [_incident(r) for r in sorted(found, key=lambda r: r.id)]

    # -- timeline ---------------------------------------------------------------------------------

    def add_event(self, number: int, kind: str, text: str, *, at: datetime, by: str | None = None,
                  data: dict | None = None) -> None:
        entry = TimelineEntry(incident=number, at=to_iso(at), kind=kind, text=text, by=by, data=data or {})
        self.events.insert(to_doc(entry, without=("id",)))

    def timeline(self, number: int) -> list[TimelineEntry]:
        events = [from_doc(TimelineEntry, r, id=r.id) for r in self.events.search(None, where={"incident": number})]
        return sorted(events, key=lambda e: (e.at, e.id))

    def add_scan(self, number: int | None, summary: ScanSummary, *, at: datetime, by: str | None) -> None:
        kept = {k: v for k, v in to_doc(summary).items() if k != "fingerprints"}
        record = from_doc(ScanRecord, dict(kept, incident=number, at=to_iso(at), by=by))
        self.scans.insert(to_doc(record, without=("id",)))

    def scan_count(self, number: int | None = None) -> int:
        return len(self.scans.search(None, where={} if number is None else {"incident": number}))

    # -- checklist --------------------------------------------------------------------------------

    def create_checklist(self, number: int, items: list[ChecklistItem]) -> None:
        with self.store.transaction(f"checklist:{number}"):
            if self.checklist(number) is None:
                self.checklists.insert(to_doc(Checklist(incident=number, items=items), without=("id",)))

    def checklist(self, number: int) -> Checklist | None:
        found = self.checklists.first(None, where={"incident": number})
        return from_doc(Checklist, found, id=found.id) if found is not None else None

    def change_checklist(self, number: int, change: Callable[[Checklist], object], *,
                         events: Callable[[Checklist, object], Iterable[tuple[str, str]]] | None = None,
                         at: datetime | None = None, by: str | None = None) -> tuple[Checklist | None, object]:
        """Read-modify-write the checklist atomically; returns (new state, change's result).
        `events(sheet, result)` names the timeline entries (kind, text) the change makes: they are
        written in the same transaction, so a tick is never saved without its entry (a crash or a
        reader between the two would otherwise see one and not the other), at `at`, by `by`."""
        if events is not None and at is None:
            raise TypeError("timeline entries need their time (at=)")
        with self.store.transaction(f"checklist:{number}"):
            found = self.checklists.first(None, where={"incident": number})
            if found is None:
                return None, None
            outcome: list[object] = []
            stored = self.checklists.modify(found.id, edit_doc(
                Checklist, lambda sheet: outcome.append(change(sheet)), id=found.id))
            sheet = from_doc(Checklist, stored, id=stored.id) if stored is not None else None
            result = outcome[0] if outcome else None
            if sheet is not None and events is not None:
                for kind, text in events(sheet, result):
                    self.add_event(number, kind, text, at=at, by=by)
            return sheet, result
