"""Clock arithmetic: notification times, reminder schedules, durations in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.clocks import (
    exposure_start,
    format_duration,
    format_hours_minutes,
    from_iso,
    legal_schedule,
    parse_http_date,
    takedown_schedule,
    to_iso,
)

NOW = datetime(2026, 11, 28, 14, 30, 15, tzinfo=UTC)


def test_iso_round_trip_is_absolute_utc():
    assert from_iso(to_iso(NOW)) == NOW
    assert to_iso(NOW).endswith("+00:00")


def test_takedown_schedule():
    jobs = takedown_schedule(NOW, 15)
    assert [(j.key, j.due_at - NOW) for j in jobs] == [
        ("takedown:reminder:50", timedelta(minutes=7.5)),
        ("takedown:reminder:80", timedelta(minutes=12)),
        ("takedown:escalation", timedelta(minutes=15)),
    ]
    assert {j.chain for j in jobs} == {"takedown"}


def test_gdpr_schedule():
    jobs = legal_schedule(NOW, (("GDPR Art. 33", 72.0),))
    assert [(j.key, j.due_at - NOW) for j in jobs] == [
        ("legal:0:half", timedelta(hours=36)),
        ("legal:0:24h", timedelta(hours=48)),
        ("legal:0:1h", timedelta(hours=71)),
        ("legal:0:due", timedelta(hours=72)),
    ]
    assert all(j.payload["deadline"] == to_iso(NOW + timedelta(hours=72)) for j in jobs)


def test_short_clock_drops_reminders_before_notification():
    jobs = legal_schedule(NOW, (("Short", 12.0),))
    assert [j.key for j in jobs] == ["legal:0:half", "legal:0:1h", "legal:0:due"]
    assert all(j.due_at > NOW for j in jobs)


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "0 s"), (44.6, "45 s"), (664, "11 min 4 s"), (900, "15 min"), (18720, "5 h 12 min"), (273600, "3 d 4 h"), (-5, "0 s"),
])
def test_format_duration(seconds, words):
    assert format_duration(seconds) == words


def test_exposure_window_hours_and_minutes():
    assert format_hours_minutes(5 * 3600 + 7 * 60 + 20) == "5 h 07 min"


def test_exposure_start_takes_the_earliest_evidence():
    first_scan = NOW - timedelta(minutes=30)
    start, evidence = exposure_start(last_modified="Sat, 28 Nov 2026 09:00:00 GMT", first_seen_at=first_scan,
                                     notified_at=NOW)
    assert start == datetime(2026, 11, 28, 9, 0, tzinfo=UTC) and evidence == "Last-Modified header"
    start, evidence = exposure_start(last_modified="garbage", first_seen_at=first_scan, notified_at=NOW)
    assert start == first_scan and evidence == "first scan"


def test_http_dates():
    assert parse_http_date("Wed, 21 Oct 2026 07:28:00 GMT") == datetime(2026, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_http_date(None) is None and parse_http_date("yesterday") is None
