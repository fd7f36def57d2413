"""`/scan` (and `/incident open`) requests kept in the store until answered, so a bot that stops
mid-scan scans again.

`/scan <url>` is acknowledged ("Scanning…") and scanned on the worker pool; before, the request
lived only in that process, so a crash or kill in between lost it: no answer ever came and no
incident opened. Now the request (the address as given, `--crawl`, who asked, where, and Slack's
response_url; no content) is written before the acknowledgement (`remember`) and removed once
answered (`forget`). What is left at start (`Resumer`, started by the command's module once the
incidents part runs) was cut short and is done again, answered through the same response_url (valid 30 minutes;
older requests are answered in the asker's channel instead).

Embedded store: one process holds it, so everything left is a dead process's and is taken at
start. PostgreSQL replicas: a request younger than its lease may be another replica's scan under
way, so it is taken only once older (a light check every CHECK_EVERY seconds). Its age counts from
when its job began (`started`: `at` moved to now, so time queued on the worker pool does not eat
the lease), and `lease` outlasts the longest job: a `--crawl`'s whole budget
(CrawlLimits.total_seconds) or a scan's own two timeouts, whichever is longer, plus one fetch's
SCAN_TIMEOUT_SECONDS in flight at its end, plus a margin. Taking is a write that
moves `at` (a claim): one replica takes it. A request taken MAX_TRIES times is answered with one
sentence asking to scan again (a file that stops the bot every time must not loop).

A request whose incident was created (`marker`: written in the transaction that creates the
incident, bot/incidents/records.py `create(within=)`) is not done again when left: the bot stopped
after the incident was stored but before the request was forgotten, and doing it again would open
a second incident for a title (a title matches nothing) or post "reported again" for a URL. It is
answered with one sentence naming the incident (its room is finished by the incidents' own resume).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from bot.incidents.clocks import from_iso, to_iso, utcnow
from bot.store import shared_store

log = logging.getLogger(__name__)

TABLE = "scan_requests"
#: beyond the longest job (a crawl's budget and a fetch in flight): a request younger than the
#: lease may be a live replica's (PostgreSQL)
LEASE_MARGIN = timedelta(seconds=30)
CHECK_EVERY = 15.0
MAX_TRIES = 3
INTERRUPTED = "`{command}` was cut short by restarts of the bot {times} times; run it again to retry."
OPENED = ("`{command}` was cut short by a restart after it opened incident #{number}; it was not done again "
          "(`/incident status #{number}` shows it).")
COMMANDS = {"scan": "/scan {url}", "open": "/incident open {url}"}


def remember(services, url: str, crawl: bool, *, user: str | None, channel: str | None,
             response_url: str | None, kind: str = "scan") -> int | None:
    """Keep the request before it is acknowledged; its id (None when the store refused: the scan
    still runs, only without the guarantee). `kind`: "scan" (/scan), "open" (/incident open, `url`
    is the command's text: an address or a title)."""
    try:
        return shared_store(services).table(TABLE).insert(
            {"kind": kind, "url": url[:2000], "crawl": bool(crawl), "user": user, "channel": channel,
             "response_url": response_url, "at": to_iso(utcnow()), "tries": 1})
    except Exception as err:  # noqa: BLE001 - the scan must still run
        log.warning("scan request not kept: %s", type(err).__name__)
        return None


def started(services, request_id: int | None) -> None:
    """The request's job begins now (it may have waited on the worker pool): its lease counts from
    here, so a live scan is not taken by another replica for the time it queued."""
    if request_id is None:
        return
    try:
        shared_store(services).table(TABLE).update(request_id, {"at": to_iso(utcnow())})
    except Exception as err:  # noqa: BLE001 - the scan must still run; its lease counts from its creation
        log.warning("scan request %s start not kept: %s", request_id, type(err).__name__)


def forget(services, request_id: int | None) -> None:
    if request_id is None:
        return
    try:
        shared_store(services).table(TABLE).remove(request_id)
    except Exception as err:  # noqa: BLE001 - a request left is scanned again at most once more
        log.warning("scan request %s not removed: %s", request_id, type(err).__name__)


def marker(services, request_id: int | None):
    """`opened(number)` for the incidents part: marks the kept request with the incident it created,
    called inside the incident's creating transaction (so both are stored, or neither). None when
    the request was not kept."""
    if request_id is None:
        return None

    def opened(number: int) -> None:
        shared_store(services).table(TABLE).update(request_id, {"incident": int(number)})

    return opened


def _command(kind: str, request: dict) -> str:
    return COMMANDS.get(kind, kind).format(url=request["url"][:200].replace("`", "'"))


def _take(table, doc, now) -> dict | None:
    """Claim one left request (moves its `at` and counts the try); None when another took it."""
    seen, taken = doc["at"], []

    def change(row: dict) -> None:
        if row.get("at") == seen:
            row["at"], row["tries"] = to_iso(now), int(row.get("tries") or 1) + 1
            taken.append(dict(row))

    table.modify(doc.id, change)
    return taken[0] if taken else None


def resume(services, run, give_up, *, lease: timedelta, kind: str = "scan") -> int:
    """Do again every request of `kind` left older than `lease`: `run(request_id, request)` (the
    stored dict: url, crawl, user, channel, response_url); after MAX_TRIES, or when the request
    already created its incident, `give_up(sentence, user, channel)` instead. Returns how many
    were taken."""
    now, taken = utcnow(), 0
    table = shared_store(services).table(TABLE)
    for doc in table.all():
        if doc.get("kind", "scan") != kind or now - from_iso(doc["at"]) < lease:
            continue
        request = _take(table, doc, now)
        if request is None:
            continue
        taken += 1
        if request.get("incident") is not None:  # done up to its incident: not a second one
            forget(services, doc.id)
            give_up(OPENED.format(command=_command(kind, request), number=int(request["incident"])),
                    request.get("user"), request.get("channel"))
            continue
        if request["tries"] > MAX_TRIES:
            forget(services, doc.id)
            give_up(INTERRUPTED.format(command=_command(kind, request), times=MAX_TRIES), request.get("user"),
                    request.get("channel"))
            continue
        log.info("%s request %d was cut short by a restart: doing it again", kind, doc.id)
        run(doc.id, request)
    return taken


def lease(settings) -> timedelta:
    """How long after its job began (`started`) another replica may take a request: its job has
    ended by then (a crawl stops at its budget, a fetch in flight at its timeout), or its process
    died."""
    from bot.scan.crawl import CrawlLimits

    timeout = settings.scan.timeout_seconds
    longest = max(CrawlLimits.total_seconds, 2 * timeout) + timeout
    return timedelta(seconds=longest) + LEASE_MARGIN


class Resumer:
    """At start: what a dead process left; on PostgreSQL, also what a dead replica left (past its lease)."""

    def __init__(self, services, run, give_up, kind: str = "scan"):
        self.services, self.run, self.give_up, self.kind = services, run, give_up, kind
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        replicas = shared_store(self.services).kind == "postgresql"
        self._lease = lease(self.services.settings)
        self._pass(self._lease if replicas else timedelta(0))
        if replicas:
            self._thread = threading.Thread(target=self._loop, name=f"{self.kind}-requests", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(CHECK_EVERY):
            self._pass(self._lease)

    def _pass(self, lease: timedelta) -> None:
        try:
            resume(self.services, self.run, self.give_up, lease=lease, kind=self.kind)
        except Exception as err:  # noqa: BLE001 - start-up must go on; the next pass tries again
            log.warning("scan requests not resumed: %s", type(err).__name__)
