"""NCSA common and combined log lines (Apache, nginx), with or without a leading virtual host
(`vhost_combined`: `%v:%p %h ...`) and with any trailing fields after the user agent.

    [vhost[:port]] client ident user [10/Oct/2026:13:55:36 -0700] "GET /p?q HTTP/1.1" 200 2326 ["referer" "agent"] ...

`label` says which of `common` / `combined` the last line read was. Apache and nginx write bytes
outside printable ASCII in the request line as `\\xhh`; they are read as the bytes they stand for.
"""

from __future__ import annotations

import re

from bot.downloads.hit import Hit, clf_time, number, request_line

_QUOTED = r'"((?:[^"\\]|\\.)*)"'
LINE = re.compile(
    r"^(?:(\S+) )?(\S+) \S+ \S+ \[([^\]]+)\] " + _QUOTED + r" (\d{3}) (\d+|-)"
    r"(?: " + _QUOTED + " " + _QUOTED + r")?(?:\s.*)?$"
)
_ESCAPED_BYTE = re.compile(r"\\x([0-9a-fA-F]{2})")


def unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\") if "\\" in text else text


class Parser:
    name = "ncsa"
    directive = None    # no header lines

    def __init__(self) -> None:
        self.label = "combined"

    def parse(self, line: str) -> Hit | None:
        found = LINE.match(line)
        if not found:
            return None
        vhost, client, when, request, status, size, _referer, agent = found.groups()
        parsed = request_line(_ESCAPED_BYTE.sub(r"%\1", request))
        if parsed is None:
            return None
        try:
            moment = clf_time(when)
        except (ValueError, KeyError, IndexError):
            return None
        self.label = "combined" if agent is not None else "common"
        return Hit(time=moment, client=client, method=parsed[0], target=parsed[1], status=int(status),
                   bytes_sent=number(size), user_agent=unescape(agent or ""), host=vhost)
