"""ALLOWED_USERS / ALLOWED_CHANNELS through the real bot: refused people get a short reason and
nothing runs for them."""

from __future__ import annotations

import pytest

from tests.helpers.bot_process import running_bot
from tests.helpers.slack_requests import file_message_event
from tests.helpers.synthetic_leak import CLEAN_PAGE

ALLOWED_USER = "U0ALLOWED"
ALLOWED_CHANNEL = "C0ALLOWED"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"ALLOWED_USERS": f"{ALLOWED_USER},U0SECOND", "ALLOWED_CHANNELS": ALLOWED_CHANNEL}
    with running_bot(tmp_path_factory.mktemp("access"), env=env) as running:
        yield running


def test_allowed_person_in_allowed_channel(stack):
    answer = stack.slack.slash("/scan", "help", user_id=ALLOWED_USER, channel_id=ALLOWED_CHANNEL)
    assert "/scan <url>" in answer.reply_text()


def test_refused_person_gets_a_reason_and_no_scan(stack):
    answer = stack.slack.slash("/scan", "https://example.gov/x.csv", user_id="U0STRANGER", channel_id=ALLOWED_CHANNEL)
    assert answer.status == 200
    body = answer.json()
    assert body["response_type"] == "ephemeral" and "ALLOWED_USERS" in body["text"]
    assert "Scanning" not in body["text"]


def test_allowed_person_in_another_channel_is_told_where(stack):
    answer = stack.slack.slash("/scan", "help", user_id=ALLOWED_USER, channel_id="C0RANDOM")
    text = answer.json()["text"]
    assert "ALLOWED_CHANNELS" in text and f"<#{ALLOWED_CHANNEL}>" in text


def test_refused_shortcut_gets_an_ephemeral_reason(stack):
    info = stack.standin.add_file(CLEAN_PAGE, "page.html")
    answer = stack.slack.shortcut_on_message([info], user_id="U0STRANGER", channel_id=ALLOWED_CHANNEL)
    assert answer.status == 200
    reply = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path))
    assert "ALLOWED_USERS" in reply.params["text"] and reply.params["response_type"] == "ephemeral"
    assert not [c for c in stack.standin.calls_to("files.info") if c.params.get("file") == info["id"]]


def test_refused_button_gets_an_ephemeral_reason(stack):
    answer = stack.slack.block_action("incident_checklist_toggle", "1", user_id="U0STRANGER", channel_id=ALLOWED_CHANNEL)
    assert answer.status == 200
    reply = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path))
    assert "ALLOWED_USERS" in reply.params["text"]


def test_refused_person_sending_a_file_in_a_dm(stack):
    info = stack.standin.add_file(CLEAN_PAGE, "dm.html")
    stack.slack.event(file_message_event([info], user_id="U0STRANGER", channel_id="D0STRANGER", channel_type="im",
                                         ts="1700000700.000100"))
    post = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0STRANGER")
    assert "ALLOWED_USERS" in post.params["text"] and post.params["thread_ts"] == "1700000700.000100"
    assert not [c for c in stack.standin.calls_to("files.info") if c.params.get("file") == info["id"]]


def test_refused_modal_submission_is_answered_in_the_modal(stack):
    payload = {"type": "view_submission", "team": {"id": "T0STANDIN"}, "user": {"id": "U0STRANGER"},
               "api_app_id": "A0LEAKWATCH", "trigger_id": "1.2.3",
               "view": {"id": "V1", "type": "modal", "callback_id": "incident_notified", "state": {"values": {}}}}
    answer = stack.slack.payload(payload)
    body = answer.json()
    assert answer.status == 200 and body["response_action"] == "update"
    assert "ALLOWED_USERS" in body["view"]["blocks"][0]["text"]["text"]
