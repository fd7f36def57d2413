"""Counts that agree: the report's people, the reason's people and the estimates.

- One table about people: `records_affected` and the number in its reason are the same (a log
  that lists the same person on several rows says the people, not the rows).
- An estimate of distinct values (a type past 50,000 values) never exceeds the values read.
- Without a fingerprint key (a random key per run), estimates are the same from run to run.
"""

from __future__ import annotations

import re

from bot.config import ScanSettings
from bot.scan.findings import DISTINCT_CAP, TypeAccumulator
from bot.scan.pipeline import scan_bytes
from bot.scan.report import EPHEMERAL_PREFIX


def _movement_log() -> bytes:
    rows = ["Name,A-Number,Facility,Moved"]
    for person in range(40):
        for move in range(3):  # each person moved three times
            rows.append(f"Testperson{chr(65 + person % 26)} Rivera{person},A{204518300 + person},"
                        f"Red Mesa Processing Center,2024-0{move + 1}-1{person % 9}")
    return ("\n".join(rows) + "\n").encode()


def test_the_header_people_and_the_reason_people_are_one_number():
    report = scan_bytes(_movement_log(), target="moves.csv", settings=ScanSettings(fingerprint_key="k"),
                        name="moves.csv")
    assert report.records_affected == 40
    said = [int(m.group(1).replace(",", "")) for reason in report.reasons
            for m in [re.search(r"([\d,]+) (?:people|person)\b", reason)] if m]
    assert said == [40], report.reasons


def _estimate(key: bytes, distinct: int, repeats: int = 1) -> TypeAccumulator:
    acc = TypeAccumulator("EMAIL", key)
    values = [f"user{index}@mailbox-provider.net" for index in range(distinct)] * repeats
    for start in range(0, len(values), 2048):
        acc.add_many(values[start:start + 2048], lambda v: "•", confidence=0.9)
    return acc


def test_an_estimate_never_exceeds_the_values_read():
    for key in (b"one", b"two", b"three", b"four", b"five", b"six"):
        acc = _estimate(key, DISTINCT_CAP + 3_000)
        assert not acc.exact
        assert acc.count <= DISTINCT_CAP + 3_000


def test_estimates_without_a_key_are_the_same_from_run_to_run():
    first = _estimate((EPHEMERAL_PREFIX + "a1").encode(), DISTINCT_CAP + 20_000)
    second = _estimate((EPHEMERAL_PREFIX + "b2").encode(), DISTINCT_CAP + 20_000)
    assert first.count == second.count
    assert first.finding().fingerprints != second.finding().fingerprints  # the keys still differ
