import random

from bot.scan import findings
from bot.scan.findings import ColumnPlaces, Fingerprinter, TypeAccumulator
from bot.scan.report import fingerprint

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
    scattered = TypeAccumulator("A_NUMBER", KEY)
    for row in range(2, 80, 2):
        scattered.place(0, 1, row, lambda a, b: f"row {a}-{b}")
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
