"""Accuracy over the synthetic corpus (tests/corpus): one test per corpus file.

Each file is scanned through the real pipeline (the same scan every surface uses) and compared
with its ground truth: a leak must raise an incident at the right severity, count its people
within 5%, report every expected type, and find its identifiers with recall and precision of at
least 0.99 by keyed fingerprint; a look-alike must raise nothing. Messages carry file names,
types and counts, never values.
"""

from __future__ import annotations

import importlib

import pytest

from bot.config import ScanSettings
from tests.corpus import corpus_names, generate_corpus
from tests.corpus.evaluate import problems, summary

FINGERPRINT_KEY = "corpus-accuracy-test-key"
#: the original leak's shape stays at 6,252 rows; the other files shrink to keep the test fast
SCALE = 0.25


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("accuracy_corpus")
    return {f.name: f for f in generate_corpus(out, seed=7, scale=SCALE)}


@pytest.fixture(scope="session")
def scan_target():
    try:
        pipeline = importlib.import_module("bot.scan.pipeline")
    except ModuleNotFoundError as err:
        # only a part that is not written yet skips; any other import error fails below
        if err.name and err.name.startswith("bot.scan"):
            pytest.skip(f"the scan pipeline cannot run yet: module {err.name} does not exist")
        raise
    return pipeline.scan_target


@pytest.fixture(scope="session")
def settings():
    return ScanSettings(fingerprint_key=FINGERPRINT_KEY, threshold="high", timeout_seconds=60.0)


@pytest.mark.parametrize("name", corpus_names())
def test_scan_matches_ground_truth(name, corpus, scan_target, settings):
    entry = corpus[name]
    report = scan_target(str(entry.path), settings)
    issues = problems(entry, report, FINGERPRINT_KEY.encode("utf-8"))
    if issues:
        kind = "leak" if entry.is_leak else "look-alike"
        pytest.fail(f"{name} [{kind}: {entry.what}]\n  - " + "\n  - ".join(issues) + f"\n  {summary(report)}",
                    pytrace=False)
