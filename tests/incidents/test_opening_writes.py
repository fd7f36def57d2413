"""Opening an incident is one write, seen whole by another replica (two PostgreSQL pools here,
as two bot processes have): the incident, its fingerprints, its scan record and its first
timeline entry ("scan", or "drill" for a drill) are committed together, and a failure part-way
saves none of them. A re-post is one write too: its "repost" entry and the incident following the
new URL. And an empty fingerprint answer is never cached: a replica that read an incident before
its fingerprints arrived (from an older version writing them apart) still finds the leak later.

Failures are injected at the store boundary (a table whose next write raises), and what the other
replica sees is read from inside the write (a table whose write first looks through replica B).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bot.incidents import drill, repost
from bot.incidents.records import IncidentRecords
from bot.incidents.service import IncidentService
from bot.model import Incident
from bot.slack.client import SlackGateway, make_web_client
from tests.incidents.service_world import FPS, Clock, leak_report, settings_for

COPY_URL = "https://mirror.example.org/copy.csv"


class Injected(RuntimeError):
    """The failure a test injects between two steps (the store went away)."""


def on_write(table, method: str, before) -> list:
    """Call `before(args)` at the table's next `method` calls (before the write itself runs);
    returns the list of what `before` returned."""
    real = getattr(table, method)
    seen: list = []

    def wrapped(*args, **kwargs):
        seen.append(before(args))
        return real(*args, **kwargs)

    setattr(table, method, wrapped)
    return seen


def fail_when(table, method: str, test) -> None:
    """The table's `method` raises Injected when `test(args)` is true (once)."""
    real = getattr(table, method)
    armed = [True]

    def wrapped(*args, **kwargs):
        if armed[0] and test(args):
            armed[0] = False
            raise Injected("the store went away")
        return real(*args, **kwargs)

    setattr(table, method, wrapped)


@pytest.fixture
def replicas(postgres_replicas):
    return tuple(IncidentRecords(store) for store in postgres_replicas)


@pytest.fixture
def services(postgres_replicas, standin, tmp_path):
    """Two incident services (two replicas) on one PostgreSQL, against the Slack stand-in."""
    standin.clear()
    settings = settings_for(standin, tmp_path)
    clock = Clock()
    return tuple(IncidentService(settings, SlackGateway(make_web_client(settings), settings), store, clock=clock)
                 for store in postgres_replicas)


def seen_by(records: IncidentRecords) -> list[tuple[int, int, int]]:
    """What a replica sees: per incident, (fingerprint types, scan records, timeline entries)."""
    return [(len(records.fingerprints(i.number)), records.scan_count(i.number), len(records.timeline(i.number)))
            for i in records.all()]


# -- records.create: the incident with its fingerprints ------------------------------------------

def test_another_replica_never_sees_the_incident_without_its_fingerprints(replicas):
    a, b = replicas
    copy = leak_report(COPY_URL)
    mid_write = on_write(a.fingerprint_sets, "insert", lambda _args: (b.all(), repost.find(SimpleNamespace(records=b), copy)))
    number = a.create(Incident(status="open", url="https://files.example.gov/x.csv"),
                      fingerprints={"A_NUMBER": list(FPS)})
    assert mid_write == [([], [])], "replica B saw the incident before its fingerprints"
    # B read (and may have cached) during the write: it still finds the leak once it is committed
    assert b.fingerprints(number) == {"A_NUMBER": set(FPS)}
    matches = repost.find(SimpleNamespace(records=b), copy)
    assert [found.key for _doc, found in matches] == [number]


def test_a_failure_writing_the_fingerprints_saves_no_incident(replicas):
    a, b = replicas
    fail_when(a.fingerprint_sets, "insert", lambda _args: True)
    with pytest.raises(Injected):
        a.create(Incident(status="open"), fingerprints={"A_NUMBER": list(FPS)})
    assert b.all() == [] and a.all() == []


def test_an_empty_answer_is_not_cached(replicas):
    """An older version wrote the incident, then its fingerprints: a replica reading between them
    must not remember "none" (its re-post checks would miss the leak for good, its takedown checks
    would call a changed file down)."""
    a, b = replicas
    number = a.incidents.insert({"status": "open", "url": "https://files.example.gov/x.csv"})
    assert b.fingerprints(number) == {}
    assert repost.find(SimpleNamespace(records=b), leak_report(COPY_URL)) == []
    a.set_fingerprints(number, {"A_NUMBER": list(FPS)})
    assert b.fingerprints(number) == {"A_NUMBER": set(FPS)}
    assert [found.key for _doc, found in repost.find(SimpleNamespace(records=b), leak_report(COPY_URL))] == [number]


def test_first_entries_and_scan_need_their_time(replicas):
    a, _ = replicas
    with pytest.raises(TypeError):
        a.create(Incident(status="open"), events=[("scan", "Scan.")])
    assert a.all() == []


# -- the service: opening by a scan, a drill, a re-post ---------------------------------------------

def test_a_scan_opens_the_incident_with_its_scan_record_and_entry_in_one_write(services):
    a, b = services
    mid_write = on_write(a.records.events, "insert", lambda _args: seen_by(b.records))
    opened = a.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    assert mid_write and mid_write[0] == [], "replica B saw the incident before its scan entry"
    number = opened["number"]
    assert b.records.scan_count(number) == 1
    assert [e.kind for e in b.records.timeline(number)][:1] == ["scan"]
    assert b.records.fingerprints(number) == {"A_NUMBER": set(FPS)}


def test_a_failure_writing_the_scan_entry_saves_nothing_and_a_retry_opens_it_whole(services):
    a, b = services
    fail_when(a.records.events, "insert", lambda args: args[0].get("kind") == "scan")
    with pytest.raises(Injected):
        a.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    assert b.records.all() == [] and b.records.scan_count() == 0
    # the scan is tried again (on the other replica): one incident, opened whole, not "joined"
    opened = b.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    assert not opened["joined"]
    number = opened["number"]
    assert [i.number for i in a.records.all()] == [number]
    assert a.records.scan_count(number) == 1
    assert [e.kind for e in a.records.timeline(number)].count("scan") == 1


def test_a_drill_is_saved_with_its_drill_entry_or_not_at_all(services):
    a, b = services
    fail_when(a.records.events, "insert", lambda args: args[0].get("kind") == "drill")
    with pytest.raises(Injected):
        drill.open_drill(a.ctx, user="U0A", channel="C1")
    assert b.records.all() == []
    incident = drill.open_drill(a.ctx, user="U0A", channel="C1")
    assert incident.drill
    assert [e.kind for e in b.records.timeline(incident.number)][:1] == ["drill"]


def test_a_repost_entry_is_never_saved_without_the_incident_following_the_new_url(services):
    a, b = services
    number = a.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")["number"]
    a.records.modify(number, lambda doc: setattr(doc, "status", "down"))
    original = a.records.get(number).url
    fail_when(a.records.incidents, "modify", lambda args: args[0] == number)
    assert a.check_repost(leak_report(COPY_URL), reporter="U0B") == []  # the failure is logged, not raised
    after = b.records.get(number)
    assert (after.url, after.reposts, after.status) == (original, 0, "down")
    assert [e.kind for e in b.records.timeline(number)].count("repost") == 0

    answers = a.check_repost(leak_report(COPY_URL), reporter="U0B")
    assert [(x["number"], x["reopened"], x["url"]) for x in answers] == [(number, True, COPY_URL)]
    after = b.records.get(number)
    assert (after.url, after.previous_urls, after.reposts, after.status) == (COPY_URL, [original], 1, "open")
    assert [e.kind for e in b.records.timeline(number)].count("repost") == 1

