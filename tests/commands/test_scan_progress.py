"""A long scan says how far it is: the isolated child reports the bytes its reader has read, and
the Slack side edits its "Scanning…" message a few times at most ("43% of 1.2 GB").

The child's reports are real (a CSV of several MB scanned in the isolated child); the edits are
driven with a fake clock, so nothing here depends on how fast the machine is."""

from __future__ import annotations

from bot.config import ScanSettings
from bot.scan.pipeline import scan_content
from bot.scan.progress import describe
from commands.scan import PROGRESS_AFTER_SECONDS, PROGRESS_EDIT_SECONDS, PROGRESS_MAX_EDITS, ScanProgress
from tests.differential import bigfile


def test_the_isolated_scan_reports_bytes_read_of_the_total(tmp_path):
    data = bigfile.write(tmp_path / "people.csv", 60_000).read_bytes()
    seen: list[tuple[int, int]] = []
    report = scan_content(data, target="people.csv", settings=ScanSettings(fingerprint_key="p", timeout_seconds=300),
                          name="people.csv", progress=lambda done, total: seen.append((done, total)))
    assert report.error is None and report.records_affected > 59_000
    assert seen, "no progress was reported during a multi-second scan"
    assert {total for _, total in seen} == {len(data)}
    done = [d for d, _ in seen]
    assert done == sorted(done) and 0 < max(done) <= len(data)


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_edits_start_after_a_few_seconds_and_stay_few():
    clock, edits = Clock(), []
    progress = ScanProgress(edits.append, "big.csv", clock=clock)
    total = 1_200_000_000
    progress.update(100_000_000, total)
    assert edits == []  # a quick scan says nothing
    clock.now += PROGRESS_AFTER_SECONDS
    progress.update(516_000_000, total)
    assert edits == ["Scanning big.csv… 43% of 1.2 GB"]
    clock.now += 1
    progress.update(600_000_000, total)
    assert len(edits) == 1  # not more often than every PROGRESS_EDIT_SECONDS
    for step in range(10):
        clock.now += PROGRESS_EDIT_SECONDS
        progress.update(600_000_000 + step * 50_000_000, total)
    assert len(edits) == PROGRESS_MAX_EDITS


def test_a_failed_edit_stops_the_edits_and_never_the_scan():
    clock, calls = Clock(), []

    def edit(text):
        calls.append(text)
        raise RuntimeError("response_url expired")

    progress = ScanProgress(edit, "https://example.gov/x.csv", clock=clock)
    for _ in range(5):
        clock.now += PROGRESS_EDIT_SECONDS
        progress.update(10, 100)
    assert len(calls) == 1


def test_describe():
    assert describe(516_000_000, 1_200_000_000) == "43% of 1.2 GB"
    assert describe(0, 1_200_000_000) == "1.2 GB"  # a kind that does not say how far
    assert describe(5, 5) == "99% of 5 B"  # done is said by the result, not the bar
