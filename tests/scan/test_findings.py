import random

from bot.scan import findings
from bot.scan.findings import ColumnPlaces, TypeAccumulator
from bot.scan.report import fingerprint
from bot.scan.sketch import Fingerprinter

KEY = b"findings-tests"
SSN = "123456789"  # synthetic


def masker(value: str) -> str:
    return "•" * (len(value) - 4) + value[-4:]


def test_fingerprinter_equals_the_reports_hmac():
    for key in (b"", b"k", b"x" * 64, b"y" * 100):
        assert Fingerprinter(key).digest(f"SSN:{SSN}".encode()).hex() == fingerprint("SSN", SSN, key)


def test_distinct_values_samples_and_fingerprints():
    acc = TypeAccumulator("SSN", KEY)
    values = [f"{100 + i:03d}456789" for i in range(10)]
    acc.add_many(values + values[:5] + [None], masker, confidence=0.9)
    acc.add(values[0], masker, confidence=0.5)
    found = acc.finding()
    assert found.count == 10 and found.count_exact
    assert set(found.fingerprints) == {fingerprint("SSN", v, KEY) for v in values}
    assert len(found.samples) == 3 and all(s.startswith("•••••") for s in found.samples)
    assert found.confidence == 0.9


def test_places_merge_into_ranges_and_are_bounded():
    places = ColumnPlaces(lambda a, b: f"S!D{a}:D{b}" if a != b else f"S!D{a}")
    places.add_rows(list(range(5, 6257)))
    assert places.ranges == [[5, 6256]]
    acc = TypeAccumulator("A_NUMBER", KEY)
    acc.places[(0, 3)] = places
    assert acc.where() == ["S!D5:D6256"]
    # a blank cell or a skipped row does not make a new place
    gappy = TypeAccumulator("A_NUMBER", KEY)
    for row in range(2, 80, 2):
        gappy.place(0, 1, row, lambda a, b: f"rows {a}-{b}")
    assert gappy.where() == ["rows 2-78"]
    scattered = TypeAccumulator("A_NUMBER", KEY)
    for row in range(2, 4000, 100):
        scattered.place(0, 1, row, lambda a, b: f"rows {a}-{b}")
    where = scattered.where()
    assert len(where) == findings.MAX_PLACES + 1 and where[-1].startswith("… and ")


def test_past_the_cap_a_bottom_k_sketch_estimates_the_count(monkeypatch):
    monkeypatch.setattr(findings, "DISTINCT_CAP", 1000)
    acc = TypeAccumulator("EMAIL", KEY)
    values = [f"person{i}@example.org" for i in range(30_000)]
    random.Random(1).shuffle(values)
    for start in range(0, len(values), 2048):
        acc.add_many(values[start:start + 2048] + values[:100], masker, confidence=0.99)
    found = acc.finding()
    assert not found.count_exact
    assert abs(found.count - 30_000) / 30_000 < 0.1
    assert len(found.fingerprints) == 1000
    assert set(found.fingerprints) <= {fingerprint("EMAIL", v, KEY) for v in values}


def test_sketch_keeps_the_smallest_hashes_whatever_the_order(monkeypatch):
    monkeypatch.setattr(findings, "DISTINCT_CAP", 200)
    values = [f"v{i}" for i in range(3000)]
    one, other = TypeAccumulator("X", KEY), TypeAccumulator("X", KEY)
    for value in values:
        one.add(value, masker, confidence=1)
    other.add_many(list(reversed(values)), masker, confidence=1)
    assert one.finding().fingerprints == other.finding().fingerprints
    assert one.finding().count == other.finding().count


SKETCH_IN_A_PROCESS = r"""
import hashlib, sys
from bot.scan import findings
findings.DISTINCT_CAP, findings.SKETCH_SLACK = 300, 100
acc = findings.TypeAccumulator("EMAIL", sys.argv[1].encode())
values = [f"person{i}@example.org" for i in range(20_000)]
for start in range(0, len(values), 2048):
    acc.add_many(values[start:start + 2048], lambda v: "masked", confidence=0.99)
found = acc.finding()
print(found.count, hashlib.sha256("".join(found.fingerprints).encode()).hexdigest())
"""


def _sketch_in_a_process(key: str, hash_seed: str) -> str:
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONHASHSEED=hash_seed)
    done = subprocess.run([sys.executable, "-c", SKETCH_IN_A_PROCESS, key], capture_output=True, text=True,
                          env=env, cwd=root, timeout=60, check=True)
    return done.stdout.strip()


def test_the_same_key_keeps_the_same_sample_in_every_process():
    """Python's hash is salted per process; the sketch order is keyed by the fingerprint key only."""
    first, second = _sketch_in_a_process("key-one", "1"), _sketch_in_a_process("key-one", "2")
    assert first == second
    assert _sketch_in_a_process("key-two", "1").split()[1] != first.split()[1]
