"""Two replicas on one PostgreSQL and a watch alert pending (bot/watch/alerts.py): the other replica
leaves an alert that is being sent right now alone (it is younger than the lease), and takes over
one whose replica died (older than the lease): sent once either way."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.watch.alerts import LEASE
from bot.watch.runner import WatchRunner
from bot.watch.store import utcnow
from tests.watch.conftest import RecordingIncidents
from tests.watch.test_alert_once import _alerts_posted, _run, _site, dying


@pytest.fixture
def replicas(bed, postgres_replicas):
    """The services of replicas A and B, each with its own pool on one database (the Slack stand-in and
    site of `bed`)."""
    return tuple(replace(bed.services, store=store, incidents=RecordingIncidents(), extras={})
                 for store in postgres_replicas)


def _watch(bed, runner):
    bed.standin.add_channel("maintenance", channel_id="C0MAINT")
    return runner.watches.create(url=bed.web.url("/"), channel="C0MAINT", user="U0ONCALL", interval_seconds=3600,
                                 window_seconds=4 * 3600)


def test_an_alert_being_sent_by_one_replica_is_not_taken_by_the_other(bed, replicas):
    a = WatchRunner(replicas[0])
    _site(bed.web)
    watch = _watch(bed, a)
    sending, release = threading.Event(), threading.Event()
    real_alert = a._alert

    def slow_alert(*args, **kwargs):
        sending.set()
        assert release.wait(60)
        return real_alert(*args, **kwargs)

    a._alert = slow_alert
    futures = a.run_due(utcnow())
    assert sending.wait(60), "replica A is sending the alert"
    b = WatchRunner(replicas[1])  # started after A's alert was decided: still not B's to settle
    assert list(b.watches.get(watch.number).pending_alerts)
    assert _run(b, utcnow()) == 0, "B leaves A's alert alone: not due, and younger than the lease"
    release.set()
    for future in futures:
        future.result(timeout=60)
    assert _alerts_posted(bed) == 1
    assert b.watches.get(watch.number).pending_alerts == {}
    assert _run(b, utcnow() + LEASE + timedelta(seconds=1)) == 0
    assert _alerts_posted(bed) == 1


def test_an_alert_left_by_a_dead_replica_is_sent_once_by_the_other_after_the_lease(bed, replicas):
    a, b = (WatchRunner(services) for services in replicas)
    _site(bed.web)
    watch = _watch(bed, a)

    now = utcnow()
    _run(dying(a, after_post=False), now)
    assert list(b.watches.get(watch.number).pending_alerts)
    assert _run(b, now + timedelta(seconds=5)) == 0, "within the lease: maybe still being sent"
    assert _run(b, now + LEASE + timedelta(seconds=5)) == 1
    assert _alerts_posted(bed) == 1
    settled = b.watches.get(watch.number)
    assert settled.pending_alerts == {} and settled.alerts == 1
