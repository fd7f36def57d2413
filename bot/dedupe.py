"""What the bot has already handled, kept in the store so a restart does not handle it twice.

- Slack Events API deliveries: Slack retries an event it thinks was not acknowledged (with
  `X-Slack-Retry-Num`), also across our restart; the first delivery of an `event_id` is recorded
  and a retry of it is acknowledged without being handled again (bot/server.py).
- Files: `message` and `file_shared` both announce one upload; a file id is scanned once
  (commands/files.py), also when the second announcement arrives after a restart.

Keys (`event:Ev0123`, `file:F0123`) are ids Slack gave, never content. Entries older than
KEEP are pruned, so the table stays small (it lives in the TinyDB live file, or in PostgreSQL
where every replica sees the same ones: a retry delivered to another replica is still one).
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

log = logging.getLogger(__name__)

TABLE = "seen"
#: longer than Slack's retry window: it retries at once, after 1 minute and after 5 minutes; kept
#: short so the live file stays small however busy the workspace is
KEEP = timedelta(minutes=15)
PRUNE_EVERY = 200


def _now() -> datetime:
    return datetime.now(UTC)


class Seen:
    """`first_time(key)`: True once per key (across restarts and replicas), False after."""

    def __init__(self, store, *, keep: timedelta = KEEP, clock=_now):
        self.store = store
        self.table = store.table(TABLE)
        self.keep = keep
        self.clock = clock
        self._count = 0
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        now = self.clock()
        with self.store.transaction(f"seen:{key}"):
            if self.table.first(where={"key": key}) is not None:
                return False
            self.table.insert({"key": key, "at": now.isoformat(timespec="seconds")})
        with self._lock:
            self._count += 1
            prune = self._count % PRUNE_EVERY == 1
        if prune:
            self.prune(now)
        return True

    def prune(self, now: datetime | None = None) -> int:
        cutoff = ((now or self.clock()) - self.keep).isoformat(timespec="seconds")
        old = self.table.search(lambda d: d.get("at", "") < cutoff)
        for record in old:
            self.table.remove(record.id)
        return len(old)


_guard = threading.Lock()


def seen_for(services) -> Seen | None:
    """The process's Seen over its shared store (None when the store cannot be opened: the
    callers then fall back to their in-memory memory of the last minutes)."""
    from bot.store import shared_store

    with _guard:
        seen = services.extras.get("seen")
        if seen is None:
            try:
                seen = Seen(shared_store(services))
            except Exception as err:  # noqa: BLE001 - dedupe must not stop an event from being handled
                log.warning("dedupe store unavailable: %s", type(err).__name__)
                return None
            services.extras["seen"] = seen
        return seen
