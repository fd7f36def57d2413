"""`/scan` end to end: signed slash command -> bot process -> local web server -> answer on the
command's response_url (recorded by the Slack stand-in)."""

from __future__ import annotations

import json

import pytest

from bot.config import ScanSettings
from tests.helpers.bot_process import free_port, running_bot
from tests.helpers.synthetic_leak import CLEAN_PAGE, leak_csv, people
from tests.helpers.webserver import WebServer

PEOPLE = 40


@pytest.fixture(scope="module")
def web():
    with WebServer() as server:
        server.add("/exports/roster.csv", leak_csv(people(PEOPLE, seed=11)), content_type="text/csv")
        server.add("/hours.html", CLEAN_PAGE, content_type="text/html")
        yield server


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("scan")) as running:
        yield running


def result_for(stack, answer, timeout: float = 20.0) -> dict:
    """The message the bot sent to this command's response_url."""
    call = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=timeout)
    return call.params


def shown(message: dict) -> str:
    return json.dumps(message.get("blocks"), ensure_ascii=False) + message.get("text", "")


def test_leak_answers_with_the_right_figures(stack, web):
    url = web.url("/exports/roster.csv")
    answer = stack.slack.slash("/scan", url)
    assert answer.status == 200 and answer.reply_text().startswith("Scanning ")
    message = result_for(stack, answer)
    assert message["response_type"] == "ephemeral" and message["unfurl_links"] is False

    # the pipeline's own answer for the same URL, computed here, must be what Slack shows
    from bot.scan.pipeline import scan_url

    report = scan_url(url, ScanSettings(allow_hosts=("127.0.0.1",)))
    assert report.error is None
    text = shown(message)
    assert f"*People affected*\\n{report.records_affected:,}" in text
    assert report.severity.upper() in text
    for finding in report.findings[:5]:
        assert f"{finding.count:,}" in text
    # a plain A-number column that any detector handles: every row is a person
    a_numbers = report.finding("A_NUMBER")
    assert a_numbers is not None and a_numbers.count == PEOPLE
    assert f"A-numbers*: {PEOPLE}" in text
    assert report.records_affected == PEOPLE


def test_clean_page(stack, web):
    answer = stack.slack.slash("/scan", web.url("/hours.html"))
    message = result_for(stack, answer)
    assert "No personal data found" in message["text"]
    assert "People affected" not in shown(message)


def test_slack_escaped_url_is_understood(stack, web):
    url = web.url("/hours.html")
    answer = stack.slack.slash("/scan", f"<{url}|{url}>")
    assert answer.reply_text() == f"Scanning {url}…"
    assert "No personal data found" in result_for(stack, answer)["text"]


@pytest.mark.parametrize("text", ["", "help"])
def test_help(stack, text):
    answer = stack.slack.slash("/scan", text)
    body = answer.reply_text()
    assert answer.status == 200 and "/scan <url>" in body and "Scan for personal data" in body


@pytest.mark.parametrize("text", ["not a url", "ftp://example.gov/file.csv", "https://a.gov/x https://b.gov/y"])
def test_bad_arguments_get_one_sentence(stack, text):
    answer = stack.slack.slash("/scan", text)
    reply = answer.reply_text()
    assert answer.status == 200 and reply.count(". ") <= 1 and "Traceback" not in reply
    assert not reply.startswith("Scanning")


def test_unreachable_target_gets_one_sentence(stack):
    answer = stack.slack.slash("/scan", f"http://127.0.0.1:{free_port()}/gone.csv")
    message = result_for(stack, answer)
    assert message["text"].startswith("Could not scan")
    assert "Traceback" not in message["text"] and "Something went wrong" not in message["text"]


def test_private_address_is_refused(stack):
    answer = stack.slack.slash("/scan", "http://10.255.255.1/roster.csv")
    message = result_for(stack, answer)
    assert message["text"].startswith("Could not scan") and "Something went wrong" not in message["text"]


def test_acknowledged_fast_and_result_not_posted_elsewhere(stack, web):
    already = len(stack.standin.calls)
    answer = stack.slack.slash("/scan", web.url("/hours.html"), channel_id="C0ELSEWHERE")
    result_for(stack, answer)
    # incident rooms the bot made itself (earlier tests) get their own updates; nothing else may
    incident_rooms = set(stack.standin.channels)
    posted = [c for c in stack.standin.calls[already:] if c.method.startswith("chat.")
              and c.params.get("channel") not in incident_rooms]
    assert [c.params.get("channel") for c in posted if c.params.get("channel") != "C0ELSEWHERE"] == []
    assert answer.elapsed < 2.0


def test_incident_level_leak_is_handed_to_incidents(stack, web):
    """The result names the incident room the incidents part opened for it (a real channel)."""
    web.add("/exports/second.csv", leak_csv(people(12, seed=99)), content_type="text/csv")
    answer = stack.slack.slash("/scan", web.url("/exports/second.csv"), user_id="U0REPORTER")
    text = shown(result_for(stack, answer))
    assert "Take it down now" in text
    assert "opened in <#" in text, text[-300:]
    room = text.split("opened in <#", 1)[1].split(">", 1)[0]
    assert room in stack.standin.channels
    assert "U0REPORTER" in stack.standin.channels[room]["members"]


def test_expired_response_url_falls_back_to_ephemeral_in_the_same_channel(stack, web):
    stack.standin.expire_next_responses(1)
    answer = stack.slack.slash("/scan", web.url("/hours.html"), user_id="U0LATE", channel_id="C0LATE")
    ephemeral = stack.standin.wait_for("chat.postEphemeral", where=lambda c: c.params.get("user") == "U0LATE", timeout=20)
    assert ephemeral.params["channel"] == "C0LATE" and "No personal data found" in ephemeral.params["text"]
    tried = [c for c in stack.standin.calls_to("response_url") if answer.response_url.endswith(c.path)]
    assert [c.status for c in tried] == [404]


def test_crawl_finds_the_leak_a_page_links_to(stack, web):
    web.add("/reports.html", b'<html><body><a href="/exports/roster.csv">FY roster</a></body></html>',
            content_type="text/html")
    plain = result_for(stack, stack.slack.slash("/scan", web.url("/reports.html")))
    assert "No personal data found" in plain["text"]
    crawled = result_for(stack, stack.slack.slash("/scan", f"{web.url('/reports.html')} --crawl"), timeout=30)
    assert f"A-numbers*: {PEOPLE}" in shown(crawled)
