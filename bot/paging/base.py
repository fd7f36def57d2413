"""One JSON request (POST, or PUT for an update) to a paging service, retried with backoff; typed
errors in one plain sentence.

Retried: connection errors and timeouts, HTTP 429 (after `Retry-After` when given, capped) and
5xx. Not retried: other 4xx (a wrong key or a malformed event will not get better), raised as
PagingRefused. Out of tries: PagingFailed. The response body is never echoed into the error
sentence (it is another service's text), only the HTTP status.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from bot.errors import LeakwatchError

log = logging.getLogger(__name__)

#: PagerDuty: critical, error, warning, info; Opsgenie: P1..P5
SEVERITIES = ("critical", "high", "medium", "low", "none")


class PagingFailed(LeakwatchError):
    code = "paging_failed"


class PagingRefused(PagingFailed):
    code = "paging_refused"


def incident_key(number: int) -> str:
    """PagerDuty's dedup_key and Opsgenie's alias: one alert per incident."""
    return f"leakwatch-incident-{number}"


@dataclass(frozen=True)
class Alert:
    """What is paged: `key` is the same for every event of one incident."""

    key: str
    summary: str
    severity: str = "high"
    details: dict = field(default_factory=dict)
    #: e.g. a link to the incident channel
    link: str | None = None


@dataclass(frozen=True)
class Retry:
    attempts: int = 4
    first_wait: float = 0.5
    max_wait: float = 8.0
    timeout: float = 10.0
    sleep: Callable[[float], None] = time.sleep

    def wait(self, attempt: int, retry_after: str | None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), self.max_wait)
            except ValueError:
                pass
        return min(self.first_wait * (2 ** attempt), self.max_wait)


DEFAULT_RETRY = Retry()


def post_json(service: str, url: str, body: dict, *, headers: dict[str, str] | None = None,
              retry: Retry = DEFAULT_RETRY, transport: httpx.BaseTransport | None = None,
              method: str = "POST") -> httpx.Response:
    """Send `body` as JSON (POST unless `method` says otherwise); the 2xx response, or
    PagingRefused / PagingFailed."""
    last = "no answer"
    with httpx.Client(timeout=retry.timeout, transport=transport, follow_redirects=False) as client:
        for attempt in range(retry.attempts):
            retry_after = None
            try:
                response = client.request(method, url, json=body, headers=headers or {})
            except httpx.HTTPError as err:
                last = f"no answer ({type(err).__name__})"
            else:
                if 200 <= response.status_code < 300:
                    return response
                last = f"HTTP {response.status_code}"
                if response.status_code != 429 and response.status_code < 500:
                    raise PagingRefused(f"{service} refused the page ({last}); check its key and address.")
                retry_after = response.headers.get("retry-after")
            log.info("%s: try %d of %d failed: %s", service, attempt + 1, retry.attempts, last)
            if attempt + 1 < retry.attempts:
                retry.sleep(retry.wait(attempt, retry_after))
    raise PagingFailed(f"{service} could not be reached after {retry.attempts} tries ({last}).")
