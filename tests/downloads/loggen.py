"""Generated access logs with known truth, written apart from the parser code they test.

`scenario(seed)` makes the requests of an exposure (complete and ranged downloads, partial ones,
HEAD, 304, redirects, crawlers, internal addresses, POSTs, requests outside the window, the same
path on other sites, other paths) as `Event`s; `write_logs` spreads them over files in every
format (some gzip'd, one in a subfolder, plus a binary file and garbage lines), each client's
requests in one file; `truth` counts what the report must say straight from the events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

URL = "https://example.gov/files/d%C3%A9tenus%20liste(v2).xlsx"
PATH = "/files/détenus liste(v2).xlsx"          # the URL's path, decoded
HOST = "example.gov"
SIZE = 48_213
START = datetime(2026, 11, 3, 14, 0, 0, tzinfo=UTC)
END = datetime(2026, 11, 3, 19, 10, 0, tzinfo=UTC)

# user agents a crawler really sends, and the name the report must give it
CRAWLERS = {
    "Googlebot": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Bingbot": "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Internet Archive": "Mozilla/5.0 (compatible; archive.org_bot +http://archive.org/details/archive.org_bot)",
    "OpenAI GPTBot": "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
    "Slack unfurl (Slackbot-LinkExpanding)": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Facebook link preview": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
}
BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "curl/8.5.0",
    "Wget/1.21.4",
]
# how each format spells the path in a request (all decode to PATH)
SPELLINGS = ["/files/d%C3%A9tenus%20liste(v2).xlsx", "/files/d%c3%a9tenus%20liste%28v2%29.xlsx",
             "/files/d%C3%A9tenus liste(v2).xlsx"]
FORMATS = ("combined", "vhost_combined", "common", "iis", "cloudfront", "s3", "alb", "cloudflare", "nginx_json")
HOST_RECORDED = {"vhost_combined", "iis", "cloudfront", "s3", "alb", "cloudflare", "nginx_json"}


@dataclass
class Event:
    time: datetime
    client: str
    agent: str
    method: str = "GET"
    path: str = SPELLINGS[0]      # as sent, percent-encoded
    query: str = ""
    host: str = HOST
    status: int = 200
    sent: int = SIZE
    range: tuple[int, int] | None = None   # inclusive byte range of a 206


def _public_ip(rng: random.Random) -> str:
    return f"{rng.choice([203, 198, 45, 81, 151])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def scenario(seed: int = 7) -> tuple[list[Event], list[Event]]:
    """(events for the leaked file and its look-alikes, background events of other paths)."""
    rng = random.Random(seed)
    span = (END - START).total_seconds()

    def when(outside: bool = False) -> datetime:
        if outside:
            return rng.choice([START - timedelta(minutes=rng.randrange(5, 300)),
                               END + timedelta(minutes=rng.randrange(5, 300))])
        return START + timedelta(seconds=rng.randrange(int(span)))

    def q() -> str:
        return rng.choice(["", "", "?dl=1", "?utm_source=mail&x=%2F"])

    events: list[Event] = []
    for _ in range(40):        # complete downloads by browsers
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), path=rng.choice(SPELLINGS), query=q()))
    for _ in range(6):         # cut-off downloads
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), sent=rng.randrange(1, SIZE)))
    for _ in range(5):         # ranged downloads that together are complete (two halves, same client)
        ip, agent, t = _public_ip(rng), rng.choice(BROWSERS), when()
        events.append(Event(t, ip, agent, status=206, sent=20_000, range=(0, 19_999)))
        events.append(Event(t + timedelta(seconds=3), ip, agent, status=206, sent=SIZE - 20_000, range=(20_000, SIZE - 1)))
    for _ in range(3):         # a single range: partial
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), status=206, sent=1024, range=(0, 1023)))
    for _ in range(4):         # HEAD, 304, redirects, errors
        ip = _public_ip(rng)
        events.append(Event(when(), ip, "curl/8.5.0", method="HEAD", sent=0))
        events.append(Event(when(), ip, rng.choice(BROWSERS), status=304, sent=0))
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), status=301, sent=230,
                            path=SPELLINGS[0].replace("/files/", "/Files/"), query=""))
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), status=302, sent=0))
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), status=404, sent=512))
    for _ in range(7):         # staff on internal addresses
        events.append(Event(when(), f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                            rng.choice(BROWSERS)))
    events.append(Event(when(), "192.168.1.20", BROWSERS[0], status=206, sent=SIZE, range=(0, SIZE - 1)))
    for name, agent in CRAWLERS.items():
        ip = _public_ip(rng)
        for _ in range(1 + (name == "Googlebot") * 2):
            events.append(Event(when(), ip, agent, sent=SIZE if name != "Slack unfurl (Slackbot-LinkExpanding)" else 32_768))
    for _ in range(5):         # outside the window, POSTs, the same path on another site
        events.append(Event(when(outside=True), _public_ip(rng), rng.choice(BROWSERS)))
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), method="POST", status=405, sent=0))
        events.append(Event(when(), _public_ip(rng), rng.choice(BROWSERS), host="intranet.example.org"))
    background = [Event(when(), _public_ip(rng), rng.choice(BROWSERS),
                        path=rng.choice(["/", "/index.html", "/static/app.js", "/files/other.pdf",
                                         "/files/liste.xlsx", "/files/d%C3%A9tenus%20liste(v1).xlsx"]),
                        sent=rng.randrange(100, 90_000), status=rng.choice([200, 200, 200, 304, 404]))
                  for _ in range(3000)]
    return events, background


def _decoded(path: str) -> bytes:
    out, i, raw = bytearray(), 0, path.encode("utf-8")
    while i < len(raw):
        if raw[i:i + 1] == b"%" and i + 2 < len(raw) and all(c in b"0123456789abcdefABCDEF" for c in raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)


def counted(event: Event) -> bool:
    return (event.method in ("GET", "HEAD") and START <= event.time <= END
            and _decoded(event.path) == PATH.encode("utf-8") and event.host == HOST)


def truth(events: list[Event], size: int = SIZE) -> dict:
    """What the report must say, counted the plain way from the events."""
    mine = sorted((e for e in events if counted(e)), key=lambda e: e.time)
    complete = partial = 0
    per_hour: dict[str, list[int]] = {}
    ranged: dict[tuple[str, str], list[Event]] = {}
    crawler_complete: dict[str, int] = {}
    names = {agent: name for name, agent in CRAWLERS.items()}
    for e in mine:
        per_hour.setdefault(e.time.strftime("%Y-%m-%dT%H:00:00Z"), [0, 0])[0] += 1
        if e.method != "GET" or e.sent <= 0 or e.status not in (200, 206):
            continue
        if e.status == 206:
            ranged.setdefault((e.client, e.agent), []).append(e)
        elif e.sent >= size:
            complete += 1
            per_hour[e.time.strftime("%Y-%m-%dT%H:00:00Z")][1] += 1
            if e.agent in names:
                crawler_complete[names[e.agent]] = crawler_complete.get(names[e.agent], 0) + 1
        else:
            partial += 1
    for parts in ranged.values():
        have = bytearray(size)
        waiting = 0
        for e in parts:
            have[e.range[0]:e.range[1] + 1] = b"\x01" * (e.range[1] + 1 - e.range[0])
            waiting += 1
            if all(have):
                complete += 1
                per_hour[e.time.strftime("%Y-%m-%dT%H:00:00Z")][1] += 1
                have, waiting = bytearray(size), 0
        partial += waiting
    receivers = {(e.client, e.agent) for e in mine if e.method == "GET" and e.status in (200, 206) and e.sent > 0}
    crawlers = {}
    for e in mine:
        if e.agent in names:
            crawlers.setdefault(names[e.agent], []).append(e.time)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    return {
        "requests": len(mine),
        "head": sum(e.method == "HEAD" for e in mine),
        "not_modified": sum(e.status == 304 for e in mine),
        "redirects": sum(e.status in (301, 302, 303, 307, 308) for e in mine),
        "downloads_complete": complete,
        "downloads_partial": partial,
        "clients": len(receivers),
        "clients_internal": sum(ip.startswith(("10.", "192.168.")) for ip, _ in receivers),
        "first_fetch": mine[0].time.strftime(fmt),
        "last_fetch": mine[-1].time.strftime(fmt),
        "crawlers": {name: (len(times), min(times).strftime(fmt), crawler_complete.get(name, 0))
                     for name, times in crawlers.items()},
        "per_hour": [{"hour": h, "requests": n, "complete": c} for h, (n, c) in sorted(per_hour.items())],
    }
