import pytest

from bot.scan.severity import PartProfile, judge, judge_part

RULES = [
    ({"PERSON_NAME", "NATIONALITY", "A_NUMBER", "CUSTODY_LOCATION"}, "critical"),
    ({"PERSON_NAME", "A_NUMBER", "NATIONALITY"}, "high"),
    ({"PERSON_NAME", "SSN"}, "high"),
    ({"PERSON_NAME", "CREDIT_CARD"}, "high"),
    ({"PERSON_NAME", "MEDICAL_RECORD"}, "high"),
    ({"SSN"}, "high"),
    ({"PASSPORT", "DATE_OF_BIRTH"}, "high"),
    ({"IBAN"}, "medium"),
    ({"PERSON_NAME", "EMAIL", "PHONE"}, "medium"),
    ({"PERSON_NAME", "DATE_OF_BIRTH"}, "medium"),
    ({"PERSON_NAME"}, "low"),
    ({"EMAIL"}, "low"),
    ({"IP_ADDRESS"}, "low"),
    (set(), "none"),
]


@pytest.mark.parametrize(("types", "severity"), RULES, ids=[s + ":" + "+".join(sorted(t)) for t, s in RULES])
def test_rule_table(types, severity):
    assert judge_part(PartProfile(where="sheet", types=set(types), people=5)).severity == severity


def test_worst_part_wins_and_reasons_hold_no_values():
    parts = [PartProfile("sheet \"Summary\"", {"EMAIL"}, 2), PartProfile("sheet \"Roster\"", {"PERSON_NAME", "SSN"}, 40)]
    severity, reasons = judge(parts)
    assert severity == "high" and reasons[0].startswith('sheet "Roster": 40 people')
    assert judge([]) == ("none", [])


NOTIFIABLE = [
    ({"PERSON_NAME", "CREDIT_CARD", "EMAIL", "PHONE"}, "high", "financial account or card"),
    ({"PERSON_NAME", "IBAN"}, "high", "financial account or card"),
    ({"PERSON_NAME", "MEDICAL_RECORD"}, "high", "HIPAA"),
    ({"PERSON_NAME", "PASSPORT"}, "high", "government ID"),
    ({"PERSON_NAME", "NATIONALITY", "CUSTODY_LOCATION"}, "high", "immigration status"),
    ({"PERSON_NAME", "NATIONALITY", "A_NUMBER", "CUSTODY_LOCATION"}, "critical", "8 CFR 208.6"),
]


@pytest.mark.parametrize(("types", "severity", "law"), NOTIFIABLE, ids=[s + ":" + "+".join(sorted(t)) for t, s, _ in NOTIFIABLE])
def test_notifiable_combinations_say_which_law(types, severity, law):
    verdict = judge_part(PartProfile(where="table 1", types=set(types), people=2000))
    assert verdict.severity == severity
    assert law in verdict.reason and "notifiable:" in verdict.reason


def test_every_rule_is_written_in_declared_categories():
    from bot.scan.detectors import REGISTRY
    from bot.scan.severity import RULES

    declared = {d.category for d in REGISTRY.values()}
    for rule in RULES:
        assert rule.all_of | rule.any_of <= declared, rule.says
    # every category some detector declares is weighed by at least one rule
    assert declared - {"name"} <= {c for rule in RULES for c in rule.all_of | rule.any_of}


def test_the_documented_table_is_the_rule_table():
    from pathlib import Path

    from bot.scan.severity import rules_table

    documented = (Path(__file__).resolve().parents[2] / "docs" / "detection.md").read_text(encoding="utf-8")
    assert rules_table() in documented, "docs/detection.md's severity table differs from RULES: reprint it"
