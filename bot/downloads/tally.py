"""Counts the requests for one URL into the `downloads` report (the contract is docs/downloads.md).

`Tally.add(hit)` keeps what the report needs, per client (address + user agent) and in compact
arrays for responses with content; `Tally.report(...)` decides complete vs partial once the file's
size is known (given, or the largest byte count of a 200 response):
- a 200 whose bytes reach the size is one complete download; a smaller one is partial;
- a client's 206 responses, in time order, make one complete download each time their ranges
  (where the log records them) or else their byte counts together cover the size; 206s left over
  are partial.
Clients on the organisation's own networks (`INTERNAL_NETWORKS`) are `internal`; the rest are outside the
organisation (crawlers included: their copies are outside too).
"""

from __future__ import annotations

import ipaddress
from array import array
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.downloads.crawlers import KINDS, crawler_for
from bot.downloads.hit import Hit

TOP_CLIENTS = 100
#: memory bounds for hostile or enormous logs: clients kept one by one, and responses with content
#: kept for the complete/partial decision (about 50 bytes each); past them the report says `capped`
MAX_CLIENTS = 100_000
MAX_CONTENT = 1_000_000
OVERFLOW = ("(more clients)", "")
REDIRECTS = (301, 302, 303, 307, 308)


#: an organisation's own networks: RFC 1918, loopback, link-local, carrier-grade NAT, IPv6 unique
#: local (ipaddress's is_private would also take documentation ranges, which are nobody's)
INTERNAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
    "::1/128", "fc00::/7", "fe80::/10"))


def is_internal(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in INTERNAL_NETWORKS if network.version == ip.version)


@dataclass
class Client:
    address: str
    user_agent: str
    crawler: str | None
    internal: bool
    requests: int = 0
    complete: int = 0
    partial: int = 0
    bytes_sent: int = 0
    first: datetime | None = None
    last: datetime | None = None
    index: int = 0


@dataclass
class Tally:
    clients: dict[tuple[str, str], Client] = field(default_factory=dict)
    requests: int = 0
    head: int = 0
    not_modified: int = 0
    redirects: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    per_hour: dict[datetime, list[int]] = field(default_factory=dict)
    crawlers: dict[str, dict] = field(default_factory=dict)
    # responses with content, in arrival order: client index, time, status, bytes, range start/end
    _who: array = field(default_factory=lambda: array("l"))
    _when: array = field(default_factory=lambda: array("d"))
    _status: array = field(default_factory=lambda: array("h"))
    _bytes: array = field(default_factory=lambda: array("q"))
    _start: array = field(default_factory=lambda: array("q"))
    _end: array = field(default_factory=lambda: array("q"))
    _by_index: list[Client] = field(default_factory=list)
    largest_200: int = 0
    #: a memory bound was reached: clients past MAX_CLIENTS are pooled, content past MAX_CONTENT uncounted
    capped: bool = False

    def add(self, hit: Hit) -> None:
        self.requests += 1
        self.statuses[hit.status] = self.statuses.get(hit.status, 0) + 1
        if hit.method == "HEAD":
            self.head += 1
        if hit.status == 304:
            self.not_modified += 1
        elif hit.status in REDIRECTS:
            self.redirects += 1
        key = (hit.client, hit.user_agent)
        if key not in self.clients and len(self.clients) >= MAX_CLIENTS:
            key, self.capped = OVERFLOW, True
        client = self.clients.get(key)
        if client is None:
            crawler = crawler_for(hit.user_agent)
            client = Client(key[0], key[1], crawler.name if crawler and key != OVERFLOW else None,
                            is_internal(key[0]), index=len(self._by_index))
            self.clients[key] = client
            self._by_index.append(client)
        client.requests += 1
        client.first = min(client.first or hit.time, hit.time)
        client.last = max(client.last or hit.time, hit.time)
        hour = hit.time.replace(minute=0, second=0, microsecond=0)
        self.per_hour.setdefault(hour, [0, 0])[0] += 1
        if client.crawler:
            crawler = crawler_for(hit.user_agent)
            entry = self.crawlers.setdefault(client.crawler, {
                "name": client.crawler, "kind": crawler.kind, "kind_label": KINDS[crawler.kind],
                "own": crawler.own, "requests": 0, "complete": 0, "first": hit.time, "last": hit.time})
            entry["requests"] += 1
            entry["first"], entry["last"] = min(entry["first"], hit.time), max(entry["last"], hit.time)
        if hit.method == "GET" and hit.status in (200, 206) and hit.bytes_sent > 0:
            client.bytes_sent += hit.bytes_sent
            if len(self._who) >= MAX_CONTENT:
                self.capped = True
                return
            if hit.status == 200:
                self.largest_200 = max(self.largest_200, hit.bytes_sent)
            self._who.append(client.index)
            self._when.append(hit.time.timestamp())
            self._status.append(hit.status)
            self._bytes.append(hit.bytes_sent)
            self._start.append(-1 if hit.range_start is None else hit.range_start)
            self._end.append(-1 if hit.range_end is None else hit.range_end)

    def decide(self, size: int | None) -> dict:
        """Complete and partial downloads once the size is known; returns the totals."""
        size = size or self.largest_200
        complete = partial = 0
        ranged: dict[int, list[int]] = {}
        for i in range(len(self._who)):
            client = self._by_index[self._who[i]]
            if self._status[i] == 200:
                if size and self._bytes[i] >= size:
                    complete += 1
                    client.complete += 1
                    self._count_complete(client, self._when[i])
                else:
                    partial += 1
                    client.partial += 1
            else:
                ranged.setdefault(self._who[i], []).append(i)
        for who, indices in ranged.items():
            client = self._by_index[who]
            indices.sort(key=lambda i: self._when[i])
            pending: list[int] = []
            covered: list[tuple[int, int]] = []
            total = 0
            for i in indices:
                pending.append(i)
                start, end = self._start[i], self._end[i]
                if start >= 0:
                    stop = end + 1 if end >= 0 else start + self._bytes[i]
                    covered.append((start, stop))
                else:
                    total += self._bytes[i]
                if size and (total >= size or _union_covers(covered, size)):
                    complete += 1
                    client.complete += 1
                    self._count_complete(client, self._when[i])
                    pending, covered, total = [], [], 0
            partial += len(pending)
            client.partial += len(pending)
        return {"size": size or None, "complete": complete, "partial": partial}

    def _count_complete(self, client: Client, when: float) -> None:
        moment = datetime.fromtimestamp(when, UTC)
        hour = moment.replace(minute=0, second=0, microsecond=0)
        self.per_hour.setdefault(hour, [0, 0])[1] += 1
        if client.crawler:
            self.crawlers[client.crawler]["complete"] += 1


def _union_covers(spans: list[tuple[int, int]], size: int) -> bool:
    reach = 0
    for start, stop in sorted(spans):
        if start > reach:
            return False
        reach = max(reach, stop)
        if reach >= size:
            return True
    return False
