"""Same leak again: overlap rules, wording, and the exported fingerprint file."""

import json

import pytest

from bot.errors import UnreadableContent
from bot.scan import matching
from bot.scan.report import Finding, Report, fingerprint

KEY = b"test-key-for-matching"


def _fps(kind: str, numbers: range) -> set[str]:
    # synthetic 9-digit identifiers, only ever handled as fingerprints
    return {fingerprint(kind, f"{n:09d}", KEY) for n in numbers}


def _incident_set(rows: int = 1000) -> dict[str, set[str]]:
    return {
        "A_NUMBER": _fps("A_NUMBER", range(100_000, 100_000 + rows)),
        "NATIONALITY": {fingerprint("NATIONALITY", name, KEY) for name in ("country a", "country b", "country c")},
    }


def test_a_forty_percent_repost_is_the_same_leak():
    known = _incident_set()
    repost = {"A_NUMBER": _fps("A_NUMBER", range(100_000, 100_400))}
    found = matching.match(repost, known, key=3, label="incident #3")
    assert found is not None
    assert found.best.type == "A_NUMBER"
    assert (found.best.matched, found.best.known) == (400, 1000)
    assert found.describe() == "40% of the A-numbers of incident #3 (400 of 1,000)"


def test_an_unrelated_leak_with_no_overlap_is_not():
    known = _incident_set()
    unrelated = {"A_NUMBER": _fps("A_NUMBER", range(500_000, 501_000))}
    assert matching.overlaps(unrelated, known) == []
    assert matching.match(unrelated, known) is None


def test_shared_nationalities_alone_are_not_the_same_leak():
    known = _incident_set()
    # an unrelated list of other people from the same countries
    unrelated = {"NATIONALITY": set(known["NATIONALITY"]), "A_NUMBER": _fps("A_NUMBER", range(700_000, 700_050))}
    assert len(matching.overlaps(unrelated, known)) == 1
    assert matching.match(unrelated, known) is None


def test_two_shared_values_of_a_large_set_are_not_enough():
    known = _incident_set()
    few = {"A_NUMBER": _fps("A_NUMBER", range(100_000, 100_002))}
    assert matching.match(few, known) is None


def test_a_small_slice_of_a_huge_leak_still_matches_by_count():
    known = _incident_set(rows=10_000)
    slice_ = {"A_NUMBER": _fps("A_NUMBER", range(100_000, 100_030))}  # 0.3%, but 30 people
    found = matching.match(slice_, known, label="incident #1")
    assert found is not None
    assert found.describe().startswith("<1% of the A-numbers of incident #1")


def test_a_tiny_incident_matches_when_all_its_values_return():
    known = {"SSN": _fps("SSN", range(1, 3))}
    assert matching.match({"SSN": _fps("SSN", range(1, 3))}, known) is not None


def test_find_matches_orders_by_share_and_reports_weak_types_alongside():
    incident_a = _incident_set()
    incident_b = {"EMAIL": {fingerprint("EMAIL", f"user{n}@example.test", KEY) for n in range(200)}}
    found = {
        "A_NUMBER": _fps("A_NUMBER", range(100_000, 100_920)),
        "NATIONALITY": set(incident_a["NATIONALITY"]),
        "EMAIL": {fingerprint("EMAIL", f"user{n}@example.test", KEY) for n in range(40)},
    }
    matches = matching.find_matches(found, [(1, "incident #1", incident_a), (2, "incident #2", incident_b)])
    assert [m.key for m in matches] == [1, 2]
    assert matches[0].describe_all() == (
        "92% of the A-numbers of incident #1 (920 of 1,000) and 100% of its nationalities"
    )
    assert matches[1].describe() == "20% of the email addresses of incident #2 (40 of 200)"


def test_report_fingerprints_walks_per_document_reports():
    doc = Report(target="a.csv", findings=[Finding("SSN", 2, 0.9, [], [], ["a" * 64, "b" * 64])])
    top = Report(target="site", findings=[Finding("EMAIL", 1, 0.9, [], [], ["c" * 64])], documents=[doc])
    assert matching.report_fingerprints(top) == {"SSN": {"a" * 64, "b" * 64}, "EMAIL": {"c" * 64}}


