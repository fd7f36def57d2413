"""A new severity reaches an open alert, against the local stand-ins of both APIs (real HTTP):
PagerDuty by a trigger with the same dedup_key, Opsgenie by "Update Alert Priority" (PUT, by alias);
`only` keeps each call to the services named."""

from __future__ import annotations

import dataclasses

import pytest

from bot.paging import Alert, Pager, PagingFailed, PagingRefused, Retry, incident_key
from bot.paging.opsgenie import Opsgenie
from bot.paging.pagerduty import PagerDuty
from tests.helpers.paging_standin import PagingStandIn

ALERT = Alert(key=incident_key(9), summary="Leakwatch incident #9: personal data still online 2 min past the target",
              severity="high", details={"people_affected": 40})
NO_WAIT = Retry(attempts=3, first_wait=0.0, max_wait=0.0, timeout=5.0, sleep=lambda _: None)


@pytest.fixture
def paging():
    with PagingStandIn() as standin:
        yield standin


def test_pagerduty_update_is_a_trigger_with_the_same_key(paging):
    client = PagerDuty(paging.routing_key, paging.pagerduty_url, retry=NO_WAIT)
    client.trigger(ALERT)
    client.update(dataclasses.replace(ALERT, severity="critical"))
    first, second = paging.calls_to("pagerduty", "trigger")
    assert first.key == second.key == "leakwatch-incident-9"
    assert (first.body["payload"]["severity"], second.body["payload"]["severity"]) == ("error", "critical")
    assert paging.priorities[("pagerduty", ALERT.key)] == "critical"


def test_opsgenie_update_puts_the_priority_by_alias(paging):
    client = Opsgenie(paging.api_key, paging.opsgenie_url, retry=NO_WAIT)
    client.trigger(ALERT)
    client.update(dataclasses.replace(ALERT, severity="critical"))
    client.update(dataclasses.replace(ALERT, severity="medium"))
    updates = paging.calls_to("opsgenie", "update")
    assert [c.body for c in updates] == [{"priority": "P1"}, {"priority": "P3"}]
    assert all(c.path == "/v2/alerts/leakwatch-incident-9/priority?identifierType=alias" for c in updates)
    assert updates[0].headers["authorization"] == f"GenieKey {paging.api_key}"
    assert len(paging.calls_to("opsgenie", "trigger")) == 1 and paging.priorities[("opsgenie", ALERT.key)] == "P3"
    assert paging.alerts[("opsgenie", ALERT.key)] == "triggered"


def test_an_update_is_retried_and_refused_like_any_call(paging):
    paging.fail_next("opsgenie", status=503, times=2)
    Opsgenie(paging.api_key, paging.opsgenie_url, retry=NO_WAIT).update(ALERT)
    assert [c.status for c in paging.calls_to("opsgenie", "update")] == [503, 503, 202]
    paging.fail_next("opsgenie", status=503, times=3)
    with pytest.raises(PagingFailed) as failed:
        Opsgenie(paging.api_key, paging.opsgenie_url, retry=NO_WAIT).update(ALERT)
    assert "after 3 tries" in str(failed.value)
    with pytest.raises(PagingRefused):
        Opsgenie("wrong-key", paging.opsgenie_url, retry=NO_WAIT).update(ALERT)


def test_only_limits_a_call_to_the_services_named(paging):
    pager = Pager([PagerDuty(paging.routing_key, paging.pagerduty_url, retry=NO_WAIT),
                   Opsgenie(paging.api_key, paging.opsgenie_url, retry=NO_WAIT)])
    assert pager.update(ALERT, only=["Opsgenie"]) == {}
    assert pager.resolve(ALERT.key, only=["PagerDuty"]) == {}
    assert [(c.service, c.action) for c in paging.calls] == [("opsgenie", "update"), ("pagerduty", "resolve")]
    paging.fail_next("pagerduty", status=500, times=3)
    failures = pager.resolve(ALERT.key)
    assert list(failures) == ["PagerDuty"] and "HTTP 500" in failures["PagerDuty"]
    assert pager.trigger(ALERT, only=[]) == {} and len(paging.calls) == 2 + 3 + 1
