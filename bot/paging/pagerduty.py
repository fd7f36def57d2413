"""PagerDuty Events API v2: `trigger`, `update` and `resolve` one alert by its `dedup_key`.

POST {PAGERDUTY_EVENTS_URL} (default https://events.pagerduty.com/v2/enqueue) with
`{"routing_key", "event_action": "trigger"|"resolve", "dedup_key", "payload": {...}}`; PagerDuty
answers 202. The payload's severity is one of critical, error, warning, info. An update (a new
severity) is another trigger with the same `dedup_key`: PagerDuty updates the open alert in place.
"""

from __future__ import annotations

import httpx

from bot.paging.base import DEFAULT_RETRY, Alert, Retry, post_json

DEFAULT_URL = "https://events.pagerduty.com/v2/enqueue"
#: the bot's severities in PagerDuty's words
SEVERITY = {"critical": "critical", "high": "error", "medium": "warning", "low": "info", "none": "info"}
SUMMARY_MAX = 1024


class PagerDuty:
    name = "PagerDuty"

    def __init__(self, routing_key: str, url: str = DEFAULT_URL, *, retry: Retry = DEFAULT_RETRY,
                 transport: httpx.BaseTransport | None = None):
        self.routing_key = routing_key
        self.url = url
        self.retry = retry
        self.transport = transport

    def _send(self, body: dict) -> None:
        post_json(self.name, self.url, {"routing_key": self.routing_key, **body}, retry=self.retry,
                  transport=self.transport)

    def trigger(self, alert: Alert) -> None:
        body = {"event_action": "trigger", "dedup_key": alert.key,
                "payload": {"summary": alert.summary[:SUMMARY_MAX], "source": "leakwatch",
                            "severity": SEVERITY.get(alert.severity, "error"),
                            "component": "personal-data exposure", "custom_details": alert.details}}
        if alert.link:
            body["links"] = [{"href": alert.link, "text": "Incident channel"}]
        self._send(body)

    def update(self, alert: Alert) -> None:
        """The open alert's new severity and summary: a trigger with the same dedup_key."""
        self.trigger(alert)

    def resolve(self, key: str) -> None:
        self._send({"event_action": "resolve", "dedup_key": key})
