"""AWS Application Load Balancer access log lines.

    https 2026-11-03T14:02:54.186641Z app/lb/50dc 203.0.113.7:2817 10.0.0.1:80 0.001 0.048 0.000
    200 200 0 57 "GET https://www.example.gov:443/files/x.xlsx HTTP/1.1" "curl/8.4" cipher tls ...

The request holds the absolute URL, so the host is always compared. `sent_bytes` is the size of
the response including headers, as ALB counts it.
"""

from __future__ import annotations

import re

from bot.downloads.hit import Hit, iso_time, number, request_line
from bot.downloads.ncsa import unescape

LINE = re.compile(
    r"^(?:https?|h2|grpcs?|wss?) (\S+) \S+ (\S+) \S+ \S+ \S+ \S+ (\d{3}|-) \S+ (\d+|-) (\d+|-) "
    r'"([^"]*)" "((?:[^"\\]|\\.)*)"(?:\s.*)?$'
)


class Parser:
    name = "alb"
    directive = None
    label = "alb"

    def parse(self, line: str) -> Hit | None:
        found = LINE.match(line)
        if not found:
            return None
        when, client, status, _received, sent, request, agent = found.groups()
        parsed = request_line(request)
        if parsed is None or status == "-":
            return None
        try:
            moment = iso_time(when)
        except ValueError:
            return None
        address = client.rsplit(":", 1)[0] if ":" in client else client
        return Hit(time=moment, client=address.strip("[]"), method=parsed[0], target=parsed[1],
                   status=int(status), bytes_sent=number(sent), user_agent=unescape(agent))
