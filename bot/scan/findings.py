"""Per-type accumulators: distinct values (as fingerprints), masked samples and places.

Raw values are never kept: a value is masked for a sample (at most 3) and fingerprinted the first
time it is seen, then forgotten. Deduplication uses Python's per-process salted 64-bit `hash()`
of the normalized value (cheap, cached by the string), so the HMAC is computed once per distinct
value.

Memory stays bounded on huge files: up to DISTINCT_CAP distinct values per type are kept exactly.
Past the cap the accumulator turns into a bottom-k sketch (KMV): it keeps the k = DISTINCT_CAP
values with the smallest 64-bit hashes, whose fingerprints are a uniform sample of all distinct
values, and estimates the distinct count as (k - 1) / (k-th smallest hash / 2^64) (hashes read
as unsigned). The finding
then says `count_exact = False`.
"""

from __future__ import annotations

import hashlib
import heapq
from dataclasses import dataclass, field

from bot.scan.report import Finding

DISTINCT_CAP = 50_000
MAX_SAMPLES = 3
MAX_PLACES = 10
#: ranges kept per (part, column) before further ones are only counted
MAX_RANGES_PER_COLUMN = 12
_HASH_SPACE = 1 << 64


@dataclass
class ColumnPlaces:
    """Row ranges of one type in one column (or lines of one text block), merged as they come."""

    label: object  # callable (first, last) -> str, kept to name the range at the end
    ranges: list[list[int]] = field(default_factory=list)
    dropped: int = 0

    def merged(self) -> list[list[int]]:
        """Ranges in order, touching ones joined (rows may arrive out of order, e.g. late dates)."""
        merged: list[list[int]] = []
        for first, last in sorted(self.ranges):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return merged

    def add_range(self, first: int, last: int) -> None:
        if self.ranges:
            current = self.ranges[-1]
            if current[0] <= first <= current[1] + 1:
                current[1] = max(current[1], last)
                return
        if len(self.ranges) >= MAX_RANGES_PER_COLUMN:
            self.dropped += 1
            return
        self.ranges.append([first, last])

    def add_rows(self, rows: list[int]) -> None:
        """Rows in increasing order (one chunk of a table)."""
        if not rows:
            return
        if rows[-1] - rows[0] + 1 == len(rows):
            self.add_range(rows[0], rows[-1])
            return
        for row in rows:
            self.add(row)

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


class Fingerprinter:
    """HMAC-SHA256 with the key's inner and outer pads hashed once (RFC 2104), then copied.

    Gives exactly report.fingerprint()'s digest at about half the cost of hmac.digest(), which
    re-derives the pads on every call; a test keeps the two equal.
    """

    def __init__(self, key: bytes):
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))

    def digest(self, message: bytes) -> bytes:
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


class TypeAccumulator:
    """Everything the report says about one type, without any raw value."""

    def __init__(self, type_name: str, key: bytes | Fingerprinter):
        self.type = type_name
        self._hmac = key.digest if isinstance(key, Fingerprinter) else Fingerprinter(key).digest
        self._prefix = f"{type_name}:".encode()
        #: 64-bit hash -> fingerprint digest (exact phase and sketch phase alike)
        self._digests: dict[int, bytes] = {}
        #: sketch phase only: max-heap (negated) of the kept hashes
        self._heap: list[int] | None = None
        self.samples: list[str] = []
        self.places: dict[tuple[int, int], ColumnPlaces] = {}
        self.confidence = 0.0

    def add(self, normalized: str, masked_sample, *, confidence: float) -> bool:
        """Count one occurrence; True when the value was not seen before (exactly or in the sketch)."""
        if confidence > self.confidence:
            self.confidence = confidence
        hashed = hash(normalized)
        if hashed in self._digests:
            return False
        if self._heap is None and len(self._digests) >= DISTINCT_CAP:
            self._start_sketch()
        if self._heap is not None:
            return self._add_to_sketch(normalized, hashed)
        self._digests[hashed] = self._hmac(self._prefix + normalized.encode())
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(masked_sample(normalized) if callable(masked_sample) else masked_sample)
        return True

    def add_many(self, values: list[str | None], masker, *, confidence: float) -> None:
        """Count one column chunk: set operations find the new values, each is fingerprinted once."""
        if confidence > self.confidence:
            self.confidence = confidence
        present = [v for v in values if v is not None]
        if self._heap is not None:  # sketch: only hashes below the k-th smallest can get in
            hashes = list(map(hash, present))
            # hashes under the k-th smallest: few, found at C speed; then only those not kept yet
            below = sorted(h for h in set(filter((-self._heap[0]).__gt__, hashes)) if h not in self._digests)
            if below:
                by_hash = dict(zip(hashes, present, strict=True))
                for hashed in below:
                    if hashed >= -self._heap[0]:
                        break
                    self._add_to_sketch(by_hash[hashed], hashed)
            return
        by_hash = dict(zip(map(hash, present), present, strict=True))
        new = by_hash.keys() - self._digests.keys()
        if not new:
            return
        if len(self._digests) + len(new) > DISTINCT_CAP:
            for hashed in sorted(new):  # crosses the cap: one by one into the sketch
                self.add(by_hash[hashed], masker, confidence=confidence)
            return
        digest, prefix, digests = self._hmac, self._prefix, self._digests
        for hashed in new:
            digests[hashed] = digest(prefix + by_hash[hashed].encode())
        if len(self.samples) < MAX_SAMPLES:
            for hashed in list(new)[:MAX_SAMPLES - len(self.samples)]:
                self.samples.append(masker(by_hash[hashed]))

    def _start_sketch(self) -> None:
        self._heap = [-h for h in self._digests]
        heapq.heapify(self._heap)

    def _add_to_sketch(self, normalized: str, hashed: int) -> bool:
        if hashed >= -self._heap[0]:
            return False
        evicted = -heapq.heappushpop(self._heap, -hashed)
        del self._digests[evicted]
        self._digests[hashed] = self._hmac(self._prefix + normalized.encode())
        return True

    def place(self, part_index: int, column: int, row: int, label) -> None:
        places = self.places.get((part_index, column))
        if places is None:
            places = self.places[(part_index, column)] = ColumnPlaces(label)
        places.add(row)

    def place_rows(self, part_index: int, column: int, rows: list[int], label) -> None:
        places = self.places.get((part_index, column))
        if places is None:
            places = self.places[(part_index, column)] = ColumnPlaces(label)
        places.add_rows(rows)

    @property
    def exact(self) -> bool:
        return self._heap is None

    @property
    def count(self) -> int:
        if self._heap is None:
            return len(self._digests)
        # hash() is signed: shift to [0, 2^64) to read the k-th smallest as a fraction of the space
        kth = -self._heap[0] + _HASH_SPACE // 2
        return max(len(self._digests), round((len(self._heap) - 1) / ((kth + 1) / _HASH_SPACE)))

    def where(self) -> list[str]:
        places: list[str] = []
        extra = 0
        for column in self.places.values():
            extra += column.dropped
            for first, last in column.merged():
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

