"""Which labels taken from content are generic words, and which may be values.

Readers note the labels they take from the content (sheet names, archive entry names, the file
name) in `Document.content_labels`; the report masks them where they show unless every word of
them is generic (generic_label_words.txt): "Sheet1", "Detained Population", "export_2024" stay
readable, a sheet named after a person does not.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")


@cache
def generic_words() -> frozenset[str]:
    text = (Path(__file__).resolve().parent / "generic_label_words.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def generic_label(label: str) -> bool:
    """A label made only of generic words (one-letter words and digits do not count)."""
    words = generic_words()
    return all(word.lower() in words for word in _WORD.findall(label) if len(word) > 1)
