"""A watch's alerts exactly once across crashes: decided, sent, then settled.

A run that finds a leak to alert records it first in the watch's `pending_alerts` (the document's
URL -> the hash of its findings, `decided`: when it was decided, and `claimed`: when a run last
took it to settle), in the same write as the run itself;
the alert goes out (an incident opened, a post in the watch's channel carrying Slack message
metadata naming the watch and the alert); then `sent` moves it to `alerted`. A bot killed between
leaves the alert pending, and the next run of that watch (made due at once: `stale`) settles it
from the channel, as bot/incidents/effects.py settles a reminder:
- found (the bot's message with that metadata): it went out; it is marked alerted, not sent again;
- not found: it never went out; the document's crawl memory is forgotten, so this run fetches and
  scans it again and alerts it (once, with what the document holds now);
- Slack cannot be asked: it stays pending and is tried again later (never guessed);
- the bot cannot read the channel (not in it, or it is gone): it could not post there either (the
  app has no chat:write.public), so it is sent again: to the owner's direct message, as any alert
  the channel refuses. An owner whose direct-message copy went out just before the kill gets it
  twice: a leak alert is repeated rather than lost.

A pending alert is another process's only once its last claim (or its decision) is older than
`LEASE` (a replica may be sending or settling it right now); on the embedded store one process runs
every watch, so whatever a previous process left is settled at its first run. The channel is
searched from the decision time, which a claim never moves: a settle that Slack refused, or whose
replica died, leaves the next one searching as far back as the first (a post made before the kill
is still found, however late the restart). The metadata holds the watch number and a hash, never content.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from bot.errors import LeakwatchError
from bot.incidents.effects import CLAIM_LEASE, find_posted, metadata_for
from bot.model import Watch
from bot.watch.store import iso, parse_iso

log = logging.getLogger(__name__)

#: a pending alert older than this is a send whose process died (an alert takes seconds, as a
#: reminder does: the same lease as a claimed job's)
LEASE = CLAIM_LEASE
#: a watch's messages name no incident
NO_INCIDENT = 0
#: history errors that mean the bot is not in the channel: it could not have posted there
UNREADABLE = frozenset({"not_in_channel", "channel_not_found"})


def alert_key(number: int, target: str, digest: str) -> str:
    """The alert's name in its message's metadata: the watch, and a hash of the document and its findings."""
    return f"watch:{number}:alert:" + hashlib.sha256(f"{target}\n{digest}".encode()).hexdigest()[:24]


def metadata(number: int, target: str, digest: str) -> dict:
    return metadata_for(NO_INCIDENT, alert_key(number, target, digest))


def pending(doc: Watch, target: str, digest: str, now: datetime) -> None:
    """Record an alert about to be sent (inside the run's write)."""
    doc.pending_alerts[target] = {"digest": digest, "decided": iso(now)}


def decided(entry: dict) -> datetime:
    """When the alert was decided: its post, if any, is no older (`since`: a record written before
    the decision and the claim had fields of their own)."""
    return parse_iso(entry.get("decided") or entry["since"])


def _last_hold(entry: dict) -> datetime:
    """When a process last held the alert: its latest claim, else its decision."""
    return parse_iso(entry["claimed"]) if entry.get("claimed") else decided(entry)


def is_pending(watch: Watch, target: str, digest: str) -> bool:
    return (watch.pending_alerts.get(target) or {}).get("digest") == digest


def stale(watch: Watch, now: datetime, *, started: datetime, one_process: bool) -> list[str]:
    """The pending alerts no live process is sending: older than the lease, or (one process)
    left by a process before this one."""
    found = []
    for target, entry in watch.pending_alerts.items():
        held = _last_hold(entry)
        if held <= now - LEASE or (one_process and held < started):
            found.append(target)
    return found


def take(doc: Watch, targets: list[str], now: datetime) -> dict[str, dict]:
    """Inside the run's claim: the pending alerts this run settles (their claim time moves to now,
    so no other replica takes them within the lease; their decision time stays)."""
    taken = {}
    for target in targets:
        entry = doc.pending_alerts.get(target)
        if entry is not None:
            taken[target] = dict(entry)
            entry["claimed"] = iso(now)
    return taken


def sent(doc: Watch, target: str, digest: str) -> None:
    """The alert went out (or was tried, and reached no one: logged): it is alerted."""
    if is_pending(doc, target, digest):
        del doc.pending_alerts[target]
    if doc.alerted.get(target) != digest:
        doc.alerted[target] = digest
        doc.alerts += 1


def look(slack, watch: Watch, taken: dict[str, dict]) -> tuple[list[str], list[str]]:
    """(sent, not sent) among the alerts taken, from the watch channel's history; an alert Slack
    cannot be asked about is in neither."""
    found, missing = [], []
    for target, entry in taken.items():
        key = alert_key(watch.number, target, entry["digest"])
        try:
            posted = find_posted(slack, watch.channel, NO_INCIDENT, key, decided(entry))
        except LeakwatchError as err:
            if err.code in UNREADABLE:
                missing.append(target)
                continue
            log.warning("watch #%s: a pending alert left pending, Slack could not be asked: %s", watch.number, err.code)
            continue
        (found if posted is not None else missing).append(target)
    return found, missing


def settled(found: list[str], missing: list[str], taken: dict[str, dict]):
    """The change that writes a settlement: found ones alerted; missing ones forgotten, their
    document's memory too, so this run scans it again and alerts it."""
    def change(doc: Watch) -> None:
        for target in found:
            if is_pending(doc, target, taken[target]["digest"]):
                sent(doc, target, taken[target]["digest"])
        for target in missing:
            if is_pending(doc, target, taken[target]["digest"]):
                del doc.pending_alerts[target]
                doc.memory.pop(target, None)
    return change
