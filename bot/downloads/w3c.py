"""W3C extended log files: IIS and CloudFront standard logs, laid out by their `#Fields:` line.

The layout may change inside a file (IIS writes a new header block when it restarts), so header
lines are fed to the parser in file order (`directive`). Data lines are split on tabs when they
hold one (CloudFront) and on spaces otherwise (IIS, which writes a space inside a field as `+`).
CloudFront percent-encodes its user-agent field and encodes the stem once more (a requested `%20`
is logged `%2520`, so it is decoded once before matching); its `x-host-header` is the host the viewer asked
for (`cs(Host)` is only the distribution's own name). `sc-range-start`/`sc-range-end` place a 206.
"""

from __future__ import annotations

from urllib.parse import unquote

from bot.downloads.hit import Hit, iso_time, number


class Parser:
    name = "w3c"
    directive = "#"

    def __init__(self) -> None:
        self.fields: dict[str, int] = {}
        self.label = "w3c"
        self.iis = False

    def feed_directive(self, line: str) -> None:
        if line.startswith("#Software:") and "internet information services" in line.lower():
            self.iis = True
        if line.startswith("#Fields:"):
            names = line[len("#Fields:"):].split()
            self.fields = {name.lower(): i for i, name in enumerate(names)}
            if "x-edge-location" in self.fields or "x-edge-request-id" in self.fields:
                self.label = "cloudfront"
            elif self.iis or "s-sitename" in self.fields or "s-computername" in self.fields:
                self.label, self.iis = "iis", True
            else:
                self.label = "w3c"

    def parse(self, line: str) -> Hit | None:
        if line.startswith("#"):
            self.feed_directive(line)
            return None
        index = self.fields
        if not index or "cs-uri-stem" not in index:
            return None
        parts = line.split("\t") if "\t" in line else line.split(" ")
        if len(parts) != len(index):
            return None

        def get(name: str) -> str | None:
            at = index.get(name)
            value = parts[at] if at is not None else None
            return None if value in (None, "-") else value

        try:
            when = iso_time(f"{get('date')}T{get('time')}") if "date" in index else iso_time(get("time") or "")
            status = int(get("sc-status") or "")
            size = number(get("sc-bytes"))
            start, end = get("sc-range-start"), get("sc-range-end")
        except (ValueError, TypeError):
            return None
        agent = get("cs(user-agent)") or ""
        agent = agent.replace("+", " ") if self.iis else unquote(unquote(agent))
        stem = get("cs-uri-stem") or ""
        if self.iis:
            stem = stem.replace("+", "%20")
        elif self.label == "cloudfront":   # encoded once more: a requested %20 is logged %2520
            stem = unquote(stem)
        return Hit(time=when, client=get("c-ip") or "-", method=(get("cs-method") or "GET").upper(),
                   target=stem, status=status, bytes_sent=size, user_agent=agent,
                   host=get("x-host-header") or get("cs-host"),
                   range_start=int(start) if start and start.isdigit() else None,
                   range_end=int(end) if end and end.isdigit() else None)
