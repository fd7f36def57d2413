"""A kept `/incident open` or `/scan` request (commands/scan_requests.py) whose incident was
created before the bot was killed (before the request was forgotten) is not done again at restart:
no second incident for a title, no "reported again" for a scan; one sentence names the incident.
On TinyDB and PostgreSQL; the restart is a new service on the same store."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from commands import scan_requests
from tests.incidents.service_world import leak_report

TITLE = "Payroll sheet mailed to the wrong list"


def _resume(svc, kind: str):
    """The restarted bot's resume of `kind`: what it ran again and what it said."""
    services = SimpleNamespace(store=svc.store, settings=None)
    runs, said = [], []

    def run(_request_id, request):
        if kind == "open":
            runs.append(svc.open_from_command(request["url"], user=request["user"], channel=request["channel"]))
        else:
            runs.append(svc.handle_scan(leak_report(), reporter=request["user"], origin_channel=request["channel"]))

    scan_requests.resume(services, run, lambda *args: said.append(args), lease=timedelta(0), kind=kind)
    return services, runs, said


def test_a_resumed_title_open_does_not_open_a_second_incident(stores_world):
    make, _, _ = stores_world
    svc = make()
    services = SimpleNamespace(store=svc.store, settings=None)
    request_id = scan_requests.remember(services, TITLE, False, user="U0A", channel="C1", response_url=None,
                                        kind="open")
    first = svc.open_from_command(TITLE, user="U0A", channel="C1", opened=scan_requests.marker(services, request_id))
    # killed here: the room is open and told, scan_requests.forget(request_id) never ran
    restarted = make()
    services, runs, said = _resume(restarted, "open")
    assert [i.number for i in restarted.records.all()] == [first["number"]]
    assert runs == []
    assert len(said) == 1 and said[0][1:] == ("U0A", "C1")
    assert f"incident #{first['number']}" in said[0][0] and "/incident open" in said[0][0]
    assert services.store.table(scan_requests.TABLE).all() == []  # answered: not again at the next start


def test_a_resumed_scan_that_opened_its_incident_is_not_done_again(stores_world):
    make, _, _ = stores_world
    svc = make()
    services = SimpleNamespace(store=svc.store, settings=None)
    url = leak_report().target
    request_id = scan_requests.remember(services, url, False, user="U0A", channel="C1", response_url=None)
    first = svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1",
                            opened=scan_requests.marker(services, request_id))
    restarted = make()
    events_before = len(restarted.records.timeline(first["number"]))
    _, runs, said = _resume(restarted, "scan")
    assert runs == [] and len(said) == 1 and f"incident #{first['number']}" in said[0][0]
    assert [i.number for i in restarted.records.all()] == [first["number"]]
    assert len(restarted.records.timeline(first["number"])) == events_before  # no "reported again"


def test_a_request_cut_short_before_its_incident_is_done_again(stores_world):
    """The mark is written with the incident, not before: a request whose opening never stored
    the incident is opened at restart, once."""
    make, _, _ = stores_world
    svc = make()
    services = SimpleNamespace(store=svc.store, settings=None)
    scan_requests.remember(services, TITLE, False, user="U0A", channel="C1", response_url=None, kind="open")
    restarted = make()
    _, runs, said = _resume(restarted, "open")
    assert said == [] and len(runs) == 1 and not runs[0]["joined"]
    assert [i.number for i in restarted.records.all()] == [runs[0]["number"]]
