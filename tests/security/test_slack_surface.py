"""What reaches Slack: the fallback text of a scan result cannot mention or link (a file's name is
chosen by whoever uploaded it), and adversarial files through the real bot leave no raw value in
any Slack call, the bot's log (at DEBUG) or the files it wrote."""

from __future__ import annotations

from bot.scan.report import Finding, Report
from bot.slack.blocks import scan_result


def _report(**fields) -> Report:
    report = Report(target="<!channel> <https://evil.example|click>.xlsx", kind="xlsx", stats={"seconds": 0.1},
                    **fields)
    return report


def test_fallback_text_cannot_mention_or_link():
    found = _report(records_affected=2, findings=[Finding("A_NUMBER", 2, 0.9, ["S!A2:A3"], ["A•••••0001"], [])])
    found.set_severity("high", "high")
    for report in (found, _report(), _report(error="This file could not be read.", error_code="unreadable")):
        text, _ = scan_result(report)
        assert "<!channel>" not in text and "<https://" not in text, report.severity
        assert "&lt;!channel&gt;" in text
