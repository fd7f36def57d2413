"""The RE2 line screen (screen.py): which detectors may match a line, as RE2 patterns.

That screening changes no result is checked in test_prose_search.py, line by line.
"""

import re

import pytest

from bot.scan.prose import ProseScanner
from bot.scan.screen import core_pattern, re2


@pytest.mark.skipif(re2 is None, reason="google-re2 is not installed")
def test_the_screen_reads_ascii_lines_only():
    scanner = ProseScanner()
    assert scanner.screen("plain text 1234") is not None
    assert scanner.screen("número 1234") is None
    assert scanner.screen("unit\x1cseparator 1234") is None


def test_core_pattern_turns_edge_lookarounds_into_edges():
    core = core_pattern(re.compile(r"(?<![\w-])\d{3}[-\s]?\d{2}(?![\w-])"))
    assert core == r"(?:^|[^\w-])\d{3}[-\t\n\x0b\x0c\r\x1c-\x1f ]?\d{2}(?:$|[^\w-])"
    assert core_pattern(re.compile(r"(?=\d)\d")) is None  # a lookahead inside: not translatable
    assert core_pattern(re.compile(r"\d(?![-])\d")) is None  # not at an edge: consuming would change it
    assert core_pattern(re.compile("abc", re.IGNORECASE)).startswith("(?i)")


@pytest.mark.skipif(re2 is None, reason="google-re2 is not installed")
def test_tightened_screens_ask_for_what_parse_needs():
    scanner = ProseScanner()
    assert "PHONE" in scanner.screen("call (202) 456-1414 today")
    assert "PHONE" not in scanner.screen('"GET / HTTP/1.1" 200 61810')  # 8 digits: never a phone
    assert "IP_ADDRESS" in scanner.screen("from 8.8.8.8")
    assert "IP_ADDRESS+" not in scanner.screen("at 01/Nov/2026:00:00:00 +0000")  # 4 groups: not IPv6
    assert "IP_ADDRESS+" in scanner.screen("from 2606:4700:4700:0:0:0:0:1111")
    assert scanner.screen("nothing here at all") == frozenset()
