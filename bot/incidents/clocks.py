"""Clock arithmetic, pure: notification times, due times of reminders, and durations in words.

Every time is an aware UTC datetime in memory and an ISO-8601 string in the database
(`to_iso`/`from_iso`), so due work survives a restart as absolute times, never as "in 5 minutes".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def parse_http_date(value: str | None) -> datetime | None:
    """A Last-Modified header as a UTC datetime, or None when absent or malformed."""
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# -- durations in words ---------------------------------------------------------------------------


def format_duration(seconds: float) -> str:
    """`45 s`, `11 min 4 s`, `15 min`, `5 h 12 min`, `3 d 4 h` (negative durations read as 0)."""
    total = max(0, int(round(seconds)))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    return f"{secs} s"


def format_hours_minutes(seconds: float) -> str:
    """The exposure window is told in hours and minutes: `5 h 07 min`, `0 h 03 min`."""
    minutes_total = max(0, int(round(seconds / 60)))
    hours, minutes = divmod(minutes_total, 60)
    return f"{hours} h {minutes:02d} min"


# -- what is due when -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """One scheduled job. `key` is unique per incident and survives rescheduling."""

    key: str
    kind: str
    due_at: datetime
    #: jobs of one chain supersede each other: when several are overdue, only the last one fires
    chain: str
    payload: dict


#: reminders as the takedown target nears, as shares of the target
TAKEDOWN_REMINDER_SHARES = (0.5, 0.8)


def takedown_schedule(notified_at: datetime, target_minutes: float) -> list[Due]:
    target = timedelta(minutes=target_minutes)
    jobs = [
        Due(f"takedown:reminder:{int(share * 100)}", "takedown_reminder", notified_at + target * share,
            "takedown", {"share": share})
        for share in TAKEDOWN_REMINDER_SHARES
    ]
    jobs.append(Due("takedown:escalation", "takedown_escalation", notified_at + target, "takedown", {}))
    return jobs


def legal_schedule(notified_at: datetime, clocks: tuple[tuple[str, float], ...]) -> list[Due]:
    """For each legal clock: reminders at half time, 24 h and 1 h before, and at the deadline.

    Reminders that would fall before notification (a 12 h clock has no "24 h before") or right
    next to another one of the same clock are left out.
    """
    jobs = []
    for index, (label, hours) in enumerate(clocks):
        deadline = notified_at + timedelta(hours=hours)
        candidates = [
            ("half", notified_at + timedelta(hours=hours / 2)),
            ("24h", deadline - timedelta(hours=24)),
            ("1h", deadline - timedelta(hours=1)),
        ]
        kept: list[tuple[str, datetime]] = []
        for name, when in sorted(candidates, key=lambda c: c[1]):
            if when <= notified_at:
                continue
            gap = min(timedelta(hours=hours) * 0.05, timedelta(minutes=30))
            if any(abs(when - other) < gap for _, other in kept) or deadline - when < gap / 2:
                continue
            kept.append((name, when))
        for name, when in kept:
            jobs.append(Due(f"legal:{index}:{name}", "legal_reminder", when, f"legal:{index}",
                            {"clock": index, "label": label, "deadline": to_iso(deadline)}))
        jobs.append(Due(f"legal:{index}:due", "legal_deadline", deadline, f"legal:{index}",
                        {"clock": index, "label": label, "deadline": to_iso(deadline)}))
    return jobs


def legal_deadlines(notified_at: datetime, clocks: tuple[tuple[str, float], ...]) -> list[tuple[str, datetime]]:
    return [(label, notified_at + timedelta(hours=hours)) for label, hours in clocks]


def exposure_start(*, last_modified: str | None, first_seen_at: datetime | None,
                   notified_at: datetime | None) -> tuple[datetime | None, str]:
    """The earliest evidence the content was public, and what that evidence is."""
    evidence = []
    modified = parse_http_date(last_modified)
    if modified is not None:
        evidence.append((modified, "Last-Modified header"))
    if first_seen_at is not None:
        evidence.append((first_seen_at, "first scan"))
    if notified_at is not None:
        evidence.append((notified_at, "notification"))
    if not evidence:
        return None, "no evidence"
    return min(evidence, key=lambda item: item[0])
