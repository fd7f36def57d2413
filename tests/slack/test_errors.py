"""The one error handler: typed errors become their sentence, anything else a fixed sentence,
and the log line never carries the exception's message (it could quote scanned content)."""

from __future__ import annotations

import logging

from bot.errors import FetchRefused
from bot.slack.errors import GENERIC, handle_error, tell_person, user_sentence


class Recorder:
    def __init__(self):
        self.sent = []

    def __call__(self, **kwargs):
        self.sent.append(kwargs)


def test_sentences():
    assert user_sentence(FetchRefused("That address is private.")) == "That address is private."
    assert user_sentence(KeyError("A123456789")) == GENERIC


def test_unexpected_error_is_answered_privately_and_logged_without_its_message(caplog):
    respond = Recorder()
    body = {"command": "/scan", "user_id": "U1", "channel_id": "C1", "response_url": "http://127.0.0.1:9/r"}
    try:
        raise ValueError("secret-cell-value A123456789")
    except ValueError as err:
        with caplog.at_level(logging.INFO):
            handle_error(err, body, respond, {"services": None})
    assert respond.sent == [{"text": GENERIC, "response_type": "ephemeral", "replace_original": False}]
    assert "ValueError" in caplog.text and "A123456789" not in caplog.text


def test_without_response_url_falls_back_to_ephemeral_in_the_same_channel():
    class Slack:
        def __init__(self):
            self.ephemerals = []

        def ephemeral(self, channel, user, text):
            self.ephemerals.append((channel, user, text))

    class Services:
        slack = Slack()

    body = {"type": "block_actions", "user": {"id": "U2"}, "channel": {"id": "C2"}}
    tell_person("Nope.", body, respond=None, services=Services)
    assert Services.slack.ephemerals == [("C2", "U2", "Nope.")]
