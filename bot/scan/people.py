"""Counting people, not cells.

A person is keyed by the strongest identifier in their row or sentence (a government ID, else a
card, an email, a phone, a name...), hashed with Python's salted `hash()` so no value is kept. The
same person met twice (two sheets, a table and a paragraph) counts once, whichever of their
identifiers each place shows. A row whose only key is its whole set of values (no identifier) is
deduplicated only when identical.

Memory: up to PEOPLE_CAP keys are kept; past that, rows are counted without deduplication.
"""

from __future__ import annotations

import struct
from array import array
from itertools import repeat

from bot.scan.detectors import ranked

PEOPLE_CAP = 300_000
#: which value keys a person, best first
KEY_ORDER = ranked("key_rank")
_RANK = {name: rank for rank, name in enumerate(KEY_ORDER)}


class PeopleCounter:
    """Distinct people, from keys that never hold a value (Python's salted `hash()` of them).

    Every identifier met beside a person (their A-number and phone in one row or sentence) is
    remembered as theirs, so the same person met again by another of them (a phone in a comment,
    an attachment keyed by SSN) counts once. A person known only by name matches a name already
    seen; a person with an identifier matches only by identifiers (two people may share a name).
    """

    def __init__(self) -> None:
        # dicts of hashes to None, not sets: holding only ints they are never tracked by the
        # garbage collector (a set always is: each full collection would walk 300,000 keys)
        self._keys: dict[int, None] = {}
        self._names: dict[int, None] = {}
        self._count = 0
        self._overflow = 0

    def add(self, key: object, aliases: tuple = ()) -> bool:
        """Count one person by key, with the person's other keys; True when new."""
        keys = (key, *aliases)
        names = [hash(k) for k in keys if _is_name(k)]
        identifiers = [hash(k) for k in keys if not _is_name(k)]
        seen = (any(k in self._keys for k in identifiers) if identifiers
                else any(n in self._names for n in names))
        if len(self._keys) + len(self._names) >= PEOPLE_CAP:
            self._overflow += not seen
            return not seen
        self._keys.update(dict.fromkeys(identifiers))
        self._names.update(dict.fromkeys(names))
        self._count += not seen
        return not seen

    def add_many(self, keys: list) -> None:
        """One person per key (rows of a table keyed by their best identifier)."""
        self.add_hashed(set(map(hash, keys)))

    def add_column(self, type_name: str, values: list) -> None:
        """add_many() of one column's values (no None), each keying a person as (type_name, value):
        the keys are hashed as they are made, no list of them is built."""
        self.add_hashed(set(map(hash, zip(repeat(type_name), values))))

    def add_hashed(self, hashed: set) -> None:
        """add_many() of keys already hashed (a scan of a later part of a file, replayed)."""
        hashed = hashed.difference(self._keys)
        if len(self._keys) + len(hashed) > PEOPLE_CAP:
            self._overflow += len(hashed)
            return
        self._keys.update(dict.fromkeys(hashed))
        self._count += len(hashed)

    def remember(self, keys: list) -> None:
        """Other identifiers and names of people already counted (more columns of their rows).

        Kept within half the cap: the people's own keys keep the room to be counted exactly.
        """
        if len(self._keys) + len(self._names) + len(keys) > PEOPLE_CAP // 2:
            return
        for key in keys:
            (self._names if _is_name(key) else self._keys)[hash(key)] = None

    def remember_column(self, type_name: str, values: list) -> None:
        """remember() of one column's values as (type_name, value) keys, None skipped: nothing
        is built once the counter remembers no more."""
        size = len(values) - values.count(None)
        if len(self._keys) + len(self._names) + size > PEOPLE_CAP // 2:
            return
        self.remember([(type_name, v) for v in values if v is not None])

    def remembers_more(self) -> bool:
        """False once remember() can no longer take anything (its keys only grow)."""
        return len(self._keys) + len(self._names) < PEOPLE_CAP // 2

    def remember_hashed(self, size: int, names, identifiers) -> None:
        """remember() of `size` keys already hashed into names and identifiers (replayed)."""
        if len(self._keys) + len(self._names) + size > PEOPLE_CAP // 2:
            return
        self._names.update(dict.fromkeys(names))
        self._keys.update(dict.fromkeys(identifiers))

    @property
    def count(self) -> int:
        return self._count + self._overflow


def _is_name(key: object) -> bool:
    return isinstance(key, tuple) and len(key) == 2 and key[0] == "PERSON_NAME"


def key_rank(type_name: str) -> int:
    return _RANK.get(type_name, len(KEY_ORDER))


class PeopleLog:
    """What a scan of a later part of a file asked of the people counter, hashed, written to a
    file, to be replayed in order by the counter of the scan of the part before (split_scan.py):
    the counter's caps depend on everything counted before, so its answers are decided there.

    `settled()` says the counter that will replay the log remembers nothing more (its keys are
    past half the cap, and they only grow): remember() calls are then not written. Memory stays
    flat: the log is on disk, 8 bytes a key.
    """

    def __init__(self, file, settled=lambda: False) -> None:
        self._file, self._settled = file, settled

    def add_many(self, keys: list) -> None:
        self._add_hashed(set(map(hash, keys)))

    def add_column(self, type_name: str, values: list) -> None:
        self._add_hashed(set(map(hash, zip(repeat(type_name), values))))

    def _add_hashed(self, hashes: set) -> None:
        hashed = array("q", hashes)
        self._file.write(_STEP.pack(0, 0, len(hashed), 0))
        hashed.tofile(self._file)

    def remembers_more(self) -> bool:
        """False once the counter that will replay this log takes no more remember() calls."""
        return not self._settled()

    def remember(self, keys: list) -> None:
        if self._settled():
            return
        names = array("q", [hash(k) for k in keys if _is_name(k)])
        identifiers = array("q", [hash(k) for k in keys if not _is_name(k)])
        self._file.write(_STEP.pack(1, len(keys), len(names), len(identifiers)))
        names.tofile(self._file)
        identifiers.tofile(self._file)

    def remember_column(self, type_name: str, values: list) -> None:
        if not self._settled():
            self.remember([(type_name, v) for v in values if v is not None])

    @staticmethod
    def replay(file, counter: PeopleCounter) -> None:
        file.seek(0)
        while header := file.read(_STEP.size):
            kind, size, first, second = _STEP.unpack(header)
            names, identifiers = array("q"), array("q")
            names.fromfile(file, first)
            identifiers.fromfile(file, second)
            if kind == 0:
                counter.add_hashed(set(names))
            else:
                counter.remember_hashed(size, names, identifiers)


#: one logged call: kind (0 add_many, 1 remember), keys given, then the two arrays' lengths
_STEP = struct.Struct("<bqqq")
