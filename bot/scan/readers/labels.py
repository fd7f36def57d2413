"""Which labels taken from content are generic words, and which may be values.

Readers note the labels they take from the content (sheet names, archive entry names) in
`Document.content_labels`; the report masks those that look like a person's name
(`personal_label`: one to four capitalised words of letters, not all of them generic words from
generic_label_words.txt): "Sheet1", "Detained Population", "export_2024", "clients_march" stay
readable, a sheet named "Quintanillo Arreolo" or an entry "LOPEZ_Maria.pdf" does not. Identifiers
in a label (an SSN as a sheet name) are masked whatever its shape (bot/scan/redact.py). The name
of the file the user typed or uploaded is not content: it is shown as it is.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]+")
#: words of a label, split at spaces and at the joiners of file names
_PIECES = re.compile(r"[\s_.\-/]+")


@cache
def generic_words() -> frozenset[str]:
    text = (Path(__file__).resolve().parent / "generic_label_words.txt").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() if not line.startswith("#") for word in line.split())


def generic_label(label: str) -> bool:
    """A label made only of generic words (one-letter words and digits do not count)."""
    words = generic_words()
    return all(word.lower() in words for word in _WORD.findall(label) if len(word) > 1)


def personal_label(label: str) -> bool:
    """A label that may be someone's name: 1-4 words, each of letters (apostrophes allowed) and
    capitalised or in capitals, not all generic."""
    words = [w for w in _PIECES.split(label.strip()) if w]
    if not 1 <= len(words) <= 4 or generic_label(label):
        return False
    return all(word.replace("'", "").replace("’", "").isalpha() and word[0].isupper() for word in words)
