"""Per-type accumulators: distinct values (as fingerprints), masked samples and places.

Raw values are never kept: a value is masked for a sample (at most 3) and fingerprinted the first
time it is seen, then forgotten. Deduplication uses Python's per-process salted `hash()` of the
normalized value (cheap), so the HMAC is computed once per distinct value.

Memory stays bounded on huge files: up to DISTINCT_CAP distinct values per type are kept exactly.
Past the cap the accumulator turns into a bottom-k sketch (KMV): it keeps the k = DISTINCT_CAP
values with the smallest 64-bit hashes, whose fingerprints are a uniform sample of all distinct
values, and estimates the distinct count as (k - 1) / (k-th smallest hash / 2^64). The finding
then says `count_exact = False`.
"""

from __future__ import annotations

import heapq
import hmac
from dataclasses import dataclass, field

from bot.scan.report import Finding

DISTINCT_CAP = 200_000
MAX_SAMPLES = 3
MAX_PLACES = 10
#: ranges kept per (part, column) before further ones are only counted
MAX_RANGES_PER_COLUMN = 12
_HASH_SPACE = 1 << 64
_MASK64 = _HASH_SPACE - 1


@dataclass
class ColumnPlaces:
    """Row ranges of one type in one column (or lines of one text block), merged as they come."""

    label: object  # callable (first, last) -> str, kept to name the range at the end
    ranges: list[list[int]] = field(default_factory=list)
    dropped: int = 0

    def add(self, row: int) -> None:
        if self.ranges:
            last = self.ranges[-1]
            if last[0] <= row <= last[1]:
                return
            if row == last[1] + 1:
                last[1] = row
                return
        if len(self.ranges) >= MAX_RANGES_PER_COLUMN:
            self.dropped += 1
            return
        self.ranges.append([row, row])


class TypeAccumulator:
    """Everything the report says about one type, without any raw value."""

    def __init__(self, type_name: str, key: bytes):
        self.type = type_name
        self._key = key
        self._prefix = f"{type_name}:".encode()
        #: 64-bit hash -> fingerprint digest (exact phase and sketch phase alike)
        self._digests: dict[int, bytes] = {}
        #: sketch phase only: max-heap (negated) of the kept hashes
        self._heap: list[int] | None = None
        self.samples: list[str] = []
        self.places: dict[tuple[int, int], ColumnPlaces] = {}
        self.confidence = 0.0
        self.occurrences = 0

    def add(self, normalized: str, masked_sample, *, confidence: float) -> bool:
        """Count one occurrence; True when the value was not seen before (exactly or in the sketch)."""
        self.occurrences += 1
        if confidence > self.confidence:
            self.confidence = confidence
        hashed = hash(normalized) & _MASK64
        digests = self._digests
        if hashed in digests:
            return False
        if self._heap is not None:
            if hashed >= -self._heap[0]:
                return False
            evicted = -heapq.heappushpop(self._heap, -hashed)
            del digests[evicted]
        elif len(digests) >= DISTINCT_CAP:
            self._heap = [-h for h in digests]
            heapq.heapify(self._heap)
            return self.add_to_sketch(normalized, hashed, masked_sample)
        digests[hashed] = hmac.digest(self._key, self._prefix + normalized.encode(), "sha256")
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(masked_sample(normalized) if callable(masked_sample) else masked_sample)
        return True

    def add_to_sketch(self, normalized: str, hashed: int, masked_sample) -> bool:
        if hashed >= -self._heap[0]:
            return False
        evicted = -heapq.heappushpop(self._heap, -hashed)
        del self._digests[evicted]
        self._digests[hashed] = hmac.digest(self._key, self._prefix + normalized.encode(), "sha256")
        return True

    def place(self, part_index: int, column: int, row: int, label) -> None:
        places = self.places.get((part_index, column))
        if places is None:
            places = self.places[(part_index, column)] = ColumnPlaces(label)
        places.add(row)

    @property
    def exact(self) -> bool:
        return self._heap is None

    @property
    def count(self) -> int:
        if self._heap is None:
            return len(self._digests)
        kth = -self._heap[0]
        return max(len(self._digests), round((len(self._heap) - 1) / (kth / _HASH_SPACE)))

    def where(self) -> list[str]:
        places: list[str] = []
        extra = 0
        for column in self.places.values():
            extra += column.dropped
            for first, last in column.ranges:
                label = column.label(first, last)
                if label in places:
                    continue  # JSON paths name a column, not its rows
                if len(places) < MAX_PLACES:
                    places.append(label)
                else:
                    extra += 1
        if extra:
            places.append(f"… and {extra} more places")
        return places

    def finding(self) -> Finding:
        fingerprints = sorted(d.hex() for d in self._digests.values())
        return Finding(type=self.type, count=self.count, confidence=round(self.confidence, 2),
                       where=self.where(), samples=list(self.samples), fingerprints=fingerprints,
                       count_exact=self.exact)

