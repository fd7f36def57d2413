"""The PagerDuty and Opsgenie clients against local stand-ins of both APIs (real HTTP): the events
are shaped as the APIs require, one key per incident, retries with backoff on 429/5xx, typed errors."""

from __future__ import annotations

import pytest

from bot.paging import Alert, Pager, PagingFailed, PagingRefused, Retry
from bot.paging.opsgenie import Opsgenie
from bot.paging.pagerduty import PagerDuty
from tests.helpers.paging_standin import PagingStandIn

ALERT = Alert(key="leakwatch-incident-7", summary="Incident #7: personal data still online 3 min past the target",
              severity="critical", details={"people_affected": 6252, "channel": "C0INC"})


class Waits:
    """Records the backoff instead of sleeping it."""

    def __init__(self):
        self.waits: list[float] = []

    def retry(self, attempts: int = 4) -> Retry:
        return Retry(attempts=attempts, first_wait=0.5, max_wait=8.0, timeout=5.0, sleep=self.waits.append)


@pytest.fixture
def paging():
    with PagingStandIn() as standin:
        yield standin


def test_pagerduty_trigger_and_resolve_share_one_dedup_key(paging):
    client = PagerDuty(paging.routing_key, paging.pagerduty_url, retry=Waits().retry())
    client.trigger(ALERT)
    client.trigger(ALERT)  # a second escalation for the same incident updates the same alert
    client.resolve(ALERT.key)
    triggers, resolves = paging.calls_to("pagerduty", "trigger"), paging.calls_to("pagerduty", "resolve")
    assert {c.key for c in triggers + resolves} == {ALERT.key}
    body = triggers[0].body
    assert body["routing_key"] == paging.routing_key and body["payload"]["severity"] == "critical"
    assert body["payload"]["source"] == "leakwatch" and body["payload"]["custom_details"]["people_affected"] == 6252
    assert paging.alerts[("pagerduty", ALERT.key)] == "resolved"


def test_opsgenie_create_with_alias_and_close_by_alias(paging):
    client = Opsgenie(paging.api_key, paging.opsgenie_url, retry=Waits().retry())
    client.trigger(ALERT)
    client.resolve(ALERT.key)
    create, close = paging.calls_to("opsgenie", "trigger")[0], paging.calls_to("opsgenie", "resolve")[0]
    assert create.headers["authorization"] == f"GenieKey {paging.api_key}"
    assert create.body["alias"] == ALERT.key and create.body["priority"] == "P1" and len(create.body["message"]) <= 130
    assert close.path.endswith("/close?identifierType=alias") and close.key == ALERT.key
    assert paging.alerts[("opsgenie", ALERT.key)] == "resolved"


def test_429_and_5xx_are_retried_with_backoff(paging):
    waits = Waits()
    paging.fail_next("pagerduty", status=503, times=2)
    paging.fail_next("opsgenie", status=429, times=1, retry_after="3")
    PagerDuty(paging.routing_key, paging.pagerduty_url, retry=waits.retry()).trigger(ALERT)
    Opsgenie(paging.api_key, paging.opsgenie_url, retry=waits.retry()).trigger(ALERT)
    assert [c.status for c in paging.calls_to("pagerduty")] == [503, 503, 202]
    assert [c.status for c in paging.calls_to("opsgenie")] == [429, 202]
    # doubling from 0.5 s, then Slack-style Retry-After honoured
    assert waits.waits == [0.5, 1.0, 3.0]


def test_out_of_tries_and_refusals_are_typed_one_sentence_errors(paging):
    waits = Waits()
    paging.fail_next("pagerduty", status=500, times=3)
    with pytest.raises(PagingFailed) as failed:
        PagerDuty(paging.routing_key, paging.pagerduty_url, retry=waits.retry(attempts=3)).trigger(ALERT)
    assert "after 3 tries" in str(failed.value) and "HTTP 500" in str(failed.value)
    assert waits.waits == [0.5, 1.0]
    with pytest.raises(PagingRefused) as refused:
        PagerDuty("wrong-key", paging.pagerduty_url, retry=waits.retry()).trigger(ALERT)
    assert "HTTP 400" in str(refused.value) and len(paging.calls_to("pagerduty")) == 4  # not retried
    with pytest.raises(PagingRefused):
        Opsgenie("wrong-key", paging.opsgenie_url, retry=waits.retry()).trigger(ALERT)


def test_unreachable_service_fails_after_retries():
    waits = Waits()
    with pytest.raises(PagingFailed) as failed:
        PagerDuty("k", "http://127.0.0.1:9/v2/enqueue", retry=waits.retry(attempts=2)).trigger(ALERT)
    assert "no answer" in str(failed.value) and len(waits.waits) == 1


def test_the_pager_tries_each_service_and_returns_failures(paging):
    waits = Waits()
    pager = Pager([PagerDuty("wrong-key", paging.pagerduty_url, retry=waits.retry()),
                   Opsgenie(paging.api_key, paging.opsgenie_url, retry=waits.retry())])
    failures = pager.trigger(ALERT)
    assert list(failures) == ["PagerDuty"] and failures["PagerDuty"].startswith("PagerDuty refused")
    assert paging.alerts[("opsgenie", ALERT.key)] == "triggered"
    assert Pager([]).trigger(ALERT) == {} and not Pager([]).enabled
