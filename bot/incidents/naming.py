"""Incident channel names: `{prefix}-{YYYYMMDD}-{slug}`, pure.

Slack's rules: lowercase, only a-z, 0-9, `-` and `_`, at most 80 characters. The slug comes from
the URL's host and file name (never its query string, which may carry personal data) or from a
title; long runs of digits are dropped, since in a leak they are usually identifiers.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

CHANNEL_NAME_MAX = 80
SLUG_MAX = 40
#: digit runs this long look like identifiers (A-numbers, SSNs, phone numbers) and are dropped
ID_DIGITS = 5

_NOT_ALLOWED = re.compile(r"[^a-z0-9_-]+")
_ID_RUN = re.compile(rf"\d{{{ID_DIGITS},}}")
_FILE_EXTENSION = re.compile(r"\.[a-z0-9]{1,5}$", re.IGNORECASE)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode()


def clean(text: str) -> str:
    """Lowercase ASCII with only a-z 0-9 - _, identifier-like digit runs removed, single dashes."""
    lowered = _ID_RUN.sub("-", _ascii(text).lower())
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
    slug = clean(text)[:SLUG_MAX].strip("-_")
    return slug or "incident"


def channel_name(prefix: str, when: datetime, source: str) -> str:
    """`inc-pii-20261128-example-detained`: at most 80 characters, Slack's alphabet only."""
    head = f"{clean(prefix) or 'inc'}-{when.astimezone(UTC):%Y%m%d}"
    room = CHANNEL_NAME_MAX - len(head) - 1
    slug = slug_for(source)[:max(room, 0)].strip("-_")
    return f"{head}-{slug}" if slug and room > 0 else head[:CHANNEL_NAME_MAX]
