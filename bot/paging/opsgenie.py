"""Opsgenie Alert API: create an alert with an `alias` (one per incident), change its priority and
close it by alias.

POST {OPSGENIE_API_URL}/v2/alerts, PUT /v2/alerts/{alias}/priority?identifierType=alias
(`{"priority": "P1"}`: "Update Alert Priority") and POST /v2/alerts/{alias}/close?identifierType=alias,
with `Authorization: GenieKey {OPSGENIE_API_KEY}`; Opsgenie answers 202. An open alert with the same
alias is not created twice (Opsgenie deduplicates by alias, and a duplicate create only counts up,
it does not change the priority: hence the update call). Priorities P1 (critical) to P5.
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from bot.paging.base import DEFAULT_RETRY, Alert, Retry, post_json

DEFAULT_URL = "https://api.opsgenie.com"
PRIORITY = {"critical": "P1", "high": "P2", "medium": "P3", "low": "P4", "none": "P5"}
MESSAGE_MAX = 130


class Opsgenie:
    name = "Opsgenie"

    def __init__(self, api_key: str, url: str = DEFAULT_URL, *, retry: Retry = DEFAULT_RETRY,
                 transport: httpx.BaseTransport | None = None):
        self.api_key = api_key
        self.url = url.rstrip("/")
        self.retry = retry
        self.transport = transport

    def _send(self, path: str, body: dict, method: str = "POST") -> None:
        post_json(self.name, self.url + path, body, headers={"Authorization": f"GenieKey {self.api_key}"},
                  retry=self.retry, transport=self.transport, method=method)

    def trigger(self, alert: Alert) -> None:
        description = alert.summary + (f"\n{alert.link}" if alert.link else "")
        self._send("/v2/alerts", {
            "message": alert.summary[:MESSAGE_MAX], "alias": alert.key, "description": description[:15000],
            "priority": PRIORITY.get(alert.severity, "P2"), "source": "leakwatch",
            "tags": ["leakwatch", "personal-data"],
            "details": {k: str(v) for k, v in alert.details.items()}})

    def update(self, alert: Alert) -> None:
        """The open alert's priority follows the incident's new severity."""
        self._send(f"/v2/alerts/{quote(alert.key, safe='')}/priority?identifierType=alias",
                   {"priority": PRIORITY.get(alert.severity, "P2")}, method="PUT")

    def resolve(self, key: str) -> None:
        self._send(f"/v2/alerts/{quote(key, safe='')}/close?identifierType=alias",
                   {"source": "leakwatch", "note": "Takedown verified by Leakwatch."})
