"""Watch records in the bot's store (table `watches`); the record's id is the watch number.

A record holds only what a watch needs to carry on after a restart: the URL, where and by whom it
was started, absolute UTC times (`ends_at`, `next_run`), the per-document memory for conditional
re-fetches (ETag, Last-Modified, content hash: never content), which documents already alerted
(as a hash of their fingerprints), the alerts decided but not yet known to be sent
(`pending_alerts`, bot/watch/alerts.py), and the failure streak.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.model import Watch, edit_doc, from_doc, to_doc
from bot.scan.links import normalize_url

TABLE = "watches"
ACTIVE = "active"
STOPPED = "stopped"
ENDED = "ended"


def utcnow() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _watch(record) -> Watch | None:
    return from_doc(Watch, record, number=record.id) if record is not None else None


class WatchStore:
    def __init__(self, store):
        self.store = store
        self.table = store.table(TABLE)

    def create(self, *, url: str, channel: str, user: str, interval_seconds: int, window_seconds: int,
               now: datetime | None = None) -> Watch:
        now = now or utcnow()
        watch = Watch(url=url, normalized_url=normalize_url(url) or url, channel=channel, user=user,
                      interval_seconds=interval_seconds, window_seconds=window_seconds, started_at=iso(now),
                      ends_at=iso(now + timedelta(seconds=window_seconds)),
                      # the first scan runs at once: it is the baseline, and a leak already up is news too
                      next_run=iso(now), status=ACTIVE)
        number = self.table.insert(to_doc(watch, without=("number",)))
        return self.get(number)

    def start(self, *, url: str, channel: str, user: str, interval_seconds: int, window_seconds: int,
              now: datetime | None = None) -> tuple[Watch, bool]:
        """A new watch, unless this channel already watches the page: (the watch, whether it is new).
        The check and the create are one transaction whose scope names the page and the channel, so
        two replicas (or two quick `/watch` commands) starting the same watch make one."""
        wanted = normalize_url(url) or url
        with self.store.transaction(f"watch-start:{channel}:{wanted}"):
            same = self.active_for_url(url, channel)
            if same:
                return same[0], False
            return self.create(url=url, channel=channel, user=user, interval_seconds=interval_seconds,
                               window_seconds=window_seconds, now=now), True

    def get(self, number: int) -> Watch | None:
        return _watch(self.table.get(number))

    def active(self) -> list[Watch]:
        return [_watch(r) for r in self.table.search(None, where={"status": ACTIVE})]

    def due(self, now: datetime | None = None) -> list[Watch]:
        now = now or utcnow()
        return [w for w in self.active() if parse_iso(w.next_run) <= now]

    def active_for_url(self, url: str, channel: str | None = None) -> list[Watch]:
        wanted = normalize_url(url) or url
        return [w for w in self.active() if w.normalized_url == wanted and (channel is None or w.channel == channel)]

    def claim(self, number: int, now: datetime, *,
              settle: Callable[[Watch], dict[str, dict]] | None = None) -> tuple[Watch, dict[str, dict]] | None:
        """Mark a watch as taken for this run by moving `next_run` one interval on: a due watch, or
        one with pending alerts to settle (`settle(record)` takes them, in this same write, and
        returns them: bot/watch/alerts.py).

        Returns (the record, the alerts taken), or None when it is no longer active, or neither
        due nor holding alerts to settle (another claim won).
        """
        claimed: list[dict[str, dict]] = []

        def change(watch: Watch) -> None:
            if watch.status != ACTIVE:
                return
            taken = settle(watch) if settle is not None else {}
            if parse_iso(watch.next_run) > now and not taken:
                return
            # from now, not from the missed slot: a bot down for an hour runs once, not 12 times
            watch.next_run = iso(now + timedelta(seconds=watch.interval_seconds))
            claimed.append(taken)

        record = self.modify(number, change, skip_locked=True)  # a replica claiming it now: not ours
        return (record, claimed[0]) if record is not None and claimed else None

    def modify(self, number: int, change: Callable[[Watch], object], *, skip_locked: bool = False) -> Watch | None:
        """Read-modify-write one watch atomically; `change` edits the record in place."""
        return _watch(self.table.modify(number, edit_doc(Watch, change, number=number), skip_locked=skip_locked))

    def finish(self, number: int, status: str, *, by: str | None = None, now: datetime | None = None) -> Watch | None:
        """Stop or end an active watch; None when it was not active."""
        done: list[bool] = []

        def change(watch: Watch) -> None:
            if watch.status != ACTIVE:
                return
            watch.status, watch.stopped_by, watch.stopped_at = status, by, iso(now or utcnow())
            done.append(True)

        record = self.modify(number, change)
        return record if record is not None and done else None
