"""Incident channel names: `{prefix}-{YYYYMMDD}-{slug}`, pure.

Slack's rules: lowercase, only a-z, 0-9, `-` and `_`, at most 80 characters. The slug comes from
the URL's host and file name (never its query string, which may carry personal data) or from a
title. Anything that reads as a value is kept out: digit groups are joined first ("123-45-6789")
and runs of 4+ digits dropped, and name-shaped words and identifiers are masked the way report
labels are (bot.scan.redact), since a file may be named after the person in it.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from bot.scan.redact import redact_text

CHANNEL_NAME_MAX = 80
SLUG_MAX = 40
#: digit runs this long look like identifiers (A-numbers, SSNs, phone numbers) and are dropped;
#: a year (2026) goes too, which costs little since the date is in the name already
ID_DIGITS = 4

_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")
_ID_RUN = re.compile(rf"\d{{{ID_DIGITS},}}")
#: "123-45-6789", "A 123 456 789": digit groups joined before the length test
_DIGIT_JOINER = re.compile(r"(?<=\d)[\s-](?=\d)")
_FILE_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$", re.IGNORECASE)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def clean(text: str) -> str:
    """Lowercase ASCII with only a-z 0-9 - _, identifier-like digit runs removed, single dashes."""
    lowered = _ID_RUN.sub("-", _DIGIT_JOINER.sub("", _ascii(text).lower()))
    dashed = _NOT_ALLOWED.sub("-", lowered)
    return re.sub(r"[-_]{2,}", "-", dashed).strip("-_")


def slug_for(source: str) -> str:
    """A short slug from a URL (host + file name without extension) or from a title."""
    text = source.strip()
    if "://" in text:
        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
        host = host.rsplit(".", 1)[0] if host.count(".") >= 1 and not host.replace(".", "").isdigit() else host
        last = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) if parts.path.strip("/") else ""
        text = f"{host} {_FILE_EXTENSION.sub('', last)}"
    slug = clean(redact_text(text, {}, b""))[:SLUG_MAX].strip("-_")
    return slug or "incident"


def channel_name(prefix: str, when: datetime, source: str) -> str:
    """`inc-pii-20261128-example-detained`: at most 80 characters, Slack's alphabet only."""
    head = f"{clean(prefix) or 'inc'}-{when.astimezone(UTC):%Y%m%d}"
    room = CHANNEL_NAME_MAX - len(head) - 1
    slug = slug_for(source)[:max(room, 0)].strip("-_")
    return f"{head}-{slug}" if slug and room > 0 else head[:CHANNEL_NAME_MAX]
