"""The incident service across crashes and Slack refusals, against the real Slack stand-in and a
real store (the `world` fixture, tests/incidents/conftest.py): a room message posted just before a
crash is found, not posted again; a reminder cut short before or after it left is sent once; a
room whose opening failed is finished later; a refused pin or invite does not stop the clock; a
deleted timer message is posted again.
"""

from __future__ import annotations

import pytest

from bot.errors import LeakwatchError
from bot.incidents import lifecycle
from tests.helpers.slack_standin import post_texts
from tests.incidents.service_world import claim_the_first_reminder, leak_report, restart


class Killed(BaseException):
    """The process dying at that line (not an Exception: nothing catches it)."""


@pytest.mark.parametrize("step", ["summary", "timer"])
def test_a_room_message_posted_just_before_a_crash_is_found_not_posted_again(world, standin, monkeypatch, step):
    make_service, clock, _ = world
    svc = make_service()
    real_step = lifecycle._step

    def dies_before_saving(ctx, number, name, fields=None):
        if name == step:
            raise Killed()
        return real_step(ctx, number, name, fields)

    monkeypatch.setattr(lifecycle, "_step", dies_before_saving)
    with pytest.raises(Killed):  # its own file name: the module's stand-in keeps every room name
        svc.handle_scan(leak_report(f"https://files.example.gov/exports/crash-{step}.csv"), reporter="U0A",
                        origin_channel="C1")
    monkeypatch.setattr(lifecycle, "_step", real_step)
    number = svc.records.all()[0].number
    posted = [c for c in standin.calls_to("chat.postMessage")
              if (c.params.get("metadata") or {}).get("event_payload", {}).get("job") == f"setup:{step}"]
    assert len(posted) == 1
    restarted = restart(make_service)
    incident = restarted.records.get(number)
    assert incident.setup_complete
    again = [c for c in standin.calls_to("chat.postMessage") if c.params.get("text") == posted[0].params["text"]]
    assert len(again) == 1, f"the {step} message was posted twice"
    kept = incident.summary_ts if step == "summary" else incident.timer_ts
    assert (incident.channel_id, kept) in standin.messages


def test_a_send_interrupted_before_it_left_is_sent_once_after_the_restart(world, scanned, standin):
    make_service, clock, _ = world
    svc, opened = scanned
    claim_the_first_reminder(svc, clock, opened["number"])  # then the process died before sending
    restarted = restart(make_service)
    restarted.sweeper.run_once()
    restarted.sweeper.run_once()
    assert sum("Reminder" in t for t in post_texts(standin, opened["channel_id"])) == 1
    assert restarted.records.job(opened["number"], "takedown:reminder:50").status == "done"
    assert "recovered" in [e.kind for e in restarted.records.timeline(opened["number"])]


def test_a_send_interrupted_after_it_left_is_found_in_the_channel_and_not_doubled(world, scanned, standin):
    make_service, clock, _ = world
    svc, opened = scanned
    job = claim_the_first_reminder(svc, clock, opened["number"])
    svc.sweeper._send(svc.records.job(opened["number"], job.key), clock())  # sent; the process dies before "done"
    sent = [c for c in standin.calls_to("chat.postMessage") if "Reminder" in c.params.get("text", "")]
    assert len(sent) == 1 and sent[0].params["metadata"]["event_payload"] == {"incident": opened["number"],
                                                                            "job": "takedown:reminder:50"}
    restarted = restart(make_service)
    restarted.sweeper.run_once()
    assert sum("Reminder" in t for t in post_texts(standin, opened["channel_id"])) == 1
    settled = restarted.records.job(opened["number"], "takedown:reminder:50")
    assert settled.status == "done" and "found in the channel" in settled.note
    # a later reminder of the same incident is still sent, and carries its own job in its metadata
    clock.advance(minutes=3)  # the 80% reminder
    restarted.sweeper.run_once()
    assert sum("Reminder" in t for t in post_texts(standin, opened["channel_id"])) == 2
    last = [c for c in standin.calls_to("chat.postMessage") if "Reminder" in c.params.get("text", "")][-1]
    assert last.params["metadata"]["event_payload"]["job"] == "takedown:reminder:80"

def test_a_room_whose_opening_failed_is_finished_later(world, standin):
    make_service, clock, _ = world
    svc = make_service()
    channels_before = set(standin.channels)
    standin.fail_next("chat.postMessage", "restricted_action")  # the summary cannot be posted
    with pytest.raises(LeakwatchError):
        svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    number = svc.records.all()[0].number
    assert not svc.records.get(number).setup_complete
    clock.advance(seconds=31)
    svc.sweeper.run_once()
    incident = svc.records.get(number)
    assert incident.setup_complete and (incident.channel_id, incident.summary_ts) in standin.pins
    assert len(set(standin.channels) - channels_before) == 1  # the same room, not a second one


def test_a_refused_pin_or_invite_does_not_stop_the_clock(world, standin):
    make_service, _, _ = world
    svc = make_service()
    standin.fail_next("pins.add", "restricted_action")
    standin.fail_next("conversations.invite", "restricted_action", times=5)
    opened = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
    incident = svc.records.get(opened["number"])
    assert incident.setup_complete and incident.timer_ts
    assert svc.records.job(opened["number"], "takedown:escalation").status == "pending"


def test_a_deleted_timer_message_is_posted_again(world, scanned, standin):
    _, clock, _ = world
    svc, opened = scanned
    old_ts = svc.records.get(opened["number"]).timer_ts
    del standin.messages[(opened["channel_id"], old_ts)]  # someone deleted it
    clock.advance(seconds=61)
    svc.sweeper.run_once()
    new_ts = svc.records.get(opened["number"]).timer_ts
    assert new_ts != old_ts and (opened["channel_id"], new_ts) in standin.messages
    clock.advance(seconds=61)
    svc.sweeper.run_once()
    assert [c.params["ts"] for c in standin.calls_to("chat.update")][-1] == new_ts
