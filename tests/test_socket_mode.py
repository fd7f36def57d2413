"""`python -m bot` in Socket Mode, as a real process, against a local Socket Mode stand-in.

The stand-in (tests/helpers/socket_standin.py) hands out its ws:// URL through
`apps.connections.open` on the Slack Web API stand-in, greets each connection with hello, sends
envelopes, records acknowledgements, and drops connections the ways networks do. Each drop must be
noticed and the connection replaced within 10 s, the envelope sent meanwhile acknowledged after the
reconnect and handled once, with the process near idle while it waits.

"Handled once" is counted after an end marker, never after a sleep: a repeated delivery is logged
as such ("not handled twice") before its acknowledgement is sent, so once that acknowledgement is
in, the decision is on record; and a later request of the same kind on the same connection,
answered, shows that what arrived before it was dispatched and had as long to answer. CPU is
measured over short windows with a budget per second of the window (the ratio is what is held).
"""

from __future__ import annotations

import re
import threading
import time

import psutil
import pytest

from tests.helpers.bot_process import BotProcess
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.socket_standin import SocketModeStandIn
from tests.helpers.webserver import WebServer

RECONNECT_WITHIN = 10.0
#: CPU seconds the whole bot process may use per second of a wait (idle is ~0.001)
CPU_PER_SECOND = 0.05
#: a reconnect within RECONNECT_WITHIN may use CPU_PER_SECOND of it
CPU_BUDGET = CPU_PER_SECOND * RECONNECT_WITHIN
#: how long Slack stays unreachable in the outage test: the bot's connection tries at 0, 0.5 and 1.5 s
#: (its backoff) all fail in it, and only the first is logged; the next, at 3.5 s, gets through
OUTAGE = 2.0
#: the idle window: at least one ping (every 2.5 s) falls in it
IDLE = 3.0


class Stack:
    def __init__(self, web, sm, bot, pages):
        self.web, self.sm, self.bot, self.pages = web, sm, bot, pages

    def cpu(self) -> float:
        times = psutil.Process(self.bot.process.pid).cpu_times()
        return times.user + times.system

    def greeted(self) -> int:
        return len([link for link in self.sm.links if link.hello_at is not None])

    def answers_to(self, response_url: str) -> list:
        token = response_url.rsplit("/", 1)[1]
        return [c for c in self.web.calls_to("response_url") if c.path.endswith(token)]

    def block_action(self) -> tuple[str, str]:
        """A checkbox that names no incident: acknowledged, then answered once on its response_url."""
        response_url = self.web.response_url()
        return self.sm.block_action("checklist_toggle_1", block_id="not-an-incident", response_url=response_url), response_url

    def answered(self, response_url: str, timeout: float = 30) -> None:
        token = response_url.rsplit("/", 1)[1]
        self.web.wait_for("response_url", where=lambda c: c.path.endswith(token), timeout=timeout)

    def later_request_answered(self, scan_url: str | None = None) -> None:
        """The end marker for "nothing more comes": a later block action (or /scan of `scan_url`, to
        go through the same scan workers) on the current connection, acknowledged and answered."""
        if scan_url is None:
            envelope, response_url = self.block_action()
        else:
            response_url = self.web.response_url()
            envelope = self.sm.slash("/scan", scan_url, response_url=response_url)
        self.sm.wait_ack(envelope, timeout=15)
        self.answered(response_url)

    def repeats_logged(self) -> int:
        return self.bot.logs().count("acknowledged, not handled twice")


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with SlackStandIn() as web, SocketModeStandIn() as sm, WebServer() as pages:
        sm.attach(web)
        bot = BotProcess(web, tmp_path_factory.mktemp("socket"), env={"SLACK_APP_TOKEN": sm.app_token}).start()
        try:
            sm.wait_connection(1)
            yield Stack(web, sm, bot, pages)
        finally:
            bot.stop()


def test_hello_and_healthz(stack):
    health = stack.bot.health()
    assert health["ok"] is True and health["mode"] == "socket"
    assert health["socket_mode"]["connected"] is True and health["socket_mode"]["down_seconds"] == 0
    assert stack.web.calls_to("apps.connections.open")[0].headers["authorization"] == f"Bearer {stack.sm.app_token}"


