"""Exactly once across a restart, at the Slack boundary: a retried Events API delivery and a second
announcement of the same file are handled once, by the real bot process, also after it restarted.
/healthz says which store the bot uses and whether it can write."""

from __future__ import annotations

import json

from tests.helpers.bot_process import running_bot, wait_until
from tests.helpers.slack_requests import event_callback, file_message_event
from tests.helpers.synthetic_leak import leak_csv, people

AUTO = "C0AUTOSCAN"


def _scans_of(stack, file_id: str) -> int:
    return sum(1 for c in stack.standin.calls_to("files.info") if c.params.get("file") == file_id)


def test_a_retry_and_a_second_announcement_after_a_restart_are_handled_once(tmp_path):
    with running_bot(tmp_path / "bot", env={"AUTO_SCAN_CHANNELS": AUTO}) as stack:
        health = stack.bot.health()
        assert health["store"]["store"] == "tinydb" and health["store"]["writable"] is True and health["ok"]
        first = stack.standin.add_file(leak_csv(people(12, seed=21)), "roster.csv", mimetype="text/csv")
        delivery = event_callback(file_message_event([first], user_id="U0UP", channel_id=AUTO, channel_type="channel",
                                                     ts="1700000100.000100"))
        body = json.dumps(delivery)
        assert stack.slack.post(body, "application/json").status == 200
        wait_until(lambda: stack.scans_done() >= 1, 30, "the first scan")

        stack.bot.restart()
        # Slack retries the same delivery (it did not see our acknowledgement in time) ...
        retry = stack.slack.post(body, "application/json", extra_headers={"X-Slack-Retry-Num": "1",
                                                                         "X-Slack-Retry-Reason": "http_timeout"})
        assert retry.status == 200
        # ... and announces the same file again in a new event (file_shared after message)
        again = file_message_event([first], user_id="U0UP", channel_id=AUTO, channel_type="channel",
                                   ts="1700000100.000100")
        assert stack.slack.event(again).status == 200
        # a new file afterwards is scanned: by then, the two above were handled (or not) already
        second = stack.standin.add_file(leak_csv(people(12, seed=22)), "other.csv", mimetype="text/csv")
        new = file_message_event([second], user_id="U0UP", channel_id=AUTO, channel_type="channel",
                                 ts="1700000200.000100")
        assert stack.slack.event(new).status == 200
        wait_until(lambda: _scans_of(stack, second["id"]) >= 1 and stack.bot.logs().count("scan done ") >= 2, 30,
                   "the new file's scan")
        # both repeats handled: the bot logs each before answering Slack or returning (end markers)
        assert "delivered again (retry 1)" in stack.bot.logs()
        wait_until(lambda: f"file {first['id']} announced again" in stack.bot.logs(), 30, "the second announcement")
        assert _scans_of(stack, first["id"]) == 1, "the same file was fetched again"
