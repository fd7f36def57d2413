"""The parse child is the backstop: a hang or a memory blow-up ends in one sentence, fast."""

import time

import pytest

from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.isolate import GRACE_SECONDS, run_isolated

SECRET = "123-45-6789"


def _add(a, b):
    return a + b


def _hang():
    while True:
        pass


def _eat_memory():
    blocks = []
    while True:
        blocks.append(bytearray(50 * 1024 * 1024))


def _crash_quoting_content():
    raise ValueError(f"bad cell {SECRET}")


def _raise_limit():
    raise LimitExceeded("Too many rows.")


def test_result_comes_back():
    outcome = run_isolated(_add, 2, 3, timeout=10, max_memory_mb=512)
    assert outcome.value == 5
    assert 0 < outcome.peak_rss_mb < 512


def test_hang_is_killed_at_the_budget():
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="longer than the 1-second limit"):
        run_isolated(_hang, timeout=1, max_memory_mb=512)
    assert time.monotonic() - started < 1 + GRACE_SECONDS + 3


def test_memory_ceiling_stops_the_child():
    with pytest.raises(LimitExceeded, match="more memory"):
        run_isolated(_eat_memory, timeout=20, max_memory_mb=300)


def test_unexpected_error_never_quotes_content():
    with pytest.raises(UnreadableContent) as caught:
        run_isolated(_crash_quoting_content, timeout=10, max_memory_mb=512)
    assert SECRET not in str(caught.value)


def test_typed_errors_keep_their_sentence():
    with pytest.raises(LimitExceeded, match="Too many rows."):
        run_isolated(_raise_limit, timeout=10, max_memory_mb=512)


def test_children_fingerprint_with_the_parent_key_when_none_is_set(tmp_path):
    from bot.config import ScanSettings
    from bot.scan.pipeline import scan_content
    from bot.scan.report import fingerprint, resolve_key

    data = b"Last Name,First Name,A-Number\nTestperson,Alpha,A204518377\nTestperson,Beta,A209913452\n"
    report = scan_content(data, target="roster.csv", settings=ScanSettings(fingerprint_key=None))
    found = set(report.finding("A_NUMBER").fingerprints)
    assert fingerprint("A_NUMBER", "204518377", resolve_key(None)) in found
