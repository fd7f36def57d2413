"""A `/scan` or `/incident open` cut short by a crash is done again at the next start (commands/scan_requests.py):
a real bot process is SIGKILLed while the leak file it was asked to scan is still downloading;
after the restart the person gets the result through the same response_url, the incident opens
(once), and nothing is left pending. Found by bench/crash_chaos.py (a kill during a scan): before,
the request lived only in the killed process and "Scanning…" was the last word."""

from __future__ import annotations

import threading

import pytest

from tests.helpers.bot_process import database, running_bot, wait_until
from tests.helpers.synthetic_leak import leak_csv, people, raw_values, shown_in
from tests.helpers.webserver import WebServer

ENV = {"TAKEDOWN_TARGET_MINUTES": "60", "TAKEDOWN_POLL_SECONDS": "30", "TIMER_UPDATE_SECONDS": "30"}
ROWS = people(12, seed=93)


@pytest.fixture
def stack(tmp_path):
    with running_bot(tmp_path, ENV) as running:
        yield running


def held(data: bytes, gate: threading.Event):
    def held_then_served():  # the first download waits for the gate (the bot is killed meanwhile)
        gate.wait(30)
        yield data

    return held_then_served


def test_a_scan_cut_short_by_a_kill_is_answered_after_the_restart(stack):
    gate = threading.Event()
    data = leak_csv(ROWS)
    with WebServer() as web:
        path = "/exports/interrupted_roster.csv"
        web.add(path, held(data, gate), content_type="text/csv")
        url = web.url(path)
        answer = stack.slack.slash("/scan", url, user_id="U0REPORTER", channel_id="C0GENERAL")
        assert answer.status == 200 and "Scanning" in answer.reply_text()
        wait_until(lambda: [r for r in web.requests_for(path) if r.method == "GET"], 20, "the download started")
        assert not database(stack).get("incidents")
        stack.bot.kill()
        gate.set()
        web.add(path, data, content_type="text/csv")
        stack.bot.start()

        said = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path)
                                      and "Scanning" not in c.params.get("text", ""), timeout=40)
        assert "Personal data found" in said.params.get("text", "")
        incidents = wait_until(lambda: [d for d in database(stack).get("incidents", {}).values()
                                        if d.get("url") == url and d.get("setup_complete")], 30, "the incident")
        assert len(incidents) == 1
        wait_until(lambda: not database(stack).get("scan_requests"), 10, "the request forgotten once answered")
        assert "cut short by a restart" in stack.bot.logs()
        assert not shown_in(stack.standin.recorded_text() + stack.bot.logs(), raw_values(ROWS))


def test_an_incident_open_cut_short_by_a_kill_opens_after_the_restart(stack):
    gate = threading.Event()
    rows = people(9, seed=94)
    with WebServer() as web:
        path = "/exports/interrupted_open.csv"
        web.add(path, held(leak_csv(rows), gate), content_type="text/csv")
        url = web.url(path)
        answer = stack.slack.slash("/incident", f"open {url}", user_id="U0REPORTER", channel_id="C0GENERAL")
        assert answer.status == 200 and "Opening" in answer.reply_text()
        wait_until(lambda: [r for r in web.requests_for(path) if r.method == "GET"], 20, "the download started")
        stack.bot.kill()
        gate.set()
        web.add(path, leak_csv(rows), content_type="text/csv")
        stack.bot.start()

        said = stack.standin.wait_for("response_url", where=lambda c: answer.response_url.endswith(c.path), timeout=40)
        assert "opened in <#" in said.params.get("text", "")
        opened = [d for d in database(stack).get("incidents", {}).values() if d.get("url") == url]
        assert len(opened) == 1
        wait_until(lambda: not database(stack).get("scan_requests"), 10, "the request forgotten once answered")
