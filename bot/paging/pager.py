"""Both paging services behind one call; each failure comes back as one sentence by service name,
none raised. `only` limits a call to the services named (those an open page went through).
`answered(name)`, when given, is called as soon as each service has accepted, before the next one
is asked, so the caller can record it (a process killed between the services does not send the
first one again)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.paging.base import DEFAULT_RETRY, Alert, PagingFailed, Retry
from bot.paging.opsgenie import Opsgenie
from bot.paging.pagerduty import PagerDuty

log = logging.getLogger(__name__)


class Pager:
    def __init__(self, services: list):
        self.services = services

    @classmethod
    def from_settings(cls, settings, *, retry: Retry = DEFAULT_RETRY) -> Pager:
        services: list = []
        if settings.pagerduty_routing_key:
            services.append(PagerDuty(settings.pagerduty_routing_key, settings.pagerduty_events_url, retry=retry))
        if settings.opsgenie_api_key:
            services.append(Opsgenie(settings.opsgenie_api_key, settings.opsgenie_api_url, retry=retry))
        return cls(services)

    @property
    def enabled(self) -> bool:
        return bool(self.services)

    @property
    def names(self) -> str:
        return " and ".join(s.name for s in self.services)

    def _each(self, action: str, arg, only, answered: Callable[[str], None] | None = None) -> dict[str, str]:
        failures: dict[str, str] = {}
        for service in self.services:
            if only is not None and service.name not in only:
                continue
            try:
                getattr(service, action)(arg)
            except PagingFailed as err:
                log.warning("%s %s failed: %s", service.name, action, err.code)
                failures[service.name] = str(err)
            except Exception as err:  # noqa: BLE001 - one service's bug must not hide the other's page
                log.error("%s %s failed: %s", service.name, action, type(err).__name__)
                failures[service.name] = f"{service.name} could not be paged ({type(err).__name__})."
            else:
                if answered is not None:
                    answered(service.name)
        return failures

    def trigger(self, alert: Alert, *, only=None, answered: Callable[[str], None] | None = None) -> dict[str, str]:
        """{service name: why it failed} for each service that could not be paged ({} = all paged)."""
        return self._each("trigger", alert, only, answered)

    def update(self, alert: Alert, *, only=None) -> dict[str, str]:
        """An open alert's new severity (PagerDuty: a trigger with the same key; Opsgenie: its priority)."""
        return self._each("update", alert, only)

    def resolve(self, key: str, *, only=None, answered: Callable[[str], None] | None = None) -> dict[str, str]:
        return self._each("resolve", key, only, answered)
