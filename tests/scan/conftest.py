"""Fixtures of the scanner tests.

`connects`: every (host, port) the fetcher connects to; a connect to anything but 127.0.0.1 / ::1
fails the test, so a refusal that came too late could never reach a real machine. The fetcher's
test modules use it for every test (`pytestmark = pytest.mark.usefixtures("connects")`).
"""

import socket

import pytest


@pytest.fixture
def connects(monkeypatch):
    """Every (host, port) the fetcher connects to; anything off this machine fails the test."""
    seen = []
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        seen.append(address)
        assert address[0] in ("127.0.0.1", "::1"), "the fetcher tried to connect off this machine"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    return seen
