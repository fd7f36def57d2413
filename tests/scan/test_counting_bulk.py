"""The bulk counting paths give exactly what the one-by-one ones give (issue 11, scan speed).

Generated data (random values with repeats, None gaps, rows with gaps and out of order, past the
distinct-value cap, halves merged) goes through findings.TypeAccumulator.add_many /
ColumnPlaces.add_rows / PeopleCounter.add_column / remember_column and through add() one value,
one row, one key at a time; every count, sample, place, fingerprint and people count must agree.
The sketch is also checked against a bottom-k computed here from hashlib directly.
"""

from __future__ import annotations

import hashlib
import io
import random
from itertools import repeat

import pytest

from bot.scan import findings, people
from bot.scan.findings import ColumnPlaces, TypeAccumulator
from bot.scan.people import PeopleCounter, PeopleLog
from bot.scan.sketch import Fingerprinter

KEY = b"counting-bulk-tests"


def masker(value: str) -> str:
    return "*" * (len(value) - 2) + value[-2:]


def label(first: int, last: int) -> str:
    return f"rows {first}-{last}"


def _values(rng: random.Random, size: int, distinct: int, gaps: float) -> list[str | None]:
    return [None if rng.random() < gaps else f"v{rng.randrange(distinct)}@example.org" for _ in range(size)]


def _chunks(values: list, rng: random.Random):
    start = 0
    while start < len(values):
        size = rng.choice((1, 7, 300, 2048))
        yield values[start:start + size]
        start += size


def _state(acc: TypeAccumulator) -> dict:
    found = acc.finding()
    return {"count": found.count, "exact": found.count_exact, "samples": found.samples, "seen": acc.seen,
            "fingerprints": found.fingerprints, "confidence": found.confidence, "where": found.where,
            "places": {where: column.ranges for where, column in acc.places.items()}}


def _bottom_k(values: set[str], k: int) -> tuple[list[str], int]:
    """The k values with the smallest keyed BLAKE2s order, and the k-th hash (as documented)."""
    order_key = hashlib.sha256(b"leakwatch sketch order:" + KEY).digest()
    ranked = sorted((int.from_bytes(hashlib.blake2s(v.encode(), digest_size=8, key=order_key).digest(), "big"), v)
                    for v in values)
    return [v for _, v in ranked[:k]], ranked[k - 1][0]


@pytest.fixture(params=[(40, 15), (300, 100)], ids=["cap40", "cap300"])
def small_cap(request, monkeypatch):
    cap, slack = request.param
    monkeypatch.setattr(findings, "DISTINCT_CAP", cap)
    monkeypatch.setattr(findings, "SKETCH_SLACK", slack)
    return cap


