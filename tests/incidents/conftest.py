"""Fixtures shared by the incident tests (a module may still define its own)."""

from __future__ import annotations

import pytest

from tests.helpers.slack_standin import SlackStandIn


@pytest.fixture(scope="module")
def standin():
    """The Slack stand-in, with on-call as the user group S0ONCALL (one member)."""
    with SlackStandIn() as server:
        server.set_usergroup("S0ONCALL", ["U0ONCALL1"])
        yield server
