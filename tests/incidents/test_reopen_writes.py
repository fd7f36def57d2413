"""A re-post that reopens an incident, and a report of the same URL again, are each one write
(lifecycle.write_reopen, lifecycle.join), on TinyDB and on PostgreSQL: the process dies at a chosen
write of the incident (crash_world.crash_when) and the store holds all of the change or none of it;
the next scan after the restart then does it once.

Before, a re-post wrote the new URL and its "repost" entry, then reopened in a second write: a
crash between left the incident following the new URL, still down (or closed: a later scan opened a
second incident). A join wrote the scan record, then the reporter and the "Reported again" entry.
"""

from __future__ import annotations

import contextlib

from bot.incidents import repost
from bot.incidents.takedown import Observation
from tests.incidents.crash_world import Crash, check_down, crash_when, die, opened, restarted
from tests.incidents.service_world import FPS, URL, leak_report

NEW_URL = "https://mirror.example.org/dump/roster-copy.csv"


def reopening(before, after) -> bool:
    return before.status != "open" and after.status == "open"


def kinds(svc, number: int) -> list[str]:
    return [e.kind for e in svc.records.timeline(number)]


def test_a_repost_that_reopens_is_one_write(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, _ = opened(make_service, clock, observations)
    check_down(svc, clock, observations)
    assert svc.records.get(number).status == "down"
    copy = leak_report(NEW_URL, FPS[:12])
    observations[NEW_URL] = Observation(status=200, report=copy)
    crash_when(svc, reopening)
    with contextlib.suppress(Crash):
        repost.check(svc.ctx, copy, reporter="U0B", origin_channel="C1")
    die(svc)

    svc = restarted(make_service)
    incident = svc.records.get(number)
    assert (incident.status, incident.url, incident.reposts) == ("down", URL, 0), "half a re-post was saved"
    assert "repost" not in kinds(svc, number) and "reopen" not in kinds(svc, number)

    answer = svc.handle_scan(copy, reporter="U0B", origin_channel="C1")
    assert answer == {"number": number, "channel_id": incident.channel_id, "joined": True}
    incident = svc.records.get(number)
    assert (incident.status, incident.url, incident.previous_urls) == ("open", NEW_URL, [URL])
    assert kinds(svc, number).count("repost") == 1 and kinds(svc, number).count("reopen") == 1
    assert any(j.kind == "poll" and j.status == "pending" for j in svc.records.incident_jobs(number))
    assert len(svc.records.all()) == 1


def test_a_report_of_the_same_url_again_is_one_write(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, _ = opened(make_service, clock, observations)
    scans = svc.records.scan_count(number)
    crash_when(svc, lambda before, after: "U0NEW" in after.members and "U0NEW" not in before.members)
    with contextlib.suppress(Crash):
        svc.handle_scan(leak_report(), reporter="U0NEW", origin_channel="C1")
    die(svc)

    svc = restarted(make_service)
    assert svc.records.scan_count(number) == scans, "the scan record was saved without its entry"
    assert "U0NEW" not in svc.records.get(number).members
    before = kinds(svc, number).count("scan")
    svc.handle_scan(leak_report(), reporter="U0NEW", origin_channel="C1")
    assert svc.records.scan_count(number) == scans + 1 and kinds(svc, number).count("scan") == before + 1
    assert "U0NEW" in svc.records.get(number).members


def test_a_report_that_reopens_a_taken_down_incident_is_one_write(stores_world, own_standin, paging):
    make_service, clock, observations = stores_world
    svc, number, room = opened(make_service, clock, observations)
    check_down(svc, clock, observations)
    scans, entries = svc.records.scan_count(number), len(kinds(svc, number))
    observations[URL] = Observation(status=200, report=leak_report())
    crash_when(svc, reopening)
    with contextlib.suppress(Crash):
        svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    die(svc)

    svc = restarted(make_service)
    assert svc.records.get(number).status == "down"
    assert svc.records.scan_count(number) == scans and len(kinds(svc, number)) == entries
    svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    assert svc.records.get(number).status == "open" and kinds(svc, number).count("reopen") == 1
    assert svc.records.scan_count(number) == scans + 1
    assert sum("back online" in c.params.get("text", "") for c in own_standin.calls_to("chat.postMessage")
               if c.params.get("channel") == "C0STAKE") == 1
