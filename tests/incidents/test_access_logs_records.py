"""Access logs read for an incident (bot/incidents/access_logs.py read_access_logs) change three
things: the figures kept on the incident, their timeline entry, the checklist ticks. They are one
store transaction: on PostgreSQL another replica sees all three or none, and a failure while
writing any of them saves none (on PostgreSQL and in the embedded store, whose transactions roll
back too), so reading the logs again leaves each once. The logs are written
here by hand in the combined format (one browser download, one Googlebot fetch)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.config import Settings
from bot.incidents import access_logs
from bot.incidents.checklist import new_items
from bot.incidents.context import IncidentContext
from bot.incidents.records import IncidentRecords
from bot.model import Incident

NOW = datetime(2026, 11, 3, 20, 0, tzinfo=UTC)
URL = "https://files.example.gov/exports/roster.csv"
AGENTS = {"203.0.113.10": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0",
          "66.249.66.1": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}


class Broken(Exception):
    pass


def contexts(stores, tmp_path) -> tuple[IncidentContext, ...]:
    settings = Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s",
                                  "DATABASE_PATH": str(tmp_path / "bot.json"), "FINGERPRINT_KEY": "k"})
    return tuple(IncidentContext(settings=settings, slack=None, records=IncidentRecords(store), clock=lambda: NOW)
                 for store in stores)


@pytest.fixture
def replicas(postgres_replicas, tmp_path):
    """Two replicas' contexts on one fresh PostgreSQL database."""
    return contexts(postgres_replicas, tmp_path)


@pytest.fixture
def embedded(tmp_path):
    """The embedded store, twice the same context (one process holds it); a restart opens it again."""
    from bot.store import Store

    store = Store(tmp_path / "bot.json")
    try:
        yield contexts([store, store], tmp_path)
    finally:
        store.close()


@pytest.fixture
def logs(tmp_path):
    path = tmp_path / "access.log"
    path.write_text("".join(f'{ip} - - [03/Nov/2026:15:0{n}:00 +0000] "GET /exports/roster.csv HTTP/1.1" 200 5120 '
                            f'"-" "{agent}"\n' for n, (ip, agent) in enumerate(AGENTS.items())), encoding="utf-8")
    return [str(path)], {str(path): "access.log"}


def opened(records: IncidentRecords) -> Incident:
    number = records.create(Incident(status="down", url=URL, channel_id="C0ROOM", setup_complete=True,
                                     last_modified="Tue, 03 Nov 2026 14:00:00 GMT",
                                     notified_at="2026-11-03T18:30:00+00:00", taken_down_at="2026-11-03T19:00:00+00:00"))
    records.create_checklist(number, new_items())
    return records.get(number)


def seen(records: IncidentRecords, number: int) -> tuple[bool, int, list[str]]:
    """(figures kept, access-log entries, checklist item ids the logs ticked or added)."""
    entries = sum(entry.kind == "access_logs" for entry in records.timeline(number))
    touched = [item.id for item in records.checklist(number).items
               if item.id.startswith("logs-") or (item.id == access_logs.EVIDENCE_ITEM and item.done)]
    return records.get(number).downloads is not None, entries, touched


ALL = (True, 1, ["preserve-evidence", "logs-search-googlebot", "logs-notify"])
NONE = (False, 0, [])


def test_the_logs_read_are_kept_whole(replicas, logs):
    a, b = replicas
    incident = opened(a.records)
    summary, added, _ = access_logs.read_access_logs(a, incident, *logs, by="U0OPS")
    assert summary["requests"] == 2
    assert added == ["Request cache removal: Googlebot fetched it", "Notification duty: 2 complete downloads from outside"]
    assert sorted(seen(b.records, incident.number)[2]) == sorted(ALL[2])
    assert seen(b.records, incident.number)[:2] == ALL[:2]


def test_another_replica_sees_nothing_before_the_checklist_is_written(replicas, logs, monkeypatch):
    a, b = replicas
    incident = opened(a.records)
    apply = access_logs.apply_to_checklist
    while_writing = []

    def watched(items, summary, **kw):
        while_writing.append(seen(b.records, incident.number))  # the other replica, mid-change
        return apply(items, summary, **kw)

    monkeypatch.setattr(access_logs, "apply_to_checklist", watched)
    access_logs.read_access_logs(a, incident, *logs, by="U0OPS")
    assert while_writing == [NONE]


@pytest.mark.parametrize("store", ["replicas", "embedded"])
@pytest.mark.parametrize("fails", ["checklist", "entry"])
def test_a_failure_on_any_write_saves_none_and_reading_again_saves_each_once(request, logs, monkeypatch, fails,
                                                                             store):
    a, b = request.getfixturevalue(store)
    incident = opened(a.records)
    with monkeypatch.context() as patch:
        if fails == "checklist":
            patch.setattr(access_logs, "apply_to_checklist", lambda *args, **kw: (_ for _ in ()).throw(Broken()))
        else:
            add_event = a.records.add_event
            patch.setattr(a.records, "add_event", lambda number, kind, *args, **kw: (_ for _ in ()).throw(Broken())
                          if kind == "access_logs" else add_event(number, kind, *args, **kw))
        with pytest.raises(Broken):
            access_logs.read_access_logs(a, incident, *logs, by="U0OPS")
    assert seen(b.records, incident.number) == NONE
    access_logs.read_access_logs(b, incident, *logs, by="U0OPS")
    kept, entries, touched = seen(a.records, incident.number)
    assert (kept, entries, sorted(touched)) == (True, 1, sorted(ALL[2]))
