"""Golden tests of the stakeholder posts: figures only, never the URL, a place or a sample.

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/incidents/test_outside_blocks.py`.
"""

from __future__ import annotations

import dataclasses
import json
import os
from datetime import timedelta

import pytest

from bot.incidents.outside_blocks import severity_headline, stakeholder_post
from tests.incidents.test_blocks import GOLDEN, NOW, down_incident, open_incident

CASES = {
    "stakeholder_opened": lambda: stakeholder_post(open_incident(), "opened", NOW, 15),
    "stakeholder_update": lambda: stakeholder_post(dataclasses.replace(open_incident(), lead="U0LEAD"), "update",
                                                   NOW + timedelta(minutes=10), 15,
                                                   update="Owner <is> removing it & purging the CDN", by="U0ALICE"),
    "stakeholder_down": lambda: stakeholder_post(down_incident(), "taken down", NOW, 15),
    "stakeholder_severity": lambda: stakeholder_post(dataclasses.replace(open_incident(), severity="critical"),
                                                     severity_headline("high", "critical"),
                                                     NOW + timedelta(minutes=20), 15),
}


def test_severity_headline_says_which_way_it_moved():
    assert severity_headline("high", "critical") == "severity raised to critical (was high)"
    assert severity_headline("critical", "medium") == "severity lowered to medium (was critical)"
    assert severity_headline(None, "low") == "severity set to low"
    assert severity_headline("unknown", "high") == "severity set to high"


@pytest.mark.parametrize("case", sorted(CASES))
def test_matches_golden(case):
    text, produced_blocks = CASES[case]()
    produced = {"text": text, "blocks": produced_blocks}
    path = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", sorted(CASES))
def test_no_address_place_or_sample(case):
    shown = json.dumps(CASES[case](), ensure_ascii=False)
    incident = open_incident()
    assert "files.example.gov" not in shown and "detained" not in shown
    for finding in incident.findings:
        for sample in finding.samples:
            assert sample not in shown
        for place in finding.where:
            assert place not in shown
    assert "6,252" in shown
