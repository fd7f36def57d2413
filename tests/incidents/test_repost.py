"""The same leak again, through the real incident service, store, Slack stand-in and scans of a
local web server: a 40% re-post under another URL is reported against the incident (its room,
its timeline) and reopens it when closed; an unrelated leak is not."""

import json
import re

import pytest

from bot.config import Settings
from bot.incidents.service import IncidentService
from bot.scan.pipeline import scan_url
from bot.slack.client import SlackGateway, make_web_client
from bot.store import Store
from tests.helpers.slack_standin import SlackStandIn
from tests.helpers.webserver import WebServer
from tests.watch.leaks import roster

ROSTER = roster(500, seed=21)
OTHER = roster(300, seed=99)


@pytest.fixture
def bed(tmp_path):
    with WebServer() as agency, WebServer() as mirror, SlackStandIn() as standin:
        settings = Settings.from_env({
            "SLACK_BOT_TOKEN": standin.bot_token, "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": standin.api_url,
            "DATABASE_PATH": str(tmp_path / "bot.json"), "SCAN_ALLOW_HOSTS": "127.0.0.1",
            "FINGERPRINT_KEY": "repost-test-key",
        })
        store = Store(settings.database_path)
        service = IncidentService(settings, SlackGateway(make_web_client(settings), settings), store)
        yield service, agency, mirror, standin
        store.close()


def _open_incident(service, agency):
    agency.add("/detained.csv", ROSTER.csv(), content_type="text/csv")
    report = scan_url(agency.url("/detained.csv"), service.settings.scan)
    assert report.incident, f"severity {report.severity} for the original leak"
    return service.handle_scan(report, reporter="U0FIRST", origin_channel="C0MAINT")


def _share_said(text: str, number: int) -> int | None:
    """The percentage of incident #number's A-numbers a sentence reports (incidents keep a sample
    of their fingerprints, so a 40% re-post is said as an estimate near 40%)."""
    found = re.search(rf"(\d+)% of the A-numbers of incident #{number} \(", text)
    return int(found.group(1)) if found else None


def _events(service, number, kind):
    return [e for e in service.records.timeline(number) if e.kind == kind]


def _posts(standin, channel):
    return [c.params.get("text", "") for c in standin.calls_to("chat.postMessage") if c.params.get("channel") == channel]


def test_a_forty_percent_repost_reopens_the_closed_incident_and_follows_the_new_url(bed):
    service, agency, mirror, standin = bed
    opened = _open_incident(service, agency)
    number, room = opened["number"], opened["channel_id"]
    service.close(service.records.get(number), user="U0FIRST")

    mirror.add("/copy.csv", ROSTER.csv(0, 200), content_type="text/csv")  # 200 of the 500 rows
    report = scan_url(mirror.url("/copy.csv"), service.settings.scan)
    answer = service.handle_scan(report, reporter="U0SECOND", origin_channel="C0OTHER")

    assert answer["number"] == number, "no second incident for the same data"
    assert report.notes[0].startswith("Known leak seen again: ")
    assert 30 <= (_share_said(report.notes[0], number) or 0) <= 50, report.notes[0]
    assert len(service.records.all()) == 1
    incident = service.records.get(number)
    assert incident.status == "open"
    assert incident.url == mirror.url("/copy.csv")
    assert incident.previous_urls == [agency.url("/detained.csv")]
    events = _events(service, number, "repost")
    assert len(events) == 1
    said = _share_said(events[0].text, number)
    assert said is not None and 30 <= said <= 50, events[0].text
    assert "of 500)" in events[0].text, "the estimate is scaled to the incident's 500 people"
    assert any(_share_said(text, number) == said for text in _posts(standin, room)), "said in the incident's room"
    leaked = sum(1 for row in ROSTER.rows if row[1] in standin.recorded_text())
    assert leaked == 0, f"{leaked} raw A-numbers reached Slack"


def test_a_repost_while_the_incident_is_open_is_said_there_and_gets_its_own_takedown(bed):
    service, agency, mirror, standin = bed
    first = _open_incident(service, agency)
    mirror.add("/copy.csv", ROSTER.csv(100, 300), content_type="text/csv")
    report = scan_url(mirror.url("/copy.csv"), service.settings.scan)
    second = service.handle_scan(report, reporter="U0SECOND", origin_channel="C0OTHER")

    assert second["number"] != first["number"], "the mirror's own URL needs its own takedown"
    original = service.records.get(first["number"])
    assert original.status == "open" and original.url == agency.url("/detained.csv")
    assert len(_events(service, first["number"], "repost")) == 1
    assert any(_share_said(text, first["number"]) for text in _posts(standin, first["channel_id"]))


def test_an_unrelated_leak_is_not_a_repost(bed):
    service, agency, mirror, standin = bed
    first = _open_incident(service, agency)
    service.close(service.records.get(first["number"]), user="U0FIRST")
    mirror.add("/other.csv", OTHER.csv(), content_type="text/csv")
    report = scan_url(mirror.url("/other.csv"), service.settings.scan)
    assert report.incident
    second = service.handle_scan(report, reporter="U0SECOND", origin_channel="C0OTHER")

    assert second["number"] != first["number"]
    assert service.records.get(first["number"]).status == "closed"
    assert _events(service, first["number"], "repost") == []
    assert service.check_repost(report) == []


def test_the_same_url_reported_again_is_not_a_repost(bed):
    service, agency, _, _ = bed
    first = _open_incident(service, agency)
    again = service.handle_scan(scan_url(agency.url("/detained.csv"), service.settings.scan), reporter="U0SECOND")
    assert again["number"] == first["number"] and again["joined"]
    assert _events(service, first["number"], "repost") == []


def test_a_repost_of_a_few_rows_out_of_thousands_is_recognised(bed):
    """Every fingerprint is kept (not a sample of 200 per type), so 30 rows of a 3,000-row leak
    re-posted elsewhere still match: a sample would hold about 2 of them."""
    service, agency, mirror, standin = bed
    big = roster(3000, seed=5)
    agency.add("/all.csv", big.csv(), content_type="text/csv")
    opened = service.handle_scan(scan_url(agency.url("/all.csv"), service.settings.scan), reporter="U0FIRST",
                                 origin_channel="C0MAINT")
    kept = service.records.fingerprints(opened["number"])
    assert len(kept["A_NUMBER"]) == 3000
    stored = json.dumps(service.store.snapshot())
    assert stored.count(next(iter(kept["A_NUMBER"]))) == 1, "kept once, apart from the incident"
    assert not any(fp in json.dumps([c.params for c in standin.calls]) for fp in list(kept["A_NUMBER"])[:50])
    mirror.add("/few.csv", big.csv(1000, 1030), content_type="text/csv")
    report = scan_url(mirror.url("/few.csv"), service.settings.scan)
    answers = service.check_repost(report, reporter="U0SECOND", origin_channel="C0OTHER")
    assert [a["number"] for a in answers] == [opened["number"]]
    assert len(_events(service, opened["number"], "repost")) == 1
