"""Fixtures shared by the incident tests (a module may still define its own).

- `standin`: the Slack stand-in for a module, on-call as the user group S0ONCALL (one member).
- `own_standin`: a Slack stand-in of the test's own (tests that open a room for the same leak
  many times: the module's would run out of channel names), with the stakeholder channel.
- `paging`: the PagerDuty and Opsgenie stand-ins of the test's own.
- `stores_world`: the incident service on TinyDB and on PostgreSQL (tests/incidents/crash_world.py).
- `world`: (make_service, clock, observations) on TinyDB and the module's `standin`, a clock the
  test moves and the takedown observations it gives (tests/incidents/service_world.py);
  `scanned`: a service of it and the incident a leak report opened (reported by U0A from C1).
"""

from __future__ import annotations

import pytest

from bot.incidents.takedown import Observation
from tests.helpers.paging_standin import PagingStandIn
from tests.helpers.slack_standin import SlackStandIn
from tests.incidents.crash_world import STAKEHOLDERS, services_on
from tests.incidents.service_world import Clock, leak_report, service_maker, settings_for


@pytest.fixture(scope="module")
def standin():
    """The Slack stand-in, with on-call as the user group S0ONCALL (one member)."""
    with SlackStandIn() as server:
        server.set_usergroup("S0ONCALL", ["U0ONCALL1"])
        yield server


@pytest.fixture
def own_standin():
    with SlackStandIn() as server:
        server.set_usergroup("S0ONCALL", ["U0ONCALL1"])
        server.add_channel("leak-stakeholders", channel_id=STAKEHOLDERS)
        yield server


@pytest.fixture
def paging():
    with PagingStandIn() as server:
        yield server


@pytest.fixture(params=["tinydb", "postgresql"])
def stores_world(request, own_standin, paging, tmp_path):
    """(make_service, clock, observations): each call of make_service is a bot started on the same
    store (the TinyDB file again, or a PostgreSQL database with a pool of its own: a replica)."""
    url = request.getfixturevalue("postgres_server").new_database() if request.param == "postgresql" else None
    with services_on(url, own_standin, paging, tmp_path) as world:
        yield world


@pytest.fixture
def world(standin, tmp_path):
    observations: dict[str, Observation] = {}
    clock = Clock()
    standin.clear()
    return service_maker(settings_for(standin, tmp_path), clock, observations), clock, observations


@pytest.fixture
def scanned(world):
    """A fresh service and the incident a leak report opened (reported by U0A from C1)."""
    svc = world[0]()
    return svc, svc.handle_scan(leak_report(), reporter="U0A", origin_channel="C1")
