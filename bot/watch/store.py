"""Watch records in the bot's store (table `watches`); the record's id is the watch number.

A record holds only what a watch needs to carry on after a restart: the URL, where and by whom it
was started, absolute UTC times (`ends_at`, `next_run`), the per-document memory for conditional
re-fetches (ETag, Last-Modified, content hash: never content), which documents already alerted
(as a hash of their fingerprints), and the failure streak.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

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


class WatchStore:
    def __init__(self, store):
        self.store = store
        self.table = store.table(TABLE)

    def create(self, *, url: str, channel: str, user: str, interval_seconds: int, window_seconds: int,
               now: datetime | None = None) -> dict:
        now = now or utcnow()
        record = {
            "url": url,
            "normalized_url": normalize_url(url) or url,
            "channel": channel,
            "user": user,
            "interval_seconds": interval_seconds,
            "window_seconds": window_seconds,
            "started_at": iso(now),
            "ends_at": iso(now + timedelta(seconds=window_seconds)),
            # the first scan runs at once: it is the baseline, and a leak already up is news too
            "next_run": iso(now),
            "status": ACTIVE,
            "runs": 0,
            "alerts": 0,
            "last_run_at": None,
            "failures": 0,
            "failure_said": False,
            "last_error": None,
            "memory": {},
            "alerted": {},
            "stopped_by": None,
            "stopped_at": None,
        }
        number = self.table.insert(record)
        return self.get(number)

    def get(self, number: int) -> dict | None:
        record = self.table.get(number)
        return _with_number(record) if record is not None else None

    def active(self) -> list[dict]:
        return [_with_number(r) for r in self.table.search(lambda d: d.get("status") == ACTIVE)]

    def due(self, now: datetime | None = None) -> list[dict]:
        now = now or utcnow()
        return [w for w in self.active() if parse_iso(w["next_run"]) <= now]

    def active_for_url(self, url: str, channel: str | None = None) -> list[dict]:
        wanted = normalize_url(url) or url
        return [w for w in self.active()
                if w["normalized_url"] == wanted and (channel is None or w["channel"] == channel)]

    def claim(self, number: int, now: datetime) -> dict | None:
        """Mark a due watch as taken for this run by moving `next_run` one interval on.

        Returns the record, or None when it is no longer active or not due (another claim won).
        """
        claimed: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") != ACTIVE or parse_iso(doc["next_run"]) > now:
                return
            # from now, not from the missed slot: a bot down for an hour runs once, not 12 times
            doc["next_run"] = iso(now + timedelta(seconds=doc["interval_seconds"]))
            claimed.append(True)

        record = self.table.modify(number, change)
        return _with_number(record) if record is not None and claimed else None

    def update(self, number: int, fields: dict) -> None:
        self.table.update(number, fields)

    def modify(self, number: int, change) -> dict | None:
        record = self.table.modify(number, change)
        return _with_number(record) if record is not None else None

    def finish(self, number: int, status: str, *, by: str | None = None, now: datetime | None = None) -> dict | None:
        """Stop or end an active watch; None when it was not active."""
        done: list[bool] = []

        def change(doc: dict) -> None:
            if doc.get("status") != ACTIVE:
                return
            doc["status"] = status
            doc["stopped_by"] = by
            doc["stopped_at"] = iso(now or utcnow())
            done.append(True)

        record = self.table.modify(number, change)
        return _with_number(record) if record is not None and done else None


def _with_number(record) -> dict:
    data = dict(record)
    data["number"] = record.id
    return data
