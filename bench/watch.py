"""How long from a leak file appearing on a watched site to the alert in Slack, against the interval.

    .venv/bin/python bench/watch.py [--intervals 2 5] [--trials 4] [--rows 2000]

Everything is real: the bot runs as `python -m bot` against the Slack stand-in, the site is a
local web server, `/watch` is a signed slash command. For each interval one watch runs; each trial
waits a random part of an interval, puts a leak CSV up (linked from the watched page), and times
until the alert is posted in the channel; then the file is taken down and the next trial waits
for a run that no longer sees it. WATCH_MIN_INTERVAL_SECONDS=1 allows intervals below 10 s.

Expected: a delay between 0 and one interval (when the next run comes) plus one crawl-and-scan.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.bot_process import running_bot  # noqa: E402
from tests.helpers.webserver import WebServer  # noqa: E402
from tests.watch.leaks import harmless_csv, page, roster  # noqa: E402

CHANNEL = "C0BENCH"


def wait_until(condition, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    return None


def alerts(standin) -> int:
    return sum(1 for c in standin.calls_to("chat.postMessage")
               if c.params.get("channel") == CHANNEL and "Personal data found" in c.params.get("text", ""))


def publish(web: WebServer, path: str, leak: bytes | None, version: int) -> None:
    docs = ["/files/budget.csv"] + ([path] if leak else [])
    web.add("/maintenance/", page("Maintenance", docs), content_type="text/html", etag=f'"v{version}"')
    if leak:
        web.add(path, leak, content_type="text/csv", etag=f'"leak{version}"')
    else:
        web.remove(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--intervals", type=int, nargs="+", default=[2, 5])
    parser.add_argument("--trials", type=int, default=4)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(1)

    print(f"leak: a CSV of {args.rows:,} synthetic people, linked from the watched page")
    print(f"{'interval':>9} {'trials':>7} {'min s':>7} {'median s':>9} {'max s':>7} {'median/interval':>16}")
    with tempfile.TemporaryDirectory() as tmp, WebServer() as web:
        web.add("/files/budget.csv", harmless_csv(40), content_type="text/csv", etag='"budget"')
        with running_bot(Path(tmp), env={"WATCH_MIN_INTERVAL_SECONDS": "1", "TAKEDOWN_POLL_SECONDS": "3600"}) as stack:
            version = 0
            for number, interval in enumerate(args.intervals, start=1):
                publish(web, "/files/none.csv", None, version)
                url = web.url("/maintenance/")
                stack.slack.slash("/watch", f"{url} every {interval}s for 1h", channel_id=CHANNEL)
                wait_until(lambda: web.requests_for("/maintenance/"), 30)  # the baseline run
                delays = []
                for trial in range(args.trials):
                    version += 1
                    time.sleep(rng.uniform(0, interval))
                    path = f"/files/upload-{number}-{trial}.csv"
                    before = alerts(stack.standin)
                    publish(web, path, roster(args.rows, seed=version).csv(), version)
                    appeared = time.monotonic()
                    if wait_until(lambda b=before: alerts(stack.standin) > b, interval + 60) is None:
                        print(f"  interval {interval}s trial {trial}: no alert within {interval + 60}s")
                        continue
                    delays.append(time.monotonic() - appeared)
                    version += 1
                    publish(web, path, None, version)
                    web.clear_requests()
                    wait_until(lambda: any(r.status == 200 for r in web.requests_for("/maintenance/")), interval + 30)
                stack.slack.slash("/watch", f"stop {number}", channel_id=CHANNEL)
                if delays:
                    median = statistics.median(delays)
                    print(f"{interval:>8}s {len(delays):>7} {min(delays):>7.2f} {median:>9.2f} {max(delays):>7.2f} "
                          f"{median / interval:>16.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
