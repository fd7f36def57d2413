"""A report too long for one Slack message, end to end: the real bot posts the newest events, says
how many are left out, and uploads the whole report to the incident channel as a Markdown file
(files.getUploadURLExternal -> the bytes -> files.completeUploadExternal on the Slack stand-in)."""

from __future__ import annotations

import json
import re

from tests.helpers.bot_process import database, running_bot, wait_until

USER = "U0RESPONDER"
UPDATES = 70


def test_a_long_report_goes_as_a_file(tmp_path):
    with running_bot(tmp_path) as stack:
        answer = stack.slack.slash("/incident", "open Roster left on the staging share", user_id=USER)
        call = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                      and "opened in" in c.params.get("text", ""), timeout=20)
        number = int(re.search(r"#(\d+)", call.params["text"]).group(1))
        channel = database(stack)["incidents"][str(number)]["channel_id"]
        for i in range(UPDATES):
            stack.slack.slash("/incident", f"update step {i:03d} done", user_id=USER, channel_id=channel)
        wait_until(lambda: sum(1 for e in database(stack)["events"].values()
                               if e["incident"] == number and e["kind"] == "update") == UPDATES, 60, "the updates")

        stack.slack.slash("/incident", "report", user_id=USER, channel_id=channel)
        done = stack.standin.wait_for("files.completeUploadExternal", timeout=20)
        assert done.params["channel_id"] == channel
        file_id = json.loads(done.params["files"])[0]["id"]
        body = stack.standin.file_content(file_id).decode("utf-8")
        assert all(f"step {i:03d} done" in body for i in range(UPDATES))
        assert "<!date^" not in body and " UTC" in body
        posted = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == channel
                                        and c.params.get("text", "").startswith("Report for incident"), timeout=10)
        shown = json.dumps(posted.params)
        assert "earlier events" in shown and f"incident-{number}-report.md" in shown
        assert len(posted.params["blocks"]) <= 50
