"""`/watch list` says how many more watches there are instead of cutting silently."""

from __future__ import annotations

from bot.store import Store
from bot.watch.store import WatchStore
from commands.watch import LIST_CHARS, list_text


def test_a_long_list_counts_the_rest(tmp_path):
    watches = WatchStore(Store(tmp_path / "bot.json"))
    for n in range(60):
        watches.create(url=f"https://example.gov/maintenance/section-{n:02d}/index.html", channel="C0OPS",
                       user="U0RAVI", interval_seconds=300, window_seconds=7200)
    text = list_text(watches, "C0OPS")
    shown = text.count("\n• #")
    assert shown < 60 and f"… and {60 - shown:,} more" in text and len(text) <= LIST_CHARS + 200
    few = WatchStore(Store(tmp_path / "few.json"))
    few.create(url="https://example.gov/a.html", channel="C0OPS", user="U0RAVI", interval_seconds=300,
               window_seconds=7200)
    assert "more" not in list_text(few, "C0OPS")
