"""`python -m bot` with no Slack settings: the local workspace, through its HTTP API (no browser).

What a person does on the page is sent as signed Slack requests to the real bot; the answers land
in the workspace's state. These tests drive that API as the page does and read the state back.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request

from bot.workspace.sample import roster_csv, roster_rows
from tests.workspace.conftest import ROOT, incident_channel, texts

ME = "U0YOU"
GENERAL = "C0GENERAL"


def _ephemerals(state: dict, channel: str) -> list[str]:
    return [m["text"] for m in state["messages"].get(channel, []) if m.get("ephemeral")]


def test_no_slack_settings_starts_the_local_workspace_and_says_so_in_one_line(workspace):
    ws = workspace()
    assert re.search(rf"local workspace.*http://127\.0\.0\.1:{ws.port}/", ws.line)
    assert ws.out_path.read_text().count("\n") == 1
    with urllib.request.urlopen(ws.url + "/healthz", timeout=5) as response:
        assert json.loads(response.read())["ok"] is True
    with urllib.request.urlopen(ws.url + "/", timeout=5) as response:
        page = response.read().decode()
        assert "<label for=\"composer-text\">" in page and "aria-live" in page
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    state = ws.state()
    assert {c["name"] for c in state["channels"]} >= {"general", "Leakwatch"}
    assert state["sample"]["roster_url"].startswith("http://127.0.0.1:")


def test_a_signing_secret_alone_is_a_half_configured_bot_not_a_workspace(tmp_path):
    base = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "HOST": "127.0.0.1"}
    done = subprocess.run([sys.executable, "-m", "bot"], cwd=tmp_path, env={**base, "SLACK_SIGNING_SECRET": "s"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "SLACK_BOT_TOKEN" in done.stderr and not done.stdout


def test_scan_opens_an_incident_and_a_tick_is_a_signed_block_action(workspace):
    ws = workspace()
    roster = ws.state()["sample"]["roster_url"]
    status, answer = ws.post("/api/command", {"channel": GENERAL, "text": f"/scan {roster}"})
    assert status == 200 and answer["ok"]
    ws.wait(lambda s: any("Personal data found" in t for t in _ephemerals(s, GENERAL)), "the scan result")
    room = ws.wait(incident_channel, "the incident channel")
    assert room["private"] and ME in room["members"] and "U0ONCALL" in room["members"]
    assert room["pins"] and room["topic"].startswith("#1")
    state = ws.state()
    checklist = next(m for m in state["messages"][room["id"]] if "Follow-up checklist" in m["text"])
    actions = next(b for b in checklist["blocks"] if b["type"] == "actions")
    element = actions["elements"][0]
    first = element["options"][0]["value"]
    status, answer = ws.post("/api/action", {"channel": room["id"], "ts": checklist["ts"],
                                             "block_id": actions["block_id"], "action_id": element["action_id"],
                                             "selected": [first]})
    assert status == 200 and answer["ok"]
    ws.wait(lambda s: any("1 of" in m["text"] and "done by <@U0YOU>" in json.dumps(m["blocks"])
                          for m in s["messages"][room["id"]]), "the checklist rebuilt with the tick")
    # a timer edited in place, marked edited
    ws.wait(lambda s: any(m.get("edited") and "Takedown clock" in m["text"] for m in s["messages"][room["id"]]),
            "the live timer edited in place")
    # an unknown command is one sentence, only for you
    ws.post("/api/command", {"channel": GENERAL, "text": "/nosuch thing"})
    ws.wait(lambda s: [m for m in s["messages"][GENERAL] if "is not a command here" in m["text"]
                       and m["from"] == "workspace"], "the workspace's answer to an unknown command")
    raw = [row["A-Number"] for row in roster_rows()] + [row["Last Name"] for row in roster_rows()]
    everything = json.dumps(ws.state())
    assert not [v for v in raw if v in everything], "a raw roster value reached the workspace"


def test_a_dropped_file_goes_to_the_bot_as_a_direct_message_does(workspace):
    ws = workspace()
    dm = next(c["id"] for c in ws.state()["channels"] if c["im"])
    status, answer = ws.request(f"/api/upload?channel={dm}&name=roster.csv", roster_csv(),
                                {"Content-Type": "text/csv", "X-Leakwatch-Workspace": "1"})
    assert status == 200 and answer["ok"]
    mine = ws.wait(lambda s: [m for m in s["messages"][dm] if m.get("user") == ME and m.get("files")], "the upload")
    answer = ws.wait(lambda s: [m for m in s["messages"][dm] if m.get("thread_ts") == mine[0]["ts"]
                                and "Personal data found" in m["text"]], "the bot's answer in the thread")
    assert "24 people" in answer[0]["text"]
    file_id = mine[0]["files"][0]["id"]
    with urllib.request.urlopen(f"{ws.url}/api/files/{file_id}/roster.csv", timeout=5) as response:
        assert response.read() == roster_csv() and "attachment" in response.headers["Content-Disposition"]


def test_other_sites_and_other_hosts_are_refused(workspace):
    ws = workspace()
    body = json.dumps({"channel": GENERAL, "text": "/scan http://example.com/"}).encode()
    # a form post from another site (no JSON content type, no workspace header)
    status, _ = ws.request("/api/command", body, {"Content-Type": "text/plain"})
    assert status == 415
    status, _ = ws.request("/api/command", body, {"Content-Type": "application/json", "Origin": "http://evil.test"})
    assert status == 403
    # a DNS-rebound name pointing at 127.0.0.1 is not this workspace's own address
    status, _ = ws.request("/api/state", headers={"Host": f"rebound.evil.test:{ws.port}"})
    assert status == 421
    assert ws.state()["messages"][GENERAL] == []


def test_the_scanner_may_fetch_the_sample_site_and_nothing_else_on_this_machine(workspace):
    ws = workspace()
    ws.post("/api/command", {"channel": GENERAL, "text": f"/scan {ws.url}/api/state"})
    refused = ws.wait(lambda s: [t for t in _ephemerals(s, GENERAL) if "Refused" in t or "refused" in t],
                      "the refusal of another local port")
    assert "loopback" in refused[0]
    assert not incident_channel(ws.state())


def test_the_workspace_survives_a_restart(workspace, tmp_path):
    ws = workspace()
    roster = ws.state()["sample"]["roster_url"]
    ws.post("/api/command", {"channel": GENERAL, "text": f"/scan {roster}"})
    room = ws.wait(incident_channel, "the incident channel")
    ws.wait(lambda s: any("Follow-up checklist" in t for t in texts(s, room["id"])), "the checklist")
    dm = next(c["id"] for c in ws.state()["channels"] if c["im"])
    ws.request(f"/api/upload?channel={dm}&name=kept.csv", b"a,b\n1,2\n", {"X-Leakwatch-Workspace": "1"})
    sent = ws.wait(lambda s: [m for m in s["messages"][dm] if m.get("files")], "the upload")
    ws.wait(lambda s: (ws.tmp_dir / "data" / "workspace" / "workspace-files" / sent[0]["files"][0]["id"]).exists(),
            "the file kept on disk")
    assert ws.stop() == 0
    again = workspace(port=ws.port)
    state = again.state()
    assert incident_channel(state)["id"] == room["id"]
    assert state["sample"]["roster_url"] == roster, "the sample site keeps its address"
    assert any("Incident #1" in t for t in texts(state, room["id"]))
    with urllib.request.urlopen(f"{again.url}/api/files/{sent[0]['files'][0]['id']}/kept.csv", timeout=5) as response:
        assert response.read() == b"a,b\n1,2\n"
    # the bot still knows the incident in that channel
    again.post("/api/command", {"channel": room["id"], "text": "/incident status"})
    again.wait(lambda s: any("#1" in t for t in _ephemerals(s, room["id"])), "the status of incident #1")


def test_watch_the_sample_site_during_maintenance(workspace):
    ws = workspace()
    site = ws.state()["sample"]["url"]
    ws.post("/api/command", {"channel": GENERAL, "text": f"/watch {site} every 10s for 30m"})
    ws.wait(lambda s: [t for t in _ephemerals(s, GENERAL) if "atch" in t], "the watch's answer")
    # the first run finds the roster the front page links to: an alert in the channel, and the incident
    alert = ws.wait(lambda s: [m for m in s["messages"][GENERAL] if not m.get("ephemeral") and not m.get("user")],
                    "the watch's alert in #general")
    assert "detention-roster.csv" in json.dumps(alert)
    ws.wait(incident_channel, "the incident the watch opened")
