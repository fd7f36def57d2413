"""The incident service against the real Slack stand-in and a real store, with a clock the test moves.

The takedown check is given observations here (the real fetch-and-scan runs in the end-to-end
test, tests/commands/test_incident_e2e.py), so every sweep is deterministic and instant.
"""

from __future__ import annotations

import json

import pytest

from bot.incidents import lifecycle
from bot.incidents.records import url_key
from bot.incidents.service import NoSuchIncident
from bot.incidents.takedown import Observation
from tests.helpers.slack_standin import SlackStandIn, post_texts
from tests.helpers.threads import run_at_once
from tests.incidents.service_world import (
    FPS,
    URL,
    leak_report,
    restart,
)


@pytest.fixture(scope="module")
def standin():
    with SlackStandIn() as server:
        server.set_usergroup("S0ONCALL", ["U0ONCALL1", "U0ONCALL2"])
        yield server


def test_opening_makes_the_room(world, standin):
    make_service, clock, _ = world
    svc = make_service()
    opened = svc.handle_scan(leak_report(), reporter="U0REPORTER", origin_channel="C0GENERAL")
    channel = standin.channels[opened["channel_id"]]
    assert channel["name"] == "inc-pii-20261128-files-example-roster" and channel["is_private"]
    assert {"U0REPORTER", "U0ONCALL1", "U0ONCALL2"} <= set(channel["members"])
    assert channel["topic"].startswith(f"#{opened['number']} OPEN") and "14:10 UTC" in channel["topic"]
    incident = svc.records.get(opened["number"])
    assert (opened["channel_id"], incident.summary_ts) in standin.pins
    summary = json.dumps(standin.messages[(opened["channel_id"], incident.summary_ts)]["blocks"], ensure_ascii=False)
    assert "A•••••0001" in summary and "*A-numbers*: 30" in summary
    kinds = [e.kind for e in svc.records.timeline(opened["number"])]
    assert kinds[:3] == ["scan", "open", "invite"]
    keys = {j.key for j in svc.records.incident_jobs(opened["number"])}
    assert {"takedown:reminder:50", "takedown:escalation", "poll", "legal:0:due"} <= keys
    assert "timer" not in keys  # the timer's ticks are derived from the notification time, never written


def test_same_url_twice_joins_the_open_incident(world, standin):
    make_service, _, _ = world
    svc = make_service()
    first = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    second = svc.handle_scan(leak_report(URL.upper().replace("/EXPORTS/ROSTER.CSV", "/exports/roster.csv")),
                             reporter="U0B", origin_channel="C2")
    assert second == {"number": first["number"], "channel_id": first["channel_id"], "joined": True}
    assert len(svc.records.all()) == 1
    assert "U0B" in standin.channels[first["channel_id"]]["members"]


def test_reminder_escalation_and_restart_fire_each_once(world, scanned, standin):
    make_service, clock, _ = world
    svc, opened = scanned
    room = opened["channel_id"]
    clock.advance(minutes=5, seconds=1)  # 50% of the 10-minute target
    svc.sweeper.run_once()
    svc.sweeper.run_once()
    assert sum("Reminder" in t for t in post_texts(standin, room)) == 1
    # the bot is down through 80% and 100%: at the restart only the escalation fires, once
    clock.advance(minutes=6)
    restarted = restart(make_service)
    restarted.sweeper.run_once()
    restarted.sweeper.run_once()
    texts = post_texts(standin, room)
    assert sum("Reminder" in t for t in texts) == 1
    assert sum("Escalation" in t and "<!subteam^S0ONCALL>" in t for t in texts) == 1
    statuses = {j.key: j.status for j in restarted.records.incident_jobs(opened["number"])}
    assert statuses["takedown:reminder:80"] == "skipped" and statuses["takedown:escalation"] == "done"


def test_timer_message_is_updated_in_place(world, scanned, standin):
    _, clock, _ = world
    svc, opened = scanned
    timer_ts = svc.records.get(opened["number"]).timer_ts
    for _ in range(3):
        clock.advance(seconds=61)
        svc.sweeper.run_once()
    updates = [c for c in standin.calls_to("chat.update") if c.params["ts"] == timer_ts]
    assert len(updates) == 3
    assert "3 min 3 s* since incident opened" in json.dumps(updates[-1].params["blocks"], ensure_ascii=False)


