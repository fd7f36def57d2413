"""What the per-incident access check costs a slash command, measured against the real bot.

    .venv/bin/python bench/access_check.py [--runs 60]

A bot process against the Slack stand-in opens one incident (a title, no scan). Then the same
`/incident status #N` is sent, one at a time, as three people: an ADMIN_USERS member (no Slack
call), a member of the incident's channel (conversations.members asked once, then remembered for
15 s), and an outsider (asked every time: a "no" is never remembered, so someone just invited is
let in at once). It prints the p50/p95 time to the acknowledgement for each, the ratio to the
admin's, and how many conversations.members calls each made. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.helpers.bot_process import database, running_bot, wait_until  # noqa: E402

ADMIN, MEMBER, OUTSIDER = "U0ADMIN", "U0MEMBER", "U0OUTSIDER"


def quantile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(stack, number: int, user: str, runs: int) -> tuple[list[float], int, str]:
    before = len(stack.standin.calls_to("conversations.members"))
    times, answer = [], ""
    for _ in range(runs):
        started = time.perf_counter()
        reply = stack.slack.slash("/incident", f"status #{number}", user_id=user, channel_id="C0ELSEWHERE")
        times.append((time.perf_counter() - started) * 1000)
        answer = reply.reply_text()
    return times, len(stack.standin.calls_to("conversations.members")) - before, answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, running_bot(Path(tmp), {"ADMIN_USERS": ADMIN}) as stack:
        answer = stack.slack.slash("/incident", "open Bench roster on the staging share", user_id=MEMBER)
        call = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                      and "opened in" in c.params.get("text", ""), timeout=30)
        number = int(re.search(r"#(\d+)", call.params["text"]).group(1))
        wait_until(lambda: database(stack)["incidents"][str(number)].get("setup_complete"), 30, "the room")
        for user in (ADMIN, MEMBER, OUTSIDER):  # warm up each path once
            measure(stack, number, user, 3)
        results = {user: measure(stack, number, user, args.runs) for user in (ADMIN, MEMBER, OUTSIDER)}
    base = statistics.median(results[ADMIN][0])
    print(f"/incident status #N, {args.runs} runs each, time to the acknowledgement:")
    for user, label in ((ADMIN, "admin (no check)"), (MEMBER, "member (cached yes)"), (OUTSIDER, "outsider (asked each time)")):
        times, calls, reply = results[user]
        refused = "refused" if "Only the members" in reply else "answered"
        print(f"  {label:28} p50 {statistics.median(times):6.1f} ms  p95 {quantile(times, 0.95):6.1f} ms  "
              f"x{statistics.median(times) / base:4.2f} of admin  conversations.members calls: {calls:3d}  ({refused})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
