"""`/watch <url> [every 5m] [for 2h]`, `/watch list`, `/watch stop <id | url>`, `/watch help`.

Pure parsing: text in, a request or a WatchUsageError (one sentence) out. Durations take s, m or h
(also `min`, `hours`..., and combinations like `1h30m`). The shortest interval is 10 seconds;
WATCH_MIN_INTERVAL_SECONDS lowers it for tests (bot/config.py reads it; the command passes it here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.config import WATCH_MIN_INTERVAL_SECONDS
from bot.errors import LeakwatchError

DEFAULT_INTERVAL_SECONDS = 5 * 60
DEFAULT_WINDOW_SECONDS = 2 * 60 * 60
MIN_INTERVAL_SECONDS = WATCH_MIN_INTERVAL_SECONDS
#: a maintenance window, not a monitoring service: at most a week
MAX_WINDOW_SECONDS = 7 * 24 * 60 * 60

_UNITS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
}
_PIECE = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_DURATION = re.compile(r"^(?:\d+(?:\.\d+)?\s*[a-z]+\s*)+$")


class WatchUsageError(LeakwatchError):
    code = "usage"


@dataclass(frozen=True)
class WatchStart:
    url: str
    interval_seconds: int
    window_seconds: int


@dataclass(frozen=True)
class WatchStop:
    #: a watch number, or None when `url` names it
    number: int | None
    url: str | None


@dataclass(frozen=True)
class WatchList:
    pass


@dataclass(frozen=True)
class WatchHelp:
    pass


WatchRequest = WatchStart | WatchStop | WatchList | WatchHelp


def parse_duration(text: str) -> int:
    """"5m" -> 300, "1h30m" -> 5400, "10 s" -> 10; WatchUsageError otherwise."""
    compact = text.strip().lower()
    if not compact or not _DURATION.match(compact):
        raise WatchUsageError(f"{text.strip()[:40]!r} is not a duration: write it like 10s, 5m or 2h.")
    total = 0.0
    for number, unit in _PIECE.findall(compact):
        if unit not in _UNITS:
            raise WatchUsageError(f"{unit[:20]!r} is not a unit: durations take s, m or h (like 10s, 5m, 2h).")
        total += float(number) * _UNITS[unit]
    return round(total)


def format_duration(seconds: float) -> str:
    """300 -> "5m", 5400 -> "1h30m", 45 -> "45s"."""
    hours, rest = divmod(max(0, round(seconds)), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{value}{unit}" for value, unit in ((hours, "h"), (minutes, "m"), (secs, "s")) if value]
    return "".join(parts) or "0s"


def unwrap_slack_url(token: str) -> str:
    """Slack sends links as `<https://x/y|x/y>`; keep the address."""
    token = token.strip()
    if token.startswith("<") and token.endswith(">"):
        token = token[1:-1].split("|", 1)[0]
    return token


def _looks_like_url(token: str) -> bool:
    return bool(re.match(r"^https?://[^\s/]+", token, re.IGNORECASE))


def parse_watch(text: str, *, min_interval: int = MIN_INTERVAL_SECONDS) -> WatchRequest:
    """The request a `/watch` text asks for (see the module docstring)."""
    words = (text or "").split()
    # `help` anywhere ("/watch stop help") explains the command instead of failing on it
    if not words or any(w.lower() in ("help", "-h", "--help", "?") for w in words):
        return WatchHelp()
    head = words[0].lower()
    if head == "list":
        if len(words) > 1:
            raise WatchUsageError("`/watch list` takes nothing after it.")
        return WatchList()
    if head in ("stop", "cancel", "end"):
        return _parse_stop(words[1:])
    return _parse_start(words, min_interval)


def _parse_stop(words: list[str]) -> WatchStop:
    if len(words) != 1:
        raise WatchUsageError("Say which watch to stop: `/watch stop 3` or `/watch stop <url>` (see `/watch list`).")
    token = unwrap_slack_url(words[0])
    number = token.lstrip("#")
    if number.isdigit():
        return WatchStop(number=int(number), url=None)
    if _looks_like_url(token):
        return WatchStop(number=None, url=token)
    raise WatchUsageError("Say which watch to stop: a number from `/watch list` or the watched URL.")


def _parse_start(words: list[str], min_interval: int) -> WatchStart:
    url = unwrap_slack_url(words[0])
    if not _looks_like_url(url):
        raise WatchUsageError("Start a watch with an http(s) URL: `/watch https://example.gov/page every 5m for 2h`.")
    interval = window = None
    rest = words[1:]
    index = 0
    while index < len(rest):
        keyword = rest[index].lower()
        if keyword not in ("every", "for"):
            raise WatchUsageError(f"Unexpected {rest[index][:40]!r}: write `every 5m` and/or `for 2h` after the URL.")
        # the duration may be split by a space: "every 5 m"
        index += 1
        taken = []
        while index < len(rest) and rest[index].lower() not in ("every", "for"):
            taken.append(rest[index])
            index += 1
        if not taken:
            raise WatchUsageError(f"`{keyword}` needs a duration, like `{keyword} {'5m' if keyword == 'every' else '2h'}`.")
        seconds = parse_duration(" ".join(taken))
        if keyword == "every":
            if interval is not None:
                raise WatchUsageError("Give `every` only once.")
            interval = seconds
        else:
            if window is not None:
                raise WatchUsageError("Give `for` only once.")
            window = seconds
    interval = DEFAULT_INTERVAL_SECONDS if interval is None else interval
    window = DEFAULT_WINDOW_SECONDS if window is None else window
    if interval < min_interval:
        raise WatchUsageError(f"The shortest interval is {format_duration(min_interval)}; `every {format_duration(interval)}` is too often.")
    if window > MAX_WINDOW_SECONDS:
        raise WatchUsageError(f"A watch lasts at most {MAX_WINDOW_SECONDS // 86400} days; `for {format_duration(window)}` is too long.")
    if window < interval:
        raise WatchUsageError(f"The watch would end before its first re-scan: make `for` ({format_duration(window)}) at least `every` ({format_duration(interval)}).")
    return WatchStart(url=url, interval_seconds=interval, window_seconds=window)