def test_takedown_figures_then_the_content_comes_back(world, scanned, standin):
    _, clock, observations = world
    svc, opened = scanned
    number, room = opened["number"], opened["channel_id"]
    observations[URL] = Observation(status=404)
    clock.advance(minutes=11, seconds=6)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    incident = svc.records.get(number)
    assert incident.status == "down"
    assert incident.figures.notification_to_takedown_minutes == 11.1
    # exposure from Last-Modified (09:00) to takedown (14:11:06)
    assert incident.figures.exposure_seconds == 5 * 3600 + 11 * 60 + 6
    posted = [c for c in standin.calls_to("chat.postMessage") if c.params["channel"] == room and "Takedown verified" in c.params["text"]]
    assert len(posted) == 1 and "5 h 11 min" in json.dumps(posted[0].params["blocks"], ensure_ascii=False)
    observations[URL] = Observation(status=200, report=leak_report(fps=FPS[:10]))
    clock.advance(seconds=31)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    assert svc.records.get(number).status == "open"
    assert any("content is back" in t and "<!subteam^S0ONCALL>" in t for t in post_texts(standin, room))
    # the clock runs again: the timer message is updated
    timer_ts = svc.records.get(number).timer_ts
    updates = len([c for c in standin.calls_to("chat.update") if c.params["ts"] == timer_ts])
    clock.advance(seconds=61)
    svc.sweeper.run_once()
    assert len([c for c in standin.calls_to("chat.update") if c.params["ts"] == timer_ts]) > updates


def test_manual_down_is_verified(world, scanned, standin):
    _, clock, observations = world
    svc, opened = scanned
    number = opened["number"]
    observations[URL] = Observation(status=200, report=leak_report())
    clock.advance(minutes=2)
    svc.manual_down(svc.records.get(number), user="U0OWNER")
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    assert svc.records.get(number).status == "open"
    assert any("Takedown not confirmed" in t for t in post_texts(standin, opened["channel_id"]))
    observations[URL] = Observation(status=410)
    clock.advance(minutes=1)
    manual_at = clock()
    svc.manual_down(svc.records.get(number), user="U0OWNER")
    clock.advance(seconds=20)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    incident = svc.records.get(number)
    assert incident.status == "down" and incident.takedown_by == "U0OWNER"
    assert incident.taken_down_at == manual_at.isoformat(timespec="microseconds")


def test_notified_moves_the_clocks(world, scanned, standin):
    _, clock, _ = world
    svc, opened = scanned
    incident = svc.records.get(opened["number"])
    svc.notified(incident, "13:50", user="U0A")
    escalation = svc.records.job(opened["number"], "takedown:escalation")
    assert escalation.due_at.startswith("2026-11-28T14:00:00")
    assert "13:50" in standin.channels[opened["channel_id"]]["topic"]


def test_twenty_parallel_clicks_lose_no_tick(scanned, standin):
    svc, opened = scanned
    number, room = opened["number"], opened["channel_id"]
    incident = svc.records.get(number)
    for n in range(9):
        svc.add_checklist_item(incident, f"Extra step {n}", user="U0A")
    sheet = svc.records.checklist(number)
    message = standin.messages[(room, sheet.message.ts)]  # what every clicker saw
    assert len(sheet.items) == 20
    errors = []

    def click(index):
        chunk = index // 10
        action = {"type": "checkboxes", "action_id": f"checklist_toggle_{chunk}", "block_id": f"checklist:{number}:{chunk}",
                  "selected_options": [{"value": sheet.items[index].id}]}
        try:
            svc.toggle(number=number, action=action, message={"blocks": message["blocks"]}, user=f"U{index:03d}",
                       channel=room, message_ts=sheet.message.ts)
        except Exception as err:  # noqa: BLE001
            errors.append(type(err).__name__)

    run_at_once(click, len(sheet.items))
    assert not errors
    stored = svc.records.checklist(number).items
    assert all(item.done for item in stored)
    assert {item.by for item in stored} == {f"U{i:03d}" for i in range(20)}
    final = standin.messages[(room, sheet.message.ts)]["blocks"]
    selected = [o["value"] for b in final if b["type"] == "actions" for o in b["elements"][0].get("initial_options", [])]
    assert len(selected) == 20
    assert sum(e.kind == "tick" for e in svc.records.timeline(number)) == 20


def test_twenty_parallel_scans_open_one_room_per_url(world, standin):
    make_service, _, _ = world
    svc = make_service()
    urls = [URL] * 10 + [f"https://files.example.gov/other/{n}.csv" for n in range(10)]
    results: list[dict] = []

    def scan(n):
        results.append(svc.handle_scan(leak_report(urls[n]), reporter=f"U{n:03d}", origin_channel="C1"))

    run_at_once(scan, len(urls))
    assert len(results) == 20
    assert len({r["number"] for r in results}) == 11
    assert len({r["channel_id"] for r in results}) == 11
    assert svc.records.scan_count() == 20
    same_url = [r for r in results if r["number"] == svc.records.open_by_url(url_key(URL)).number]
    assert len(same_url) == 10 and sum(not r["joined"] for r in same_url) == 1


