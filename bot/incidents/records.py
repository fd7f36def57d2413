"""What the incident code keeps in the store, and the only code that reads or writes it.

Tables:
- `incidents`: one document per incident; its TinyDB id is the incident number (#N).
- `events`: the timeline, one document per event.
- `checklist`: one document per incident (items with who/when, where the message is).
- `jobs`: due work with absolute UTC times (reminders, escalations, timer refresh, takedown polls).
- `scans`: one summary per incident-level scan handed to the incident service.

No raw found value is ever written: incidents keep counts, types, places, masked samples and
fingerprints (keyed hashes) only; `summarize_report` is the one door from a scan into here.

Jobs are "claim, then send, then mark done". A one-shot job (a reminder) is claimed in the
database before its message is sent; if the bot dies between claim and done, the restart finds it
`claimed`, marks it `uncertain` and does NOT send it again: a reminder may be lost in that
window of milliseconds, but it is never sent twice. Recurring jobs (timer refresh, takedown poll)
are harmless to repeat and are simply rescheduled.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from bot.incidents.clocks import Due, from_iso, to_iso
from bot.scan.report import Report
from bot.store import Record, Store

#: fingerprints kept per type: the smallest ones by value (a bottom-k sample), so a re-scan of
#: the same content, whose own sample is chosen the same way, overlaps it
FINGERPRINTS_PER_TYPE = 200
WHERE_PER_FINDING = 5

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


def summarize_report(report: Report) -> dict:
    """The parts of a report an incident keeps: no raw values, bounded in size."""
    from bot.scan.matching import report_fingerprints

    fingerprints = {
        kind: sorted(fps)[:FINGERPRINTS_PER_TYPE] for kind, fps in sorted(report_fingerprints(report).items())
    }
    return {
        "target": report.target,
        "kind": report.kind,
        "severity": report.severity,
        "records_affected": report.records_affected,
        "findings": [
            {"type": f.type, "count": f.count, "where": list(f.where[:WHERE_PER_FINDING]),
             "where_more": max(0, len(f.where) - WHERE_PER_FINDING), "samples": list(f.samples[:3])}
            for f in report.findings
        ],
        "fingerprints": fingerprints,
        "final_url": report.final_url,
        "http_status": report.http_status,
        "last_modified": report.last_modified,
        "etag": report.etag,
        "content_sha256": report.content_sha256,
    }


def _numbered(record: Record | None) -> Record | None:
    """The incident number is the document id; builders read it as `incident["number"]`."""
    if record is not None:
        record["number"] = record.id
    return record


class IncidentRecords:
    def __init__(self, store: Store):
        self.store = store
        self.incidents = store.table("incidents")
        self.events = store.table("events")
        self.checklists = store.table("checklist")
        self.jobs = store.table("jobs")
        self.scans = store.table("scans")

    # -- incidents --------------------------------------------------------------------------------

    def create(self, doc: dict) -> int:
        return self.incidents.insert(doc)

    def get(self, number: int) -> Record | None:
        return _numbered(self.incidents.get(number))

    def update(self, number: int, fields: dict) -> None:
        self.incidents.update(number, fields)

    def modify(self, number: int, change: Callable[[dict], object]) -> Record | None:
        return _numbered(self.incidents.modify(number, change))

    def by_channel(self, channel_id: str) -> Record | None:
        return _numbered(self.incidents.first(lambda d: d.get("channel_id") == channel_id))

    def open_by_url(self, key: str | None) -> Record | None:
        if not key:
            return None
        found = self.incidents.search(lambda d: d.get("url_key") == key and d.get("status") in OPEN_STATES)
        return _numbered(found[0]) if found else None

    def all(self, statuses: Iterable[str] | None = None) -> list[Record]:
        wanted = set(statuses) if statuses is not None else None
        return [_numbered(r) for r in self.incidents.search(lambda d: wanted is None or d.get("status") in wanted)]

    # -- timeline ---------------------------------------------------------------------------------

    def add_event(self, number: int, kind: str, text: str, *, at: datetime, by: str | None = None,
                  data: dict | None = None) -> None:
        self.events.insert({"incident": number, "at": to_iso(at), "kind": kind, "text": text, "by": by,
                            "data": data or {}})

    def timeline(self, number: int) -> list[Record]:
        events = self.events.search(lambda d: d.get("incident") == number)
        return sorted(events, key=lambda e: (e["at"], e.id))

    def add_scan(self, number: int | None, summary: dict, *, at: datetime, by: str | None) -> None:
        kept = {k: v for k, v in summary.items() if k != "fingerprints"}
        self.scans.insert(dict(kept, incident=number, at=to_iso(at), by=by))

    # -- checklist --------------------------------------------------------------------------------

    def create_checklist(self, number: int, items: list[dict]) -> None:
        with self.store.transaction():
            if self.checklist(number) is None:
                self.checklists.insert({"incident": number, "items": items, "message": None})

    def checklist(self, number: int) -> Record | None:
        return self.checklists.first(lambda d: d.get("incident") == number)

    def change_checklist(self, number: int, change: Callable[[dict], object]) -> tuple[Record | None, object]:
        """Read-modify-write the checklist under the store lock; returns (new state, change's result)."""
        with self.store.transaction():
            sheet = self.checklist(number)
            if sheet is None:
                return None, None
            outcome: list[object] = []
            stored = self.checklists.modify(sheet.id, lambda doc: outcome.append(change(doc)))
            return stored, outcome[0] if outcome else None

    # -- jobs -------------------------------------------------------------------------------------

    def schedule(self, number: int, dues: Iterable[Due], *, recurring: tuple[str, ...] = ("timer", "poll")) -> None:
        """Create or move jobs by key. One-shot jobs already done (or claimed) are left alone, so
        this is idempotent; recurring jobs (timer, poll) come back even when they had stopped."""
        with self.store.transaction():
            existing = {j["key"]: j for j in self.jobs.search(lambda d: d.get("incident") == number)}
            for due in dues:
                job = existing.get(due.key)
                if job is None:
                    self.jobs.insert({"incident": number, "key": due.key, "kind": due.kind, "chain": due.chain,
                                      "due_at": to_iso(due.due_at), "status": "pending", "payload": due.payload,
                                      "claimed_at": None, "done_at": None, "note": None})
                elif job["status"] in ("pending", "cancelled") or (due.key in recurring and job["status"] != "claimed"):
                    self.jobs.update(job.id, {"due_at": to_iso(due.due_at), "status": "pending",
                                              "payload": due.payload, "kind": due.kind, "chain": due.chain})

    def cancel(self, number: int, *, keys_starting: tuple[str, ...] = ("",), note: str = "cancelled") -> int:
        with self.store.transaction():
            pending = self.jobs.search(lambda d: d.get("incident") == number and d.get("status") == "pending"
                                       and d.get("key", "").startswith(keys_starting))
            for job in pending:
                self.jobs.update(job.id, {"status": "cancelled", "note": note})
            return len(pending)

    def job(self, number: int, key: str) -> Record | None:
        return self.jobs.first(lambda d: d.get("incident") == number and d.get("key") == key)

    def incident_jobs(self, number: int) -> list[Record]:
        return sorted(self.jobs.search(lambda d: d.get("incident") == number), key=lambda j: j["due_at"])

    def due_jobs(self, now: datetime) -> list[Record]:
        due = self.jobs.search(lambda d: d.get("status") == "pending" and from_iso(d["due_at"]) <= now)
        return sorted(due, key=lambda j: (j["due_at"], j.id))

    def next_due(self) -> datetime | None:
        pending = self.jobs.search(lambda d: d.get("status") == "pending")
        return min((from_iso(j["due_at"]) for j in pending), default=None)

    def claim(self, job_id: int, now: datetime) -> bool:
        """Pending -> claimed, atomically; False when another sweep (or a cancel) got there first."""
        with self.store.transaction():
            job = self.jobs.get(job_id)
            if job is None or job["status"] != "pending":
                return False
            self.jobs.update(job_id, {"status": "claimed", "claimed_at": to_iso(now)})
            return True

    def finish(self, job_id: int, now: datetime, *, status: str = "done", note: str | None = None) -> None:
        self.jobs.update(job_id, {"status": status, "done_at": to_iso(now), "note": note})

    def retry(self, job_id: int, due_at: datetime, attempts: int) -> None:
        """A claimed job whose send certainly failed goes back to pending, later."""
        self.jobs.update(job_id, {"status": "pending", "due_at": to_iso(due_at), "attempts": attempts,
                                  "claimed_at": None})

    def move(self, job_id: int, due_at: datetime) -> None:
        """A recurring job's next run (only while still pending: a cancel wins)."""
        with self.store.transaction():
            job = self.jobs.get(job_id)
            if job is not None and job["status"] == "pending":
                self.jobs.update(job_id, {"due_at": to_iso(due_at)})

    def recover_claimed(self, now: datetime) -> list[Record]:
        """After a restart: jobs claimed but never finished may or may not have been sent."""
        with self.store.transaction():
            stuck = self.jobs.search(lambda d: d.get("status") == "claimed")
            for job in stuck:
                self.jobs.update(job.id, {"status": "uncertain", "done_at": to_iso(now),
                                          "note": "the bot stopped while sending; not sent again"})
            return stuck
