"""The local workspace's parts on their own: the sample data, the signatures, the live stand-in."""

from __future__ import annotations

import csv
import io
import json
import time
import urllib.error
import urllib.request

from slack_sdk.signature import SignatureVerifier

from bot.config import ScanSettings
from bot.scan.pipeline import scan_bytes
from bot.workspace.live import LiveStandIn, ts_key
from bot.workspace.relay import sign
from bot.workspace.sample import clean_page, roster_csv, roster_rows
from bot.workspace.sample_site import SampleSite


def test_the_sample_roster_is_the_same_every_run_and_an_incident_for_the_scanner():
    assert roster_csv() == roster_csv()
    assert roster_csv(seed=1) != roster_csv(seed=2)
    rows = list(csv.DictReader(io.StringIO(roster_csv().decode())))
    assert len(rows) == 24 and len({r["A-Number"] for r in rows}) == 24
    report = scan_bytes(roster_csv(), target="roster.csv", settings=ScanSettings(fingerprint_key="k"),
                        name="detention-roster.csv")
    assert report.incident and report.severity == "critical"
    assert not scan_bytes(clean_page(), target="c.html", settings=ScanSettings(fingerprint_key="k")).incident


def test_the_sample_names_are_invented_not_drawn_from_a_list_of_real_people():
    # made from invented syllables: no name in the roster is one of the test suite's name lists
    from tests.helpers.synthetic_leak import FIRST, LAST

    names = {r["First Name"] for r in roster_rows()} | {r["Last Name"] for r in roster_rows()}
    assert not names & (set(FIRST) | set(LAST))


def test_the_relay_signature_is_what_slack_sdk_verifies():
    body = "token=x&command=%2Fscan&text=hello"
    verifier = SignatureVerifier("secret-123")
    timestamp = str(int(time.time()))
    assert verifier.is_valid(body, timestamp, sign("secret-123", timestamp, body))
    assert not verifier.is_valid(body, timestamp, sign("other", timestamp, body))


def _post(url: str, payload: dict) -> int:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def test_response_url_answers_become_ephemerals_or_replace_the_clicked_message():
    with LiveStandIn(me="U0YOU") as live:
        live.add_channel("general", members=["U0YOU"], channel_id="C1")
        before = live.version
        _post(live.response_url_for(channel="C1", user="U0YOU"), {"text": "only for you"})
        assert live.wait_for_change(before, 5) > before
        assert [m["text"] for m in live.snapshot()["messages"]["C1"]] == ["only for you"]
        ts = live.post_as_user("C1", "U0YOU", "original")
        _post(live.response_url_for(channel="C1", user="U0YOU", message_ts=ts),
              {"text": "replaced", "replace_original": True})
        texts = [m["text"] for m in live.snapshot()["messages"]["C1"]]
        assert "replaced" in texts and "original" not in texts
        _post(live.response_url_for(channel="C1", user="U0YOU"), {"text": "for everyone", "response_type": "in_channel"})
        shown = live.snapshot()["messages"]["C1"]
        assert any(m["text"] == "for everyone" and not m.get("ephemeral") for m in shown)
        # another person's ephemerals are not shown to you
        live.add_ephemeral("C1", "U0OTHER", "not yours")
        assert all(m["text"] != "not yours" for m in live.snapshot()["messages"]["C1"])


def test_the_live_state_survives_export_and_import():
    with LiveStandIn(me="U0YOU") as live:
        live.add_channel("inc", members=["U0YOU"], private=True, channel_id="C9")
        ts = live.post_as_user("C9", "U0YOU", "hello")
        live.pins.add(("C9", ts))
        live.add_file(b"bytes", "a.csv", channel="C9")
        saved, blobs = json.loads(json.dumps(live.export_state())), live.file_blobs()
    with LiveStandIn(me="U0YOU") as again:
        again.import_state(saved, blobs.get)
        again.rebase_file_urls()
        snap = again.snapshot()
        assert snap["channels"][0]["pins"] == [ts] and snap["messages"]["C9"][0]["text"] == "hello"
        info = next(iter(again.files.values()))
        assert info["url_private_download"].startswith(again.base_url)
        assert again.file_for_page(info["id"])[1] == b"bytes"
        assert ts_key(again._next_ts()) > ts_key(ts)


