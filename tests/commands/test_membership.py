"""Membership of an incident channel (commands/access.py) against the Slack stand-in: pages are
followed, a yes is remembered for a while, a no is asked again, and an unknown answer is a no."""

from __future__ import annotations

from bot.config import Settings
from bot.services import Services
from commands.access import CANNOT_CHECK, NOT_A_MEMBER, Membership, incident_refusal
from tests.helpers.slack_standin import SlackStandIn


def services_for(standin, **env) -> Services:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "s",
                                  "SLACK_API_URL": standin.api_url, "DATABASE_PATH": "/nonexistent/x.json",
                                  "FINGERPRINT_KEY": "k", **env})
    return Services.build(settings)


def test_members_admins_and_others():
    with SlackStandIn() as standin:
        channel = standin.add_channel("inc-pii-x", members=["U1"], private=True)
        services = services_for(standin, ADMIN_USERS="U9")
        assert incident_refusal(services, channel, "U1") is None
        assert incident_refusal(services, channel, "U2") == NOT_A_MEMBER
        assert incident_refusal(services, "C0GONE", "U9") is None  # admins need no channel
        assert incident_refusal(services, "C0GONE", "U1") == CANNOT_CHECK  # Slack cannot say: no
        services.shutdown()


def test_a_yes_is_remembered_a_no_is_asked_again():
    with SlackStandIn() as standin:
        channel = standin.add_channel("inc-pii-y", members=["U1"], private=True)
        services = services_for(standin)
        now = [0.0]
        membership = Membership(services.slack, ttl=10, clock=lambda: now[0])
        assert membership.is_member(channel, "U1") and membership.is_member(channel, "U1")
        assert len(standin.calls_to("conversations.members")) == 1
        assert not membership.is_member(channel, "U2")
        standin.channels[channel]["members"].add("U2")  # invited meanwhile
        assert membership.is_member(channel, "U2")
        assert len(standin.calls_to("conversations.members")) == 3
        now[0] = 11.0
        assert membership.is_member(channel, "U1") and len(standin.calls_to("conversations.members")) == 4
        services.shutdown()


def test_one_call_tells_which_incidents_a_person_may_see():
    from types import SimpleNamespace

    from commands.access import visible_incidents

    with SlackStandIn() as standin:
        mine = standin.add_channel("inc-pii-mine", members=["U1"], private=True)
        other = standin.add_channel("inc-pii-other", members=["U2"], private=True)
        services = services_for(standin, ADMIN_USERS="U9")
        incidents = [SimpleNamespace(channel_id=mine), SimpleNamespace(channel_id=other),
                     SimpleNamespace(channel_id=None)]
        visible = visible_incidents(services, "U1")
        assert [visible(i) for i in incidents] == [True, False, False]
        assert len(standin.calls_to("users.conversations")) == 1
        assert all(visible_incidents(services, "U9")(i) for i in incidents)  # an admin: no call
        assert len(standin.calls_to("users.conversations")) == 1
        standin.fail_next("users.conversations", "ratelimited")
        assert not any(visible_incidents(services, "U1")(i) for i in incidents)  # Slack cannot say: nothing
        services.shutdown()
