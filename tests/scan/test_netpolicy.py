"""The address, host-name, port and scheme rules, as pure functions (no network)."""

import socket
from ipaddress import IPv4Address, ip_address

import pytest

from bot.errors import FetchRefused
from bot.scan.netpolicy import (
    address_problem,
    canonical_host,
    check_url,
    is_allowed_host,
    name_problem,
    parse_ip_host,
    parse_ipv4_loose,
)

# --- odd IPv4 spellings: read exactly as the C resolver reads them --------------------------

SPELLINGS = [
    "127.0.0.1", "2130706433", "0x7f.1", "0X7F.1", "127.1", "0177.0.0.1", "0x7f000001", "017700000001",
    "10.1", "192.168.1", "0", "00", "1", "0xffffffff", "1.2.65535", "0x00000000007f.1",
    # not addresses (the resolver treats them as names)
    "4294967296", "1.2.3.256", "1.2.65536", "1..2", "09", "0xg", "0x", "1.2.3.4.5", "example.com", "",
]  # fmt: skip


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_ipv4_spellings_agree_with_inet_aton(spelling):
    try:
        expected = IPv4Address(socket.inet_aton(spelling))
    except OSError:
        expected = None
    assert parse_ipv4_loose(spelling) == expected


@pytest.mark.parametrize("spelling", ["2130706433", "0x7f.1", "127.1", "0177.0.0.1", "127.0.0.1"])
def test_every_spelling_of_loopback_is_127_0_0_1(spelling):
    assert parse_ip_host(spelling) == IPv4Address("127.0.0.1")


def test_ipv6_hosts_with_brackets_and_zone_ids():
    assert parse_ip_host("[::1]") == ip_address("::1")
    assert parse_ip_host("fe80::1%25eth0") == ip_address("fe80::1")
    assert parse_ip_host("example.com") is None
    assert parse_ip_host("[not-an-address]") is None


# --- address rules -------------------------------------------------------------------------

REFUSED = [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("0.0.0.0", "unspecified"),
    ("10.0.0.5", "private"), ("172.16.3.4", "private"), ("192.168.0.1", "private"),
    ("169.254.1.1", "link-local"), ("169.254.169.254", "metadata"),
    ("100.64.0.1", "carrier-grade NAT"), ("100.100.100.200", "metadata"),
    ("224.0.0.1", "multicast"), ("255.255.255.255", "broadcast"), ("240.0.0.1", "reserved"),
    ("192.0.2.1", "documentation"), ("198.51.100.7", "documentation"), ("203.0.113.9", "documentation"),
    ("198.18.0.1", "benchmarking"), ("192.0.0.8", "reserved"),
    ("::", "unspecified"), ("::1", "loopback"), ("fd00::1", "unique local"), ("fc00::5", "unique local"),
    ("fe80::1", "link-local"), ("fec0::1", "site-local"), ("ff02::1", "multicast"),
    ("fd00:ec2::254", "metadata"),
    ("::ffff:127.0.0.1", "IPv4-mapped"), ("::ffff:8.8.8.8", "IPv4-mapped"), ("::7f00:1", "IPv4-compatible"),
    ("64:ff9b::7f00:1", "embeds 127.0.0.1"), ("64:ff9b::a00:5", "embeds 10.0.0.5"),
    ("64:ff9b::a9fe:a9fe", "embeds 169.254.169.254"), ("64:ff9b:1::1", "NAT64"),
    ("2002:7f00:1::1", "embeds 127.0.0.1"), ("2002:c0a8:101::1", "embeds 192.168.1.1"),
    ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"), ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"), ("100::1", "discard"), ("4000::1", "reserved"),
]  # fmt: skip


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_refused_addresses_say_why(address, reason):
    problem = address_problem(address)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses_pass(address):
    assert address_problem(address) is None


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["localhost", "LOCALHOST.", "app.localhost", "metadata.google.internal", "metadata.goog",
     "printer.local", "db.internal", "nas.home.arpa", "intranet"],
)  # fmt: skip
def test_local_and_metadata_names_are_refused(name):
    assert name_problem(name)


@pytest.mark.parametrize("name", ["example.com", "data.example.gov", "xn--bcher-kva.example"])
def test_public_names_pass(name):
    assert name_problem(name) is None


