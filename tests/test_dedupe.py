"""What was handled is remembered in the store: once per key, across a reopen, pruned after KEEP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.dedupe import Seen
from bot.store import Store


def test_once_per_key_across_a_reopen_and_old_entries_pruned(tmp_path):
    now = [datetime(2026, 11, 28, 14, 0, tzinfo=UTC)]
    seen = Seen(Store(tmp_path / "bot.json"), keep=timedelta(minutes=15), clock=lambda: now[0])
    assert seen.first_time("event:Ev1") and not seen.first_time("event:Ev1")
    assert seen.first_time("file:F1")
    reopened = Seen(Store(tmp_path / "bot.json"), clock=lambda: now[0])
    assert not reopened.first_time("event:Ev1") and not reopened.first_time("file:F1")
    now[0] += timedelta(minutes=20)
    assert reopened.prune() == 2
    assert reopened.first_time("event:Ev1")  # forgotten after KEEP: Slack stopped retrying before
