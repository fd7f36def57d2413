"""Golden tests of the Block Kit builders (pure functions, no Slack).

Regenerate after a deliberate change with `UPDATE_GOLDEN=1 pytest tests/slack/test_blocks.py`
and review the diff of tests/slack/golden/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.scan.report import Finding, Report
from bot.slack.blocks import SECTION_MAX, help_blocks, scan_result

GOLDEN = Path(__file__).parent / "golden"


def leak_report() -> Report:
    report = Report(target="https://example.gov/files/detained.xlsx", kind="xlsx", records_affected=6252,
                    stats={"bytes": 311874, "cells": 43764, "seconds": 0.41},
                    reasons=["Government identifiers next to names for thousands of people."])
    report.findings = [
        Finding("A_NUMBER", 6252, 0.97, ["Detained Population!D5:D6256"], ["A•••••4821", "A•••••0077"], ["f1"]),
        Finding("PERSON_NAME", 6240, 0.9, ["Detained Population!B5:B6256", "Detained Population!C5:C6256",
                                           "Sheet2!A1:A9", "Sheet3!B2:B4"], ["••••••••ez"], ["f2"]),
        Finding("DATE_OF_BIRTH", 5900, 0.95, ["Detained Population!E5:E6256"], ["••••••••••"], ["f3"],
                count_exact=False),
    ]
    report.set_severity("critical", "high")
    return report


def clean_report() -> Report:
    report = Report(target="https://example.gov/hours.html", kind="html", stats={"bytes": 900, "cells": 0, "seconds": 0.05})
    report.set_severity("none", "high")
    return report


def medium_report() -> Report:
    report = Report(target="roster.csv", kind="csv", records_affected=3, stats={"seconds": 0.02})
    report.findings = [Finding("EMAIL", 3, 0.99, ['table 1 column "Email", rows 2-4'], ["••••@x.org"], ["f"])]
    report.set_severity("medium", "high")
    return report


def error_report() -> Report:
    return Report(target="https://10.0.0.5/x.csv", error="That address is on a private network, so the bot will not fetch it.",
                  error_code="refused")


def partly_read_report() -> Report:
    report = Report(target="https://example.gov/files/export.zip", kind="zip", stats={"bytes": 90_000, "seconds": 0.3},
                    skipped=[{"where": "2019/archive.zip › old.zip", "reason": "it is an archive nested deeper than 4 levels"},
                             {"where": "minutes.doc", "reason": "it is a legacy Word .doc file (save it as .docx to scan it)"}])
    report.set_severity("none", "high")
    return report


CASES = {
    "partly_read": (partly_read_report, None),
    "leak_no_incident_part": (leak_report, None),
    "leak_incident_opened": (leak_report, {"channel_id": "C0INC", "number": 7}),
    "leak_incident_failed": (leak_report, {"error": "Slack refused conversations.create (restricted_action)."}),
    "clean": (clean_report, None),
    "below_threshold": (medium_report, None),
    "error": (error_report, None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_scan_result_matches_golden(case):
    make, incident = CASES[case]
    text, blocks = scan_result(make(), incident)
    produced = {"text": text, "blocks": blocks}
    path = GOLDEN / f"{case}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(json.dumps(produced, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert produced == json.loads(path.read_text(encoding="utf-8"))


def test_leak_result_shows_the_figures():
    text, blocks = scan_result(leak_report())
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "6,252" in shown and "CRITICAL" in shown
    assert "A-numbers*: 6,252" in shown and "about 5,900" in shown
    assert "`A•••••4821`" in shown and "and 1 more" in shown  # 4 places, 3 shown
    assert "Take it down now" in shown


def test_content_derived_text_cannot_mention_or_link():
    report = medium_report()
    report.findings[0].where = ["<!channel> sheet"]
    report.target = "<https://evil.example|click>"
    _, blocks = scan_result(report)
    shown = json.dumps(blocks)
    assert "<!channel>" not in shown and "&lt;!channel&gt;" in shown
    assert "<https://evil" not in shown


def test_long_lists_stay_inside_slack_limits():
    report = leak_report()
    report.findings = [Finding(f"TYPE_{i}", i, 0.9, ["x" * 400] * 3, ["•" * 30] * 3, []) for i in range(40)]
    _, blocks = scan_result(report)
    assert len(blocks) <= 50
    for block in blocks:
        text = block.get("text", {}).get("text", "")
        assert len(text) <= SECTION_MAX
    assert "more types" in json.dumps(blocks)


def test_help_mentions_every_way_to_scan():
    text, blocks = help_blocks()
    assert "/scan <url>" in text and "--crawl" in text and "Scan for personal data" in text
    assert blocks[0]["type"] == "section"


def test_type_codes_in_reasons_read_as_words():
    report = leak_report()
    report.reasons = ['sheet "Detained Population": 6,252 people named with A_NUMBER and DATE_OF_BIRTH']
    shown = json.dumps(scan_result(report)[1], ensure_ascii=False)
    assert "named with A-numbers and Dates of birth" in shown and "A_NUMBER" not in shown


def test_a_failed_scan_is_never_read_as_clean():
    for code in ("refused", "unreachable", "http_status", "limit", "unreadable", None):
        report = error_report()
        report.error_code = code
        text, blocks = scan_result(report)
        shown = json.dumps(blocks)
        assert "Not a clean result" in shown and "No personal data" not in shown + text, code


def test_the_result_says_where_the_incident_is():
    shown = json.dumps(scan_result(leak_report(), {"channel_id": "C0INC", "number": 7})[1])
    assert "*Incident*\\n#7 in <#C0INC>" in shown and "*People affected*\\n6,252" in shown
    below = json.dumps(scan_result(medium_report())[1])
    assert "below the incident level" in below and "Take it down now" not in below


def test_help_shows_an_example():
    text, _ = help_blocks()
    assert "e.g. `/scan https://" in text


def test_a_partly_read_target_is_never_shown_as_clean():
    text, blocks = scan_result(partly_read_report())
    shown = json.dumps(blocks, ensure_ascii=False)
    assert "No personal data found" not in shown and "partly read" in text
    assert "minutes.doc" in shown and "nested deeper than 4 levels" in shown


def test_a_notice_keeps_the_bots_own_mentions_live_only_when_asked():
    from bot.slack.blocks import notice

    sentence = "<@U0LEAD> leads #3 in <#C0INC> since <!date^1795874520^{time}|14:02 UTC>; <!channel> & <b>"
    _, plain = notice(sentence)
    assert "<@U0LEAD>" not in plain[0]["text"]["text"]
    _, live = notice(sentence, links=True)
    shown = live[0]["text"]["text"]
    assert "<@U0LEAD>" in shown and "<#C0INC>" in shown and "<!date^1795874520^{time}|14:02 UTC>" in shown
    assert "&lt;!channel&gt;" in shown and "&lt;b&gt;" in shown and "&amp;" in shown
