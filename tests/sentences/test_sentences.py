"""Identifiers in running text, through the real scan: every type found in the shapes and with the
labels people type, nothing reported from numbers that only look like identifiers."""

from __future__ import annotations

import pytest

from tests.sentences import sentence_cases
from tests.sentences.evaluate import score

MIN_RECALL = 0.97


@pytest.fixture(scope="module")
def scored():
    return score(sentence_cases(seed=3, count=240))


def test_every_type_is_found_in_sentences(scored):
    tallies, _, _ = scored
    weak = {kind: f"{t.found} of {t.truth}" for kind, t in tallies.items() if t.truth and t.recall < MIN_RECALL}
    assert not weak, f"recall below {MIN_RECALL}: {weak}"
    imprecise = {kind: f"{t.reported - t.found} of {t.reported}" for kind, t in tallies.items() if t.precision < 0.97}
    assert not imprecise, f"reported values not in the sentences: {imprecise}"


def test_numbers_that_only_look_like_identifiers_are_nobodys(scored):
    _, flagged, negatives = scored
    assert negatives >= 10 and flagged == 0, f"{flagged} of {negatives} negative sentences reported an identifier"
