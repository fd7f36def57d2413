"""Accuracy over the synthetic corpus (tests/corpus): one test per corpus file.

Each file is scanned through the real pipeline (the same scan every surface uses) and compared
with its ground truth: a leak must raise an incident at the right severity, count its people
within 5%, report every expected type, and find its identifiers with recall and precision of at
least 0.99 by keyed fingerprint; a look-alike must raise nothing. Messages carry file names,
types and counts, never values.
"""

from __future__ import annotations

import pytest

from bot.config import ScanSettings
from bot.scan.pipeline import scan_target
from tests.corpus import corpus_names, generate_corpus
from tests.corpus.evaluate import failure

FINGERPRINT_KEY = "corpus-accuracy-test-key"
#: the original leak's shape stays at 6,252 rows; the other files shrink to keep the test fast
SCALE = 0.25
SETTINGS = ScanSettings(fingerprint_key=FINGERPRINT_KEY, threshold="high", timeout_seconds=60.0)


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("accuracy_corpus")
    return {f.name: f for f in generate_corpus(out, seed=7, scale=SCALE)}


@pytest.mark.parametrize("name", corpus_names())
def test_scan_matches_ground_truth(name, corpus):
    entry = corpus[name]
    message = failure(entry, scan_target(str(entry.path), SETTINGS), FINGERPRINT_KEY.encode("utf-8"))
    if message:
        pytest.fail(message, pytrace=False)
