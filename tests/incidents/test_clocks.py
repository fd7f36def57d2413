"""Clock arithmetic: notification times, reminder schedules, durations in words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.clocks import (
    BadTime,
    exposure_start,
    format_duration,
    format_hours_minutes,
    from_iso,
    legal_schedule,
    parse_http_date,
    parse_notified,
    takedown_schedule,
    to_iso,
)

NOW = datetime(2026, 11, 28, 14, 30, 15, tzinfo=UTC)


def test_notified_defaults_to_now():
    assert parse_notified("", NOW) == NOW


def test_hh_mm_today_when_past():
    assert parse_notified("14:02", NOW) == datetime(2026, 11, 28, 14, 2, tzinfo=UTC)


def test_hh_mm_yesterday_when_still_ahead():
    assert parse_notified("23:10", NOW) == datetime(2026, 11, 27, 23, 10, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-28T09:15:00Z", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
    ("2026-11-28T10:15:00+01:00", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
    ("2026-11-28 09:15", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
])
def test_iso_times(text, expected):
    assert parse_notified(text, NOW) == expected


@pytest.mark.parametrize("text", ["tomorrow", "25:00", "2026-11-29T09:00Z", "2020-01-01T00:00Z", "14:02; rm -rf"])
def test_bad_times_are_one_sentence(text):
    with pytest.raises(BadTime) as err:
        parse_notified(text, NOW)
    assert str(err.value).endswith(".") and "\n" not in str(err.value)


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
