"""Times for the reader, end to end: a real bot process and the Slack stand-in.

A person whose Slack zone is Europe/Paris types `/incident notified HH:MM` in their own time; the
clock starts at the matching UTC moment and the answer says how the time was read. The messages
in the room carry `<!date^...>` tokens (each reader's own zone) with a UTC fallback; the channel
topic, plain text, says UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.incidents.clocks import from_iso
from tests.helpers.bot_process import database, running_bot, wait_until

PARIS_USER = "U0PARIS"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("times")) as running:
        running.standin.add_user(PARIS_USER, real_name="Camille", tz="Europe/Paris", tz_offset=3600)
        yield running


def answer_text(stack, answer, containing: str) -> str:
    call = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                  and containing in c.params.get("text", ""), timeout=15)
    return call.params["text"]


def test_a_typed_time_is_read_in_the_persons_zone(stack):
    answer = stack.slack.slash("/incident", "open Roster left on the staging share", user_id=PARIS_USER)
    text = answer_text(stack, answer, "opened in")
    number = int(re.search(r"#(\d+)", text).group(1))
    channel = database(stack)["incidents"][str(number)]["channel_id"]

    paris_now = datetime.now(ZoneInfo("Europe/Paris"))
    typed = (paris_now - timedelta(minutes=4)).strftime("%H:%M")
    expected = (paris_now - timedelta(minutes=4)).replace(second=0, microsecond=0).astimezone(UTC)
    answer = stack.slack.slash("/incident", f"notified {typed}", user_id=PARIS_USER, channel_id=channel)
    text = answer_text(stack, answer, "counts from")
    assert f"read as {typed} Europe/Paris = {expected.strftime('%H:%M')} UTC" in text
    assert f"<!date^{int(expected.timestamp())}^" in text
    stored = wait_until(lambda: from_iso(database(stack)["incidents"][str(number)]["notified_at"]) == expected
                        or None, 10, "the notification time")
    assert stored
    # the topic is plain text: UTC, said; the timer message is tokens for each reader
    wait_until(lambda: f"owner notified {expected.strftime('%H:%M')} UTC" in stack.standin.channels[channel]["topic"],
               10, "the topic")
    timer = wait_until(lambda: [c for c in stack.standin.calls_to("chat.update")
                                if c.params.get("channel") == channel and "Takedown clock" in str(c.params)
                                and f"<!date^{int(expected.timestamp())}^{{time}}|" in str(c.params)], 15,
                       "the timer counting from the typed time")
    assert timer


def test_a_time_ahead_in_the_persons_zone_is_refused_with_their_zone(stack):
    number = next(iter(database(stack)["incidents"]))
    later = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    answer = stack.slack.slash("/incident", f"notified {later} #{number}", user_id=PARIS_USER)
    text = answer_text(stack, answer, "future")
    assert "Europe/Paris" in text
