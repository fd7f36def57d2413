"""Helpers that check detectors without ever printing a value.

Test values live in module-level tables and tests refer to them by case name, so a failure shows
case names, types and fingerprint prefixes: never the value (not in a message, not in pytest's
"where ..." expansion, not in a parametrize id). Every check ends in `expect()`, whose only
arguments are a bool and a message.
"""

from __future__ import annotations

from bot.scan.detectors.base import Detector
from bot.scan.report import fingerprint

KEY = b"detector-tests"
#: marks a case the detector must reject
REJECT = object()


def expect(ok: bool, message: str) -> None:
    assert ok, message


def short_fp(kind: str, normalized: str | None) -> str:
    return "rejected" if normalized is None else fingerprint(kind, normalized, KEY)[:12]


def check_case(detector: Detector, cases: dict, name: str) -> None:
    """cases[name] = (text, context, expected): expected is the normalized value, None for "any
    value", or REJECT."""
    text, context, expected = cases[name]
    got = detector.parse(text, context=context)
    if expected is REJECT:
        expect(got is None, f"{detector.type} case {name!r}: expected rejection, got {short_fp(detector.type, got)}")
        return
    ok = got is not None and (expected is None or got == expected)
    want = "any value" if expected is None else short_fp(detector.type, expected)
    expect(ok, f"{detector.type} case {name!r}: expected {want}, got {short_fp(detector.type, got)}")


def prose_hits(detector: Detector, text: str) -> list[tuple[str, bool]]:
    """(fingerprint prefix, strong) of every candidate the detector finds in `text`."""
    return [(short_fp(detector.type, c.normalized), c.strong) for c in detector.find(text)]


def header_verdicts(detector: Detector, headers: tuple[str, ...]) -> list[str]:
    """Headers the detector does NOT recognise (headers are labels, not data: safe to show)."""
    from bot.scan.detectors.base import header_text

    return [h for h in headers if not detector.header_matches(header_text(h))]
