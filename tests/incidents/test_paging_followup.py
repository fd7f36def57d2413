"""Severity changes reach the page and the stakeholders; a failed resolve is retried by the sweep.

The incident service runs in this process against the real Slack stand-in, the real PagerDuty and
Opsgenie stand-ins (HTTP on 127.0.0.1) and a real store, with a clock the test moves, so every
sweep is deterministic: the backoff between resolve tries is the clock's, never a real wait. The
end-to-end form (a real bot process, killed and restarted) is tests/commands/test_paging_followup_e2e.py.
"""

from __future__ import annotations

import json

import pytest

from bot.incidents import lifecycle, page_retry
from bot.incidents.outside import pages_at
from bot.incidents.takedown import Observation
from bot.paging import incident_key
from tests.helpers.slack_standin import post_texts
from tests.incidents.crash_world import STAKEHOLDERS, ok, opened_and_paged, resolve_jobs, services_on, sweep
from tests.incidents.service_world import URL, leak_report, restart

REASON = "custody locations are in the file too"

@pytest.fixture
def world(standin, paging, tmp_path):
    """The module's Slack stand-in, cleared; TinyDB."""
    standin.clear()
    with services_on(None, standin, paging, tmp_path) as made:
        yield made


def still_online(observations) -> None:
    observations[URL] = Observation(status=200, report=leak_report())


# -- severity --------------------------------------------------------------------------------------


