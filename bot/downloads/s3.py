"""AWS S3 server access log lines.

    owner bucket [06/Feb/2026:00:00:38 +0000] 192.0.2.3 requester reqid REST.GET.OBJECT key
    "GET /key HTTP/1.1" 200 - bytes_sent object_size total turnaround "referer" "agent" version
    host_id sigv cipher auth host_header tls ...

The request URI is what the client asked (`/key` virtual-hosted, `/bucket/key` path-style); the
`Host` header field, when the log has it, is compared with the URL's host.
"""

from __future__ import annotations

import re

from bot.downloads.hit import Hit, clf_time, number, request_line
from bot.downloads.ncsa import unescape

_QUOTED = r'"((?:[^"\\]|\\.)*)"'
LINE = re.compile(
    r"^\S+ \S+ \[([^\]]+)\] (\S+) \S+ \S+ ([A-Z0-9_.]+) \S+ " + _QUOTED + r" (\d{3}|-) \S+ (\d+|-) (\d+|-) "
    r"\S+ \S+ " + _QUOTED + " " + _QUOTED + r"(?: \S+ \S+ \S+ \S+ \S+ (\S+))?(?:\s.*)?$"
)


class Parser:
    name = "s3"
    directive = None
    label = "s3"

    def parse(self, line: str) -> Hit | None:
        found = LINE.match(line)
        if not found:
            return None
        when, client, _operation, request, status, sent, _size, _referer, agent, host = found.groups()
        parsed = request_line(request)
        if parsed is None or status == "-":
            return None
        try:
            moment = clf_time(when)
        except (ValueError, KeyError, IndexError):
            return None
        return Hit(time=moment, client=client, method=parsed[0], target=parsed[1], status=int(status),
                   bytes_sent=number(sent), user_agent=unescape(agent), host=host)
