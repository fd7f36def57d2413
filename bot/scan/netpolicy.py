"""Which URLs the scanner may fetch: schemes, ports, host names and addresses.

Pure functions, no network. `bot/scan/fetch.py` runs `check_url` on every hop before it connects,
and `check_address` at connect time on each address the name resolved to, so the address that is
checked is the address that is connected to (no DNS-rebinding window).

Hosts listed in SCAN_ALLOW_HOSTS are exempt from the port rule and the address rules (an internal
staging site; an entry `host:port` exempts that one port only, as for the local workspace's
sample site); the scheme rule always holds, and so does `never_problem`: no host, however
listed, reaches a link-local address (169.254.0.0/16, fe80::/10) or a cloud metadata service
(169.254.169.254, 100.100.100.200, fd00:ec2::254), in any spelling (IPv4-mapped, NAT64, 6to4).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from urllib.parse import urlsplit

import httpx

from bot.errors import FetchRefused

IPAddress = IPv4Address | IPv6Address

ALLOWED_SCHEMES = ("http", "https")
ALLOWED_PORTS = (80, 443)
DEFAULT_PORTS = {"http": 80, "https": 443}

_ALLOW_HINT = "add the host to SCAN_ALLOW_HOSTS if it is an internal staging site"

PRIVATE = "a private address"
LOOPBACK = "a loopback address"
METADATA = "a cloud metadata address"

# First match wins, so narrow ranges come before the wide ones that contain them.
_IPV4_RULES: list[tuple[IPv4Network, str]] = [
    (IPv4Network(net), reason)
    for net, reason in [
        ("0.0.0.0/8", "an unspecified ('this network') address"),
        ("10.0.0.0/8", PRIVATE),
        ("100.100.100.200/32", METADATA),  # Alibaba Cloud
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", LOOPBACK),
        ("169.254.169.254/32", METADATA),  # AWS, GCP, Azure, OpenStack...
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", PRIVATE),
        ("192.0.0.0/24", "a reserved protocol address"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.88.99.0/24", "a reserved (6to4 relay) address"),
        ("192.168.0.0/16", PRIVATE),
        ("198.18.0.0/15", "a benchmarking address"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("255.255.255.255/32", "the broadcast address"),
        ("240.0.0.0/4", "a reserved address"),
    ]
]

_IPV6_RULES: list[tuple[IPv6Network, str]] = [
    (IPv6Network(net), reason)
    for net, reason in [
        ("::/128", "an unspecified address"),
        ("::1/128", LOOPBACK),
        ("::ffff:0:0/96", "an IPv4-mapped address"),
        ("::/96", "an IPv4-compatible address"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/32", "a Teredo tunnel address"),
        ("2001:db8::/32", "a documentation address"),
        ("3fff::/20", "a documentation address"),
        ("fd00:ec2::254/128", METADATA),  # AWS over IPv6
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address"),
        ("ff00::/8", "a multicast address"),
    ]
]

_NAT64 = IPv6Network("64:ff9b::/96")
_SIX_TO_FOUR = IPv6Network("2002::/16")
_GLOBAL_UNICAST_V6 = IPv6Network("2000::/3")
_IPV4_COMPATIBLE = IPv6Network("::/96")

#: names that mean this machine, a local network or a cloud metadata service, whatever DNS says
_BLOCKED_NAMES = {
    "localhost": "names this machine",
    "metadata.google.internal": "is a cloud metadata service",
    "metadata.goog": "is a cloud metadata service",
    "metadata.azure.com": "is a cloud metadata service",
    "instance-data": "is a cloud metadata service",
    "instance-data.ec2.internal": "is a cloud metadata service",
}
_LOCAL_SUFFIXES = (".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".lan", ".intranet")

_HOST_NAME = re.compile(r"^[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$")


# --- addresses -------------------------------------------------------------------------------


def _c_number(part: str) -> int:
    """One part of a dotted IPv4 address as C's inet_aton reads it: 0x.. hex, 0.. octal, decimal."""
    if re.fullmatch(r"0[xX][0-9a-fA-F]+", part):
        return int(part[2:], 16)
    if re.fullmatch(r"0[0-7]*", part):
        return int(part, 8)
    if re.fullmatch(r"[1-9][0-9]*", part):
        return int(part)
    raise ValueError(part)


