"""A process killed between the two paging services (PagerDuty answered, Opsgenie not yet asked)
never sends PagerDuty's trigger or resolve again at the restart: each service is recorded in the
incident's `paged` (or dropped from it) as soon as it answers (outside._page / _unpage with
page_retry.each_answer). The kill is a BaseException raised as Opsgenie is called, which nothing
in the product catches, as nothing catches SIGKILL; on TinyDB and on PostgreSQL
(tests/incidents/crash_world.py)."""

from __future__ import annotations

from bot.paging import incident_key
from tests.helpers.slack_standin import post_texts
from tests.incidents.crash_world import (
    check_down,
    die,
    ok,
    opened,
    opened_and_paged,
    restarted,
    sweep,
)


class Killed(BaseException):
    """The process dies here (not an Exception: no handler of the product stops it)."""


def _killed_at(svc, service_name: str, action: str) -> None:
    """The process dies as `service_name` is asked to `action`."""
    service = next(s for s in svc.outside.pager.services if s.name == service_name)

    def killed(*_args, **_kwargs):
        raise Killed

    setattr(service, action, killed)


def test_a_kill_between_the_two_triggers_does_not_trigger_pagerduty_again(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened(make_service, clock, observations)
    assert [s.name for s in svc.outside.pager.services] == ["PagerDuty", "Opsgenie"]
    key = incident_key(number)
    _killed_at(svc, "Opsgenie", "trigger")
    sweep(svc, clock, minutes=10, seconds=1)  # the escalation pages: PagerDuty answers, then the kill
    assert len(ok(paging, "pagerduty", "trigger", key)) == 1 and not ok(paging, "opsgenie", "trigger", key)
    die(svc)

    svc = restarted(make_service)
    incident = svc.records.get(number)
    assert incident.paged == ["Opsgenie", "PagerDuty"] and incident.page_pending is None
    triggers = len(ok(paging, "pagerduty", "trigger", key))
    assert triggers == 1, "PagerDuty was triggered again after the restart"
    assert len(ok(paging, "opsgenie", "trigger", key)) == 1


def test_a_kill_between_the_two_resolves_does_not_resolve_pagerduty_again(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    key = incident_key(number)
    _killed_at(svc, "Opsgenie", "resolve")
    check_down(svc, clock, observations)  # the takedown resolves: PagerDuty answers, then the kill
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and not ok(paging, "opsgenie", "resolve", key)
    die(svc)

    svc = restarted(make_service)
    sweep(svc, clock, seconds=31)  # a retry, had one been scheduled, is due
    incident = svc.records.get(number)
    assert incident.paged == [] and incident.page_pending is None
    resolves = len(ok(paging, "pagerduty", "resolve", key))
    assert resolves == 1, "PagerDuty was resolved again after the restart"
    assert len(ok(paging, "opsgenie", "resolve", key)) == 1
    assert sum("Page resolved (taken down)" in t for t in post_texts(own_standin, room)) == 1
