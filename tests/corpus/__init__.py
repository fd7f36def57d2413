"""Seeded synthetic corpus with ground truth for the scanner's accuracy test and bench."""

from tests.corpus.generator import corpus_names, generate_corpus
from tests.corpus.truth import IDENTIFIER_TYPES, CorpusFile

__all__ = ["IDENTIFIER_TYPES", "CorpusFile", "corpus_names", "generate_corpus"]