def test_fingerprint_file_round_trip(tmp_path):
    path = tmp_path / "known.json"
    matching.save_fingerprint_file(path, [("incident #3", _incident_set(50))], key="k1")
    loaded = matching.load_fingerprint_file(path, key="k1")
    assert [(label, {k: len(v) for k, v in sets.items()}) for label, sets in loaded] == [
        ("incident #3", {"A_NUMBER": 50, "NATIONALITY": 3})
    ]
    assert loaded[0][1] == _incident_set(50)


def test_fingerprint_file_made_with_another_key_is_refused(tmp_path):
    path = tmp_path / "known.json"
    matching.save_fingerprint_file(path, [("x", _incident_set(5))], key="k1")
    with pytest.raises(UnreadableContent) as caught:
        matching.load_fingerprint_file(path, key="k2")
    assert caught.value.code == "key_mismatch"


@pytest.mark.parametrize("content", [
    b"not json",
    b"\xff\xfe garbage",
    json.dumps({"format": "something else"}).encode(),
    json.dumps([1, 2, 3]).encode(),
])
def test_a_file_that_is_not_a_fingerprint_file_gets_one_sentence(tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(UnreadableContent) as caught:
        matching.load_fingerprint_file(path, key="k1")
    assert "\n" not in str(caught.value)


def test_a_value_that_is_not_a_fingerprint_is_refused(tmp_path):
    payload = matching.dump_sets([("x", {"SSN": {"0" * 64}})], key="k1")
    payload["sets"][0]["fingerprints"]["SSN"].append("123-45-6789")  # a raw value must never load
    path = tmp_path / "raw.json"
    path.write_text(json.dumps(payload))
    with pytest.raises(UnreadableContent) as caught:
        matching.load_fingerprint_file(path, key="k1")
    assert "123" not in str(caught.value)


def test_a_sampled_set_says_its_counts_are_estimates():
    full = _fps("A_NUMBER", range(100_000, 106_000))
    sample = set(sorted(full)[:500])  # what an incident keeps: the smallest fingerprints
    repost = _fps("A_NUMBER", range(100_000, 102_400))  # 40% of the rows
    found = matching.match({"A_NUMBER": repost}, {"A_NUMBER": sample}, label="incident #3", totals={"A_NUMBER": 6000})
    assert found is not None
    assert 0.3 < found.best.share < 0.5, f"share {found.best.share:.2f} of a 40% re-post"
    assert found.describe().endswith("of 6,000)") and "(about " in found.describe()


def test_identifiers_are_named_before_names_even_at_a_lower_share():
    known = {"A_NUMBER": _fps("A_NUMBER", range(0, 100)),
             "PERSON_NAME": {fingerprint("PERSON_NAME", f"person {n}", KEY) for n in range(100)}}
    found = {"A_NUMBER": _fps("A_NUMBER", range(0, 40)),
             "PERSON_NAME": {fingerprint("PERSON_NAME", f"person {n}", KEY) for n in range(50)}}
    assert matching.match(found, known, label="incident #2").describe_all() == (
        "40% of the A-numbers of incident #2 (40 of 100) and 50% of its names"
    )


def test_names_alone_need_half_of_the_known_names():
    names = [fingerprint("PERSON_NAME", f"person {n}", KEY) for n in range(100)]
    known = {"PERSON_NAME": set(names)}
    assert matching.match({"PERSON_NAME": set(names[:30])}, known) is None, "30% common names: not enough"
    assert matching.match({"PERSON_NAME": set(names[:60])}, known) is not None


def test_a_five_percent_slice_of_a_sampled_incident_still_matches():
    full = _fps("A_NUMBER", range(100_000, 106_252))
    sample = set(sorted(full)[:200])  # an incident keeps 200 per type
    slice_ = _fps("A_NUMBER", range(100_000, 100_313))  # 5% of the rows: 313 people
    found = matching.match({"A_NUMBER": slice_}, {"A_NUMBER": sample}, totals={"A_NUMBER": 6252})
    assert found is not None, "a few sample hits stand for hundreds of shared values"
    assert 100 <= found.best.estimated <= 700, f"estimated {found.best.estimated} of 313"
