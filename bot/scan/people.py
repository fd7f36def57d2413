"""Counting people, not cells.

A person is keyed by the strongest identifier in their row or sentence (a government ID, else a
card, an email, a phone, a name...), hashed with Python's salted `hash()` so no value is kept. The
same person met twice (two sheets, a table and a paragraph) with the same key counts once. A row
whose only key is its whole set of values (no identifier) is deduplicated only when identical.

Memory: up to PEOPLE_CAP keys are kept; past that, rows are counted without deduplication.
"""

from __future__ import annotations

from bot.scan.detectors import ranked

PEOPLE_CAP = 300_000
#: which value keys a person, best first
KEY_ORDER = ranked("key_rank")
_RANK = {name: rank for rank, name in enumerate(KEY_ORDER)}


class PeopleCounter:
    def __init__(self) -> None:
        self._keys: set[int] = set()
        self._overflow = 0

    def add(self, key: object) -> bool:
        """Count a person by key; True when new."""
        hashed = hash(key)
        if hashed in self._keys:
            return False
        if len(self._keys) >= PEOPLE_CAP:
            self._overflow += 1
            return True
        self._keys.add(hashed)
        return True

    def add_many(self, keys: list) -> None:
        if len(self._keys) + len(keys) <= PEOPLE_CAP:
            self._keys.update(map(hash, keys))
            return
        self._overflow += len(set(map(hash, keys)) - self._keys)

    @property
    def count(self) -> int:
        return len(self._keys) + self._overflow


def key_rank(type_name: str) -> int:
    return _RANK.get(type_name, len(KEY_ORDER))