def parse_ipv4_loose(text: str) -> IPv4Address | None:
    """Read `text` the way inet_aton/getaddrinfo do, so `2130706433`, `0x7f.1`, `127.1` and
    `0177.0.0.1` all become 127.0.0.1. Returns None when it is not an IPv4 spelling (a name)."""
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    try:
        numbers = [_c_number(part) for part in parts]
    except ValueError:
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    return IPv4Address(value * 256 ** (4 - len(head)) + last)


def parse_ip_host(host: str) -> IPAddress | None:
    """The address a URL host spells, if it spells one: IPv4 in any inet_aton form, or IPv6 with
    or without brackets (a zone id like `%25eth0` is dropped). None for a host name."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        host = host.split("%", 1)[0]
        try:
            return IPv6Address(host)
        except ValueError:
            return None
    return parse_ipv4_loose(host)


def _ipv4_problem(ip: IPv4Address) -> str | None:
    for network, reason in _IPV4_RULES:
        if ip in network:
            return reason
    return None if ip.is_global else "a reserved address"


def address_problem(ip: IPAddress | str) -> str | None:
    """Why the scanner must not connect to `ip` ("a loopback address", ...), or None if public."""
    ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    if isinstance(ip, IPv4Address):
        return _ipv4_problem(ip)
    ip = IPv6Address(int(ip))  # drop any zone id before comparing
    if ip.ipv4_mapped is not None:
        return f"an IPv4-mapped address for {ip.ipv4_mapped}"
    for network, reason in _IPV6_RULES:
        if ip in network:
            return reason
    embedded = None
    if ip in _NAT64:
        embedded, kind = IPv4Address(int(ip) & 0xFFFFFFFF), "a NAT64 address"
    elif ip in _SIX_TO_FOUR:
        embedded, kind = IPv4Address((int(ip) >> 80) & 0xFFFFFFFF), "a 6to4 address"
    if embedded is not None:
        inner = _ipv4_problem(embedded)
        return f"{kind} that embeds {embedded}, {inner}" if inner else None
    if ip not in _GLOBAL_UNICAST_V6 or not ip.is_global:
        return "a reserved address"
    return None


#: reached by no host, allow-listed or not: the machine's link and the cloud's metadata services
_NEVER_V4 = (IPv4Network("169.254.0.0/16"), IPv4Network("100.100.100.200/32"))
_NEVER_V6 = (IPv6Network("fe80::/10"), IPv6Network("fd00:ec2::254/128"))


def never_problem(ip: IPAddress | str) -> str | None:
    """Why no host may connect to `ip` even when SCAN_ALLOW_HOSTS lists it, or None."""
    ip = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    inner = ip
    if isinstance(ip, IPv6Address):
        ip = IPv6Address(int(ip))  # drop any zone id
        if any(ip in network for network in _NEVER_V6):
            return address_problem(ip)
        if ip.ipv4_mapped is not None:
            inner = ip.ipv4_mapped
        elif ip in _NAT64 or ip in _IPV4_COMPATIBLE:
            inner = IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip in _SIX_TO_FOUR:
            inner = IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
        else:
            return None
    if any(inner in network for network in _NEVER_V4):
        reason = _ipv4_problem(inner)
        return reason if inner is ip else f"an address that embeds {inner}, {reason}"
    return None


# --- host names ------------------------------------------------------------------------------


def canonical_host(host: str) -> str:
    """One spelling per host: addresses in their standard form, names lower case without the final dot."""
    ip = parse_ip_host(host)
    if ip is not None:
        return str(ip)
    return host.strip().lower().rstrip(".")


def _allow_entry(entry: str) -> tuple[str, int | None]:
    """One SCAN_ALLOW_HOSTS entry -> (host, port or None): `host`, `host:port`, `[v6]`, `[v6]:port`."""
    entry = entry.strip()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else None
    host, sep, port = entry.rpartition(":")
    if sep and ":" not in host and port.isdigit():
        return host, int(port)
    return entry, None


def is_allowed_host(host: str, allow_hosts: tuple[str, ...] | list[str], port: int | None = None) -> bool:
    """True when SCAN_ALLOW_HOSTS names this host (in any spelling of the same address).

    An entry with a port (`127.0.0.1:8080`) allows that port only, so it never matches when the
    port is not given."""
    wanted = canonical_host(host)
    for entry in allow_hosts:
        if not entry.strip():
            continue
        entry_host, entry_port = _allow_entry(entry)
        if canonical_host(entry_host) == wanted and (entry_port is None or entry_port == port):
            return True
    return False


def name_problem(host: str) -> str | None:
    """Why a host *name* is refused before any DNS look-up, or None."""
    name = host.strip().lower().rstrip(".")
    if name in _BLOCKED_NAMES:
        return _BLOCKED_NAMES[name]
    if name.endswith(_LOCAL_SUFFIXES):
        return "is a name on a local or internal network"
    if "." not in name:
        return "is a single-label name, which only resolves on a local network"
    return None


# --- whole URLs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedURL:
    url: httpx.URL
    #: the host exactly as it will be sent and connected to (IDNA-encoded, no brackets)
    host: str
    port: int
    #: listed in SCAN_ALLOW_HOSTS (or the trusted host): address and port rules do not apply
    exempt: bool


def _shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse_address(host: str, ip: IPAddress, reason: str, *, verb: str = "resolves to") -> FetchRefused:
    """The one sentence for an address that may not be fetched."""
    hint = "it is never fetched, even for a host in SCAN_ALLOW_HOSTS" if never_problem(ip) else _ALLOW_HINT
    written_as_is = host == str(ip) or (":" in host and parse_ip_host(host) == ip)
    if written_as_is:
        return FetchRefused(f"Refused: {host} is {reason}; {hint}.")
    return FetchRefused(f"Refused: {host} {verb} {ip}, {reason}; {hint}.")


def check_address(host: str, ip: IPAddress, *, verb: str = "resolves to", exempt: bool = False) -> None:
    """Raise FetchRefused if `host`, resolved to `ip`, must not be connected to (`exempt`: the host
    is allow-listed, and only `never_problem` applies)."""
    reason = never_problem(ip) if exempt else address_problem(ip)
    if reason:
        raise refuse_address(host, ip, reason, verb=verb)


def _refuse_unparsable(url: str, exc: Exception) -> FetchRefused:
    # httpx rejects some address spellings (0177.0.0.1) that C resolvers accept: say what they mean.
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    ip = parse_ip_host(host) if host else None
    reason = address_problem(ip) if ip is not None else None
    if ip is not None and reason:
        return refuse_address(host, ip, reason, verb="means")
    return FetchRefused(f"Refused: {_shorten(url)!r} is not a valid web address ({exc}).")


def check_url(
    url: str | httpx.URL, allow_hosts: tuple[str, ...] = (), *, trusted_host: str | None = None
) -> CheckedURL:
    """Check scheme, host and port of one URL (one redirect hop) before anything connects.

    Names are resolved later, at connect time; an address written in the URL is checked here.
    `trusted_host` (the Slack API host) is exempt like an allow-listed host.
    """
    try:
        parsed = url if isinstance(url, httpx.URL) else httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise _refuse_unparsable(str(url), exc) from None
    scheme = parsed.scheme
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}: links" if scheme else "links without a scheme"
        hint = (
            " (to scan a local file, pass its path to the command line instead)" if scheme == "file" else ""
        )
        raise FetchRefused(f"Refused: only http:// and https:// addresses are fetched, not {shown}{hint}.")
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise FetchRefused(f"Refused: {_shorten(str(parsed))!r} has no host name.")
    port = parsed.port or DEFAULT_PORTS[scheme]
    if not 0 < port < 65536:
        raise FetchRefused(f"Refused: port {port} is not a valid port number.")
    exempt = is_allowed_host(host, allow_hosts, port) or (
        trusted_host is not None and canonical_host(host) == canonical_host(trusted_host)
    )
    ip = parse_ip_host(host)
    if exempt:
        never = never_problem(ip) if ip is not None else None
        if never:
            raise refuse_address(host, ip, never, verb="means")
        return CheckedURL(parsed, host, port, True)
    if ip is not None:
        check_address(host, ip, verb="means")
    else:
        if not _HOST_NAME.match(host.lower()):
            raise FetchRefused(f"Refused: {_shorten(host)} is not a valid host name.")
        problem = name_problem(host)
        if problem:
            raise FetchRefused(f"Refused: {host} {problem}, not a public site; {_ALLOW_HINT}.")
    if port not in ALLOWED_PORTS:
        raise FetchRefused(
            f"Refused: {host} port {port} is not a web port (only 80 and 443 are fetched); {_ALLOW_HINT}."
        )
    return CheckedURL(parsed, host, port, False)
