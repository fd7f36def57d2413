"""Times for the reader: Slack date tokens out, typed times in the reader's own zone in. Pure.

Out: every time the bot shows in a Slack message is a `<!date^EPOCH^FORMAT|FALLBACK>` token, so
each reader sees it in their own time zone; the fallback (shown where tokens are not rendered:
notifications, some clients, copied text) is UTC and says so:

    moment(t)   -> "<!date^1764338520^{date_short_pretty} {time}|2025-11-28 14:02 UTC>"
    clock(t)    -> "<!date^1764338520^{time}|14:02 UTC>"          (a time of day, near now)
    full(t)     -> "<!date^1764338520^{date_num} {time}|2025-11-28 14:02 UTC>"        (reports)
    stamp(t)    -> "<!date^1764338520^{date_num} {time_secs}|2025-11-28 14:02:00 UTC>"  (timelines)
    utc_text(t) -> "2025-11-28 14:02 UTC"    (plain text: channel topics, stored events, files)

In: `read_time(text, now, zone)` reads what a person typed (`14:05`, `14h05`, an ISO time, with or
without a zone) in THEIR Slack time zone (`users.info`: `tz`, `tz_offset`) and returns the UTC
moment with a sentence saying how it was read: "read as 14:05 Europe/Paris = 13:05 UTC".
`zone_of(user_info)` turns a `users.info` user into a Zone (UTC when Slack gives none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.errors import LeakwatchError

#: a typed time may sit this far in the future (clock skew between people and the bot)
FUTURE_SKEW = timedelta(minutes=2)
#: further back than this is a typo in the date
OLDEST = timedelta(days=365)

_HHMM = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_ZONE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$")


class BadTime(LeakwatchError):
    code = "bad_time"


@dataclass(frozen=True)
class Zone:
    """A reader's time zone: the tz database name when Slack gave one, else a fixed offset."""

    name: str
    tz: tzinfo

    @property
    def is_utc(self) -> bool:
        return self.tz.utcoffset(datetime(2000, 1, 1)) == timedelta(0) and self.name in ("UTC", "Etc/UTC", "GMT")


UTC_ZONE = Zone("UTC", UTC)


def zone_of(user: dict | None) -> Zone:
    """The zone of a `users.info` user (`tz`, `tz_offset`); UTC when absent or unusable."""
    user = user or {}
    name = user.get("tz")
    if isinstance(name, str) and _ZONE_NAME.match(name) and len(name) <= 64:
        try:
            return Zone(name, ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            pass
    offset = user.get("tz_offset")
    if isinstance(offset, int) and not isinstance(offset, bool) and abs(offset) < 18 * 3600:
        if offset == 0:
            return UTC_ZONE
        sign = "+" if offset >= 0 else "-"
        hours, minutes = divmod(abs(offset) // 60, 60)
        return Zone(f"UTC{sign}{hours:02d}:{minutes:02d}", timezone(timedelta(seconds=offset)))
    return UTC_ZONE


# -- out: tokens ----------------------------------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _token(moment: datetime, fmt: str, fallback: str) -> str:
    return f"<!date^{int(_utc(moment).timestamp())}^{fmt}|{fallback}>"


def utc_text(moment: datetime) -> str:
    """`2025-11-28 14:02 UTC`: where a token is not rendered (topics, stored events, report files)."""
    return _utc(moment).strftime("%Y-%m-%d %H:%M UTC")


def utc_clock(moment: datetime) -> str:
    """`14:02 UTC`: a time of day in plain text (a channel topic is one short line)."""
    return _utc(moment).strftime("%H:%M UTC")


def moment(when: datetime) -> str:
    """A date and time: "today 15:02", "Nov 27 15:02" for the reader; UTC with the date as fallback."""
    return _token(when, "{date_short_pretty} {time}", utc_text(when))


def clock(when: datetime) -> str:
    """A time of day (the date is obvious: a deadline minutes away); UTC as fallback."""
    return _token(when, "{time}", utc_clock(when))


def full(when: datetime) -> str:
    """A date with its year and a time (reports: read days later); UTC with the date as fallback."""
    return _token(when, "{date_num} {time}", utc_text(when))


def stamp(when: datetime) -> str:
    """A timeline line's time, to the second, with the full date (a pasted log keeps its dates)."""
    return _token(when, "{date_num} {time_secs}", _utc(when).strftime("%Y-%m-%d %H:%M:%S UTC"))


# -- in: typed times --------------------------------------------------------------------------------


def how_read(when: datetime, now: datetime, zone: Zone, *, zone_given: bool) -> str:
    """`read as 14:05 Europe/Paris = 13:05 UTC`; dates are added when it is not the reader's today."""
    utc, now = _utc(when), _utc(now)
    if zone_given or zone.is_utc:
        return f"read as {utc.strftime('%H:%M' if utc.date() == now.date() else '%Y-%m-%d %H:%M')} UTC"
    local = when.astimezone(zone.tz)
    today = local.date() == now.astimezone(zone.tz).date()
    local_text = local.strftime("%H:%M" if today else "%Y-%m-%d %H:%M")
    utc_part = utc.strftime("%H:%M" if today and utc.date() == local.date() else "%Y-%m-%d %H:%M")
    return f"read as {local_text} {zone.name} = {utc_part} UTC"


def read_time(text: str, now: datetime, zone: Zone = UTC_ZONE, *, what: str = "time") -> tuple[datetime, str]:
    """A typed past time -> (UTC moment, how it was read). Empty text: now.

    `HH:MM` (also `14.05`, `14h05`): the most recent such time of day in the reader's zone (today,
    or yesterday when today's is still ahead). An ISO time with a zone (`Z`, `+02:00`) is taken as
    given; without one it is the reader's local time. Future times and times over a year ago are
    refused with one sentence naming the reader's zone.
    """
    now = _utc(now)
    raw = text.strip()
    if not raw:
        return now, f"now, {now.strftime('%H:%M')} UTC"
    if len(raw) > 40:
        raise BadTime(f"Give the {what} as HH:MM or an ISO time like 2026-11-28T14:02.")
    match = _HHMM.match(raw)
    zone_given = False
    if match:
        local_now = now.astimezone(zone.tz)
        local = datetime(local_now.year, local_now.month, local_now.day, int(match.group(1)), int(match.group(2)))
        when = _localize(local, zone)
        if when > now + FUTURE_SKEW:
            when = _localize(local - timedelta(days=1), zone)
    else:
        iso = raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw
        try:
            parsed = datetime.fromisoformat(iso.replace(" ", "T", 1) if len(iso) > 10 else iso)
        except ValueError:
            raise BadTime(f"Give the {what} as HH:MM (your time, {zone.name}) or an ISO time like "
                          "2026-11-28T14:02.") from None
        zone_given = parsed.tzinfo is not None
        when = _utc(parsed) if zone_given else _localize(parsed, zone)
        if when > now + FUTURE_SKEW:
            raise BadTime(f"That {what} is in the future ({how_read(when, now, zone, zone_given=zone_given)}); "
                          "give a time that has passed.")
    if when < now - OLDEST:
        raise BadTime(f"That {what} is more than a year ago; check the date.")
    return when, how_read(when, now, zone, zone_given=zone_given)


def _localize(naive: datetime, zone: Zone) -> datetime:
    """A wall-clock time in the zone -> UTC (`fold=0`: the first of an ambiguous hour)."""
    return naive.replace(tzinfo=zone.tz).astimezone(UTC)
