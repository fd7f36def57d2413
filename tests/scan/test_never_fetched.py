"""A host in SCAN_ALLOW_HOSTS is exempt from the private-address and port rules, but never
reaches a link-local address or a cloud metadata service, in any spelling, whether the address is
written in the URL or is what the allow-listed name resolves to at connect time."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from bot.config import ScanSettings
from bot.errors import FetchRefused
from bot.scan import fetch as fetch_module
from bot.scan.fetch import fetch
from bot.scan.netpolicy import check_url, never_problem

NEVER = ["169.254.169.254", "169.254.10.20", "100.100.100.200", "fe80::1", "fd00:ec2::254",
         "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "::169.254.169.254"]
STILL_ALLOWED = ["10.0.0.5", "192.168.1.20", "127.0.0.1", "fd12:3456::1", "100.100.100.201", "::1"]


@pytest.mark.parametrize("address", NEVER)
def test_link_local_and_metadata_are_never_fetched_even_when_allow_listed(address):
    host = f"[{address}]" if ":" in address else address
    assert never_problem(address)
    with pytest.raises(FetchRefused, match="never fetched"):
        check_url(f"http://{host}/latest/meta-data/", (host, address))


@pytest.mark.parametrize("address", STILL_ALLOWED)
def test_other_allow_listed_addresses_stay_exempt(address):
    host = f"[{address}]" if ":" in address else address
    assert never_problem(address) is None
    assert check_url(f"http://{host}:8080/x.csv", (host,)).exempt


@pytest.mark.parametrize("address", ["169.254.169.254", "fd00:ec2::254", "fe80::5"])
def test_an_allow_listed_name_resolving_to_metadata_is_refused_before_connecting(monkeypatch, address):
    connected = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connected.append(a) or None)
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [ipaddress.ip_address(address)])
    settings = ScanSettings(allow_hosts=("staging.example.test",), timeout_seconds=5)
    with pytest.raises(FetchRefused, match="never fetched"):
        fetch("http://staging.example.test/x.csv", settings)
    assert connected == []
