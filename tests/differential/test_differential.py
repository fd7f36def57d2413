"""The engine gives the same answer as when the goldens were recorded (tests/differential).

Every corpus file (synthetic, realworld, held-out: generated here, scanned through the real
pipeline as the command line scans a path), every seeded sentence, and the generated people CSV
past the sketch threshold must match its golden in every count, place, masked sample, fingerprint
digest, people count, severity, reason and note. The 1,000,000-row file is compared when
LEAKWATCH_DIFF_MILLION=1 (about a minute and a half; the speed work runs it before each landing).
A failure names the file and the fields that differ, never a value.
"""

from __future__ import annotations

import os

import pytest

from bot.scan.pipeline import LocalBudget
from tests.differential import BIG, differences, load, scan_bigfile, scan_corpus, scan_local, scan_sentences

CORPORA = ("synthetic", "realworld", "heldout")


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_matches_golden(corpus, tmp_path):
    got = scan_corpus(corpus, tmp_path)
    assert not differences(load(corpus), got), differences(load(corpus), got)


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_read_as_local_files_matches_golden(corpus, tmp_path):
    """The command line's local files: no limits, CSV and text in this process, the rest isolated."""
    got = scan_corpus(corpus, tmp_path, local=LocalBudget())
    assert not differences(load(corpus), got), differences(load(corpus), got)


def test_sentences_match_golden():
    got = scan_sentences()
    assert not differences(load("sentences"), got), differences(load("sentences"), got)


@pytest.mark.parametrize("way", ["bytes", "local stream"])
def test_sketch_sized_csv_matches_golden(tmp_path, way):
    rows = BIG["sketch"]
    got = {f"people-{rows}.csv": scan_bigfile(tmp_path, rows, scan_local if way == "local stream" else None)}
    assert not differences(load("sketch"), got), differences(load("sketch"), got)


@pytest.mark.skipif(os.environ.get("LEAKWATCH_DIFF_MILLION") != "1", reason="set LEAKWATCH_DIFF_MILLION=1")
@pytest.mark.parametrize("way", ["bytes", "local stream"])
def test_million_row_csv_matches_golden(tmp_path, way):
    rows = BIG["million"]
    got = {f"people-{rows}.csv": scan_bigfile(tmp_path, rows, scan_local if way == "local stream" else None)}
    assert not differences(load("million"), got), differences(load("million"), got)
