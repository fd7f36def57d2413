"""What writing a takedown as one change (status, page mark, jobs cancelled, entry and the steps
left to tell, then each step crossed off as it is told: bot/incidents/announce.py) costs in store
time against the writes made before (status, jobs, entry, page mark, one by one, nothing to
cross off), on both stores. Prints, never asserts.

    PYTHONPATH=. python bench/takedown_writes.py [--incidents 60] [--skip-pg]

Slack is a null gateway answering at once and the exposure picture is not drawn, so what is timed
is the store's part of lifecycle.record_takedown: median ms per takedown, both ways in one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.incidents import access_logs, lifecycle  # noqa: E402
from bot.incidents.context import IncidentContext  # noqa: E402
from bot.incidents.records import IncidentRecords, summarize_report  # noqa: E402
from bot.incidents.takedown import figures  # noqa: E402
from tests.helpers.bench_stores import each_store  # noqa: E402
from tests.incidents.service_world import leak_report  # noqa: E402

OPENED = datetime(2026, 11, 28, 14, 0, tzinfo=UTC)
DOWN = OPENED + timedelta(minutes=12)


class NullSlack:
    """Answers every call at once, as if Slack took no time."""

    def call(self, method: str, **params) -> dict:
        return {"ok": True, "ts": "1.000001", "channel": {"name": "inc"}}

    def post(self, *args, **kwargs) -> str:
        return "1.000001"

    def update(self, *args, **kwargs) -> None:
        return None

    def set_topic(self, *args, **kwargs) -> None:
        return None


def open_incident(ctx: IncidentContext, n: int) -> int:
    summary = summarize_report(leak_report(f"https://files.example.gov/{n}.csv"))
    incident = lifecycle.new_incident(summary=summary, url=f"https://files.example.gov/{n}.csv", title=None,
                                      reporter="U0A", origin_channel="C1", now=OPENED)
    incident.channel_id, incident.timer_ts, incident.setup_complete, incident.paged = "C0ROOM", "1.0", True, ["PagerDuty"]
    number = ctx.records.create(incident)
    lifecycle.schedule_jobs(ctx, ctx.records.get(number))
    return number


def old_writes(ctx: IncidentContext, number: int) -> None:
    """The takedown's writes as they were made before: one by one, nothing to cross off."""
    def change(doc) -> None:
        doc.status, doc.taken_down_at, doc.takedown_reason, doc.takedown_how = "down", DOWN.isoformat(), "404", "check"
        doc.figures = figures(doc, DOWN)
        doc.takedowns.append(doc.figures)

    ctx.records.modify(number, change)
    ctx.records.cancel(number, keys_starting=("takedown:", lifecycle.TIMER_KEY), note="taken down")
    ctx.records.add_event(number, "takedown", "Taken down (check). 404", at=DOWN)
    ctx.records.modify(number, lambda doc: setattr(doc, "page_pending", "resolve"))


def measure(name: str, records: IncidentRecords, folder: str, incidents: int) -> None:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_SIGNING_SECRET": "s",
                                  "DATABASE_PATH": str(Path(folder) / "unused.json"), "FINGERPRINT_KEY": "k"})
    outside = SimpleNamespace(pager=SimpleNamespace(enabled=True), submit=lambda *args: None)
    ctx = IncidentContext(settings=settings, slack=NullSlack(), records=records, clock=lambda: DOWN, outside=outside)
    new, old = [], []
    for n in range(incidents):
        number = open_incident(ctx, 2 * n)
        started = time.perf_counter()
        lifecycle.record_takedown(ctx, ctx.records.get(number), at=DOWN, reason="404", how="check")
        new.append(time.perf_counter() - started)
        assert ctx.records.get(number).announcing is None
        number = open_incident(ctx, 2 * n + 1)
        started = time.perf_counter()
        old_writes(ctx, number)
        old.append(time.perf_counter() - started)
    one, apart = statistics.median(new) * 1000, statistics.median(old) * 1000
    print(f"{name}: a takedown written as one change and told step by step {one:.2f} ms ÷ its writes one by "
          f"one as before {apart:.2f} ms = {one / apart:.2f} (median of {incidents})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=60)
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    access_logs.upload_picture = lambda *args, **kwargs: None  # the PNG is not the store's time

    with tempfile.TemporaryDirectory() as folder:
        each_store(lambda name, make_records: measure(name, make_records(), folder, args.incidents), skip_pg=args.skip_pg)


if __name__ == "__main__":
    main()