def test_slash_command_is_acknowledged_then_answered_once(stack):
    stack.pages.add("/notes.txt", b"nothing personal in here\n", content_type="text/plain")
    response_url = stack.web.response_url()
    envelope = stack.sm.slash("/scan", stack.pages.url("/notes.txt"), response_url=response_url)
    ack = stack.sm.wait_ack(envelope, timeout=5)
    assert ack.payload and ack.payload["text"].startswith("Scanning")
    stack.answered(response_url)
    stack.later_request_answered(stack.pages.url("/notes.txt"))
    assert len(stack.answers_to(response_url)) == 1 and len(stack.sm.acks_for(envelope)) == 1


def test_block_action_is_acknowledged_and_answered_once(stack):
    envelope, response_url = stack.block_action()
    stack.sm.wait_ack(envelope, timeout=5)
    answer = stack.web.wait_for("response_url", where=lambda c: c.path.endswith(response_url.rsplit("/", 1)[1]))
    assert "not part of an incident checklist" in answer.params.get("text", "")
    stack.later_request_answered()
    assert len(stack.answers_to(response_url)) == 1


def test_refresh_request_replaces_the_connection_without_a_gap(stack):
    before = stack.greeted()
    old = stack.sm.refresh()
    new = stack.sm.wait_connection(before + 1, timeout=RECONNECT_WITHIN)
    envelope, response_url = stack.block_action()
    ack = stack.sm.wait_ack(envelope, timeout=5)
    assert ack.connection == new.number
    deadline = time.monotonic() + 5
    while old.closed_at is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert old.closed_at is not None, "the old connection was left open"
    assert stack.bot.health()["socket_mode"]["connected"] is True
    assert "replaced without a gap" in stack.bot.logs()


@pytest.mark.parametrize("kind", ["fin", "rst", "silent"])
def test_dropped_connection_is_replaced_within_seconds(stack, kind):
    before, cpu_before = stack.greeted(), stack.cpu()
    dropped = time.monotonic()
    stack.sm.drop(kind)
    envelope, response_url = stack.block_action()  # sent while the bot has no working connection
    new = stack.sm.wait_connection(before + 1, timeout=RECONNECT_WITHIN + 5)
    ack = stack.sm.wait_ack(envelope, timeout=5)
    reconnect, acked = new.hello_at - dropped, ack.at - dropped
    cpu = stack.cpu() - cpu_before
    assert reconnect <= RECONNECT_WITHIN, f"{kind}: reconnected after {reconnect:.1f} s"
    assert ack.connection == new.number and acked <= RECONNECT_WITHIN + 1
    assert cpu <= CPU_BUDGET, f"{kind}: {cpu:.2f} CPU s in {acked:.1f} s"
    stack.answered(response_url)
    stack.later_request_answered()
    assert len(stack.answers_to(response_url)) == 1
    why = {"fin": "(FIN)", "rst": "(RST)", "silent": "no answer to pings"}[kind]
    assert stack.bot.health()["socket_mode"]["last_drop"].find(why) >= 0


def test_envelope_whose_ack_was_lost_is_acknowledged_again_not_handled_again(stack):
    """The bot handles an envelope, its acknowledgement (and pongs) are lost on a half-open
    connection; Slack sends it again on the next connection: acknowledged, not run twice."""
    before, repeats = stack.greeted(), stack.repeats_logged()
    stack.sm.drop("deaf")
    envelope, response_url = stack.block_action()
    stack.answered(response_url)
    stack.sm.wait_connection(before + 1, timeout=RECONNECT_WITHIN)
    ack = stack.sm.wait_ack(envelope, timeout=5)
    assert ack.connection == stack.sm.links[-1].number
    assert [d[2] for d in stack.sm.deliveries if d[0] == envelope] == [0, 1]  # delivered twice
    # the second delivery's fate is logged before its acknowledgement, which is in: final
    assert stack.repeats_logged() == repeats + 1
    assert len(stack.answers_to(response_url)) == 1


