"""`/incident drill` in the local workspace: a practice incident, marked DRILL everywhere, on the
bot's own synthetic sample file, with the same clock, escalation and checklist, no page and no
stakeholder post; its report says how long the team took. Pure parts are golden-tested too."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime, timedelta

from bot.incidents import drill
from bot.model import Checklist, ChecklistItem, Incident
from tests.helpers.webserver import WebServer
from tests.workspace.conftest import incident_channel

GENERAL = "C0GENERAL"


def _bot_messages(state: dict, channel: str) -> list[dict]:
    return [m for m in state["messages"][channel] if not m.get("user") and not m.get("ephemeral")]


def test_a_drill_is_marked_everywhere_never_leaves_the_room_and_reports_the_team_time(workspace):
    with WebServer() as pager:
        pager.add("/v2/enqueue", b'{"status": "success"}', content_type="application/json")
        ws = workspace({"TAKEDOWN_TARGET_MINUTES": "0.05", "STAKEHOLDER_CHANNEL": GENERAL,
                        "PAGERDUTY_ROUTING_KEY": "R0UTINGKEY0123456789012345678901",
                        "PAGERDUTY_EVENTS_URL": pager.url("/v2/enqueue")})
        ws.post("/api/command", {"channel": GENERAL, "text": "/incident drill"})
        room = ws.wait(lambda s: (incident_channel(s) or {}).get("topic") and incident_channel(s), "the drill's room")
        assert "drill" in room["name"] and room["private"]
        assert room["topic"].startswith("[DRILL]")
        # the same clock and escalation, in the room only
        ws.wait(lambda s: any("Escalation" in m["text"] for m in s["messages"][room["id"]]), "the escalation")
        state = ws.state()
        posted = _bot_messages(state, room["id"])
        assert posted and all(m["text"].startswith("[DRILL]") for m in posted)
        assert all(m["blocks"][0]["block_id"] == "drill" for m in posted if m["blocks"])
        opened = [m["text"] for m in state["messages"][GENERAL] if m.get("ephemeral")]
        assert any(t.startswith("DRILL #1 opened") for t in opened)
        # the practice file is on the sample site; its takedown button stops the clock
        with urllib.request.urlopen(state["sample"]["url"], timeout=5) as response:
            front = response.read().decode()
        name = re.search(r'name="file" value="(drill-[0-9a-f]{6}\.csv)"', front).group(1)
        request = urllib.request.Request(state["sample"]["url"] + "takedown", data=f"file={name}".encode(),
                                         method="POST")
        urllib.request.urlopen(request, timeout=5).close()
        ws.wait(lambda s: any("Takedown verified" in m["text"] for m in s["messages"][room["id"]]),
                "the drill's takedown proved")
        ws.post("/api/command", {"channel": room["id"], "text": "/incident report"})
        report = ws.wait(lambda s: [m for m in s["messages"][room["id"]] if "Drill result" in json.dumps(m["blocks"])],
                         "the drill's report")
        assert "the team took" in json.dumps(report[0]["blocks"])
        # no page, no stakeholder post: nothing but ephemerals for you in #general
        assert pager.requests_for("/v2/enqueue") == []
        assert _bot_messages(ws.state(), GENERAL) == []
        ws.post("/api/command", {"channel": GENERAL, "text": "/incident list"})
        ws.wait(lambda s: any("#1* DRILL" in m["text"] or "#1* DRILL" in json.dumps(m.get("blocks"))
                              for m in s["messages"][GENERAL] if m.get("ephemeral")), "the list marking the drill")


NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def test_team_time_says_how_long_the_team_took_and_the_checklist():
    incident = Incident(number=3, opened_at=_iso(NOW), taken_down_at=_iso(NOW + timedelta(minutes=4, seconds=12)),
                        drill=True)
    sheet = Checklist(incident=3, items=[
        ChecklistItem(id="a", text="Remove", done=True, by="U1", at=_iso(NOW + timedelta(minutes=6))),
        ChecklistItem(id="b", text="Purge"),
    ])
    assert drill.team_time(incident, sheet, NOW + timedelta(minutes=10), 15) == (
        "*Drill result:* the team took *4 min 12 s* to take the sample down (within the 15 min target); "
        "checklist 1 of 2 done, the last tick 6 min after opening.")
    late = Incident(number=4, opened_at=_iso(NOW), drill=True)
    assert drill.team_time(late, None, NOW + timedelta(minutes=20), 15) == (
        "*Drill result:* not taken down yet, 20 min after the drill opened (target 15 min); checklist 0 of 0 done.")


def test_marks_are_added_once():
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]
    marked = drill.mark_blocks(blocks)
    assert marked[0]["block_id"] == "drill" and marked[1:] == blocks
    assert drill.mark_blocks(marked) == marked
    assert drill.mark_text(drill.mark_text("Timer")) == "[DRILL] Timer"
    assert drill.mark_blocks(None) is None


def test_a_drill_in_a_real_workspace_has_no_url_and_is_taken_down_by_hand(tmp_path):
    from tests.helpers.bot_process import running_bot

    with running_bot(tmp_path, {"ONCALL_USERS": "U0ONCALL"}) as stack:
        stack.standin.add_channel("general", members=["U0LEAD"], channel_id="C0GENERAL")
        stack.slack.slash("/incident", "drill", user_id="U0LEAD", channel_id="C0GENERAL")
        created = stack.standin.wait_for("conversations.create", timeout=30)
        room = created.params["name"]
        assert "drill" in room
        summary = stack.standin.wait_for("chat.postMessage", where=lambda c: "Incident #1" in c.params.get("text", ""))
        assert summary.params["text"].startswith("[DRILL]") and "synthetic sample" in json.dumps(summary.params)
        channel = summary.params["channel"]
        stack.slack.slash("/incident", "down", user_id="U0LEAD", channel_id=channel)
        stack.standin.wait_for("response_url", where=lambda c: "takedown recorded" in c.body, timeout=30)
        stack.slack.slash("/incident", "report", user_id="U0LEAD", channel_id=channel)
        report = stack.standin.wait_for("chat.postMessage", where=lambda c: "Drill result" in json.dumps(c.params),
                                        timeout=30)
        assert "the team took" in json.dumps(report.params)
