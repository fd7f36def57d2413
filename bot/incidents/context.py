"""What the incident modules (lifecycle, sweep, repost, the checklist room) are handed.

Not the whole service: the settings, the Slack gateway, the typed records, the clock and the
per-incident locks. IncidentService (bot/incidents/service.py) builds one and passes it on.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from bot.config import Settings
from bot.incidents.records import IncidentRecords


@dataclass
class IncidentContext:
    settings: Settings
    slack: object  # bot.slack.client.SlackGateway (or a stand-in speaking to the Slack stand-in)
    records: IncidentRecords
    clock: Callable[[], datetime]
    #: pages and stakeholder posts (bot/incidents/outside.py Outside), when the service has them
    outside: object | None = None
    _locks: dict[str, threading.RLock] = field(default_factory=dict, repr=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _lock(self, name: str) -> threading.RLock:
        with self._guard:
            return self._locks.setdefault(name, threading.RLock())

    @contextlib.contextmanager
    def shared_lock(self, name: str) -> Iterator[None]:
        """This process's lock, then the store's lock of the same name (across PostgreSQL replicas;
        nothing more for TinyDB, which one process holds)."""
        with self._lock(name), self.records.store.named_lock(name):
            yield

    def incident_lock(self, number: int):
        """Held across one incident's multi-step changes (opening its room, a takedown)."""
        return self.shared_lock(f"incident:{number}")

    def sheet_lock(self, number: int) -> threading.RLock:
        """Held while a checklist message is rendered and sent, so the newest state is shown last."""
        return self._lock(f"sheet:{number}")

    def pollable(self, target: str) -> bool:
        """An http(s) URL the bot can re-check; not a file stored on Slack (that needs the token)."""
        parts = urlsplit(target.strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return False
        host = parts.hostname.lower()
        if host == "slack.com" or host.endswith((".slack.com", ".slack-edge.com")):
            return False
        # the Slack API's own address (a proxy, or the local stand-in in tests): host AND port
        return parts.netloc.lower() != urlsplit(self.settings.slack_api_url).netloc.lower()
