"""A crash between two writes never leaves a page half-done: the incident service runs in this
process against the Slack and paging stand-ins, on TinyDB and on PostgreSQL; a chosen write of the
incident fails (`crash_when`: the change raises, so that write and, on PostgreSQL, the whole
transaction it belongs to are not saved), the service is dropped without finishing anything, and
a new one on the same store resumes. What the room, the paging services and the store hold after
the restart is checked: each thing said once, each page resolved once.

Writes the product makes in one transaction (IncidentRecords.together) are saved together or not
at all on both stores; the crash is made at the write the product makes last.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import timedelta

import pytest

from bot.errors import LeakwatchError
from bot.incidents.clocks import from_iso
from bot.incidents.takedown import Observation
from bot.paging import incident_key
from tests.helpers.slack_standin import post_texts
from tests.incidents.crash_world import (
    STAKEHOLDERS,
    Crash,
    check_down,
    crash_when,
    die,
    kept,
    ok,
    opened,
    opened_and_paged,
    resolve_jobs,
    restarted,
    stakeholder_posts,
    sweep,
)
from tests.incidents.service_world import URL, leak_report

# -- P5: the first resolve try's retry job and its cleared mark --------------------------------------


def test_a_crash_as_the_first_resolve_try_is_settled_resolves_once(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    key = incident_key(number)
    paging.fail_next("pagerduty", status=503, times=2)  # the first try fails (two calls), later ones work
    crash_when(svc, lambda before, after: before.page_pending == "resolve" and after.page_pending is None)
    check_down(svc, clock, observations)
    die(svc)

    svc = restarted(make_service)
    sweep(svc, clock, seconds=31)  # a retry, if one was scheduled, is due
    sweep(svc, clock, minutes=5)
    said = post_texts(own_standin, room)
    assert sum("Page resolved (taken down)" in t for t in said) == 1
    assert sum("could not be resolved yet" in t for t in said) <= 1
    # (had the crash lost "Opsgenie resolved" alone, a retry would resolve it again: harmless)
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and ok(paging, "opsgenie", "resolve", key)
    assert paging.alerts[("pagerduty", key)] == paging.alerts[("opsgenie", key)] == "resolved"
    assert [j.status for j in resolve_jobs(svc, number)] in ([], ["done"]), "a retry beside a second first try"
    incident = svc.records.get(number)
    assert incident.paged == [] and incident.page_pending is None


# -- P3: the page sent and its trigger mark -----------------------------------------------------------


def test_a_takedown_while_the_page_is_recorded_resolves_it(stores_world, own_standin, paging):
    """A reader between "trigger no longer pending" and "paged" saw neither and left the page open."""
    make_service, clock, observations = stores_world
    svc, number, room = opened(make_service, clock, observations)
    key = incident_key(number)
    marked, seen = [], []
    real = svc.records.modify

    def modify(n, change):
        result = real(n, change)
        if result is not None and result.page_pending == "trigger":
            marked.append(result)
        elif marked and result is not None and result.page_pending is None and not result.paged:
            seen.append(result)  # what a takedown reading now would see
        return result

    svc.records.modify = modify
    sweep(svc, clock, minutes=10, seconds=1)
    svc.records.modify = real
    assert svc.records.get(number).paged == ["Opsgenie", "PagerDuty"]
    assert marked and seen == [], "the incident was stored with the page neither pending nor recorded"
    check_down(svc, clock, observations)
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and len(ok(paging, "opsgenie", "resolve", key)) == 1


def test_a_crash_as_the_page_is_recorded_leaves_it_to_be_resolved(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened(make_service, clock, observations)
    key = incident_key(number)
    crash_when(svc, lambda before, after: after.paged and not before.paged)
    sweep(svc, clock, minutes=10, seconds=1)  # both pages sent, the process dies recording them
    die(svc)
    assert len(ok(paging, "pagerduty", "trigger", key)) == 1

    svc = restarted(make_service)
    check_down(svc, clock, observations)
    assert svc.records.get(number).status == "down"
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and len(ok(paging, "opsgenie", "resolve", key)) == 1
    assert svc.records.get(number).page_pending is None


# -- P1: a takedown or close saved with its page to resolve and what is left to tell --------------------


def room_posts(own_standin, room: str, words: str) -> list[str]:
    return kept(own_standin, room, words)


def told_once(svc, own_standin, paging, number: int, room: str, *, post: str, headline: str, why: str) -> None:
    key = incident_key(number)
    assert len(room_posts(own_standin, room, post)) == 1
    assert len(stakeholder_posts(own_standin, headline)) == 1
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and len(ok(paging, "opsgenie", "resolve", key)) == 1
    assert len(room_posts(own_standin, room, f"Page resolved ({why})")) == 1
    incident = svc.records.get(number)
    assert incident.announcing is None and incident.page_pending is None and incident.paged == []


def taken_down_untold(make_service, clock, standin, observations):
    """Paged, then taken down with its room post refused by Slack (the rest is left to tell)."""
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    standin.fail_next("chat.postMessage", "restricted_action",
                      where=lambda p: p.get("channel") == room and p.get("text", "").startswith("Takedown verified"))
    check_down(svc, clock, observations)
    return svc, number, room


def test_a_takedown_whose_post_failed_is_told_and_its_page_resolved_after_a_restart(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = taken_down_untold(make_service, clock, own_standin, observations)
    assert svc.records.get(number).status == "down"
    die(svc)

    svc = restarted(make_service)
    told_once(svc, own_standin, paging, number, room, post="Takedown verified", headline="taken down", why="taken down")
    restarted(make_service)  # a further start finds nothing left to do
    told_once(svc, own_standin, paging, number, room, post="Takedown verified", headline="taken down", why="taken down")


def crossing_off(step: str):
    """The write that crosses `step` off (its message was sent): the process dies there."""
    def test(before, after) -> bool:
        return (before.announcing is not None and step in before.announcing.steps
                and (after.announcing is None or step not in after.announcing.steps))

    return test


@pytest.mark.parametrize("step", ["post", "stakeholders"])
def test_a_crash_after_a_takedown_message_never_sends_it_twice(stores_world, own_standin, paging, step):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    crash_when(svc, crossing_off(step))
    check_down(svc, clock, observations)
    assert step in svc.records.get(number).announcing.steps  # died with it sent, not crossed off
    die(svc)

    svc = restarted(make_service)
    told_once(svc, own_standin, paging, number, room, post="Takedown verified", headline="taken down", why="taken down")


def test_a_close_whose_post_failed_is_told_and_its_page_resolved_after_a_restart(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    own_standin.fail_next("chat.postMessage", "restricted_action",
                          where=lambda p: p.get("channel") == room and ":lock:" in p.get("text", ""))
    with contextlib.suppress(LeakwatchError):  # (how the bot answered is not what is tested here)
        svc.close(svc.records.get(number), user="U0LEAD")
    assert svc.records.get(number).status == "closed"
    die(svc)

    svc = restarted(make_service)
    told_once(svc, own_standin, paging, number, room, post="closed incident", headline="closed", why="incident closed")
    assert [e.kind for e in svc.records.timeline(number)].count("close") == 1


# -- P7: a new severity and a new notification time, with what depends on them -------------------------


def test_a_new_severity_reaches_the_page_though_its_room_post_failed(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    key = incident_key(number)
    own_standin.fail_next("chat.postMessage", "restricted_action",
                          where=lambda p: p.get("channel") == room and "changed the severity" in p.get("text", ""))
    with contextlib.suppress(LeakwatchError):
        svc.severity(svc.records.get(number), "medium the rows look like test data", user="U0LEAD")
    assert svc.records.get(number).severity == "medium"
    die(svc)

    svc = restarted(make_service)
    assert [c.body for c in ok(paging, "opsgenie", "update", key)] == [{"priority": "P3"}]
    assert ok(paging, "pagerduty", "trigger", key)[-1].body["payload"]["severity"] == "warning"
    assert svc.records.get(number).page_pending is None
    assert [e.kind for e in svc.records.timeline(number)].count("severity") == 1


def test_another_reader_never_sees_the_new_notification_time_beside_the_old_jobs(stores_world, own_standin, paging):
    from bot.incidents import lifecycle
    from bot.incidents.records import IncidentRecords

    make_service, clock, observations = stores_world
    svc, number, _ = opened(make_service, clock, observations)
    other_store = svc.store
    if svc.store.kind == "postgresql":
        from bot.stores.postgres import PostgresStore

        other_store = PostgresStore(svc.store.url)  # another replica
    other = IncidentRecords(other_store)
    seen, read = [], threading.Event()

    def look() -> None:
        incident = other.get(number)
        reminder = other.job(number, "takedown:reminder:50")
        seen.append((from_iso(incident.notified_at), from_iso(reminder.due_at)))
        read.set()

    real = svc.records.schedule

    def schedule(n, dues, **options):  # the jobs are about to move: another reader looks now
        threading.Thread(target=look).start()
        read.wait(2)  # a reader held back until the write is whole may still be waiting
        return real(n, dues, **options)

    svc.records.schedule = schedule
    lifecycle.set_notified(svc.ctx, number, clock() - timedelta(minutes=3), by="U0LEAD")
    svc.records.schedule = real
    assert read.wait(10)
    ((notified, due),) = seen
    assert due - notified == timedelta(minutes=5), "the reminder was due on a schedule the time did not give"
    if other_store is not svc.store:
        other_store.close()


# -- P9: an opening step and its timeline entry -------------------------------------------------------


@pytest.mark.parametrize("kind", ["open", "invite"])
def test_an_opening_step_is_never_saved_without_its_entry(stores_world, own_standin, paging, kind):
    make_service, clock, observations = stores_world
    observations[URL] = Observation(status=200, report=leak_report())
    svc = make_service()
    real = svc.records.add_event

    def add_event(number, entry_kind, text, **options):
        if entry_kind == kind:
            svc.records.add_event = real  # once: the process dies writing it
            raise Crash
        return real(number, entry_kind, text, **options)

    svc.records.add_event = add_event
    with contextlib.suppress(Crash):
        svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    die(svc)

    svc = restarted(make_service)
    (incident,) = svc.records.all()
    assert incident.setup_complete
    kinds = [e.kind for e in svc.records.timeline(incident.number)]
    assert kinds.count("open") == 1 and kinds.count("invite") == 1, kinds


def test_a_takedown_left_half_told_is_finished_by_the_next_check_without_a_restart(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = taken_down_untold(make_service, clock, own_standin, observations)
    assert not room_posts(own_standin, room, "Takedown verified") and svc.records.get(number).announcing is not None
    sweep(svc, clock, seconds=31)  # the next takedown check (still down)
    told_once(svc, own_standin, paging, number, room, post="Takedown verified", headline="taken down", why="taken down")


def test_a_takedown_whose_stakeholder_post_slack_refused_is_told_at_the_next_check(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened_and_paged(make_service, clock, own_standin, observations)
    own_standin.fail_next("chat.postMessage", "restricted_action", where=lambda p: p.get("channel") == STAKEHOLDERS)
    check_down(svc, clock, observations)
    assert not stakeholder_posts(own_standin, "taken down")
    assert "stakeholders" in svc.records.get(number).announcing.steps, "a refused post was crossed off"
    sweep(svc, clock, seconds=31)  # the next takedown check (still down)
    told_once(svc, own_standin, paging, number, room, post="Takedown verified", headline="taken down", why="taken down")
