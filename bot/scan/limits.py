"""Bounds on hostile input: sizes, counts, depth and a time budget.

Readers call `deadline.check()` in their loops (every few hundred rows) so a parse that runs past
its budget stops with one plain sentence. The isolated scan process (bot/scan/isolate.py) is the
backstop for code that cannot check: it is killed when the budget is spent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bot.errors import LimitExceeded


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int = 2_000_000
    max_cells: int = 20_000_000
    max_csv_field_bytes: int = 1_048_576
    max_json_depth: int = 64
    max_html_bytes: int = 20_000_000
    max_pdf_pages: int = 500
    max_zip_entries: int = 10_000
    #: sum of declared uncompressed sizes inside one archive (xlsx or zip)
    max_unzipped_bytes: int = 400_000_000
    #: declared uncompressed / compressed for one entry; real xlsx XML stays far below this
    max_zip_ratio: int = 200
    #: nested archives (a zip in a zip) are read this deep
    max_zip_depth: int = 4
    max_text_line_chars: int = 1_000_000
    max_sheets: int = 200


class Deadline:
    """A wall-clock budget shared by everything one scan does."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expires = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.expires - time.monotonic()

    def expired(self) -> bool:
        return time.monotonic() >= self.expires

    def check(self, what: str = "Reading the file") -> None:
        if time.monotonic() >= self.expires:
            raise LimitExceeded(
                f"{what} took longer than the {self.seconds:g}-second limit (SCAN_TIMEOUT_SECONDS), so the scan was stopped."
            )
