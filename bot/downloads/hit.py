"""One request as a log line records it (`Hit`), and the helpers every log format shares.

A format module turns one line (str) into a `Hit` or None (not its kind of line). Fields a format
does not record are None: `host` (then the host is not compared), `range_start`/`range_end`
(then 206 coverage falls back to bytes sent). Times are aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote_to_bytes

MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}


@dataclass(slots=True)
class Hit:
    time: datetime
    client: str
    method: str
    target: str            # the request target as logged: path, maybe with a query, maybe absolute
    status: int
    bytes_sent: int
    user_agent: str = ""
    host: str | None = None
    range_start: int | None = None
    range_end: int | None = None   # inclusive, as in a Content-Range


def number(text: str | None) -> int:
    """A byte count or status as logs write it: '-' or empty is 0."""
    if not text or text == "-":
        return 0
    return int(text)


def clf_time(text: str) -> datetime:
    """'10/Oct/2026:13:55:36 -0700' (NCSA, S3) -> aware UTC datetime."""
    day, month, rest = text.split("/", 2)
    year, hh, mm, ss_zone = rest.split(":", 3)
    ss, _, zone = ss_zone.partition(" ")
    moment = datetime(int(year), MONTHS[month.lower()], int(day), int(hh), int(mm), int(float(ss)))
    offset = timedelta(0)
    if zone:
        sign = -1 if zone[0] == "-" else 1
        offset = sign * timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    return moment.replace(tzinfo=timezone(offset)).astimezone(UTC)


def iso_time(text: str) -> datetime:
    """ISO 8601 with or without zone (UTC when none), 'Z' allowed, fractions of any length."""
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    if "." in text:  # fromisoformat wants 3 or 6 digits of fraction before 3.11's wider rules
        head, _, tail = text.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        text = head + "." + tail[:digits][:6].ljust(6, "0") + tail[digits:]
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def epoch_time(value: float) -> datetime:
    """Seconds, milliseconds or nanoseconds since the epoch (Cloudflare writes any of them)."""
    value = float(value)
    while value > 1e11:   # past year 5138 in seconds: it is ms, µs or ns
        value /= 1000
    return datetime.fromtimestamp(value, UTC)


def any_time(value) -> datetime:
    if isinstance(value, int | float):
        return epoch_time(value)
    text = str(value).strip()
    if text.replace(".", "", 1).isdigit():
        return epoch_time(float(text))
    if "/" in text and "[" not in text and ":" in text:
        return clf_time(text)
    return iso_time(text.strip("[]"))


def request_line(text: str) -> tuple[str, str] | None:
    """'GET /path?q HTTP/1.1' -> ('GET', '/path?q'); None when it is not a request line."""
    parts = text.split(" ")
    if len(parts) < 2 or not parts[0].isalpha() or not parts[0].isupper():
        return None
    if len(parts) > 2 and not parts[-1].startswith("HTTP/"):
        return None
    target = " ".join(parts[1:-1]) if len(parts) > 2 else parts[1]
    return parts[0], target


def split_target(target: str) -> tuple[str | None, bytes]:
    """A request target -> (host or None, percent-decoded path bytes), query and fragment dropped."""
    host = None
    lowered = target[:8].lower()
    if lowered.startswith(("http://", "https://")):
        rest = target.split("://", 1)[1]
        authority, slash, path = rest.partition("/")
        host = authority
        target = slash + path
    path = target.split("?", 1)[0].split("#", 1)[0]
    return host, unquote_to_bytes(path)


def host_key(host: str | None) -> str | None:
    """'Example.GOV:443.' -> 'example.gov'; IPv6 literals keep their brackets' content."""
    if not host or host == "-":
        return None
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".") or None


def range_header(text: str | None) -> tuple[int | None, int | None]:
    """'bytes=100-199' -> (100, 199); an open range 'bytes=100-' -> (100, None); else (None, None)."""
    if not text or not text.lower().startswith("bytes="):
        return None, None
    first = text[6:].split(",", 1)[0].strip()
    start, _, end = first.partition("-")
    try:
        if not start:   # a suffix range: the last N bytes; the file size is needed to place it
            return None, None
        return int(start), (int(end) if end else None)
    except ValueError:
        return None, None


def utc_text(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None
