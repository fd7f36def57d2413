"""`downloads_report(logs, url, ...)`: the access logs of an exposure window -> the report dict
whose shape is the contract of `python -m bot downloads --json` (docs/downloads.md).

A request counts when its method is GET or HEAD, its path percent-decoded equals the URL's path
percent-decoded (any query string), its host equals the URL's host where the log records one,
and its time lies inside the window. `clients_csv` is the per-client table (addresses: personal
data, so only for `--json`, `--export` and files uploaded on request, never a Slack message).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import unquote_to_bytes, urlsplit

from bot.downloads.hit import Hit, host_key, split_target, utc_text
from bot.downloads.reader import needle_for, read_logs
from bot.downloads.tally import TOP_CLIENTS, Client, Tally


class Matcher:
    """Which logged requests are for the leaked URL (path, host, window)."""

    def __init__(self, url: str, start: datetime | None = None, end: datetime | None = None) -> None:
        parts = urlsplit(url.strip())
        self.host = host_key(parts.netloc.rsplit("@", 1)[-1]) if parts.scheme and parts.netloc else None
        path = parts.path if parts.scheme else url.strip().split("?", 1)[0]
        self.path = unquote_to_bytes(path or "/")
        self.start, self.end = start, end

    def wants(self, hit: Hit) -> bool:
        if hit.method not in ("GET", "HEAD"):
            return False
        if (self.start and hit.time < self.start) or (self.end and hit.time > self.end):
            return False
        host, path = split_target(hit.target)
        if path != self.path:
            return False
        logged = host_key(host or hit.host)
        return not (self.host and logged and logged != self.host)


def downloads_report(logs: Iterable[str], url: str, *, start: datetime | None = None,
                     end: datetime | None = None, size: int | None = None,
                     tally: Tally | None = None) -> dict:
    matcher = Matcher(url, start, end)
    tally = tally if tally is not None else Tally()

    def on_hit(hit: Hit) -> None:
        if matcher.wants(hit):
            tally.add(hit)

    read = read_logs(logs, needle_for(matcher.path), on_hit)
    decided = tally.decide(size)
    content = [c for c in tally.clients.values() if c.bytes_sent > 0]
    times = [c.first for c in tally.clients.values()] + [c.last for c in tally.clients.values()]
    error = None
    if read.files == 0:
        reasons = "; ".join(f"{p['file']}: {p['reason']}" for p in read.files_unread[:5])
        error = "No log could be read" + (f" ({reasons})." if reasons else ": no files were given.")
    elif not read.formats:
        error = "None of the files is an access log in a format this reads (see docs/downloads.md)."
    return {
        "url": url,
        "window": {"from": utc_text(start), "to": utc_text(end)},
        "lines": read.lines,
        "lines_unread": read.lines_unread,
        "formats": dict(sorted(read.formats.items())),
        "files": read.files,
        "files_unread": read.files_unread,
        "size": decided["size"],
        "requests": tally.requests,
        "head": tally.head,
        "not_modified": tally.not_modified,
        "redirects": tally.redirects,
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "downloads_complete": decided["complete"],
        "downloads_complete_external": sum(c.complete for c in tally.clients.values() if not c.internal),
        "downloads_partial": decided["partial"],
        "clients": len(content),
        "clients_internal": sum(1 for c in content if c.internal),
        "first_fetch": utc_text(min(times)) if times else None,
        "last_fetch": utc_text(max(times)) if times else None,
        "crawlers": [
            {"name": c["name"], "kind": c["kind"], "requests": c["requests"], "complete": c["complete"],
             "first": utc_text(c["first"]), "last": utc_text(c["last"]), "own": c["own"], "claimed_only": True}
            for c in sorted(tally.crawlers.values(), key=lambda c: (c["first"], c["name"]))
        ],
        "per_hour": [{"hour": utc_text(hour), "requests": n, "complete": done}
                     for hour, (n, done) in sorted(tally.per_hour.items())],
        "top_clients": [client_row(c) for c in ranked(tally)[:TOP_CLIENTS]],
        "capped": tally.capped,
        "error": error,
    }


def ranked(tally: Tally) -> list[Client]:
    return sorted(tally.clients.values(), key=lambda c: (-c.complete, -c.requests, c.first, c.address))


def client_row(client: Client) -> dict:
    return {"client": client.address, "user_agent": client.user_agent, "requests": client.requests,
            "complete": client.complete, "partial": client.partial, "bytes": client.bytes_sent,
            "first": utc_text(client.first), "last": utc_text(client.last),
            "internal": client.internal, "crawler": client.crawler}


EXPORT_COLUMNS = ("client", "user_agent", "requests", "complete", "partial", "bytes", "first", "last",
                  "internal", "crawler")


def clients_csv(tally: Tally) -> str:
    """Every client, most complete downloads first, as CSV (`--export`, the private channel's file)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(client_row(c) for c in ranked(tally))
    return out.getvalue()
