"""Settings: all read in bot/config.py, all documented in .env.example; the example values copied
unchanged are named before any network call; `python -m bot --help`; an unsigned malformed
request is a 401, never a 500 with a traceback."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.config import EXAMPLE_VALUES, Settings
from bot.errors import ConfigError
from tests.helpers.bot_process import ROOT, running_bot
from tests.helpers.slack_standin import SlackStandIn

ENV_EXAMPLE = ROOT / ".env.example"
#: read elsewhere on purpose: OpenSSL's own variables, honoured by the fetcher's TLS context
NOT_SETTINGS = {"SSL_CERT_FILE", "SSL_CERT_DIR"}


def _documented() -> dict[str, str]:
    """NAME -> value for every `NAME=value` or `#NAME=value` line of .env.example."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?([A-Z][A-Z0-9_]+)=(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


def _read_by_config() -> set[str]:
    source = (ROOT / "bot" / "config.py").read_text(encoding="utf-8")
    return set(re.findall(r'env(?:\.get\(|, )"([A-Z][A-Z0-9_]+)"', source))


def test_every_setting_is_read_in_config_py_only():
    offenders = []
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "commands").rglob("*.py")]:
        if path == ROOT / "bot" / "config.py":
            continue
        for name in re.findall(r'(?:os\.environ\.get\(|os\.environ\[|getenv\()\s*"([A-Z0-9_]+)"', path.read_text(encoding="utf-8")):
            if name not in NOT_SETTINGS:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_every_setting_is_documented_and_every_documented_one_is_read():
    read, documented = _read_by_config(), set(_documented())
    assert {"HOST", "HTTP_THREADS", "LOG_LEVEL", "WATCH_MIN_INTERVAL_SECONDS", "ADMIN_USERS",
            "STAKEHOLDER_CHANNEL", "PAGERDUTY_ROUTING_KEY", "OPSGENIE_API_KEY"} <= read
    assert read - documented == set(), "read but not in .env.example"
    assert documented - read == set(), "in .env.example but never read"


def test_example_values_are_the_files_and_are_refused():
    documented = _documented()
    for name, value in EXAMPLE_VALUES.items():
        assert documented[name] == value, name
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    for name, value in EXAMPLE_VALUES.items():
        with pytest.raises(ConfigError) as err:
            Settings.from_env({**env, name: value})
        assert name in str(err.value) and ".env.example" in str(err.value)


def test_new_settings_are_checked():
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    settings = Settings.from_env({**env, "HOST": "127.0.0.1", "HTTP_THREADS": "3", "LOG_LEVEL": "debug",
                                  "ADMIN_USERS": "U1, U2", "STAKEHOLDER_CHANNEL": "C0STAKE"})
    assert (settings.host, settings.http_threads, settings.log_level) == ("127.0.0.1", 3, "DEBUG")
    assert settings.admin_users == ("U1", "U2") and settings.stakeholder_channel == "C0STAKE"
    for name, bad in (("LOG_LEVEL", "loud"), ("HTTP_THREADS", "0"), ("STAKEHOLDER_CHANNEL", "#general"),
                      ("PAGERDUTY_EVENTS_URL", "events.pagerduty.com"), ("WATCH_MIN_INTERVAL_SECONDS", "x")):
        with pytest.raises(ConfigError) as err:
            Settings.from_env({**env, name: bad})
        assert name in str(err.value)


def _run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(cwd), "HOST": "127.0.0.1"}
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=60)


def test_help_prints_help(tmp_path):
    done = _run(["--help"], tmp_path)
    assert done.returncode == 0 and "usage: python -m bot" in done.stdout and "scan" in done.stdout
    wrong = _run(["--frobnicate"], tmp_path)
    assert wrong.returncode == 2 and len(wrong.stderr.strip().splitlines()) == 1 and "--help" in wrong.stderr


def test_the_example_env_copied_as_is_is_named_before_any_network_call(tmp_path):
    shutil.copy(ENV_EXAMPLE, tmp_path / ".env")
    with SlackStandIn() as standin:
        done = _run([], tmp_path, {"SLACK_API_URL": standin.api_url})
        calls = standin.calls
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1
    assert "SLACK_BOT_TOKEN" in lines[0] and "example" in lines[0]
    assert calls == []


def _post(url: str, body: bytes, content_type: str) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_an_unsigned_malformed_request_gets_401_and_no_traceback(tmp_path):
    with running_bot(tmp_path) as stack:
        url = stack.bot.url + "/slack/events"
        for body, kind in ((b"{not json", "application/json"), (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
                           (b"\xff\xfe\x00garbage", "application/json"), (b"", "application/json")):
            assert _post(url, body, kind) == 401, (body, kind)
        assert stack.bot.health()["ok"]
        logs = stack.bot.logs()
    assert "Traceback" not in logs and " 500 " not in logs
