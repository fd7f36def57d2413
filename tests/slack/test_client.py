"""The Web API wrapper against the Slack stand-in (a real HTTP server)."""

from __future__ import annotations

import time

import pytest

from bot.config import Settings
from bot.errors import FetchRefused, LimitExceeded, SlackCallFailed
from bot.slack.client import SlackGateway, channel_name, make_web_client
from tests.helpers.slack_standin import SlackStandIn


@pytest.fixture(scope="module")
def standin():
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def slack(standin):
    standin.clear()
    settings = Settings.from_env({
        "SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.api_url,
        "SCAN_MAX_BYTES": "1000",
    })
    return SlackGateway(make_web_client(settings), settings)


def test_post_never_unfurls_and_returns_ts(slack, standin):
    ts = slack.post("C1", "see https://example.gov/x.xlsx", blocks=[{"type": "divider"}], thread_ts="1.2")
    call = standin.wait_for("chat.postMessage")
    assert ts and call.params["unfurl_links"] is False and call.params["unfurl_media"] is False
    assert call.params["thread_ts"] == "1.2" and call.params["blocks"] == [{"type": "divider"}]
    assert call.headers["authorization"] == f"Bearer {standin.bot_token}"
    slack.update("C1", ts, "edited")
    assert standin.messages[("C1", ts)]["text"] == "edited"


def test_typed_error_carries_slack_code(slack, standin):
    standin.fail_next("chat.postMessage", "not_in_channel")
    with pytest.raises(SlackCallFailed) as caught:
        slack.post("C1", "hello")
    assert caught.value.code == "not_in_channel"
    assert "invite" in str(caught.value)


def test_rate_limit_is_retried_after_retry_after(slack, standin):
    standin.rate_limit_next("chat.postMessage", times=1, retry_after=1)
    started = time.monotonic()
    ts = slack.post("C1", "after a 429")
    waited = time.monotonic() - started
    calls = standin.calls_to("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert ts and waited >= 0.9


def test_channel_name_rules():
    assert channel_name("Inc PII 20260101 Detained Roster!") == "inc-pii-20260101-detained-roster"
    assert len(channel_name("x" * 200)) == 80
    assert channel_name("ÜBER__data--dump") == "ber__data-dump"


def test_taken_name_gets_a_suffix(slack, standin):
    first = slack.create_channel("inc-pii-20260101-roster")
    second = slack.create_channel("inc-pii-20260101-roster")
    third = slack.create_channel("inc-pii-20260101-roster")
    names = [standin.channels[c]["name"] for c in (first, second, third)]
    assert names == ["inc-pii-20260101-roster", "inc-pii-20260101-roster-2", "inc-pii-20260101-roster-3"]
    assert standin.channels[first]["is_private"] is True


def test_suffix_keeps_names_within_80_characters(slack, standin):
    long_name = "inc-pii-" + "a" * 90
    slack.create_channel(long_name)
    second = slack.create_channel(long_name)
    assert len(standin.channels[second]["name"]) <= 80 and standin.channels[second]["name"].endswith("-2")


def test_invite_treats_members_and_self_as_done_and_retries_one_by_one(slack, standin):
    channel = standin.add_channel("inc-x", members=["U1"])
    failed = slack.invite(channel, ["U1", "U2", standin.bot_user_id, "U3"])
    assert failed == []
    assert {"U1", "U2", "U3"} <= standin.channels[channel]["members"]
    assert len(standin.calls_to("conversations.invite")) == 5  # one batch, then one each


def test_invite_reports_real_failures(slack, standin):
    channel = standin.add_channel("inc-y")
    standin.fail_next("conversations.invite", "user_not_found")  # the batch
    standin.fail_next("conversations.invite", "user_is_restricted")  # U9 alone
    assert slack.invite(channel, ["U9", "U10"]) == ["U9"]
    assert "U10" in standin.channels[channel]["members"]


def test_pin_twice_is_fine_and_topic_is_cut(slack, standin):
    channel = standin.add_channel("inc-z")
    ts = slack.post(channel, "summary")
    slack.pin(channel, ts)
    slack.pin(channel, ts)
    assert (channel, ts) in standin.pins
    slack.set_topic(channel, "t" * 400)
    assert len(standin.channels[channel]["topic"]) == 250


def test_people_lookups_and_dm(slack, standin):
    standin.set_usergroup("S1", ["U1", "U2"])
    standin.add_user("U1", tz="Europe/Berlin")
    assert slack.usergroup_members("S1") == ["U1", "U2"]
    assert slack.user_info("U1")["tz"] == "Europe/Berlin"
    with pytest.raises(SlackCallFailed) as caught:
        slack.usergroup_members("S404")
    assert caught.value.code == "no_such_subteam"
    slack.dm("U1", "hello")
    assert standin.wait_for("chat.postMessage").params["channel"].startswith("D")


def test_download_sends_token_only_to_slack(slack, standin):
    info = standin.add_file(b"a,b\n1,2\n", "small.csv")
    assert slack.download_file(slack.file_info(info["id"])) == b"a,b\n1,2\n"
    download = standin.wait_for("file_download")
    assert download.status == 200
    foreign = dict(info, url_private_download="https://evil.example.com/steal")
    with pytest.raises(FetchRefused):
        slack.download_file(foreign)
    # the fetcher is not even asked: no request left the process for the foreign host
    assert len(standin.calls_to("file_download")) == 1


def test_download_respects_size_limit(slack, standin):
    info = standin.add_file(b"x" * 5000, "big.csv")
    with pytest.raises(LimitExceeded):
        slack.download_file(info)


def test_slack_hosts(slack):
    assert slack.is_slack_file_url("https://files.slack.com/files-pri/T1-F1/download/x.csv")
    assert slack.is_slack_file_url("https://acme.enterprise.slack.com/files/x")
    assert not slack.is_slack_file_url("http://files.slack.com/x")  # token never over plain http
    assert not slack.is_slack_file_url("https://files.slack.com.evil.net/x")
    assert not slack.is_slack_file_url("https://notslack.com/x")