def test_allow_list_matches_any_spelling_of_the_same_host():
    assert is_allowed_host("127.1", ("127.0.0.1",))
    assert is_allowed_host("Staging.Example.test.", ("staging.example.test",))
    assert is_allowed_host("::1", ("[::1]",))
    assert not is_allowed_host("127.0.0.2", ("127.0.0.1",))
    assert not is_allowed_host("example.test", ())
    assert canonical_host("0x7f.1") == "127.0.0.1"


def test_allow_list_entry_with_a_port_allows_that_port_only():
    assert is_allowed_host("127.0.0.1", ("127.0.0.1:8123",), 8123)
    assert is_allowed_host("127.1", ("127.0.0.1:8123",), 8123)
    assert not is_allowed_host("127.0.0.1", ("127.0.0.1:8123",), 8124)
    assert not is_allowed_host("127.0.0.1", ("127.0.0.1:8123",))
    assert is_allowed_host("::1", ("[::1]:8123",), 8123)
    assert not is_allowed_host("::1", ("[::1]:8123",), 80)
    assert is_allowed_host("::1", ("::1",), 80)
    assert check_url("http://127.0.0.1:8123/roster.csv", ("127.0.0.1:8123",)).exempt
    with pytest.raises(FetchRefused):
        check_url("http://127.0.0.1:8124/", ("127.0.0.1:8123",))
    with pytest.raises(FetchRefused):
        check_url("http://127.0.0.1/", ("127.0.0.1:8123",))


# --- whole URLs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://example.com/_x", "ftp://example.com/a.csv", "data:text/plain,hello",
     "javascript:alert(1)", "//example.com/no-scheme", "dict://example.com:11211/"],
)  # fmt: skip
def test_only_http_and_https(url):
    with pytest.raises(FetchRefused, match="only http:// and https://"):
        check_url(url)


@pytest.mark.parametrize(
    "url", ["http://93.184.215.14:6379/", "https://example.com:8443/", "http://example.com:22/"]
)
def test_only_web_ports(url):
    with pytest.raises(FetchRefused, match="not a web port"):
        check_url(url)


def test_allow_listed_hosts_are_exempt_from_port_and_address_rules():
    checked = check_url("http://10.0.0.5:8080/x.csv", ("10.0.0.5",))
    assert checked.exempt and checked.port == 8080
    assert check_url("http://staging.internal:6379/", ("staging.internal",)).exempt
    # the scheme rule still holds
    with pytest.raises(FetchRefused):
        check_url("file:///etc/passwd", ("localhost", ""))


def test_trusted_host_is_exempt_but_only_that_host():
    assert check_url("http://127.0.0.1:9999/files/x", trusted_host="127.0.0.1").exempt
    with pytest.raises(FetchRefused):
        check_url("http://localhost:9999/files/x", trusted_host="127.0.0.1")


def test_public_urls_pass_with_their_port():
    assert check_url("https://example.com/a.xlsx").port == 443
    assert check_url("HTTP://Example.COM/a.csv").host == "example.com"
    assert not check_url("http://8.8.8.8/").exempt


@pytest.mark.parametrize(
    "url",
    ["http://0177.0.0.1/", "http://[::1]/", "http://0x7f.1/", "http://localhost/", "http://exa mple.com/",
     "http://a.b..c/", "http:///x", "http://[fe80::1%25eth0]/"],
)  # fmt: skip
def test_refusals_are_one_plain_sentence(url):
    with pytest.raises(FetchRefused) as caught:
        check_url(url)
    message = str(caught.value)
    assert message.startswith("Refused:") and message.endswith(".") and "\n" not in message
    assert "Traceback" not in message


def test_refusal_names_the_address_a_spelling_means():
    with pytest.raises(FetchRefused, match=r"0177\.0\.0\.1 means 127\.0\.0\.1, a loopback address"):
        check_url("http://0177.0.0.1/")
    with pytest.raises(FetchRefused, match="SCAN_ALLOW_HOSTS"):
        check_url("http://10.0.0.5/")
    with pytest.raises(FetchRefused, match="never fetched"):
        check_url("http://169.254.169.254/latest/meta-data/")
