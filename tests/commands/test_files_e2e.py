"""File scans end to end: the message shortcut, a file sent to the bot in a DM, auto-scan
channels, and a 429 from Slack on the way back (retried after Retry-After)."""

from __future__ import annotations

import json

import pytest

from tests.helpers.bot_process import running_bot, wait_until
from tests.helpers.slack_requests import file_message_event
from tests.helpers.synthetic_leak import CLEAN_PAGE, leak_csv, leak_xlsx, people

AUTO = "C0AUTOSCAN"
PEOPLE = 25


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("files"), env={"AUTO_SCAN_CHANNELS": AUTO}) as running:
        yield running


def shown(message: dict) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + message.get("text", "")


def assert_leak_figures(message: dict) -> None:
    text = shown(message)
    assert "Personal data found" in text, message.get("text", "")[:80]
    assert f"A-numbers*: {PEOPLE}" in text
    assert f"*People affected*\\n{PEOPLE}" in text


def test_shortcut_scans_every_file_on_the_message(stack):
    csv_file = stack.standin.add_file(leak_csv(people(PEOPLE, seed=3)), "roster.csv", mimetype="text/csv")
    xlsx_file = stack.standin.add_file(leak_xlsx(people(PEOPLE, seed=4)), "roster.xlsx")
    answer = stack.slack.shortcut_on_message([csv_file, xlsx_file])
    assert answer.status == 200
    replies = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path),
                                     count=2, timeout=30)
    assert {r.params["text"].split(" in ")[1].split(":")[0] for r in replies} == {"roster.csv", "roster.xlsx"}
    for reply in replies:
        assert reply.params["response_type"] == "ephemeral"
        assert_leak_figures(reply.params)
    downloads = stack.standin.calls_to("file_download")
    assert {d.params["file"] for d in downloads} >= {csv_file["id"], xlsx_file["id"]}
    assert all(d.headers["authorization"] == f"Bearer {stack.standin.bot_token}" for d in downloads)


def test_shortcut_on_a_message_without_files(stack):
    answer = stack.slack.shortcut_on_message([])
    reply = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path))
    assert "no files" in reply.params["text"]


def test_file_sent_in_a_dm_is_answered_in_its_thread(stack):
    info = stack.standin.add_file(leak_csv(people(PEOPLE, seed=5)), "dm-roster.csv")
    event = file_message_event([info], user_id="U0ASKER", channel_id="D0ASKER", channel_type="im",
                               ts="1700000100.000200")
    assert stack.slack.event(event).status == 200
    post = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0ASKER", timeout=30)
    assert post.params["thread_ts"] == "1700000100.000200"
    assert post.params["unfurl_links"] is False
    assert_leak_figures(post.params)


def test_auto_scan_channel_file_shared(stack):
    info = stack.standin.add_file(leak_csv(people(PEOPLE, seed=6)), "nightly.csv", channel=AUTO, ts="1700000200.000300")
    event = {"type": "file_shared", "file_id": info["id"], "user_id": "U0UPLOADER", "channel_id": AUTO,
             "file": {"id": info["id"]}, "event_ts": "1700000200.000400"}
    assert stack.slack.event(event).status == 200
    # Slack also sends the message event for the same upload: it must not be scanned twice
    stack.slack.event(file_message_event([info], user_id="U0UPLOADER", channel_id=AUTO, channel_type="channel",
                                         ts="1700000200.000300"))
    post = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == AUTO, timeout=30)
    assert post.params["thread_ts"] == "1700000200.000300"
    assert_leak_figures(post.params)
    # whichever announcement came second says so in the log: after that line nothing more is fetched
    wait_until(lambda: f"file {info['id']} announced again" in stack.bot.logs(), 30, "the second announcement handled")
    assert len([d for d in stack.standin.calls_to("file_download") if d.params["file"] == info["id"]]) == 1


def test_clean_file_in_auto_scan_channel_stays_quiet(stack):
    done_before = stack.scans_done()
    info = stack.standin.add_file(CLEAN_PAGE, "hours.html", channel=AUTO, ts="1700000300.000100")
    stack.slack.event({"type": "file_shared", "file_id": info["id"], "user_id": "U0UPLOADER", "channel_id": AUTO,
                       "event_ts": "1700000300.000200"})
    stack.wait_scans_done(done_before + 1)
    assert not [c for c in stack.standin.calls_to("chat.postMessage") if c.params.get("thread_ts") == "1700000300.000100"]


def test_files_elsewhere_are_not_scanned(stack):
    info = stack.standin.add_file(leak_csv(people(3, seed=8)), "elsewhere.csv", channel="C0QUIET")
    stack.slack.event({"type": "file_shared", "file_id": info["id"], "user_id": "U0UPLOADER",
                       "channel_id": "C0QUIET", "event_ts": "1700000400.000200"})
    # a DM scan sent after it finishes; by then the other event was handled long ago
    marker = stack.standin.add_file(CLEAN_PAGE, "marker.html")
    stack.slack.event(file_message_event([marker], user_id="U0ASKER", channel_id="D0MARK", channel_type="im",
                                         ts="1700000400.000300"))
    stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0MARK", timeout=30)
    assert not [c for c in stack.standin.calls_to("files.info") if c.params.get("file") == info["id"]]


def test_rate_limited_post_is_retried(stack):
    stack.standin.rate_limit_next("chat.postMessage", times=1, retry_after=1,
                                  where=lambda params: params.get("channel") == "D0RATE")
    info = stack.standin.add_file(CLEAN_PAGE, "page.html")
    stack.slack.event(file_message_event([info], user_id="U0ASKER", channel_id="D0RATE", channel_type="im",
                                         ts="1700000500.000100"))
    stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0RATE" and c.status == 200,
                           timeout=30)
    statuses = [c.status for c in stack.standin.calls_to("chat.postMessage") if c.params.get("channel") == "D0RATE"]
    assert statuses == [429, 200]


def test_oversized_file_gets_one_sentence(stack):
    info = stack.standin.add_file(b"x" * 100, "huge.csv")
    info["size"] = 10**10  # what files.info claims; the bot must refuse before downloading
    stack.slack.event(file_message_event([info], user_id="U0ASKER", channel_id="D0HUGE", channel_type="im",
                                         ts="1700000600.000100"))
    post = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0HUGE", timeout=30)
    assert "SCAN_MAX_BYTES" in post.params["text"] and "Could not scan" in post.params["text"]
    assert not [d for d in stack.standin.calls_to("file_download") if d.params["file"] == info["id"]]


def test_plain_dm_gets_a_hint(stack):
    stack.slack.event({"type": "message", "text": "hello?", "user": "U0ASKER", "channel": "D0HINT",
                       "channel_type": "im", "ts": "1700000800.000100", "event_ts": "1700000800.000100"})
    post = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0HINT")
    assert "Send me a file" in post.params["text"]