def test_a_new_severity_reaches_the_open_page_and_the_stakeholders(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    svc.records.modify(number, lambda doc: setattr(doc, "severity", "high"))  # as a scan could have said
    answer = svc.severity(svc.records.get(number), f"critical {REASON}", user="U0LEAD")
    assert svc.outside.wait_idle()
    assert "now critical" in answer and "stakeholders were told" in answer

    told = [c for c in standin.calls_to("chat.postMessage") if c.params["channel"] == STAKEHOLDERS
            and "severity raised to critical (was high)" in c.params["text"]]
    assert len(told) == 1
    shown = json.dumps(told[0].params, ensure_ascii=False)
    assert "*Severity:* critical" in shown
    assert REASON not in shown and "files.example.gov" not in shown and "•" not in shown

    triggers = ok(paging, "pagerduty", "trigger", key)
    assert len(triggers) == 2 and triggers[-1].body["payload"]["severity"] == "critical"
    update = ok(paging, "opsgenie", "update", key)
    assert len(update) == 1 and update[0].body == {"priority": "P1"}
    assert update[0].path.endswith("/priority?identifierType=alias")
    assert len(ok(paging, "opsgenie", "trigger", key)) == 1  # the alert is changed, not created again
    assert sum("The page now says *critical* (PagerDuty and Opsgenie)" in t for t in post_texts(standin, room)) == 1
    kinds = [e.kind for e in svc.records.timeline(number)]
    assert kinds.count("severity") == 1 and kinds.count("page_updated") == 1


def test_below_the_paging_level_the_escalation_does_not_page_until_raised(world, standin, paging):
    make_service, clock, observations = world
    still_online(observations)
    svc = make_service()
    opened = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    number, room = opened["number"], opened["channel_id"]
    svc.severity(svc.records.get(number), "medium looks like test data", user="U0LEAD")
    assert svc.outside.wait_idle()
    assert not paging.calls  # before the target nothing is paged, whatever the severity

    sweep(svc, clock, minutes=10, seconds=1)
    assert any("Escalation" in t for t in post_texts(standin, room))
    assert any("not paged" in t and "*medium*" in t and "(high)" in t for t in post_texts(standin, room))
    assert not paging.calls and svc.records.get(number).paged == []

    svc.severity(svc.records.get(number), "high the rows are real", user="U0LEAD")
    assert svc.outside.wait_idle()
    key = incident_key(number)
    assert len(ok(paging, "pagerduty", "trigger", key)) == 1 and len(ok(paging, "opsgenie", "trigger", key)) == 1
    assert svc.records.get(number).paged == ["Opsgenie", "PagerDuty"]
    svc.severity(svc.records.get(number), "critical", user="U0LEAD")  # now an update, not a second page
    assert svc.outside.wait_idle()
    assert len(ok(paging, "opsgenie", "trigger", key)) == 1 and len(ok(paging, "opsgenie", "update", key)) == 1
    assert sum("On-call paged" in t for t in post_texts(standin, room)) == 1


def test_a_page_update_cut_short_by_a_crash_is_sent_after_the_restart(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    svc.sweeper.stop()
    svc.outside.stop()

    def killed_after_the_command(doc) -> None:  # the severity stored, the page not yet told
        doc.severity, doc.page_pending = "medium", "update"

    svc.records.modify(number, killed_after_the_command)
    restarted = restart(make_service)
    assert restarted.outside.wait_idle()
    key = incident_key(number)
    assert ok(paging, "pagerduty", "trigger", key)[-1].body["payload"]["severity"] == "warning"
    assert [c.body for c in ok(paging, "opsgenie", "update", key)] == [{"priority": "P3"}]
    assert restarted.records.get(number).page_pending is None
    restarted.resume()  # nothing left to send
    assert restarted.outside.wait_idle() and len(ok(paging, "opsgenie", "update", key)) == 1


def test_a_failed_page_update_is_retried_until_the_page_says_the_new_severity(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("opsgenie", status=503, times=2 * 2)  # the first try and one retry (2 calls each)
    svc.severity(svc.records.get(number), "medium the rows look like test data", user="U0LEAD")
    assert svc.outside.wait_idle()
    assert ok(paging, "pagerduty", "trigger", key)[-1].body["payload"]["severity"] == "warning"
    assert not ok(paging, "opsgenie", "update", key)
    said = post_texts(standin, room)
    assert sum("still shows the old severity" in t and "HTTP 503" in t and "tries again" in t for t in said) == 1
    assert sum("The page now says *medium* (PagerDuty)." in t for t in said) == 1
    (job,) = resolve_jobs(svc, number, page_retry.UPDATE_KIND)
    assert job.status == "pending" and job.payload == {"services": ["Opsgenie"]}
    assert svc.records.get(number).page_pending is None

    sweep(svc, clock, seconds=10)  # not due yet: the first wait is TAKEDOWN_POLL_SECONDS
    assert len(paging.calls_to("opsgenie", "update")) == 2
    sweep(svc, clock, seconds=21)  # the first retry fails: the next is twice as far
    assert len(paging.calls_to("opsgenie", "update")) == 4 and resolve_jobs(svc, number, page_retry.UPDATE_KIND)[0].attempts == 1
    sweep(svc, clock, seconds=59)
    assert len(paging.calls_to("opsgenie", "update")) == 4
    sweep(svc, clock, seconds=2)  # the second retry goes through
    assert [c.body for c in ok(paging, "opsgenie", "update", key)] == [{"priority": "P3"}]
    assert resolve_jobs(svc, number, page_retry.UPDATE_KIND)[0].status == "done"
    said = post_texts(standin, room)
    assert sum("The page now says *medium* (Opsgenie) after 3 tries." in t for t in said) == 1
    assert sum("still shows the old severity" in t for t in said) == 1
    sweep(svc, clock, hours=3)
    assert len(paging.calls_to("opsgenie", "update")) == 5
    assert len(ok(paging, "pagerduty", "trigger", key)) == 2  # PagerDuty's update was never sent again
    kinds = [e.kind for e in svc.records.timeline(number)]
    assert kinds.count("page_updated") == 2 and kinds.count("page_failed") == 1


def test_a_page_update_that_keeps_failing_gives_up_once(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    paging.fail_next("opsgenie", status=500, times=1000)
    svc.severity(svc.records.get(number), "medium the rows look like test data", user="U0LEAD")
    assert svc.outside.wait_idle()
    for _ in range(page_retry.RESOLVE_TRIES + 3):
        sweep(svc, clock, minutes=31)
    assert len(paging.calls_to("opsgenie", "update")) == page_retry.RESOLVE_TRIES * 2
    gave_up = [t for t in post_texts(standin, room) if "Tell on-call directly." in t]
    assert len(gave_up) == 1 and f"after {page_retry.RESOLVE_TRIES} tries" in gave_up[0]
    assert resolve_jobs(svc, number, page_retry.UPDATE_KIND)[0].status == "failed"


def test_an_update_retry_is_dropped_by_a_newer_severity_and_by_the_takedown(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("opsgenie", status=503, times=2)
    svc.severity(svc.records.get(number), "medium the rows look like test data", user="U0LEAD")
    assert svc.outside.wait_idle()
    clock.advance(seconds=5)
    svc.severity(svc.records.get(number), "low only a sample", user="U0LEAD")  # goes through
    assert svc.outside.wait_idle()
    assert [j.status for j in resolve_jobs(svc, number, page_retry.UPDATE_KIND)] == ["cancelled"]
    assert [c.body for c in ok(paging, "opsgenie", "update", key)] == [{"priority": "P4"}]
    paging.fail_next("opsgenie", status=503, times=2)
    clock.advance(seconds=5)
    svc.severity(svc.records.get(number), "high it is real", user="U0LEAD")
    assert svc.outside.wait_idle()
    observations[URL] = Observation(status=404)
    lifecycle.record_takedown(svc.ctx, svc.records.get(number), at=clock(), reason="Gone (404).", how="by hand")
    sweep(svc, clock, minutes=5)  # the retry is due: dropped, the takedown resolved the page
    assert [j.status for j in resolve_jobs(svc, number, page_retry.UPDATE_KIND)] == ["cancelled", "skipped"]
    assert [c.body for c in ok(paging, "opsgenie", "update", key)] == [{"priority": "P4"}]
    assert len(ok(paging, "opsgenie", "resolve", key)) == 1


@pytest.mark.parametrize(("threshold", "severity", "pages"), [
    ("high", "critical", True), ("high", "high", True), ("high", "medium", False), ("critical", "high", False),
    ("low", "low", True), ("critical", "unknown", True), ("critical", None, True)])
def test_the_paging_level_is_the_incident_threshold(threshold, severity, pages):
    from types import SimpleNamespace

    ctx = SimpleNamespace(settings=SimpleNamespace(scan=SimpleNamespace(threshold=threshold)))
    assert pages_at(ctx, severity) is pages


def test_an_incident_opened_by_hand_without_a_scan_pages(world, standin, paging):
    make_service, clock, _ = world
    svc = make_service()
    opened = svc.open_from_command("Roster mailed to the wrong list", user="U0A", channel="C1")
    assert svc.records.get(opened["number"]).severity == "unknown"
    sweep(svc, clock, minutes=10, seconds=1)
    assert svc.records.get(opened["number"]).paged == ["Opsgenie", "PagerDuty"]
    assert any("On-call paged" in t for t in post_texts(standin, opened["channel_id"]))


def test_a_raise_before_the_target_waits_for_the_escalation(world, standin, paging):
    make_service, clock, observations = world
    still_online(observations)
    svc = make_service()
    opened = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    svc.records.modify(opened["number"], lambda doc: setattr(doc, "severity", "high"))
    svc.severity(svc.records.get(opened["number"]), "critical", user="U0LEAD")
    assert svc.outside.wait_idle()
    assert not paging.calls
    assert any("severity raised to critical" in c.params["text"] for c in standin.calls_to("chat.postMessage")
               if c.params["channel"] == STAKEHOLDERS)


def test_a_drill_stays_in_its_room(world, standin, paging):
    make_service, clock, observations = world
    still_online(observations)
    svc = make_service()
    drill = svc.drill(user="U0A", channel="C1")
    sweep(svc, clock, minutes=10, seconds=1)
    svc.severity(svc.records.get(drill["number"]), "low practice only", user="U0A")
    assert svc.outside.wait_idle()
    assert any("low" in t for t in post_texts(standin, drill["channel_id"]))
    assert not paging.calls and not post_texts(standin, STAKEHOLDERS)


# -- a resolve that fails --------------------------------------------------------------------------


def take_down(svc, clock, observations, number: int) -> None:
    observations[URL] = Observation(status=404)
    sweep(svc, clock, seconds=31)
    assert svc.records.get(number).status == "down"


def test_a_failed_resolve_is_retried_with_backoff_until_it_succeeds(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("pagerduty", status=503, times=2 * 2)  # the first try and one retry (2 calls each)
    take_down(svc, clock, observations, number)
    assert len(ok(paging, "opsgenie", "resolve", key)) == 1
    assert svc.records.get(number).paged == ["PagerDuty"]  # Opsgenie's page is resolved, PagerDuty's is not
    assert sum("could not be resolved yet" in t and "HTTP 503" in t for t in post_texts(standin, room)) == 1
    (job,) = resolve_jobs(svc, number)
    assert job.status == "pending"

    sweep(svc, clock, seconds=10)  # not due yet: the first wait is TAKEDOWN_POLL_SECONDS
    assert len(paging.calls_to("pagerduty", "resolve")) == 2
    sweep(svc, clock, seconds=21)  # the first retry fails: the next is twice as far
    assert len(paging.calls_to("pagerduty", "resolve")) == 4
    assert resolve_jobs(svc, number)[0].attempts == 1
    sweep(svc, clock, seconds=59)
    assert len(paging.calls_to("pagerduty", "resolve")) == 4
    sweep(svc, clock, seconds=2)  # the second retry succeeds
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and paging.alerts[("pagerduty", key)] == "resolved"
    assert svc.records.get(number).paged == []
    assert resolve_jobs(svc, number)[0].status == "done"
    said = post_texts(standin, room)
    assert sum("Page resolved (taken down) after 3 tries" in t for t in said) == 1
    assert not any("Resolve it by hand" in t for t in said)
    sweep(svc, clock, hours=3)
    assert len(paging.calls_to("pagerduty", "resolve")) == 5 and len(ok(paging, "opsgenie", "resolve", key)) == 1


def test_a_resolve_that_keeps_failing_gives_up_once(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    paging.fail_next("pagerduty", status=429, times=1000, retry_after="0")
    paging.fail_next("opsgenie", status=500, times=1000)
    take_down(svc, clock, observations, number)
    for _ in range(page_retry.RESOLVE_TRIES + 3):
        sweep(svc, clock, minutes=31)
    tries = page_retry.RESOLVE_TRIES
    assert len(paging.calls_to("pagerduty", "resolve")) == len(paging.calls_to("opsgenie", "resolve")) == tries * 2
    said = post_texts(standin, room)
    gave_up = [t for t in said if "Resolve it by hand" in t]
    assert len(gave_up) == 1 and f"after {tries} tries" in gave_up[0]
    assert "PagerDuty" in gave_up[0] and "Opsgenie" in gave_up[0]
    assert sum("could not be resolved yet" in t for t in said) == 1
    assert resolve_jobs(svc, number)[0].status == "failed"
    assert svc.records.get(number).paged == ["Opsgenie", "PagerDuty"]  # still open: the room was told


def test_a_retry_survives_a_restart_and_runs_once(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("opsgenie", status=502, times=2)
    take_down(svc, clock, observations, number)
    svc.sweeper.stop()
    svc.outside.stop()  # the bot stops; the retry is in the database only

    restarted = restart(make_service)
    sweep(restarted, clock, seconds=31)
    assert len(ok(paging, "opsgenie", "resolve", key)) == 1
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1  # resolved on the first try: not again
    assert restarted.records.get(number).paged == []
    assert sum("Page resolved (taken down) after 2 tries" in t for t in post_texts(standin, room)) == 1
    sweep(restarted, clock, hours=2)
    assert len(paging.calls_to("opsgenie", "resolve")) == 3


def test_a_due_retry_is_claimed_by_one_sweep_only(world, standin, paging):
    make_service, clock, observations = world
    svc, number, _ = opened_and_paged(make_service, clock, standin, observations)
    paging.fail_next("pagerduty", status=503, times=2)
    take_down(svc, clock, observations, number)
    (job,) = resolve_jobs(svc, number)
    now = clock.advance(seconds=31)
    page_retry.due(svc.ctx, job, now)  # two sweeps (replicas) find the same due job
    page_retry.due(svc.ctx, job, now)
    assert svc.outside.wait_idle()
    assert len([c for c in paging.calls_to("pagerduty", "resolve") if c.status == 202]) == 1


def test_a_reopened_incident_keeps_its_page(world, standin, paging):
    make_service, clock, observations = world
    svc, number, _ = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("pagerduty", status=503, times=2 * 2)
    take_down(svc, clock, observations, number)
    still_online(observations)
    sweep(svc, clock, seconds=31)  # back online (a retry due at the same sweep may still fail)
    assert svc.records.get(number).status == "open"
    paging.clear_failures()
    sweep(svc, clock, minutes=2)  # the retry is dropped: the page is wanted again
    assert not ok(paging, "pagerduty", "resolve", key) and svc.records.get(number).paged == ["PagerDuty"]
    assert resolve_jobs(svc, number)[0].status == "skipped"
    take_down(svc, clock, observations, number)  # the next takedown resolves it
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and svc.records.get(number).paged == []


def test_a_close_cancels_the_retries_and_resolves_at_once(world, standin, paging):
    make_service, clock, observations = world
    svc, number, room = opened_and_paged(make_service, clock, standin, observations)
    key = incident_key(number)
    paging.fail_next("pagerduty", status=503, times=2)
    take_down(svc, clock, observations, number)
    svc.close(svc.records.get(number), user="U0LEAD")
    assert svc.outside.wait_idle()
    assert len(ok(paging, "pagerduty", "resolve", key)) == 1 and svc.records.get(number).paged == []
    assert [j.status for j in resolve_jobs(svc, number)] == ["cancelled"]
    assert sum("Page resolved (incident closed)" in t for t in post_texts(standin, room)) == 1
    sweep(svc, clock, hours=2)
    assert len(paging.calls_to("pagerduty", "resolve")) == 3