@pytest.mark.parametrize("seed", range(6))
def test_add_many_equals_add_one_by_one(small_cap, seed):
    rng = random.Random(seed)
    size = rng.choice((50, 2_000, 9_000))
    values = _values(rng, size, distinct=rng.choice((20, size // 3, size * 10)), gaps=rng.choice((0, 0.05, 0.5)))
    bulk, single = TypeAccumulator("EMAIL", KEY), TypeAccumulator("EMAIL", KEY)
    row = 1
    for chunk in _chunks(values, rng):
        rows = list(range(row, row + len(chunk)))
        bulk.add_many(chunk, masker, confidence=0.9)
        bulk.place_rows(0, 3, [n for n, v in zip(rows, chunk, strict=True) if v is not None], label)
        for n, value in zip(rows, chunk, strict=True):
            if value is not None:
                single.add(value, masker, confidence=0.9)
                single.place(0, 3, n, label)
        row += len(chunk)
    assert _state(bulk) == _state(single)


@pytest.mark.parametrize("seed", range(4))
def test_the_sketch_keeps_the_bottom_k_computed_apart(small_cap, seed):
    rng = random.Random(100 + seed)
    values = _values(rng, 6_000, distinct=rng.choice((2_000, 50_000)), gaps=0.1)
    acc = TypeAccumulator("EMAIL", KEY)
    for chunk in _chunks(values, rng):
        acc.add_many(chunk, masker, confidence=1)
    distinct = {v for v in values if v is not None}
    kept, kth = _bottom_k(distinct, small_cap)
    found = acc.finding()
    digest = Fingerprinter(KEY).digest
    assert found.fingerprints == sorted(digest(b"EMAIL:" + v.encode()).hex() for v in kept)
    estimate = max(small_cap, round((small_cap - 1) / ((kth + 1) / 2 ** 64)))
    assert not found.count_exact and found.count == min(estimate, len(values) - values.count(None))


@pytest.mark.parametrize("seed", range(6))
def test_merged_halves_equal_one_scan(small_cap, seed):
    """What split_scan.py does: a later part counted apart (firsts kept), exported, merged."""
    rng = random.Random(200 + seed)
    values = _values(rng, rng.choice((200, 4_000)), distinct=rng.choice((30, 150, 5_000)), gaps=0.2)
    cut = rng.randrange(len(values))
    whole, first, later = (TypeAccumulator("SSN", KEY) for _ in range(3))
    later.firsts = []
    for accumulator, part, offset in ((whole, values, 0), (first, values[:cut], 0), (later, values[cut:], cut)):
        row = offset
        for chunk in _chunks(part, random.Random(seed)):
            rows = [row + i for i, v in enumerate(chunk) if v is not None]
            accumulator.add_many(chunk, masker, confidence=0.5)
            if rows:
                accumulator.place_rows(0, 1, rows, label)
            row += len(chunk)
    first.merge(later.export(), {1: label})
    assert _state(first) == _state(whole)


@pytest.mark.parametrize("seed", range(30))
def test_add_rows_equals_add_row_by_row(seed):
    rng = random.Random(300 + seed)
    bulk, single = ColumnPlaces(label), ColumnPlaces(label)
    row = rng.randrange(1, 50)
    for _ in range(rng.randrange(1, 12)):
        shape = rng.random()
        if shape < 0.6:  # increasing rows with small and large gaps
            rows = []
            for _ in range(rng.randrange(1, 400)):
                row += rng.choice((1, 1, 1, 2, 5, findings.JOIN_GAP, findings.JOIN_GAP + 1, 60, 500))
                rows.append(row)
        elif shape < 0.7:  # nearly in order: neighbours swapped
            rows = list(range(row, row + rng.randrange(31, 200), rng.choice((1, 3, 15))))
            for _ in range(rng.randrange(1, 4)):
                i = rng.randrange(len(rows) - 1)
                rows[i], rows[i + 1] = rows[i + 1], rows[i]
            row = max(rows)
        elif shape < 0.8:  # late rows: earlier than the ranges already there, or repeated
            rows = sorted(rng.sample(range(1, row + 2), min(row + 1, rng.randrange(1, 30))))
            rows += rows[-1:] * rng.randrange(2)
        else:  # out of order
            rows = [rng.randrange(1, row + 100) for _ in range(rng.randrange(1, 30))]
        bulk.add_rows(rows)
        for each in rows:
            single.add(each)
        assert bulk.ranges == single.ranges, rows
    assert bulk.merged() == single.merged()


def test_order_digests_compare_as_the_integers_do():
    rng = random.Random(5)
    values = [f"{rng.random()}" for _ in range(3_000)] + ["José", "名前"]
    order_key = hashlib.sha256(b"leakwatch sketch order:" + KEY).digest()
    digests = Fingerprinter(KEY).order_digests(values)
    assert digests == [hashlib.blake2s(v.encode(), digest_size=8, key=order_key).digest() for v in values]
    hashes = [int.from_bytes(d, "big") for d in digests]
    assert sorted(range(len(values)), key=digests.__getitem__) == sorted(range(len(values)), key=hashes.__getitem__)


def _people_rows(rng: random.Random, size: int) -> dict[str, list]:
    pool = max(1, size // rng.choice((1, 3, 10)))
    return {kind: [None if rng.random() < gaps else f"{kind}{rng.randrange(pool)}" for _ in range(size)]
            for kind, gaps in (("SSN", 0), ("EMAIL", 0.3), ("PERSON_NAME", 0.1))}


@pytest.mark.parametrize("seed", range(6))
def test_people_columns_equal_lists_of_keys(monkeypatch, seed):
    monkeypatch.setattr(people, "PEOPLE_CAP", random.Random(seed).choice((50, 400, 300_000)))
    rng = random.Random(400 + seed)
    bulk, lists = PeopleCounter(), PeopleCounter()
    logged, log_file, lists_log_file = PeopleCounter(), io.BytesIO(), io.BytesIO()
    log, lists_log = PeopleLog(log_file), PeopleLog(lists_log_file)
    for _ in range(rng.randrange(1, 8)):
        columns = _people_rows(rng, rng.choice((1, 20, 300)))
        # the SSNs of the next rows met first as other identifiers (a person remembered, then keyed)
        ahead = columns["SSN"][: rng.randrange(len(columns["SSN"]) + 1)]
        for kind, values in (("SSN", ahead), ("EMAIL", columns["EMAIL"]), ("PERSON_NAME", columns["PERSON_NAME"])):
            bulk.remember_column(kind, values)
            log.remember_column(kind, values)
            lists.remember([(kind, v) for v in values if v is not None])
            lists_log.remember([(kind, v) for v in values if v is not None])
        bulk.add_column("SSN", columns["SSN"])
        log.add_column("SSN", columns["SSN"])
        lists.add_many(list(zip(repeat("SSN"), columns["SSN"])))
        lists_log.add_many(list(zip(repeat("SSN"), columns["SSN"])))
        assert bulk.count == lists.count
    assert log_file.getvalue() == lists_log_file.getvalue()
    PeopleLog.replay(log_file, logged)
    assert logged.count == lists.count
    probe = ("EMAIL", "EMAIL1")
    assert bulk.add(probe) == lists.add(probe) == logged.add(probe)


def test_add_says_whether_a_value_got_into_the_sketch(small_cap):
    order_key = hashlib.sha256(b"leakwatch sketch order:" + KEY).digest()

    def order(value: str) -> int:
        return int.from_bytes(hashlib.blake2s(value.encode(), digest_size=8, key=order_key).digest(), "big")

    values = [f"first{i}" for i in range(small_cap * 5)]
    acc = TypeAccumulator("EMAIL", KEY)
    for value in values:
        acc.add(value, masker, confidence=1)
    kept, kth = _bottom_k(set(values), small_cap)
    assert not acc.add(kept[0], masker, confidence=1)  # kept already
    fresh = (f"later{i}" for i in range(100_000))
    under = next(v for v in fresh if order(v) < kth)  # under the k-th: under any threshold since
    highest = max(map(order, values))
    over = next(v for v in fresh if order(v) > highest)  # over every threshold there was
    assert acc.add(under, masker, confidence=1)
    assert not acc.add(under, masker, confidence=1)  # now kept, not yet compacted
    assert not acc.add(over, masker, confidence=1)


def test_the_big_containers_are_not_walked_by_the_garbage_collector(small_cap):
    """People keys and the sketch's kept values hold no container: a full collection (which a
    long scan meets dozens of times) should not walk hundreds of thousands of them."""
    import gc

    counter = PeopleCounter()
    counter.add_column("SSN", [f"{i:09d}" for i in range(5_000)])
    counter.remember_column("EMAIL", [f"p{i}@example.org" for i in range(100)] + [None])
    counter.add(("PERSON_NAME", "ana lima"))
    acc = TypeAccumulator("EMAIL", KEY)
    acc.add_many([f"v{i}@example.org" for i in range(small_cap * 4)], masker, confidence=1)
    acc.finding()
    gc.collect()
    assert not any(gc.is_tracked(keys) for keys in (counter._keys, counter._names))
    assert len(acc._sketch.values) == small_cap and not gc.is_tracked(acc._sketch.values)


def test_chunks_that_stop_and_start_repeating_count_the_same(small_cap):
    """The sketch hashes every value of chunks that hardly repeat (checked now and then), and a
    chunk's distinct ones only while they repeat: neither way changes what is kept."""
    rng = random.Random(7)
    distinct = [f"d{i}@example.org" for i in range(40 * 50)]
    repeated = [f"r{rng.randrange(30)}@example.org" for _ in range(40 * 50)]
    values = distinct[:1000] + repeated + distinct[1000:] + repeated[:500]
    bulk, single = TypeAccumulator("EMAIL", KEY), TypeAccumulator("EMAIL", KEY)
    for start in range(0, len(values), 50):
        bulk.add_many(values[start:start + 50] + [None], masker, confidence=1)
    for value in values:
        single.add(value, masker, confidence=1)
    assert _state(bulk) == _state(single)
    kept, _ = _bottom_k(set(values), small_cap)
    digest = Fingerprinter(KEY).digest
    assert bulk.finding().fingerprints == sorted(digest(b"EMAIL:" + v.encode()).hex() for v in kept)
