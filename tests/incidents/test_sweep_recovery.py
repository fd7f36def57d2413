"""A reminder or escalation whose bot stopped after its room message and before the job was done
(bot/incidents/sweep.py, effects.py): after the restart (or on a replica, once the claim's lease
ran out) the message is found in the channel and not posted again, the job's own timeline entry is
written if it was lost, and on-call is paged for an escalation, once.

The stop is a `Killed` (a BaseException, as nothing catches a dying process) raised at a chosen
step: writing the entry, asking for the page, marking the job done. The incident service runs
against the real Slack stand-in, the real PagerDuty and Opsgenie stand-ins and a real store, with a
clock the test moves.
"""

from __future__ import annotations

import pytest

from bot.incidents import outside
from bot.incidents.clocks import to_iso
from bot.incidents.sweep import Sweeper
from bot.incidents.takedown import Observation
from bot.paging import incident_key
from tests.helpers.slack_standin import post_texts
from tests.incidents.crash_world import services_on
from tests.incidents.service_world import URL, leak_report, restart

ESCALATION = "takedown:escalation"
REMINDER = "takedown:reminder:50"


class Killed(BaseException):
    """The process dying at that line."""


@pytest.fixture
def world(standin, paging, tmp_path):
    """(make a service on the same store, the clock): TinyDB, the leak stays online."""
    standin.clear()
    with services_on(None, standin, paging, tmp_path, stakeholders=False) as (make_service, clock, observations):
        observations[URL] = Observation(status=200, report=leak_report())
        yield make_service, clock


def opened(make_service):
    svc = make_service()
    found = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    return svc, found["number"], found["channel_id"]


def dies(svc, *, entry: str | None = None, done_of: str | None = None):
    """The bot `svc` dies writing the timeline entry of kind `entry`, or marking job `done_of`
    done; the page work it handed its paging thread dies with it."""
    records = svc.records
    add_event, finish = records.add_event, records.finish

    def add_event_or_die(number, kind, text, **kw):
        if kind == entry:
            raise Killed()
        return add_event(number, kind, text, **kw)

    def finish_or_die(job_id, now, **kw):
        job = next(j for j in records.incident_jobs(records.all()[0].number) if j.id == job_id)
        if job.key == done_of and kw.get("status", "done") == "done":
            raise Killed()
        return finish(job_id, now, **kw)

    records.add_event, records.finish = add_event_or_die, finish_or_die
    svc.outside.submit = lambda *args: None


def sweep(svc) -> None:
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle() and svc.outside.wait_idle()


def entries(svc, number: int, kind: str) -> list:
    return [e for e in svc.records.timeline(number) if e.kind == kind]


def pages(paging, number: int) -> dict[str, int]:
    key = incident_key(number)
    return {service: len([c for c in paging.calls_to(service, "trigger") if c.key == key and c.status == 202])
            for service in ("pagerduty", "opsgenie")}


def test_a_reminder_cut_short_after_its_post_gets_its_own_entry_and_is_not_posted_again(world, standin):
    make_service, clock = world
    svc, number, room = opened(make_service)
    dies(svc, entry="reminder")
    sent_at = clock.advance(minutes=5, seconds=1)
    with pytest.raises(Killed):
        svc.sweeper.run_once()
    assert sum("Reminder" in t for t in post_texts(standin, room)) == 1 and not entries(svc, number, "reminder")

    clock.advance(seconds=20)
    restarted = restart(make_service)
    sweep(restarted)
    sweep(restarted)
    assert sum("Reminder" in t for t in post_texts(standin, room)) == 1
    reminder = entries(restarted, number, "reminder")
    assert [(e.at, e.data) for e in reminder] == [(to_iso(sent_at), {"job": REMINDER})]
    assert len(entries(restarted, number, "recovered")) == 1
    job = restarted.records.job(number, REMINDER)
    assert job.status == "done" and "found in the channel" in job.note


def escalation_cut_short(make_service, clock, monkeypatch, step: str = "entry"):
    """An incident whose escalation was posted, then its bot died at `step` (writing the entry,
    asking for the page, or marking the job done): (the dead bot, the incident, its room)."""
    svc, number, room = opened(make_service)
    dies(svc, entry="escalation" if step == "entry" else None, done_of=ESCALATION if step == "done" else None)
    clock.advance(minutes=10, seconds=1)
    with monkeypatch.context() as patch, pytest.raises(Killed):
        if step == "page":
            patch.setattr(outside, "escalated", lambda *args: (_ for _ in ()).throw(Killed()))
        svc.sweeper.run_once()
    return svc, number, room


def escalated_once(svc, standin, paging, number: int, room: str) -> None:
    """One escalation message, one page through each service, one entry; the job done."""
    assert pages(paging, number) == {"pagerduty": 1, "opsgenie": 1}
    texts = post_texts(standin, room)
    assert sum("Escalation" in t for t in texts) == 1
    assert sum("On-call paged through PagerDuty and Opsgenie" in t for t in texts) == 1
    assert len(entries(svc, number, "escalation")) == 1 and len(entries(svc, number, "paged")) == 1
    assert svc.records.get(number).paged == ["Opsgenie", "PagerDuty"]
    assert svc.records.job(number, ESCALATION).status == "done"


@pytest.mark.parametrize("step", ["entry", "page", "done"])
def test_an_escalation_cut_short_after_its_post_pages_on_call_once_after_the_restart(world, standin, paging,
                                                                                      monkeypatch, step):
    make_service, clock = world
    _, number, room = escalation_cut_short(make_service, clock, monkeypatch, step)
    assert sum("Escalation" in t for t in post_texts(standin, room)) == 1
    assert pages(paging, number) == {"pagerduty": 0, "opsgenie": 0}
    clock.advance(seconds=20)
    restarted = restart(make_service)
    sweep(restarted)
    sweep(restarted)
    escalated_once(restarted, standin, paging, number, room)


def test_a_replica_takes_over_an_escalation_cut_short_once_its_claim_lease_ran_out(world, standin, paging,
                                                                                   monkeypatch):
    make_service, clock = world
    svc, number, room = escalation_cut_short(make_service, clock, monkeypatch)
    # another replica on the same store (a TinyDB store is one process's: its context stands in)
    del svc.records.add_event, svc.records.finish, svc.outside.submit
    Sweeper(svc.ctx, recheck=svc.sweeper.recheck).run_once()
    assert svc.records.job(number, ESCALATION).status == "claimed"  # within the lease: not taken over
    clock.advance(minutes=2, seconds=1)
    other = Sweeper(svc.ctx, recheck=svc.sweeper.recheck)
    other.run_once()
    assert other.wait_idle() and svc.outside.wait_idle()
    escalated_once(svc, standin, paging, number, room)


def test_finishing_cut_short_too_never_posts_the_message_again(world, standin, paging, monkeypatch):
    make_service, clock = world
    _, number, room = escalation_cut_short(make_service, clock, monkeypatch)
    clock.advance(seconds=20)
    again = restart(make_service)  # it finds the message, then dies writing the entry again
    dies(again, entry="escalation")
    with pytest.raises(Killed):
        again.sweeper.run_once()
    assert again.records.job(number, ESCALATION).status == "claimed"
    # the message is known sent: not looked up again (the channel's history cannot be read now)
    standin.fail_next("conversations.history", "ratelimited", times=5, where=lambda params: params.get("channel") == room)
    restarted = restart(make_service)
    sweep(restarted)
    escalated_once(restarted, standin, paging, number, room)
    assert len(entries(restarted, number, "recovered")) == 1
