"""The access policy as a pure function (the e2e refusal is in test_access_e2e.py)."""

from __future__ import annotations

from bot.config import Settings
from commands.access import refusal


def settings(**env) -> Settings:
    return Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", **env})


def test_empty_lists_allow_everyone_everywhere():
    assert refusal(settings(), "U1", "C1") is None


def test_users_list():
    policy = settings(ALLOWED_USERS="U1, U2")
    assert refusal(policy, "U2", "C9") is None
    assert "ALLOWED_USERS" in refusal(policy, "U3", "C9")
    assert refusal(policy, "U3", None) is not None  # a DM does not bypass the user list


def test_channels_list_and_incident_channels():
    policy = settings(ALLOWED_CHANNELS="C1")
    assert refusal(policy, "U1", "C1") is None
    reason = refusal(policy, "U1", "C2")
    assert "ALLOWED_CHANNELS" in reason and "<#C1>" in reason
    assert refusal(policy, "U1", "C2", incident_channel=True) is None
    assert refusal(policy, "U1", None) is None  # files sent to the bot directly
