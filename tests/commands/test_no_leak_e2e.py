"""A generated leak goes through every scan surface of the real bot; afterwards no raw value from
it may appear in any recorded Slack call, in the bot's log output, or in any file the bot wrote
(the database included). Failures name values by a short hash, never the value."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

import pytest

from tests.helpers.bot_process import running_bot
from tests.helpers.slack_requests import file_message_event
from tests.helpers.synthetic_leak import leak_csv, leak_xlsx, people, raw_values, short_id
from tests.helpers.webserver import WebServer

PEOPLE = 60
ROWS = people(PEOPLE, seed=2026)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"AUTO_SCAN_CHANNELS": "C0AUTO", "INCIDENT_SEVERITY_THRESHOLD": "low", "LOG_LEVEL": "DEBUG"}
    with running_bot(tmp_path_factory.mktemp("noleak"), env=env) as running:
        yield running


def found_in(haystack: str) -> list[str]:
    return [short_id(v) for v in raw_values(ROWS) if v in haystack]


def test_no_raw_value_leaves_the_scanner(stack):
    xlsx, csv = leak_xlsx(ROWS), leak_csv(ROWS)
    with WebServer() as web:
        web.add("/public/roster.xlsx", xlsx,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        answer = stack.slack.slash("/scan", web.url("/public/roster.xlsx"))
        by_url = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=30)

    dm_file = stack.standin.add_file(csv, "roster.csv")
    stack.slack.event(file_message_event([dm_file], user_id="U0ASKER", channel_id="D0ASKER", channel_type="im",
                                         ts="1700001000.000100"))
    auto_file = stack.standin.add_file(xlsx, "roster-copy.xlsx", channel="C0AUTO", ts="1700001000.000200")
    stack.slack.event({"type": "file_shared", "file_id": auto_file["id"], "user_id": "U0UP", "channel_id": "C0AUTO",
                       "event_ts": "1700001000.000300"})
    shortcut = stack.slack.shortcut_on_message([dm_file])
    results = [
        by_url.params,
        stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0ASKER", timeout=30).params,
        stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "C0AUTO", timeout=30).params,
        stack.standin.wait_for("response_url", where=lambda c: shortcut.response_url.endswith(c.path), timeout=30).params,
    ]
    stack.wait_scans_done(4)

    # not vacuous: every surface really found the people
    for message in results:
        assert f"A-numbers*: {PEOPLE}" in json.dumps(message.get("blocks"), ensure_ascii=False), message.get("text", "")[:60]

    recorded = stack.standin.recorded_text()
    assert found_in(recorded + unquote_plus(recorded)) == [], "raw values in Slack calls"
    logs = stack.bot.logs()
    assert found_in(logs) == [], "raw values in the bot's log"
    written = [p for p in stack.bot.tmp_dir.rglob("*") if p.is_file() and p != stack.bot.log_path]
    for path in written:
        content = path.read_bytes().decode("utf-8", "replace")
        assert found_in(content) == [], f"raw values in {path.name}"
