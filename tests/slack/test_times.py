"""bot/slack/times.py: tokens carry the exact epoch and a UTC fallback; typed times are read in
the reader's own zone (expected UTC moments worked out by hand, not by the module)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.slack.times import BadTime, Zone, clock, moment, read_time, stamp, utc_text, zone_of

NOW = datetime(2026, 11, 28, 15, 30, tzinfo=UTC)
PARIS = zone_of({"tz": "Europe/Paris", "tz_offset": 3600})
LOS_ANGELES = zone_of({"tz": "America/Los_Angeles", "tz_offset": -28800})


def test_tokens_carry_epoch_and_utc_fallback():
    when = datetime(2026, 11, 28, 14, 2, 11, tzinfo=UTC)
    epoch = 1795874531  # 2026-11-28T14:02:11Z, computed apart: date -d @1795874531 -u
    assert moment(when) == f"<!date^{epoch}^{{date_short_pretty}} {{time}}|2026-11-28 14:02 UTC>"
    assert clock(when) == f"<!date^{epoch}^{{time}}|14:02 UTC>"
    assert stamp(when) == f"<!date^{epoch}^{{date_num}} {{time_secs}}|2026-11-28 14:02:11 UTC>"
    assert utc_text(when) == "2026-11-28 14:02 UTC"


def test_hh_mm_is_read_in_the_readers_zone():
    when, how = read_time("14:05", NOW, PARIS)
    assert when == datetime(2026, 11, 28, 13, 5, tzinfo=UTC)
    assert how == "read as 14:05 Europe/Paris = 13:05 UTC"


def test_hh_mm_still_ahead_means_yesterday_and_says_the_date():
    # 15:30 UTC is 07:30 in Los Angeles: 09:00 there has not come yet today
    when, how = read_time("09:00", NOW, LOS_ANGELES)
    assert when == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert how == "read as 2026-11-27 09:00 America/Los_Angeles = 2026-11-27 17:00 UTC"


def test_iso_without_zone_is_local_with_zone_is_as_given():
    assert read_time("2026-11-28T10:00", NOW, PARIS)[0] == datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    when, how = read_time("2026-11-28T10:00Z", NOW, PARIS)
    assert when == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    assert how == "read as 10:00 UTC"
    assert read_time("2026-11-28 12:00+02:00", NOW, PARIS)[0] == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def test_summer_time_uses_that_days_offset():
    summer_now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert read_time("10:00", summer_now, PARIS)[0] == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_no_zone_from_slack_means_utc_and_offset_only_is_used():
    assert zone_of({}).name == "UTC"
    assert zone_of({"tz": "Not/AZone", "tz_offset": 19800}).name == "UTC+05:30"
    assert read_time("14:05", NOW, zone_of(None)) == (datetime(2026, 11, 28, 14, 5, tzinfo=UTC),
                                                       "read as 14:05 UTC")
    assert read_time("14:05", NOW, zone_of({"tz_offset": 19800}))[0] == datetime(2026, 11, 28, 8, 35, tzinfo=UTC)


def test_empty_is_now():
    assert read_time("", NOW, PARIS)[0] == NOW


@pytest.mark.parametrize("typed", ["tomorrow", "25:00", "2026-13-01", "x" * 100, "2027-01-01T00:00Z", "2020-01-01"])
def test_bad_times_are_one_sentence(typed):
    with pytest.raises(BadTime) as err:
        read_time(typed, NOW, PARIS)
    assert "\n" not in str(err.value) and str(err.value).endswith(".")


def test_zone_names_from_slack_are_not_trusted_blindly():
    assert zone_of({"tz": "../../etc/passwd", "tz_offset": 0}).name == "UTC"
    assert isinstance(zone_of({"tz": "Asia/Kolkata"}), Zone)


# -- a reader whose Slack zone is UTC (the cases the bot read before zones were known) --------------

UTC_NOW = datetime(2026, 11, 28, 14, 30, 15, tzinfo=UTC)


def test_utc_reader_notified_defaults_to_now():
    assert read_time("", UTC_NOW)[0] == UTC_NOW


def test_utc_reader_hh_mm_today_when_past():
    assert read_time("14:02", UTC_NOW)[0] == datetime(2026, 11, 28, 14, 2, tzinfo=UTC)


def test_utc_reader_hh_mm_yesterday_when_still_ahead():
    assert read_time("23:10", UTC_NOW)[0] == datetime(2026, 11, 27, 23, 10, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-28T09:15:00Z", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
    ("2026-11-28T10:15:00+01:00", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
    ("2026-11-28 09:15", datetime(2026, 11, 28, 9, 15, tzinfo=UTC)),
])
def test_utc_reader_iso_times(text, expected):
    assert read_time(text, UTC_NOW)[0] == expected


@pytest.mark.parametrize("text", ["tomorrow", "25:00", "2026-11-29T09:00Z", "2020-01-01T00:00Z", "14:02; rm -rf"])
def test_utc_reader_bad_times_are_one_sentence(text):
    with pytest.raises(BadTime) as err:
        read_time(text, UTC_NOW)
    assert str(err.value).endswith(".") and "\n" not in str(err.value)
