"""What the Socket Mode runner remembers between connections: whether it is up, and which
envelopes it has already handled.

Contracts:

- `ConnectionStatus.up(session)` / `.down(reason)` / `.check()`: a drop is logged once (WARNING,
  with the reason and the UTC time it went down), the return once (INFO, with how long it was
  down), and an outage longer than `error_after` seconds (60) once as an ERROR, however often
  `check()` or `down()` is called meanwhile. `.snapshot()` is the dict `/healthz` shows:
  `connected`, `since` (UTC ISO time of the current state), `down_seconds`, `last_drop`,
  `reconnects`, `long_outage` (down longer than `error_after`).
- `EnvelopeDedupe.claim(keys) -> (future, first)`: the first claim of any of `keys` (envelope_id,
  event_id, a slash command's trigger_id) gets `first=True` and handles the envelope, setting
  `future` to its acknowledgement payload; a later claim of any of the same keys gets that same
  future to acknowledge with. At most `capacity` keys are kept (oldest forgotten first).
- `durable_key(message)`: the one key the store keeps (bot/dedupe.py) for a delivery, so an
  envelope handled just before a restart, whose acknowledgement was lost, is not handled again.

No payload text is logged here: reasons are the runner's own short words.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import Future
from datetime import UTC, datetime

log = logging.getLogger("bot.socket_mode")

#: a connection down for longer than this is logged as an error (once per outage)
DOWN_ERROR_AFTER = 60.0


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ConnectionStatus:
    def __init__(self, error_after: float = DOWN_ERROR_AFTER, clock=time.monotonic, wall=time.time):
        self.error_after = error_after
        self._clock, self._wall = clock, wall
        self._lock = threading.Lock()
        self.connected = False
        self.session: str | None = None
        #: monotonic and wall time of the current state (up or down); down "since start-up" at first
        self._since = clock()
        self._since_wall = wall()
        self.last_drop: str | None = None
        self.reconnects = 0
        self._ever_up = False
        self._error_logged = False

    def up(self, session: str) -> None:
        with self._lock:
            was_down_for = self._clock() - self._since
            reconnect = self._ever_up
            self.connected, self.session = True, session
            self._since, self._since_wall = self._clock(), self._wall()
            self._ever_up = True
            self._error_logged = False
            if reconnect:
                self.reconnects += 1
        if reconnect:
            log.info("Socket Mode connected again after %.1f s down (connection %s)", was_down_for, session)
        else:
            log.info("Socket Mode connected (connection %s)", session)

    def refreshed(self, session: str) -> None:
        """A new connection replaced a live one (Slack asked for it): never down."""
        with self._lock:
            self.session = session
        log.info("Socket Mode connection replaced without a gap (connection %s)", session)

    def down(self, reason: str) -> None:
        with self._lock:
            if not self.connected:
                self.last_drop = self.last_drop or reason
                first = False
            else:
                self.connected = False
                self.last_drop = reason
                self._since, self._since_wall = self._clock(), self._wall()
                first = True
            since = _iso(self._since_wall)
        if first:
            log.warning("Socket Mode connection down since %s (%s); reconnecting", since, reason)
        self.check()

    def check(self) -> None:
        """Log an outage longer than `error_after` as an error, once per outage."""
        with self._lock:
            down_for = self._clock() - self._since
            if self.connected or self._error_logged or down_for <= self.error_after:
                return
            self._error_logged = True
            since, reason = _iso(self._since_wall), self.last_drop or "never connected"
        log.error("Socket Mode connection has been down for %.0f s, since %s (%s): slash commands and "
                  "buttons go unanswered until it is back", down_for, since, reason)

    def seconds_until_error(self) -> float | None:
        with self._lock:
            if self.connected or self._error_logged:
                return None
            return max(0.0, self.error_after - (self._clock() - self._since)) + 0.05

    def snapshot(self) -> dict:
        with self._lock:
            down_for = 0.0 if self.connected else self._clock() - self._since
            return {
                "connected": self.connected,
                "since": _iso(self._since_wall),
                "down_seconds": round(down_for, 1),
                "long_outage": down_for > self.error_after,
                "last_drop": self.last_drop,
                "reconnects": self.reconnects,
            }


class EnvelopeDedupe:
    def __init__(self, capacity: int = 4096):
        self.capacity = capacity
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, Future] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def claim(self, keys: Iterable[str]) -> tuple[Future, bool]:
        keys = [key for key in keys if key]
        with self._lock:
            for key in keys:
                future = self._seen.get(key)
                if future is not None:
                    for other in keys:  # remember every name the envelope came under
                        self._remember(other, future)
                    return future, False
            future: Future = Future()
            for key in keys:
                self._remember(key, future)
            return future, True

    def _remember(self, key: str, future: Future) -> None:
        self._seen[key] = future
        self._seen.move_to_end(key)
        while len(self._seen) > self.capacity:
            self._seen.popitem(last=False)


def envelope_keys(message: dict) -> list[str]:
    """The names one delivery goes by: its envelope, its event (Events API retries), its trigger."""
    payload = message.get("payload") if isinstance(message.get("payload"), dict) else {}
    keys = [f"envelope:{message.get('envelope_id')}"]
    if payload.get("event_id"):
        keys.append(f"event:{payload['event_id']}")
    if message.get("type") == "slash_commands" and payload.get("trigger_id"):
        keys.append(f"trigger:{payload['trigger_id']}")
    return keys


def durable_key(message: dict) -> str:
    """The one name a delivery is remembered by in the store across restarts: its event id (the
    same key as an Events API retry over HTTP), else its envelope id (Slack re-sends an envelope
    under the same id until it is acknowledged)."""
    payload = message.get("payload") if isinstance(message.get("payload"), dict) else {}
    event_id = payload.get("event_id")
    if isinstance(event_id, str) and 0 < len(event_id) <= 64:
        return f"event:{event_id}"
    return f"envelope:{str(message.get('envelope_id'))[:64]}"