def test_close_stops_every_job(world, scanned, standin):
    _, clock, _ = world
    svc, opened = scanned
    svc.close(svc.records.get(opened["number"]), user="U0A")
    clock.advance(hours=80)
    assert svc.sweeper.run_once() == 0
    assert svc.records.get(opened["number"]).status == "closed"
    assert lifecycle.mention_oncall(svc.records.get(opened["number"])) == "<!subteam^S0ONCALL>"


def test_legal_clocks_remind_before_the_deadline_even_after_takedown(world, scanned, standin):
    _, clock, observations = world
    svc, opened = scanned
    room = opened["channel_id"]
    observations[URL] = Observation(status=404)
    clock.advance(minutes=1)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    assert svc.records.get(opened["number"]).status == "down"
    clock.advance(hours=36)  # half of GDPR's 72 hours
    svc.sweeper.run_once()
    svc.sweeper.run_once()
    legal = [t for t in post_texts(standin, room) if "Legal clock" in t]
    assert len(legal) == 1 and "GDPR Art. 33" in legal[0] and "(in 1 d 11 h)" in legal[0]
    clock.advance(hours=36)
    svc.sweeper.run_once()
    assert sum("Legal deadline reached" in t and "<!subteam^S0ONCALL>" in t for t in post_texts(standin, room)) == 1
    statuses = {j.key: j.status for j in svc.records.incident_jobs(opened["number"]) if j.key.startswith("legal:")}
    assert statuses == {"legal:0:half": "done", "legal:0:24h": "skipped", "legal:0:1h": "skipped", "legal:0:due": "done"}


@pytest.mark.parametrize("text", ["Roster of A204518377 and others", "ssn 234-56-7891 posted"], ids=["a-number", "ssn"])
def test_titles_and_items_with_personal_data_are_refused(world, standin, text):
    make_service, _, _ = world
    svc = make_service()
    with pytest.raises(NoSuchIncident) as err:
        svc.open_from_command(text, user="U0A", channel="C1")
    repeated = text in str(err.value)
    assert "personal data" in str(err.value) and not repeated, "the refusal must not repeat the value"
    opened = svc.open_from_command("Roster on the FOIA page", user="U0A", channel="C1")
    with pytest.raises(NoSuchIncident):
        svc.add_checklist_item(svc.records.get(opened["number"]), text, user="U0A")
    assert svc.records.all()[0].title == "Roster on the FOIA page"
    stored = text in json.dumps(svc.store.snapshot(), ensure_ascii=False)
    assert not stored, "a refused text reached the database"


def test_a_checklist_elsewhere_cannot_change_the_incident(scanned, standin):
    svc, opened = scanned
    action = {"type": "checkboxes", "action_id": "checklist_toggle_0", "block_id": f"checklist:{opened['number']}:0",
              "selected_options": [{"value": "purge-cdn"}]}
    with pytest.raises(NoSuchIncident):
        svc.toggle(number=opened["number"], action=action, message=None, user="U0X", channel="C0OTHER", message_ts=None)
    assert not any(i.done for i in svc.records.checklist(opened["number"]).items)


def test_notified_after_takedown_recounts_the_figures(world, scanned, standin):
    _, clock, observations = world
    svc, opened = scanned
    observations[URL] = Observation(status=404)
    clock.advance(minutes=4)
    svc.sweeper.run_once()
    assert svc.sweeper.wait_idle()
    assert svc.records.get(opened["number"]).figures.notification_to_takedown_minutes == 4.0
    svc.notified(svc.records.get(opened["number"]), "13:50", user="U0A")
    assert svc.records.get(opened["number"]).figures.notification_to_takedown_minutes == 14.0
    assert any(t.startswith("Recounted") and "14 min" in t for t in post_texts(standin, opened["channel_id"]))


def test_a_click_without_the_message_compares_with_the_stored_state(scanned, standin):
    svc, opened = scanned
    number, room = opened["number"], opened["channel_id"]

    def click(selected):
        action = {"type": "checkboxes", "action_id": "checklist_toggle_0", "block_id": f"checklist:{number}:0",
                  "selected_options": [{"value": v} for v in selected]}
        return svc.toggle(number=number, action=action, message=None, user="U0B", channel=room, message_ts=None)

    assert click(["purge-cdn", "web-archive"]) == [("purge-cdn", True), ("web-archive", True)]
    assert click(["web-archive"]) == [("purge-cdn", False)]
    done = {i.id for i in svc.records.checklist(number).items if i.done}
    assert done == {"web-archive"}
