"""Fixtures shared by the end-to-end command tests (a module may still define its own)."""

from __future__ import annotations

import pytest

from tests.helpers.webserver import WebServer


@pytest.fixture(scope="module")
def web():
    """A local web server holding the pages and files a module's tests scan."""
    with WebServer() as server:
        yield server
