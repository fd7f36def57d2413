"""JSON lines: one object per line with the usual field names of Cloudflare Logpush (HTTP
requests dataset) and of nginx `log_format ... escape=json` setups.

Each fact is looked up under its usual names, first found wins (`FIELDS`). `label` is
`cloudflare` for Logpush's own field names, `json` otherwise.
"""

from __future__ import annotations

import json

from bot.downloads.hit import Hit, any_time, host_key, range_header, request_line

FIELDS = {
    "client": ("ClientIP", "remote_addr", "client_ip", "clientip", "ip", "remote_ip", "c-ip", "client"),
    "method": ("ClientRequestMethod", "request_method", "method", "http_method"),
    "target": ("ClientRequestURI", "ClientRequestPath", "request_uri", "uri", "path", "url", "request_url"),
    "request": ("request", "request_line"),
    "host": ("ClientRequestHost", "host", "http_host", "hostname", "server_name"),
    "status": ("EdgeResponseStatus", "status", "status_code", "response_status", "OriginResponseStatus"),
    "bytes": ("EdgeResponseBytes", "body_bytes_sent", "bytes_sent", "bytes", "response_bytes", "size"),
    "agent": ("ClientRequestUserAgent", "http_user_agent", "user_agent", "useragent", "ua", "agent"),
    "time": ("EdgeStartTimestamp", "time_iso8601", "@timestamp", "timestamp", "time", "time_local",
             "msec", "datetime", "date"),
    "range": ("http_range", "range", "ClientRequestRange"),
}
CLOUDFLARE_KEYS = ("ClientRequestURI", "EdgeStartTimestamp", "ClientIP", "EdgeResponseStatus")


def _first(record: dict, names: tuple[str, ...]):
    for name in names:
        value = record.get(name)
        if value not in (None, "", "-"):
            return value
    return None


class Parser:
    name = "json"
    directive = None

    def __init__(self) -> None:
        self.label = "json"

    def parse(self, line: str) -> Hit | None:
        if not line.startswith("{"):
            return None
        try:
            record = json.loads(line)
        except ValueError:
            return None
        if not isinstance(record, dict):
            return None
        method, target = _first(record, FIELDS["method"]), _first(record, FIELDS["target"])
        request = _first(record, FIELDS["request"])
        if isinstance(request, str) and (parsed := request_line(request)):
            method, target = method or parsed[0], target or parsed[1]
        when, status = _first(record, FIELDS["time"]), _first(record, FIELDS["status"])
        if not isinstance(target, str) or when is None or status is None:
            return None
        try:
            moment = any_time(when)
            code = int(status)
            size = int(_first(record, FIELDS["bytes"]) or 0)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError, OSError):
            return None
        host = _first(record, FIELDS["host"])
        start, end = range_header(str(_first(record, FIELDS["range"]) or ""))
        self.label = "cloudflare" if any(k in record for k in CLOUDFLARE_KEYS) else "json"
        return Hit(time=moment, client=str(_first(record, FIELDS["client"]) or "-"),
                   method=str(method or "GET").upper(), target=target, status=code, bytes_sent=size,
                   user_agent=str(_first(record, FIELDS["agent"]) or ""),
                   host=host_key(host) if isinstance(host, str) else None,
                   range_start=start, range_end=end)
