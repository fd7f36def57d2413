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
