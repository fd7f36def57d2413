"""What the local workspace adds to the bot, measured in one run.

    .venv/bin/python bench/workspace.py [--rounds 30]

Everything is real: `python -m bot` with no Slack settings, in a temporary folder, driven through
its page's HTTP API as the page drives it.

1. A slash command's round trip: `/incident help` sent through the page (`POST /api/command`: the
   workspace signs it and sends it to the bot's own /slack/events, and keeps the answer for the
   page) against the same command signed and sent straight to a bot run the usual way (the test
   bed's stand-in and bot process): median ms of each and their ratio (what the page adds).
2. Live edits: with the long poll waiting (`GET /api/state?since=N`), the time from sending a
   command to the page's poll returning with the change, median and p90 ms.
3. The page's state: its size in bytes for an empty workspace and after one incident (the
   timer, checklist and summary messages), and how long one snapshot takes to serve.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.bot_process import running_bot  # noqa: E402
from tests.workspace.conftest import QUICK, WorkspaceProcess, incident_channel  # noqa: E402

GENERAL = "C0GENERAL"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _timed(send) -> float:
    started = time.perf_counter()
    send()
    return time.perf_counter() - started


def _slash_round_trips(ws: WorkspaceProcess, rounds: int, tmp: Path) -> None:
    page = [_timed(lambda: ws.post("/api/command", {"channel": GENERAL, "text": "/incident help"}))
            for _ in range(rounds)]
    with running_bot(tmp / "plain", {"LOG_LEVEL": "WARNING"}) as stack:
        direct = [_timed(lambda: stack.slack.slash("/incident", "help", channel_id=GENERAL)) for _ in range(rounds)]
    print(f"/incident help through the page: median {_ms(statistics.median(page))}; signed straight to a "
          f"bot's /slack/events: median {_ms(statistics.median(direct))}; "
          f"ratio {statistics.median(page) / statistics.median(direct):.2f}x")


def _live_edit_latency(ws: WorkspaceProcess, rounds: int) -> None:
    latencies = []
    for _ in range(rounds):
        got: dict = {}
        version = ws.state()["version"]

        def wait(since=version, box=got):
            with urllib.request.urlopen(f"{ws.url}/api/state?since={since}", timeout=30) as response:
                response.read()
            box["at"] = time.perf_counter()

        poller = threading.Thread(target=wait)
        poller.start()
        time.sleep(0.05)
        sent = time.perf_counter()
        ws.post("/api/command", {"channel": GENERAL, "text": "a message"})
        poller.join(30)
        latencies.append(got["at"] - sent)
    latencies.sort()
    print(f"a change reaches the waiting page: median {_ms(statistics.median(latencies))}, "
          f"p90 {_ms(latencies[max(int(len(latencies) * 0.9) - 1, 0)])} "
          "(long poll; a 1 s short poll would average 500 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        (tmp / "ws").mkdir()
        ws = WorkspaceProcess(tmp / "ws", {**QUICK, "LOG_LEVEL": "WARNING"}).start()
        try:
            empty = json.dumps(ws.state()).encode()
            _slash_round_trips(ws, args.rounds, tmp)
            _live_edit_latency(ws, args.rounds)
            ws.post("/api/command", {"channel": GENERAL, "text": f"/scan {ws.state()['sample']['roster_url']}"})
            ws.wait(lambda s: (room := incident_channel(s)) and len(s["messages"][room["id"]]) >= 3, "the incident")
            started = time.perf_counter()
            full = json.dumps(ws.state()).encode()
            served = time.perf_counter() - started
            print(f"page state: {len(empty):,} bytes empty, {len(full):,} bytes with one incident and "
                  f"{args.rounds * 2} other messages; one snapshot served in {_ms(served)}")
        finally:
            ws.stop()


if __name__ == "__main__":
    main()
