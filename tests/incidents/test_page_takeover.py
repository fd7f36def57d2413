"""A page mark or an announcement a dead replica left is taken over by a running one's sweep after
the lease (bot/incidents/takeover.py), once across replicas, without waiting for a restart.

On PostgreSQL, replica A does the work and dies in the middle of it (its paging call raises: the
work is lost with the process); replicas B and C, started before and never restarted, sweep: not
within the lease (A could still be at it), and once it ran out both sweep at the same moment and
exactly one of them sends it. On TinyDB one process holds the store: its own sweep takes over the
work its paging thread lost. The clock is the test's: the lease passes without a real wait.
"""

from __future__ import annotations

import contextlib

from bot.errors import LeakwatchError
from bot.incidents.takeover import LEASE
from bot.paging import incident_key
from tests.helpers.slack_standin import post_texts
from tests.helpers.threads import run_at_once
from tests.incidents.crash_world import (
    Crash,
    check_down,
    die,
    kept,
    ok,
    opened,
    opened_and_paged,
    stakeholder_posts,
    sweep,
)

WITHIN_LEASE = LEASE / 2
#: the incident's page, as each service saw it: the calls answered 202 for this key
SERVICES = ("pagerduty", "opsgenie")


def dies_at(svc, action: str) -> None:
    """The process dies during this paging call (nothing it would write after is written)."""
    def dying(*_args, **_kwargs):
        raise Crash

    setattr(svc.outside.pager, action, dying)


def replicas(make_service, dead):
    """Two running replicas (PostgreSQL), or the one process itself (TinyDB): started after A
    wrote its mark, before A is known dead."""
    if dead.store.kind != "postgresql":
        return [dead, dead]
    return [make_service(), make_service()]


def after_the_lease(svc_list, clock) -> None:
    """Within the lease nothing is taken over; past it, the replicas sweep at the same moment."""
    clock.advance(seconds=WITHIN_LEASE.total_seconds())
    run_at_once(lambda n: svc_list[n].sweeper.run_once(), len(svc_list))
    for svc in svc_list:
        assert svc.sweeper.wait_idle() and svc.outside.wait_idle()


def test_a_resolve_left_by_a_dead_replica_is_sent_once_after_the_lease(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    dead, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    key = incident_key(number)
    live = replicas(make_service, dead)
    real = dead.outside.pager.resolve
    dies_at(dead, "resolve")
    check_down(dead, clock, observations)
    assert dead.records.get(number).page_pending == "resolve"
    if live[0] is dead:
        dead.outside.pager.resolve = real  # the process lives on; its paging work was lost
    else:
        die(dead)

    after_the_lease(live, clock)  # WITHIN_LEASE after the takedown: A may still be resolving
    assert not any(ok(paging, service, "resolve", key) for service in SERVICES)
    after_the_lease(live, clock)  # past the lease
    assert [len(ok(paging, service, "resolve", key)) for service in SERVICES] == [1, 1]
    assert len(post_texts(own_standin, room, "Page resolved (taken down)")) == 1
    incident = live[0].records.get(number)
    assert incident.page_pending is None and incident.paged == []

    for _ in range(3):
        after_the_lease(live, clock)
    assert [len(ok(paging, service, "resolve", key)) for service in SERVICES] == [1, 1]


def test_a_page_left_unsent_by_a_dead_replica_is_sent_once_after_the_lease(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    dead, number, room = opened(make_service, clock, observations)
    key = incident_key(number)
    live = replicas(make_service, dead)
    real = dead.outside.pager.trigger
    dies_at(dead, "trigger")
    sweep(dead, clock, minutes=10, seconds=1)  # the escalation is posted; paging dies
    assert dead.records.get(number).page_pending == "trigger" and not paging.calls
    if live[0] is dead:
        dead.outside.pager.trigger = real
    else:
        die(dead)

    after_the_lease(live, clock)
    assert not paging.calls
    after_the_lease(live, clock)
    assert [len(ok(paging, service, "trigger", key)) for service in SERVICES] == [1, 1]
    assert len(post_texts(own_standin, room, "On-call paged through")) == 1
    incident = live[0].records.get(number)
    assert incident.page_pending is None and incident.paged == ["Opsgenie", "PagerDuty"]
    for _ in range(3):
        after_the_lease(live, clock)
    assert [len(ok(paging, service, "trigger", key)) for service in SERVICES] == [1, 1]


def test_a_close_left_half_told_is_finished_by_a_running_replica(stores_world, own_standin, paging):
    """A closed incident is never checked again: before, only a restart told the room and the
    stakeholders what a refused post (or a dead replica) left."""
    make_service, clock, observations = stores_world
    first, number, room = opened(make_service, clock, observations)
    live = replicas(make_service, first)
    own_standin.fail_next("chat.postMessage", "restricted_action",
                          where=lambda p: p.get("channel") == room and ":lock:" in p.get("text", ""))
    with contextlib.suppress(LeakwatchError):
        first.close(first.records.get(number), user="U0LEAD")
    assert first.records.get(number).announcing.steps == ["post", "stakeholders"]

    after_the_lease(live, clock)
    assert not kept(own_standin, room, "closed incident") and not stakeholder_posts(own_standin, "closed")
    after_the_lease(live, clock)
    assert len(kept(own_standin, room, "closed incident")) == 1 and len(stakeholder_posts(own_standin, "closed")) == 1
    assert live[0].records.get(number).announcing is None
    for _ in range(3):
        after_the_lease(live, clock)
    assert len(kept(own_standin, room, "closed incident")) == 1 and len(stakeholder_posts(own_standin, "closed")) == 1
