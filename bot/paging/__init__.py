"""Paging on-call outside Slack: PagerDuty Events API v2 and Opsgenie's Alert API.

    pager = Pager.from_settings(settings)     # no key set: pager.enabled is False, calls do nothing
    failures = pager.trigger(Alert(key="leakwatch-incident-7", summary=..., severity="critical",
                                   details={...}))
    failures = pager.update(Alert(..., severity="critical"), only=["PagerDuty"])   # the open alert's new severity
    failures = pager.resolve("leakwatch-incident-7")

One alert per incident (PagerDuty `dedup_key`, Opsgenie `alias` = `Alert.key` = `incident_key(n)`), so a second
trigger for the same incident updates the page instead of paging twice, `update` carries a new
severity to the open alert (PagerDuty: a trigger with the same key; Opsgenie: its priority), and
the takedown resolves it. Each service is tried on its own; `trigger`/`resolve` return one plain sentence per service
that failed, by service name (after retries with backoff on 429, 5xx and connection errors), for the incident
channel: a failed page is said, never silent. An alert carries counts, types, severity and the
Slack channel: never the leak's URL, a sample or a found value.

base.py (HTTP with retries, typed errors), pagerduty.py, opsgenie.py, pager.py (both behind one call).
"""

from bot.paging.base import Alert, PagingFailed, PagingRefused, Retry, incident_key
from bot.paging.pager import Pager

__all__ = ["Alert", "Pager", "PagingFailed", "PagingRefused", "Retry", "incident_key"]
