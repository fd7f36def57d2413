"""`python -m bot` as a real process: health, Slack's request signing, start-up errors, shutdown."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.helpers.bot_process import ROOT, running_bot
from tests.helpers.slack_requests import slash_command_body
from tests.helpers.slack_standin import SlackStandIn


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_bot(tmp_path_factory.mktemp("server")) as running:
        yield running


def test_healthz(stack):
    health = stack.bot.health()
    assert health["ok"] is True and health["mode"] == "http"


def _help_body(stack) -> str:
    return slash_command_body("/scan", "help", user_id="U0ASKER", channel_id="C0GENERAL",
                              response_url=stack.standin.response_url())


def test_signed_request_is_answered(stack):
    answer = stack.slack.post(_help_body(stack), "application/x-www-form-urlencoded")
    assert answer.status == 200 and "/scan <url>" in answer.reply_text()


@pytest.mark.parametrize("tamper", ["unsigned", "bad_signature", "six_minutes_old", "body_changed"])
def test_requests_not_signed_by_slack_are_rejected(stack, tamper):
    body = _help_body(stack)
    if tamper == "unsigned":
        answer = stack.slack.post(body, "application/x-www-form-urlencoded", sign=False)
    elif tamper == "bad_signature":
        answer = stack.slack.post(body, "application/x-www-form-urlencoded", signature_value="v0=" + "0" * 64)
    elif tamper == "six_minutes_old":
        answer = stack.slack.post(body, "application/x-www-form-urlencoded", timestamp=time.time() - 360)
    else:  # signed for one body, sent with another
        from tests.helpers.slack_requests import signature

        ts = str(int(time.time()))
        answer = stack.slack.post(body.replace("help", "https%3A%2F%2Fexample.gov"), "application/x-www-form-urlencoded",
                                  timestamp=float(ts), signature_value=signature(stack.slack.secret, ts, body))
    assert answer.status == 401
    assert b"/scan" not in answer.body


def test_url_verification_echoes_the_challenge(stack):
    answer = stack.slack.url_verification("challenge-abc123")
    assert answer.status == 200 and answer.json()["challenge"] == "challenge-abc123"


def _raw(stack, path: str, method: str = "GET", body: bytes | None = None) -> int:
    request = urllib.request.Request(stack.bot.url + path, data=body, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_other_paths_and_methods(stack):
    assert _raw(stack, "/nowhere") == 404
    assert _raw(stack, "/slack/events") == 405
    assert _raw(stack, "/slack/events", "POST", b"x" * 1_100_000) == 413


def _run_bot(env: dict, tmp_path, timeout: float = 30) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "HOST": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env={**base, **env},
                          capture_output=True, text=True, timeout=timeout)


def test_missing_setting_stops_start_up_with_one_line(tmp_path):
    done = _run_bot({"SLACK_SIGNING_SECRET": "s"}, tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0]


def test_malformed_setting_from_dotenv_is_named(tmp_path):
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nTAKEDOWN_TARGET_MINUTES=soon\n")
    done = _run_bot({}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "TAKEDOWN_TARGET_MINUTES" in done.stderr


def test_refused_token_stops_start_up_with_one_line(tmp_path):
    with SlackStandIn() as standin:
        done = _run_bot({"SLACK_BOT_TOKEN": "xoxb-wrong", "SLACK_SIGNING_SECRET": "s",
                         "SLACK_API_URL": standin.api_url, "PORT": "1"}, tmp_path)
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert "invalid_auth" in last and "Traceback" not in done.stderr


def test_sigterm_stops_cleanly(tmp_path):
    with running_bot(tmp_path) as running:
        code = running.bot.stop()
    assert code == 0, running.bot.logs()[-2000:]


def test_app_token_selects_socket_mode(tmp_path):
    """With SLACK_APP_TOKEN the bot asks Slack for a Socket Mode connection with that token
    (the stand-in refuses it, so start-up ends with one line)."""
    with SlackStandIn() as standin:
        done = _run_bot({"SLACK_BOT_TOKEN": standin.bot_token, "SLACK_APP_TOKEN": "xapp-1-A1-123-abc",
                         "SLACK_API_URL": standin.api_url}, tmp_path)
        opened = standin.calls_to("apps.connections.open")
    assert done.returncode == 2 and "SLACK_APP_TOKEN" in done.stderr.strip().splitlines()[-1]
    assert opened and opened[0].headers["authorization"] == "Bearer xapp-1-A1-123-abc"
