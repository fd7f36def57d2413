"""Proof of takedown: re-fetch the URL through the safe fetcher and compare with the incident.

Taken down means the server answers 404/410, or what it serves now no longer carries the
incident's fingerprints: a "page not found" page served with 200 is down, while the same file at
a new status code, or behind a redirect, is still up. Identical bytes are up whatever else holds.
An unreachable server is not proof by itself; only several failed checks in a row count as down.
The incident keeps every one of its fingerprints (IncidentRecords.fingerprints), so what the URL
serves now is compared with all of them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from bot.config import ScanSettings
from bot.errors import LeakwatchError
from bot.incidents.clocks import exposure_start, from_iso, to_iso
from bot.model import Figures, Incident
from bot.scan.limits import Deadline
from bot.scan.matching import SOFT_TYPES, WEAK_TYPES, is_same_leak, overlaps, report_fingerprints
from bot.scan.report import Report

GONE_STATUSES = (404, 410)
#: checks in a row that could not reach the server before it counts as taken down
UNREACHABLE_DOWN_AFTER = 3


@dataclass
class Observation:
    """What one re-fetch saw: the HTTP status and the scan of the body (None when not needed)."""

    status: int | None
    report: Report | None = None
    final_url: str | None = None
    error: str | None = None
    error_code: str | None = None


@dataclass
class Verdict:
    state: str  # "up" | "down" | "unknown"
    reason: str  # one sentence, no values
    status: int | None = None
    matched: int = 0


def recheck(url: str, settings: ScanSettings, *, known_sha256: str | None = None) -> Observation:
    """Fetch the URL once and scan what it serves (in the isolated parser), whatever the status.
    The very bytes the incident was opened on (`known_sha256`) are not read again: every open
    incident is re-checked every TAKEDOWN_POLL_SECONDS, and re-scanning an unchanged file each
    time would compete with the scans people ask for."""
    from bot.scan.fetch import fetch
    from bot.scan.pipeline import scan_content

    try:
        result = fetch(url, settings, deadline=Deadline(settings.timeout_seconds))
    except LeakwatchError as err:
        return Observation(status=None, error=str(err), error_code=err.code)
    if result.status in GONE_STATUSES:
        return Observation(status=result.status, final_url=result.final_url)
    if known_sha256 and hashlib.sha256(result.content).hexdigest() == known_sha256:
        unchanged = Report(target=url)
        unchanged.content_sha256 = known_sha256
        return Observation(status=result.status, report=unchanged, final_url=result.final_url)
    name = result.final_url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    report = scan_content(result.content, target=url, settings=settings, name=name, source=result)
    return Observation(status=result.status, report=report, final_url=result.final_url)


def classify(observation: Observation, *, fingerprints: dict[str, list[str]], content_sha256: str | None,
             unreachable_streak: int = 0) -> Verdict:
    """Up, down or unknown, with the reason in words. Pure."""
    status = observation.status
    if status in GONE_STATUSES:
        return Verdict("down", f"The server answers HTTP {status} for the URL.", status)
    report = observation.report
    if report is None:
        if unreachable_streak + 1 >= UNREACHABLE_DOWN_AFTER and observation.error_code == "unreachable":
            return Verdict("down", f"The server has not answered {unreachable_streak + 1} checks in a row.", status)
        return Verdict("unknown", f"The check could not fetch the URL: {observation.error or 'no answer'}", status)
    moved = f" (now served with HTTP {status})" if status and status != 200 else ""
    if content_sha256 and report.content_sha256 == content_sha256:
        return Verdict("up", f"The very same file is still served{moved}.", status)
    if report.error:
        return Verdict("unknown", f"What the server sends now could not be read: {report.error}", status)
    known = {kind: fps for kind, fps in fingerprints.items() if fps}
    found = report_fingerprints(report)
    shared = overlaps(found, known)
    # one shared identifier is the leak; values unrelated people share (common names) need the
    # same-leak rule of bot/scan/matching.py; dates of birth and the like never decide alone
    strong = [o for o in shared if (o.type not in WEAK_TYPES and o.type not in SOFT_TYPES)
              or (o.type in SOFT_TYPES and is_same_leak(o))]
    only_weak_known = known and all(kind in WEAK_TYPES for kind in known)
    deciding = strong or (shared if only_weak_known else [])
    if deciding:
        matched = sum(o.matched for o in deciding)
        total = sum(len(known[o.type]) for o in deciding)
        return Verdict("up", f"The content still carries {matched:,} of the incident's {total:,} fingerprinted values{moved}.",
                       status, matched)
    if not known:
        return Verdict("down", f"The content changed (HTTP {status}) and the incident had no values to compare.", status)
    return Verdict("down", f"The URL answers HTTP {status} but carries none of the incident's values any more.", status)


def figures(incident: Incident, taken_down_at: datetime) -> Figures:
    """Notification -> takedown, and the exposure window from the earliest evidence to takedown."""
    notified_at = from_iso(incident.notified_at)
    first_seen = from_iso(incident.first_seen_at) if incident.first_seen_at else None
    start, evidence = exposure_start(last_modified=incident.last_modified, first_seen_at=first_seen,
                                     notified_at=notified_at)
    to_takedown = (taken_down_at - notified_at).total_seconds()
    return Figures(
        taken_down_at=to_iso(taken_down_at),
        notified_at=incident.notified_at,
        notification_to_takedown_seconds=round(to_takedown, 3),
        notification_to_takedown_minutes=round(to_takedown / 60, 2),
        exposure_from=to_iso(start) if start else None,
        exposure_evidence=evidence,
        exposure_seconds=round((taken_down_at - start).total_seconds(), 3) if start else None,
    )
