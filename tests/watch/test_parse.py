"""`/watch` text -> request: pure parsing, defaults, bounds, and one-sentence errors."""

import pytest

from bot.watch.parse import (
    WatchHelp,
    WatchList,
    WatchStart,
    WatchStop,
    WatchUsageError,
    format_duration,
    parse_duration,
    parse_watch,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("10s", 10), ("5m", 300), ("2h", 7200), ("1h30m", 5400), ("5 m", 300), ("90 seconds", 90),
    ("2 hours", 7200), ("15min", 900), ("0.5h", 1800),
])
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "m5", "5x", "five minutes", "5m-", "-5m"])
def test_bad_durations_say_how_to_write_one(text):
    with pytest.raises(WatchUsageError):
        parse_duration(text)


@pytest.mark.parametrize(("seconds", "text"), [(10, "10s"), (300, "5m"), (7200, "2h"), (5400, "1h30m"), (3661, "1h1m1s"), (0, "0s")])
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_defaults_are_every_5m_for_2h():
    assert parse_watch("https://example.gov/x") == WatchStart("https://example.gov/x", 300, 7200)


@pytest.mark.parametrize("text", [
    "https://example.gov/x every 10s for 1h",
    "https://example.gov/x for 1h every 10s",
    "<https://example.gov/x|example.gov/x> every 10 s for 1 h",
    "https://example.gov/x EVERY 10s FOR 60m",
])
def test_interval_and_window_in_any_order_and_spelling(text):
    assert parse_watch(text) == WatchStart("https://example.gov/x", 10, 3600)


def test_only_the_window_given_keeps_the_default_interval():
    assert parse_watch("https://example.gov/x for 30m") == WatchStart("https://example.gov/x", 300, 1800)


@pytest.mark.parametrize(("text", "words"), [
    ("https://example.gov/x every 5s", "shortest interval is 10s"),
    ("https://example.gov/x every 10m for 5m", "end before its first re-scan"),
    ("https://example.gov/x for 30d", "not a unit"),
    ("https://example.gov/x for 200h", "at most 7 days"),
    ("https://example.gov/x every", "needs a duration"),
    ("https://example.gov/x every 5m every 6m", "only once"),
    ("https://example.gov/x hourly", "Unexpected"),
    ("example.gov/x", "http(s) URL"),
    ("ftp://example.gov/x", "http(s) URL"),
])
def test_bad_requests_get_one_sentence(text, words):
    with pytest.raises(WatchUsageError) as caught:
        parse_watch(text)
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_lower_minimum_interval_is_allowed_when_configured():
    assert parse_watch("https://example.gov/x every 2s for 1m", min_interval=1).interval_seconds == 2


@pytest.mark.parametrize(("text", "expected"), [
    ("", WatchHelp()), ("help", WatchHelp()), ("stop help", WatchHelp()),
    ("https://example.gov/x help", WatchHelp()), ("list", WatchList()),
    ("stop 3", WatchStop(3, None)), ("stop #12", WatchStop(12, None)),
    ("stop <https://example.gov/x>", WatchStop(None, "https://example.gov/x")),
    ("stop https://example.gov/x", WatchStop(None, "https://example.gov/x")),
])
def test_subcommands(text, expected):
    assert parse_watch(text) == expected


@pytest.mark.parametrize("text", ["stop", "stop 3 4", "stop something", "list all"])
def test_bad_subcommands(text):
    with pytest.raises(WatchUsageError):
        parse_watch(text)
