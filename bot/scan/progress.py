"""How far the scan of one document is, in bytes read, for a progress line.

The top-level CSV or text reader registers where its bytes are read from (`watch`); whoever
wants to know asks `position()`. The isolated child samples it into a shared counter a few times
a second (bot/scan/isolate.py), so the bot can edit its Slack message with "43% of 1.2 GB"; the
command line's own streamed files report through `LocalFile.progress` instead. Other kinds read
their bytes whole (a workbook's zip, a PDF): for them only the size is known, not how far.
"""

from __future__ import annotations

from collections.abc import Callable

_position: Callable[[], int] | None = None


def watch(position: Callable[[], int]) -> None:
    global _position
    _position = position


def position() -> int:
    """Bytes of the document read so far (0 when no reader said)."""
    try:
        return _position() if _position is not None else 0
    except (ValueError, OSError):  # the stream was closed: the reader is done with it
        return 0


def describe(done: int, total: int) -> str:
    """"43% of 1.2 GB", or "1.2 GB" when how far is not known."""
    from bot.scan.localfile import human_bytes

    if total <= 0:
        return ""
    if done <= 0:
        return human_bytes(total)
    return f"{min(done / total, 0.99):.0%} of {human_bytes(total)}"
