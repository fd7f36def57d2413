"""Checklist clicks are answered once stored (commands/checklist_actions.py): a real bot process is
SIGKILLed the moment Slack's click gets its 200, and after the restart every tick it acknowledged is
there, with its timeline entry. AckOnce itself: one answer, at the write or at the limit."""

from __future__ import annotations

import threading
import time

import pytest

from bot.slack.ack import AckOnce
from tests.commands.test_incident_e2e import checklist_message, click, join_room, open_by_scan
from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.synthetic_leak import people
from tests.helpers.webserver import WebServer

ENV = {"TAKEDOWN_TARGET_MINUTES": "60", "TAKEDOWN_POLL_SECONDS": "30", "TIMER_UPDATE_SECONDS": "30"}


def test_an_answer_is_given_once_when_stored():
    answers: list[float] = []
    answer = AckOnce(lambda: answers.append(time.monotonic()), limit=5.0)
    answer()
    answer()
    time.sleep(0.05)
    assert len(answers) == 1


def test_a_write_slower_than_the_limit_is_answered_at_the_limit():
    answered = threading.Event()
    started = time.monotonic()
    answer = AckOnce(answered.set, limit=0.1)
    assert answered.wait(5), "no answer at the limit"
    assert time.monotonic() - started >= 0.1
    answer()  # the write ends later: no second answer
    assert answered.is_set()


@pytest.fixture
def stack(tmp_path):
    with running_bot(tmp_path, ENV) as running:
        yield running


def test_a_tick_acknowledged_just_before_a_kill_is_kept(stack):
    with WebServer() as web:
        number, channel = open_by_scan(stack, web, "/exports/killed_clicks.csv", people(10, seed=91))
        join_room(stack, channel, "U0CLICKER")
        ticked = []
        for round_no in range(3):
            _, shown = checklist_message(stack, number)
            undone = [o["value"] for b in shown if b.get("type") == "actions"
                      for o in b["elements"][0]["options"]
                      if o["value"] not in {i["value"] for i in b["elements"][0].get("initial_options", [])}]
            item = undone[round_no]
            click(stack, channel, number, item, "U0CLICKER", shown)  # asserts Slack got its 200
            stack.bot.kill()
            ticked.append(item)
            stack.bot.start()
            # the room's checklist message is only rebuilt by the bot: wait for it before the next click
            wait_until(lambda: checklist_message(stack, number)[1], 20, "the checklist message")
        sheet = next(s for s in database(stack)["checklist"].values() if s["incident"] == number)
        done = {i["id"] for i in sheet["items"] if i["done"]}
        assert set(ticked) <= done, f"{len(set(ticked) - done)} acknowledged ticks lost to a kill"
        entries = [e for e in database(stack)["events"].values() if e["incident"] == number and e["kind"] == "tick"]
        assert len(entries) == len(ticked)