def test_envelope_handled_before_a_restart_is_not_handled_again_by_the_next_process(tmp_path):
    """Its acknowledgement is lost on a half-open connection, the bot is killed before it
    reconnects; Slack sends the envelope to the next process, which acknowledges it from the
    store's memory (bot/dedupe.py) and does not run it again."""
    with SlackStandIn() as web, SocketModeStandIn() as sm:
        sm.attach(web)
        bot = BotProcess(web, tmp_path / "bot", env={"SLACK_APP_TOKEN": sm.app_token}).start()
        try:
            sm.wait_connection(1)
            sm.drop("deaf")
            response_url = web.response_url()
            envelope = sm.block_action("checklist_toggle_1", block_id="not-an-incident", response_url=response_url)
            token = response_url.rsplit("/", 1)[1]
            web.wait_for("response_url", where=lambda c: c.path.endswith(token))
            bot.kill()
            bot.start()
            ack = sm.wait_ack(envelope, timeout=RECONNECT_WITHIN + 5)
            assert ack.connection == sm.links[-1].number
            assert [d[2] for d in sm.deliveries if d[0] == envelope] == [0, 1]
            # logged before the acknowledgement, which is in: the second delivery was not handled
            assert bot.logs().count("handled before a restart came again") == 1
            assert len([c for c in web.calls_to("response_url") if c.path.endswith(token)]) == 1
        finally:
            bot.stop()


def test_envelope_sent_again_gets_the_first_answer(stack):
    envelope = stack.sm.slash("/scan", "help", response_url=stack.web.response_url())
    first = stack.sm.wait_ack(envelope, timeout=5)
    stack.sm.redeliver(envelope)
    second = stack.sm.wait_ack(envelope, count=2, timeout=5)
    assert first.payload == second.payload and "/scan <url>" in first.payload["text"]


def test_outage_is_reported_while_it_lasts_and_the_process_idles(stack):
    """Slack unreachable for OUTAGE seconds after a FIN: /healthz says down and since when, the log
    says it once (of several refused tries), the process stays near idle, and the bot is back soon
    after Slack is."""
    outage = threading.Event()
    outage.set()
    stack.web.fail_next("apps.connections.open", "internal_error", times=1000, where=lambda p: outage.is_set())
    before, logs = stack.greeted(), stack.bot.logs()
    downs, failures = logs.count("connection down since"), logs.count("could not connect")
    opens = len(stack.web.calls_to("apps.connections.open"))
    time.sleep(0.3)
    cpu_before = stack.cpu()
    dropped = time.monotonic()
    stack.sm.drop("fin")
    time.sleep(OUTAGE)
    cpu = stack.cpu() - cpu_before
    health = stack.bot.health()["socket_mode"]
    waited = time.monotonic() - dropped
    outage.clear()
    assert cpu <= CPU_PER_SECOND * waited, f"{cpu:.2f} CPU s while waiting {waited:.1f} s"
    assert health["connected"] is False and OUTAGE - 1 <= health["down_seconds"] <= waited + 1
    assert len(stack.web.calls_to("apps.connections.open")) - opens >= 2  # tries refused, besides the first
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", health["since"]) and "(FIN)" in health["last_drop"]
    assert stack.bot.logs().count("connection down since") == downs + 1
    assert stack.bot.logs().count("could not connect") == failures + 1  # the first failure, not every retry
    stack.sm.wait_connection(before + 1, timeout=RECONNECT_WITHIN + 5)
    envelope = stack.sm.slash("/scan", "help", response_url=stack.web.response_url())
    stack.sm.wait_ack(envelope, timeout=5)
    assert stack.bot.health()["socket_mode"]["connected"] is True


def test_idle_connection_costs_almost_no_cpu(stack):
    time.sleep(0.5)
    cpu_before, started = stack.cpu(), time.monotonic()
    time.sleep(IDLE)
    cpu, waited = stack.cpu() - cpu_before, time.monotonic() - started
    assert cpu <= 0.02 * waited, f"{cpu:.3f} CPU s in {waited:.1f} s idle"


def test_sigterm_stops_socket_mode_cleanly(tmp_path):
    with SlackStandIn() as web, SocketModeStandIn() as sm:
        sm.attach(web)
        bot = BotProcess(web, tmp_path, env={"SLACK_APP_TOKEN": sm.app_token}).start()
        sm.wait_connection(1)
        code = bot.stop()  # SIGTERM, and SIGKILL only if it has not exited 10 s later
    assert code == 0, bot.logs()[-2000:]  # it ended by itself, cleanly
