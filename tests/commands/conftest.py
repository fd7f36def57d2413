"""Fixtures shared by the end-to-end command tests (a module may still define its own)."""

from __future__ import annotations

import pytest

from tests.helpers.paging_standin import PagingStandIn
from tests.helpers.webserver import WebServer


@pytest.fixture(scope="module")
def web():
    """A local web server holding the pages and files a module's tests scan."""
    with WebServer() as server:
        yield server


@pytest.fixture(scope="module")
def paging():
    """PagerDuty and Opsgenie stand-ins (`paging.env()`: the bot's settings that page through them)."""
    with PagingStandIn() as standin:
        yield standin
