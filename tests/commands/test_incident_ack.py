"""`/incident notified|lead|severity|close` answer Slack once the change is stored
(commands/incident.py with bot/slack/ack.py): a real bot process is SIGKILLed the moment Slack's
slash command gets its 200, and after the restart each acknowledged change is in the store with its
timeline entry. The Slack calls made before the write (users.info for the reader's time zone, the
lead's invite) answer slowly here, as a busy Slack does, so a bot that answered first would be
killed before it wrote."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.incidents.clocks import from_iso
from tests.commands.test_incident_e2e import join_room, open_by_scan
from tests.helpers.bot_process import database, running_bot
from tests.helpers.synthetic_leak import people
from tests.helpers.webserver import WebServer

ENV = {"TAKEDOWN_TARGET_MINUTES": "60", "TAKEDOWN_POLL_SECONDS": "30", "TIMER_UPDATE_SECONDS": "30"}
#: Slack methods the commands call before their write, and how long the stand-in takes to answer
#: them (under the bot's 2 s acknowledgement limit)
SLOW = {"users.info": 0.5, "conversations.invite": 0.5}
ASKER = "U0ASKER"


@pytest.fixture
def stack(tmp_path):
    with running_bot(tmp_path, ENV) as running:
        api = running.standin._api

        def slow_api(method, params, headers):
            time.sleep(SLOW.get(method, 0))
            return api(method, params, headers)

        running.standin._api = slow_api
        yield running


def _killed_at_the_answer(stack, channel: str, text: str) -> None:
    answer = stack.slack.slash("/incident", text, user_id=ASKER, channel_id=channel)
    assert answer.status == 200, f"/incident {text.split()[0]} was not acknowledged"
    stack.bot.kill()
    stack.bot.start()


def _entries(stack, number: int, kind: str) -> list[dict]:
    return [e for e in database(stack)["events"].values() if e["incident"] == number and e["kind"] == kind]


def test_changes_acknowledged_just_before_a_kill_are_kept(stack):
    with WebServer() as web:
        number, channel = open_by_scan(stack, web, "/exports/killed_commands.csv", people(10, seed=93))
        join_room(stack, channel, ASKER)

        moment = (datetime.now(UTC) - timedelta(minutes=7)).replace(second=0, microsecond=0)
        _killed_at_the_answer(stack, channel, f"notified {moment.strftime('%Y-%m-%dT%H:%M:%SZ')}")
        assert from_iso(database(stack)["incidents"][str(number)]["notified_at"]) == moment
        assert len(_entries(stack, number, "notified")) == 1

        _killed_at_the_answer(stack, channel, "lead <@U0LEADER>")
        assert database(stack)["incidents"][str(number)]["lead"] == "U0LEADER"
        assert len(_entries(stack, number, "lead")) == 1

        before = database(stack)["incidents"][str(number)]["severity"]
        level = "low" if before != "low" else "critical"
        _killed_at_the_answer(stack, channel, f"severity {level} a test of the answer")
        assert database(stack)["incidents"][str(number)]["severity"] == level
        assert len(_entries(stack, number, "severity")) == 1

        _killed_at_the_answer(stack, channel, "close")
        assert database(stack)["incidents"][str(number)]["status"] == "closed"
        assert len(_entries(stack, number, "close")) == 1
