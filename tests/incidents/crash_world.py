"""The incident service as a crashing bot meets it: the Slack and paging stand-ins, a real store
(TinyDB, or PostgreSQL where each service has a pool of its own, as a replica does), a clock the
test moves and takedown observations the test sets. Shared by the incident tests that page or
crash (test_crash_between_writes, test_page_takeover, test_reopen_writes, test_paging_followup,
test_sweep_recovery; fixtures in conftest.py: `stores_world`, `own_standin`, `paging`).

- `crash_when(svc, test)`: a change of an incident for which `test(before, after)` holds raises
  Crash instead of being saved (the process died at that write);
- `die(svc)`: what was submitted has run; nothing more runs in that service;
- `restarted(make_service)`: a new service on the same store, its interrupted work resumed.
"""

from __future__ import annotations

import contextlib
import copy

from bot.incidents import page_retry
from bot.incidents.service import IncidentService
from bot.incidents.takedown import Observation
from bot.paging import Pager, Retry
from bot.slack.client import SlackGateway, make_web_client
from bot.store import Store
from tests.incidents.service_world import URL, Clock, leak_report, settings_for

STAKEHOLDERS = "C0STAKE"
#: the paging clients' own retries inside one try: two calls, no real sleep
QUICK = Retry(attempts=2, first_wait=0.0, max_wait=0.0, timeout=5.0, sleep=lambda _: None)


class Crash(Exception):
    """The process dies at this write."""


@contextlib.contextmanager
def services_on(url: str | None, standin, paging, tmp_path, *, stakeholders: bool = True):
    """(make_service, clock, observations) on PostgreSQL at `url`, or TinyDB when None; with
    `stakeholders`, STAKEHOLDER_CHANNEL is STAKEHOLDERS."""
    extra = {"STAKEHOLDER_CHANNEL": STAKEHOLDERS} if stakeholders else {}
    settings = settings_for(standin, tmp_path, **extra, **paging.env())
    clock, observations, made = Clock(), {}, []

    def make_service() -> IncidentService:
        if url is not None:
            from bot.stores.postgres import PostgresStore

            store = PostgresStore(url)
        else:
            store = Store(settings.database_path)
        slack = SlackGateway(make_web_client(settings), settings)
        svc = IncidentService(settings, slack, store, clock=clock, recheck=lambda u, _s, **_: observations[u])
        svc.outside.pager = Pager.from_settings(settings, retry=QUICK)
        made.append(svc)
        return svc

    try:
        yield make_service, clock, observations
    finally:
        for svc in made:
            svc.outside.stop()
            svc.store.close()


def crash_when(svc, test) -> None:
    real = svc.records.modify

    def modify(number, change):
        def checked(doc) -> None:
            before = copy.deepcopy(doc)
            change(doc)
            if test(before, doc):
                raise Crash

        return real(number, checked)

    svc.records.modify = modify


def die(svc) -> None:
    assert svc.outside.wait_idle()
    svc.sweeper.stop()
    svc.outside.stop()


def restarted(make_service) -> IncidentService:
    svc = make_service()
    svc.resume()
    assert svc.outside.wait_idle()
    return svc


def sweep(svc, clock=None, **delta) -> None:
    if clock is not None:
        clock.advance(**delta)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle() and svc.outside.wait_idle()


def opened(make_service, clock, observations):
    observations[URL] = Observation(status=200, report=leak_report())
    svc = make_service()
    answer = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    return svc, answer["number"], answer["channel_id"]


def opened_and_paged(make_service, clock, standin, observations):
    svc, number, room = opened(make_service, clock, observations)
    sweep(svc, clock, minutes=10, seconds=1)  # the escalation pages
    assert svc.records.get(number).paged == ["Opsgenie", "PagerDuty"]
    return svc, number, room


def check_down(svc, clock, observations) -> None:
    observations[URL] = Observation(status=404)
    sweep(svc, clock, seconds=31)


def ok(paging, service: str, action: str, key: str) -> list:
    return [c for c in paging.calls_to(service, action) if c.key == key and c.status == 202]


def resolve_jobs(svc, number: int, kind: str = page_retry.KIND) -> list:
    """The incident's page retry jobs (resolves; `kind=page_retry.UPDATE_KIND`: updates)."""
    return [j for j in svc.records.incident_jobs(number) if j.kind == kind]


def kept(standin, channel: str, words: str) -> list[str]:
    """The messages the channel holds (a post Slack refused is not one) whose text has `words`."""
    with standin._lock:
        return [m.get("text", "") for (c, _), m in standin.messages.items() if c == channel and words in m.get("text", "")]


def stakeholder_posts(standin, headline: str) -> list[str]:
    return [t for t in kept(standin, STAKEHOLDERS, "Incident #") if headline in t]
