"""The typed model of what the bot keeps: incidents, their timeline, checklist, jobs, scans, watches.

Every record is a dataclass with explicit fields. Records are converted from and to plain JSON
documents at the store boundary only (`from_doc` / `to_doc`, used by bot/incidents/records.py,
bot/watch/store.py and the stores in bot/stores/); the rest of the code reads attributes.

Evolving the model:
- a new optional field is ONE line with a default (`lead: str | None = None`, or
  `pages: list[Page] = field(default_factory=list)`); records stored before it load with the
  default, nested dataclasses (and lists of them, and `X | None`) are converted by their type hint;
- a key in a stored document that this version does not know is kept in `extra` and written back
  unchanged, so an older process beside a newer one (a rolling deploy on PostgreSQL) loses nothing.

Times are absolute UTC ISO-8601 strings, as in the database (bot/incidents/clocks.py converts).
No raw found value ever lives here: counts, types, places, masked samples and keyed fingerprints.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


# -- conversion at the store boundary -----------------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any) -> Any:
    """A JSON value -> the Python value the type hint asks for (nested dataclasses only)."""
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(hint):
            if arg is not type(None):
                return _convert(arg, value)
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_doc(hint, value)
    if origin is list and isinstance(value, list):
        (item,) = typing.get_args(hint) or (Any,)
        return [_convert(item, v) for v in value]
    if origin is dict and isinstance(value, dict):
        _, item = typing.get_args(hint) or (Any, Any)
        return {k: _convert(item, v) for k, v in value.items()}
    return value


def from_doc(cls: type[T], doc: dict, **identity: Any) -> T:
    """A stored document -> a record of `cls`; missing keys take the field's default, unknown keys
    go to `extra` (when the class has one). `identity` sets fields that are not in the document
    (the record's number/id, which the store keeps as the document id)."""
    hints = _hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    values = {name: _convert(hints[name], doc[name]) for name in names if name in doc and name != "extra"}
    if "extra" in names:
        values["extra"] = {k: v for k, v in doc.items() if k not in names and k not in identity}
    values.update(identity)
    return cls(**values)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_doc(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted(value)
    return value


def to_doc(record: Any, *, without: tuple[str, ...] = ()) -> dict:
    """A record -> a JSON-ready document (`extra` merged back in; `without` left out, e.g. the id)."""
    doc = dict(getattr(record, "extra", None) or {})
    for f in dataclasses.fields(record):
        if f.name != "extra" and f.name not in without:
            doc[f.name] = _plain(getattr(record, f.name))
    return doc


def edit_doc(cls: type[T], change: Callable[[T], Any], **identity: Any) -> Callable[[dict], None]:
    """A store-level change (on the stored document) that applies a typed `change` to the record:
    convert, edit, write every field back (the identity fields stay out of the document)."""
    def on_doc(doc: dict) -> None:
        record = from_doc(cls, doc, **identity)
        change(record)
        doc.clear()
        doc.update(to_doc(record, without=tuple(identity)))

    return on_doc


# -- incidents ----------------------------------------------------------------------------------


@dataclass
class FindingSummary:
    """One type of personal data found: counts, places and masked samples, never values."""

    type: str
    count: int = 0
    where: list[str] = field(default_factory=list)
    where_more: int = 0
    samples: list[str] = field(default_factory=list)


@dataclass
class Check:
    """The last takedown check: when, what it concluded and why (one sentence, no values)."""

    at: str
    state: str
    reason: str = ""
    status: int | None = None


@dataclass
class ManualDown:
    """`/incident down`: reported by hand, waiting for the bot's check to confirm it."""

    at: str
    by: str | None = None


@dataclass
class Announcement:
    """A status change (taken down, closed) saved and not yet fully told: the steps left
    (bot/incidents/announce.py), so a bot killed half-way finishes them at its next start."""

    what: str  # down | closed
    #: the room message's key in its Slack metadata (found again after a crash, never posted twice)
    key: str
    #: when the change was saved: the messages looked for were posted after it
    at: str
    steps: list[str] = field(default_factory=list)
    by: str | None = None
    #: when a process last took the steps left on (a replica's sweep taking over after the lease,
    #: bot/incidents/takeover.py); None: the process that saved it, since `at`
    claimed_at: str | None = None


@dataclass
class Figures:
    """The takedown in figures, as posted and reported."""

    taken_down_at: str
    notified_at: str
    notification_to_takedown_seconds: float
    notification_to_takedown_minutes: float
    exposure_from: str | None = None
    exposure_evidence: str = "no evidence"
    exposure_seconds: float | None = None


@dataclass
class Incident:
    """One incident; `number` is #N (the store's id for it, not kept inside the document)."""

    number: int = 0
    title: str | None = None
    url: str | None = None
    url_key: str | None = None
    status: str = "open"  # open | down | closed
    opened_at: str = ""
    opened_by: str = ""
    origin_channel: str | None = None
    notified_at: str = ""
    notified_by: str | None = None
    notified_source: str = "opening"  # opening | set
    severity: str = "unknown"
    records_affected: int = 0
    findings: list[FindingSummary] = field(default_factory=list)
    # its fingerprints (every one) are kept apart: IncidentRecords.fingerprints(number)
    content_sha256: str | None = None
    final_url: str | None = None
    last_modified: str | None = None
    etag: str | None = None
    first_seen_at: str | None = None
    channel_id: str | None = None
    channel_name: str | None = None
    summary_ts: str | None = None
    timer_ts: str | None = None
    #: the start of the last timer tick whose refresh a process claimed (IncidentRecords.claim_timer_tick):
    #: one chat.update per tick across replicas
    timer_tick_at: str | None = None
    oncall: list[str] = field(default_factory=list)
    oncall_group: str | None = None
    members: list[str] = field(default_factory=list)
    #: opening steps done so far (channel, invite, summary, pin, topic, timer, checklist)
    setup: dict[str, bool] = field(default_factory=dict)
    setup_complete: bool = False
    last_check: Check | None = None
    last_seen_up_at: str | None = None
    unreachable_streak: int = 0
    manual_down: ManualDown | None = None
    taken_down_at: str | None = None
    takedown_reason: str | None = None
    takedown_how: str | None = None
    takedown_by: str | None = None
    figures: Figures | None = None
    takedowns: list[Figures] = field(default_factory=list)
    reopened: int = 0
    closed_at: str | None = None
    closed_by: str | None = None
    previous_urls: list[str] = field(default_factory=list)
    reposts: int = 0
    #: paging services an open page went through (bot/incidents/outside.py); the takedown resolves it
    paged: list[str] = field(default_factory=list)
    #: a page to send (again after a restart): "trigger", "update" (a new severity) or "resolve" (bot/incidents/outside.py)
    page_pending: str | None = None
    #: when a process took `page_pending` on (written with it, or by a replica taking it over after
    #: the lease, bot/incidents/takeover.py): older than the lease and still set, its process died
    page_claimed_at: str | None = None
    #: a takedown or close saved and not yet told in full (bot/incidents/announce.py)
    announcing: Announcement | None = None
    #: the person leading the incident
    lead: str | None = None
    #: a practice incident (`/incident drill`, bot/incidents/drill.py): marked DRILL, never leaves the room
    drill: bool = False
    #: the access logs' figures (bot/incidents/access_logs.py): counts, crawler names and times,
    #: never a client address (the per-client table is not kept)
    downloads: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class TimelineEntry:
    """One event on an incident's timeline (`/incident report`)."""

    incident: int
    at: str
    kind: str
    text: str
    by: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ChecklistItem:
    id: str
    text: str
    detail: str = ""
    done: bool = False
    by: str | None = None
    at: str | None = None
    added_by: str | None = None
    added_at: str | None = None


@dataclass
class MessageRef:
    channel: str
    ts: str


@dataclass
class Checklist:
    incident: int
    items: list[ChecklistItem] = field(default_factory=list)
    #: the posted message kept current
    message: MessageRef | None = None
    id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Job:
    """Due work of an incident's clocks (reminders, escalations, legal clocks, takedown polls).

    `key` is unique per incident; `status`: pending -> claimed -> done | skipped | failed |
    claimed when a bot stopped is settled by bot/incidents/effects.py (its message found in the
    channel: `sent`, then claimed again by the sweep, which finishes what follows the message:
    `sent_at` keeps when it was sent); or cancelled.
    """

    incident: int
    key: str
    kind: str
    chain: str
    due_at: str
    status: str = "pending"
    payload: dict[str, Any] = field(default_factory=dict)
    claimed_at: str | None = None
    done_at: str | None = None
    note: str | None = None
    attempts: int = 0
    #: set when a bot stopped after the job's message was posted (found in the channel)
    sent_at: str | None = None
    id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScanRecord:
    """One incident-level scan handed to the incident service (its summary, no fingerprints)."""

    incident: int | None
    at: str
    by: str | None = None
    target: str = ""
    kind: str | None = None
    severity: str = "unknown"
    records_affected: int = 0
    findings: list[FindingSummary] = field(default_factory=list)
    final_url: str | None = None
    http_status: int | None = None
    last_modified: str | None = None
    etag: str | None = None
    content_sha256: str | None = None
    id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ScanSummary:
    """What an incident keeps from a scan (records.summarize_report): the one door from a scan in."""

    target: str
    kind: str | None = None
    severity: str = "unknown"
    records_affected: int = 0
    findings: list[FindingSummary] = field(default_factory=list)
    fingerprints: dict[str, list[str]] = field(default_factory=dict)
    final_url: str | None = None
    http_status: int | None = None
    last_modified: str | None = None
    etag: str | None = None
    content_sha256: str | None = None


# -- watches ------------------------------------------------------------------------------------


@dataclass
class Watch:
    """A maintenance watch; `number` is the store's id for it."""

    url: str
    channel: str
    user: str
    interval_seconds: int
    window_seconds: int
    started_at: str
    ends_at: str
    next_run: str
    normalized_url: str = ""
    status: str = "active"  # active | stopped | ended
    runs: int = 0
    alerts: int = 0
    last_run_at: str | None = None
    failures: int = 0
    failure_said: bool = False
    last_error: str | None = None
    #: per document: ETag, Last-Modified, content hash (never content)
    memory: dict[str, Any] = field(default_factory=dict)
    #: per document: the hash of the fingerprints that already alerted
    alerted: dict[str, str] = field(default_factory=dict)
    #: per document: an alert decided and not yet known to be sent (bot/watch/alerts.py): its
    #: findings' `digest`, when it was `decided` (never moved) and last `claimed` to settle
    pending_alerts: dict[str, dict] = field(default_factory=dict)
    stopped_by: str | None = None
    stopped_at: str | None = None
    number: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