def test_the_sample_site_takes_the_roster_down_and_back():
    site = SampleSite().start()
    try:
        with urllib.request.urlopen(site.roster_url, timeout=5) as response:
            assert response.read() == roster_csv() and response.headers["Last-Modified"]
        site.take_down()
        try:
            urllib.request.urlopen(site.roster_url, timeout=5)
            raise AssertionError("the roster is still there")
        except urllib.error.HTTPError as err:
            assert err.code == 404
        with urllib.request.urlopen(site.url, timeout=5) as response:
            assert b"was taken down" in response.read()
        site.restore()
        with urllib.request.urlopen(site.roster_url, timeout=5) as response:
            assert response.status == 200
    finally:
        site.stop()


def test_a_file_the_bot_shares_in_a_channel_shows_as_its_message_with_a_download():
    from slack_sdk import WebClient

    with LiveStandIn(me="U0YOU") as live:
        live.add_channel("inc", members=["U0YOU"], private=True, channel_id="C9")
        client = WebClient(token=live.bot_token, base_url=live.api_url)
        client.files_upload_v2(channel="C9", content="# Breach report\n", filename="report.md",
                               initial_comment="The breach report")
        shown = live.snapshot()["messages"]["C9"]
        assert len(shown) == 1 and shown[0]["text"] == "The breach report" and not shown[0].get("user")
        file_id = shown[0]["files"][0]["id"]
        assert live.file_for_page(file_id)[1] == b"# Breach report\n"


class _Bot:
    """A stand-in for the bot's /slack/events: keeps each request's headers and body."""

    def __init__(self):
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        seen = self.seen = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                seen.append((dict(self.headers), body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/slack/events"


def test_block_actions_are_signed_and_built_from_the_stored_message_not_the_page():
    from urllib.parse import parse_qs

    from bot.workspace.relay import BotRelay

    bot = _Bot()
    try:
        with LiveStandIn(me="U0YOU") as live:
            live.add_channel("general", members=["U0YOU"], channel_id="C1")
            button = {"type": "button", "action_id": "go", "value": "stored-value",
                      "text": {"type": "plain_text", "text": "Go"}}
            with live._lock:
                live.messages[("C1", "1.000001")] = {"channel": "C1", "ts": "1.000001", "text": "t", "thread_ts": None,
                                                      "blocks": [{"type": "actions", "block_id": "b", "elements": [button]}]}
            live.add_ephemeral("C1", "U0YOU", "only you", [{"type": "actions", "block_id": "e", "elements": [button]}])
            ephemeral_ts = live.snapshot()["messages"]["C1"][-1]["ts"]
            relay = BotRelay(bot.url, "secret-9", live, team_id="T0")
            relay.block_action(user="U0YOU", channel="C1", message_ts="1.000001", block_id="b", action_id="go",
                               value="forged")
            relay.block_action(user="U0YOU", channel="C1", message_ts=ephemeral_ts, block_id="e", action_id="go")
            assert relay.block_action(user="U0YOU", channel="C1", message_ts="1.000001", block_id="b",
                                      action_id="nothing").status == 404
    finally:
        bot.server.shutdown()
    (headers, body), (_, ephemeral_body) = bot.seen
    assert SignatureVerifier("secret-9").is_valid(body, headers["X-Slack-Request-Timestamp"],
                                                  headers["X-Slack-Signature"])
    payload = json.loads(parse_qs(body)["payload"][0])
    assert payload["type"] == "block_actions" and payload["actions"][0]["value"] == "stored-value"
    assert payload["message"]["blocks"][0]["block_id"] == "b" and not payload["container"]["is_ephemeral"]
    ephemeral = json.loads(parse_qs(ephemeral_body)["payload"][0])
    assert ephemeral["container"]["is_ephemeral"] and "message" not in ephemeral


def test_the_local_workspace_never_pages_a_real_service_nor_uses_a_real_database():
    from bot.config import local_workspace_env

    env = local_workspace_env({"PAGERDUTY_ROUTING_KEY": "k", "OPSGENIE_API_KEY": "o",
                               "OPSGENIE_API_URL": "http://127.0.0.1:9999", "DATABASE_URL": "postgresql://x",
                               "SCAN_ALLOW_HOSTS": "staging.example.test", "TIMER_UPDATE_SECONDS": "2"},
                              allow_host="127.0.0.1:8123", local={"SLACK_BOT_TOKEN": "xoxb-local"})
    assert "PAGERDUTY_ROUTING_KEY" not in env and env["OPSGENIE_API_KEY"] == "o" and "DATABASE_URL" not in env
    assert env["SCAN_ALLOW_HOSTS"] == "staging.example.test,127.0.0.1:8123"
    assert env["TIMER_UPDATE_SECONDS"] == "2" and env["TAKEDOWN_POLL_SECONDS"] == "5"
    assert env["SLACK_BOT_TOKEN"] == "xoxb-local"
