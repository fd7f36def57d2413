"""What every listener needs, built once at start-up and put in Bolt's `context["services"]`.

Additive-friendly: other parts set their own field after construction (`services.store = ...`,
`services.incidents = ...`, `services.watches = ...`); a field left as None means "not enabled".

Contracts the Slack commands rely on:
- `incidents.handle_scan(report, reporter=user_id, origin_channel=channel_id)` is called for every
  report with `report.incident` true. It may return None or an object/dict with `channel_id` and
  `number` (shown in the result as "Incident #N opened in #channel").
- `incidents.is_incident_channel(channel_id) -> bool` (optional): commands in incident channels
  are allowed even when ALLOWED_CHANNELS does not list them (those channels are made on the fly).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from bot.config import Settings
from bot.slack.client import SlackGateway, make_web_client
from bot.store import fingerprint_key_beside, open_store, shared_fingerprint_key
from bot.workers import WorkerPool


@dataclass
class Services:
    settings: Settings
    slack: SlackGateway
    workers: WorkerPool
    store: Any = None
    incidents: Any = None
    watches: Any = None
    #: free room for later parts without touching this file
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings) -> Services:
        # replicas share one PostgreSQL store, opened first: it also keeps their common key
        store = open_store(settings) if settings.database_url else None
        if not settings.scan.fingerprint_key:
            # before any listener or watch can scan: fingerprints must match across restarts (and
            # across replicas: one key in the shared database)
            key = shared_fingerprint_key(store) if store is not None else fingerprint_key_beside(settings.database_path)
            settings = replace(settings, scan=replace(settings.scan, fingerprint_key=key))
        slack = SlackGateway(make_web_client(settings), settings)
        return cls(settings=settings, slack=slack, workers=WorkerPool(settings.scan_workers), store=store)

    def shutdown(self) -> None:
        self.workers.shutdown(wait=False)
