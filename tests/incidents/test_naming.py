"""Incident channel names: `{prefix}-{YYYYMMDD}-{slug}`, Slack's alphabet, at most 80 characters."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.incidents.naming import CHANNEL_NAME_MAX, channel_name, slug_for

WHEN = datetime(2026, 11, 28, 23, 59, tzinfo=UTC)
SLACK_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


@pytest.mark.parametrize(("source", "expected"), [
    ("https://www.Example.gov/files/Detained%20Population.xlsx", "inc-pii-20261128-example-detained-population"),
    ("https://files.example.gov/a/b/roster.csv?ssn=123456789&x=1", "inc-pii-20261128-files-example-roster"),
    ("http://127.0.0.1:8080/exports/roster.csv", "inc-pii-20261128-127-0-0-1-roster"),
    ("https://example.gov/", "inc-pii-20261128-example"),
    ("Roster on the FOIA page", "inc-pii-20261128-roster-on-the-foia-page"),
    ("Liste des détenus — Café Nº 5", "inc-pii-20261128-liste-des-detenus-cafe-no-5"),
    ("!!!", "inc-pii-20261128-incident"),
])
def test_names(source, expected):
    assert channel_name("inc-pii", WHEN, source) == expected


def test_identifier_like_digit_runs_are_dropped():
    name = channel_name("inc", WHEN, "https://example.gov/records/A204518377-case.pdf")
    assert name == "inc-20261128-example-case"  # the identifier is gone, its "A" too


def test_date_is_utc():
    from datetime import timedelta, timezone

    evening_in_new_york = datetime(2026, 11, 28, 21, 0, tzinfo=timezone(timedelta(hours=-5)))
    assert channel_name("inc", evening_in_new_york, "x").startswith("inc-20261129-")


@pytest.mark.parametrize("source", [
    "https://example.gov/" + "very-long-file-name-" * 20 + ".xlsx",
    "word " * 200,
    "ÅÄÖ" * 100,
])
def test_always_a_valid_slack_name(source):
    name = channel_name("inc-pii_" + "x" * 40, WHEN, source)
    assert SLACK_NAME.match(name) and len(name) <= CHANNEL_NAME_MAX
    assert not name.endswith(("-", "_"))


def test_slug_is_short():
    assert len(slug_for("https://example.gov/" + "a" * 200)) <= 40
