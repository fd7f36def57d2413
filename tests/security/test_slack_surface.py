"""What reaches Slack: the fallback text of a scan result cannot mention or link (a file's name is
chosen by whoever uploaded it), and adversarial files through the real bot leave no raw value in
any Slack call, the bot's log (at DEBUG) or the files it wrote."""

from __future__ import annotations

from bot.scan.report import Finding, Report
from bot.slack.blocks import scan_result


def _report(**fields) -> Report:
    report = Report(target="<!channel> <https://evil.example|click>.xlsx", kind="xlsx", stats={"seconds": 0.1},
                    **fields)
    return report


def test_fallback_text_cannot_mention_or_link():
    found = _report(records_affected=2, findings=[Finding("A_NUMBER", 2, 0.9, ["S!A2:A3"], ["A•••••0001"], [])])
    found.set_severity("high", "high")
    for report in (found, _report(), _report(error="This file could not be read.", error_code="unreadable")):
        text, _ = scan_result(report)
        assert "<!channel>" not in text and "<https://" not in text, report.severity
        assert "&lt;!channel&gt;" in text


# --- through the real bot -----------------------------------------------------------------------

import json  # noqa: E402 - the end-to-end half of this module
import time  # noqa: E402
from urllib.parse import unquote_plus  # noqa: E402

import pytest  # noqa: E402

from tests.helpers.bot_process import running_bot  # noqa: E402
from tests.helpers.slack_requests import file_message_event  # noqa: E402
from tests.helpers.webserver import WebServer  # noqa: E402
from tests.security.leaky_files import LEAKS, MALFORMED, leaked_ids  # noqa: E402

ADVERSARIAL = ["sheets-named-ssn.xlsx", "sheets-named-person.xlsx", "entries-named-after-people.zip",
               "keys-are-names.json", "caption-and-th.html", "font-encoding.pdf", "headerless.csv"]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    env = {"INCIDENT_SEVERITY_THRESHOLD": "low", "LOG_LEVEL": "DEBUG", "AUTO_SCAN_CHANNELS": "C0AUTO"}
    with running_bot(tmp_path_factory.mktemp("security-bot"), env=env) as running:
        yield running


def test_adversarial_files_leave_no_raw_value_in_slack_logs_or_database(stack):
    files = [stack.standin.add_file(LEAKS[name](), name) for name in ADVERSARIAL]
    files += [stack.standin.add_file(make(), name) for name, make in MALFORMED.items()]
    for index in range(0, len(files), 10):
        stack.slack.event(file_message_event(files[index:index + 10], user_id="U0ASKER", channel_id="D0ASKER",
                                             channel_type="im", ts=f"1700002000.00{index:04d}"))
    stack.wait_scans_done(len(files), timeout=90)
    stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0ASKER",
                           count=len(files), timeout=30)

    recorded = stack.standin.recorded_text()
    posted = [c for c in stack.standin.calls_to("chat.postMessage") if c.params.get("channel") == "D0ASKER"]
    assert sum("A-numbers" in json.dumps(c.params.get("blocks")) for c in posted) >= len(ADVERSARIAL) - 1
    in_slack = leaked_ids(recorded + unquote_plus(recorded))
    assert not in_slack, f"raw values in Slack calls (ids {in_slack})"
    in_log = leaked_ids(stack.bot.logs())
    assert not in_log, f"raw values in the bot's log (ids {in_log})"
    tracebacks = stack.bot.logs().count("Traceback")
    assert tracebacks == 0, f"{tracebacks} tracebacks in the bot's log"
    for path in stack.bot.tmp_dir.rglob("*"):
        if path.is_file() and path != stack.bot.log_path:
            in_file = leaked_ids(path.read_bytes().decode("utf-8", "replace"))
            assert not in_file, f"raw values in {path.name} (ids {in_file})"


def test_file_url_off_slack_gets_no_token_and_one_sentence(stack):
    """files.info is Slack's word, but the token must still only go to Slack's hosts."""
    with WebServer() as elsewhere:
        info = stack.standin.add_file(LEAKS["roster.csv"](), "elsewhere.csv")
        for url in (f"http://localhost:{elsewhere.port}/steal", "https://files.slack.com.evil.example/x",
                    f"https://files.slack.com@localhost:{elsewhere.port}/x"):
            stack.standin.files[info["id"]]["url_private_download"] = url
            ts = f"17000030{len(elsewhere.requests)}{url.count('.')}.000100"
            stack.slack.event(file_message_event([info], user_id="U0ASKER", channel_id="D0OFF", channel_type="im",
                                                 ts=ts))
            info = stack.standin.add_file(LEAKS["roster.csv"](), "elsewhere.csv")
        answers = stack.standin.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "D0OFF",
                                         count=3, timeout=30)
        requested = len(elsewhere.requests)
    assert requested == 0, f"{requested} requests reached a host that is not Slack"
    texts = [c.params.get("text", "") for c in answers]
    assert all("not stored on Slack" in text for text in texts), texts


@pytest.mark.parametrize("event", [
    {"type": "message", "subtype": "file_share", "channel": "D0X", "channel_type": "im", "user": "U0ASKER",
     "ts": "1700004000.000100", "files": ["F-not-a-dict", None, 7]},
    {"type": "message", "subtype": "file_share", "channel": "D0X", "channel_type": "im", "user": "U0ASKER",
     "ts": "1700004000.000200", "files": [{"id": f"F{i:06d}"} for i in range(1000)]},
    {"type": "file_shared", "file_id": {"nested": True}, "channel_id": "C0AUTO", "user_id": "U0UP"},
], ids=["files-not-objects", "a-thousand-files", "file-id-not-a-string"])
def test_malformed_events_do_not_hurt_the_bot(stack, event):
    logged = len(stack.bot.logs())
    answer = stack.slack.event(event)
    assert answer.status in (200, 400, 404, 500), answer.status
    deadline = time.monotonic() + 10
    while len(stack.bot.logs()) == logged and time.monotonic() < deadline:  # the listener ran
        time.sleep(0.05)
    health = stack.bot.health()
    assert health and health["ok"], "the bot stopped answering /healthz"
    tracebacks = stack.bot.logs().count("Traceback")
    assert tracebacks == 0, f"{tracebacks} tracebacks in the bot's log"


def test_incident_channel_name_holds_no_identifier():
    from datetime import UTC, datetime

    from bot.incidents.naming import channel_name
    from tests.security.leaky_files import PEOPLE

    person = PEOPLE[0]
    name = channel_name("inc", datetime(2026, 11, 28, tzinfo=UTC), f"{person.ssn} roster.xlsx")
    digits = "".join(c for c in name if c.isdigit())
    assert person.ssn.replace("-", "") not in digits, "the SSN's digits are in the channel name"
