"""Per-type accumulators: distinct values, masked samples and places; fingerprints at the end.

The report never holds a raw value: a value is masked for a sample (at most 3, the first ones in
reading order) and fingerprinted. During the scan the distinct normalized values themselves are
kept in memory (bounded below) and fingerprinted once each when the finding is made, so a value
is never hashed with HMAC twice, nor at all when a sketch drops it.

Memory stays bounded on huge files: up to DISTINCT_CAP distinct values per type are kept exactly
(deduplicated with Python's hash). Past the cap the accumulator turns into a bottom-k sketch
(KMV, sketch.py): it keeps the k = DISTINCT_CAP values with the smallest keyed 64-bit hashes
(BLAKE2s keyed from the fingerprint key), whose fingerprints are a uniform sample of all
distinct values, and estimates the distinct count as (k - 1) / (k-th smallest hash / 2^64),
never more than the values counted (an estimate never exceeds the rows read). The order depends only on the key and
the values, so two scans of one file with one key keep the same sample; a scan without a
fingerprint key (a random key, report.process_key) orders by a fixed public key, so its estimates
and sample are the same from run to run too. The finding then says `count_exact = False`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from itertools import compress, islice
from operator import is_not, sub

from bot.scan.report import Finding
from bot.scan.sketch import Fingerprinter, Sketch

#: distinct values of a type kept exactly; past it, the sketch's k
DISTINCT_CAP = 50_000
#: sketch values held beyond k between two compactions
SKETCH_SLACK = 25_000
MAX_SAMPLES = 3
MAX_PLACES = 10
#: ranges kept per (part, column); past it, new rows stretch the last range
MAX_RANGES_PER_COLUMN = 12
#: rows apart that still read as one place (a blank cell or a skipped row is not a new place)
JOIN_GAP = 20
#: a value that is there (filter() and map() at C speed); analyze.py uses it too
not_none = partial(is_not, None)


@dataclass
class ColumnPlaces:
    """Row ranges of one type in one column (or lines of one text block), merged as they come."""

    label: object  # callable (first, last) -> str, kept to name the range at the end
    ranges: list[list[int]] = field(default_factory=list)

    def merged(self) -> list[list[int]]:
        """Ranges in order, near ones joined (rows may arrive out of order, e.g. late dates)."""
        merged: list[list[int]] = []
        for first, last in sorted(self.ranges):
            if merged and first <= merged[-1][1] + JOIN_GAP:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        return merged

    def add_range(self, first: int, last: int) -> None:
        if self.ranges:
            current = self.ranges[-1]
            if current[0] <= first <= current[1] + JOIN_GAP or len(self.ranges) >= MAX_RANGES_PER_COLUMN:
                current[0], current[1] = min(current[0], first), max(current[1], last)
                return
        self.ranges.append([first, last])

    def add_rows(self, rows: list[int]) -> None:
        """Rows in increasing order (one chunk of a table): the same ranges as add() row by row.

        Rows in order split into runs at gaps past JOIN_GAP; each run is one add_range() (its
        first row joins, stretches or starts a range as add() would, the rest always join it).
        The runs are found at C speed; rows out of order go one by one.
        """
        if not rows:
            return
        if rows[-1] - rows[0] + 1 == len(rows):
            self.add_range(rows[0], rows[-1])
            return
        steps = list(map(sub, islice(rows, 1, None), rows))
        if min(steps) < 0:
            for row in rows:
                self.add(row)
            return
        start = 0
        for end in compress(range(len(steps)), map(JOIN_GAP.__lt__, steps)):
            self.add_range(rows[start], rows[end])
            start = end + 1
        self.add_range(rows[start], rows[-1])

    def add(self, row: int) -> None:
        self.add_range(row, row)


class TypeAccumulator:
    """Everything the report says about one type, without any raw value in the report.

    Distinct normalized values are kept in memory during the scan (exactly, then a sketch of
    them) and fingerprinted once, when the finding is made.
    """

    def __init__(self, type_name: str, key: bytes | Fingerprinter):
        self.type = type_name
        self._fingerprinter = key if isinstance(key, Fingerprinter) else Fingerprinter(key)
        self._prefix = f"{type_name}:".encode()
        #: exact phase: Python's hash -> normalized value (None once the sketch took over)
        self._exact: dict[int, str] | None = {}
        #: sketch phase (once past the cap)
        self._sketch: Sketch | None = None
        self.samples: list[str] = []
        self.places: dict[tuple[int, int], ColumnPlaces] = {}
        self.confidence = 0.0
        #: values counted, repeats included: no estimate of distinct values goes past it
        self.seen = 0
        #: (normalized, masked) of the first distinct values in row order, kept only by a scan of a
        #: later part of a file (split_scan.py): the whole file's samples are chosen from them
        self.firsts: list[tuple[str, str]] | None = None

    def add(self, normalized: str, masked_sample, *, confidence: float) -> bool:
        """Count one occurrence; True when the value was not seen before (exactly or in the sketch)."""
        self.seen += 1
        if confidence > self.confidence:
            self.confidence = confidence
        if self._exact is None:
            return self._sketch.admit_one(normalized)
        hashed = hash(normalized)
        if hashed in self._exact:
            return False
        if len(self._exact) >= DISTINCT_CAP:
            self._start_sketch()
            return self._sketch.admit_one(normalized)
        self._exact[hashed] = normalized
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(masked_sample(normalized) if callable(masked_sample) else masked_sample)
        return True

    def add_many(self, values: list[str | None], masker, *, confidence: float) -> None:
        """Count one column chunk: set operations find the new values."""
        gaps = values.count(None)
        self.seen += len(values) - gaps
        if confidence > self.confidence:
            self.confidence = confidence
        if self._exact is None:
            self._sketch.admit(values if not gaps else list(filter(not_none, values)))
            return
        present = [v for v in values if v is not None]
        by_hash = dict(zip(map(hash, present), present, strict=True))
        new = set(by_hash).difference(self._exact)  # by the chunk's size (keys() - keys() goes by the dict's)
        if not new:
            return
        if self.firsts is not None and len(self.firsts) < 2 * MAX_SAMPLES:
            self._note_firsts(present, masker)
        if len(self.samples) < MAX_SAMPLES:  # the first new values in row order
            sampled = set()
            for value in present:
                if len(self.samples) >= MAX_SAMPLES:
                    break
                hashed = hash(value)
                if hashed in new and hashed not in sampled:
                    sampled.add(hashed)
                    self.samples.append(masker(value))
        room = DISTINCT_CAP - len(self._exact)
        if len(new) <= room:
            self._exact.update((hashed, by_hash[hashed]) for hashed in new)
            return
        self._start_sketch()  # past the cap: every distinct value competes for the sketch
        self._sketch.admit([by_hash[hashed] for hashed in new])

    def _note_firsts(self, present: list[str], masker) -> None:
        known = {value for value, _ in self.firsts}
        for value in present:
            if len(self.firsts) >= 2 * MAX_SAMPLES:
                break
            if value not in known:
                known.add(value)
                self.firsts.append((value, masker(value)))

    def export(self) -> dict:
        """What a scan of a later part of the file found, for merge() into the earlier part's."""
        if self._exact is None:
            self._sketch.compact()
        values = list(self._exact.values()) if self._exact is not None else self._sketch.values
        hashes = None if self._exact is not None else self._sketch.digests()
        return {"seen": self.seen, "confidence": self.confidence, "exact": self._exact is not None,
                "values": values, "hashes": hashes, "firsts": self.firsts or [],
                "places": {where: column.ranges for where, column in self.places.items()}}

    def merge(self, later: dict, labels: dict) -> None:
        """Add what a scan of the rows after this one's found (export()), as if counted here.

        Samples: the later part's first distinct values this one has not seen, in row order (a
        scan that had 3 samples has them already). Distinct values: the union, exact up to the
        cap, else the bottom-k of the union (the same k smallest keyed hashes of all values).
        Places: the later ranges added in order (rows only increase: the same ranges as row by row).
        """
        self.seen += later["seen"]
        self.confidence = max(self.confidence, later["confidence"])
        if self._exact is not None:
            for value, masked in later["firsts"]:
                if len(self.samples) >= MAX_SAMPLES:
                    break
                if hash(value) not in self._exact:
                    self.samples.append(masked)
        values, hashes = later["values"], later["hashes"]
        if self._exact is not None and later["exact"]:
            new = {hash(v): v for v in values}
            for hashed in self._exact.keys() & new.keys():
                del new[hashed]
            if len(self._exact) + len(new) <= DISTINCT_CAP:
                self._exact.update(new)
                values = []
            else:
                values = list(new.values())
        if values:
            if self._exact is not None:
                self._start_sketch()
            self._sketch.admit(values, hashes)
            self._sketch.compact()
        for (part, column), ranges in later["places"].items():
            places = self.places.get((part, column))
            if places is None:
                places = self.places[(part, column)] = ColumnPlaces(labels[column])
            for first, last in ranges:
                places.add_range(first, last)

    def _start_sketch(self) -> None:
        values = list(self._exact.values())
        self._exact = None
        self._sketch = Sketch(self._fingerprinter, DISTINCT_CAP, SKETCH_SLACK)
        # reversed: of two values with one hash (never seen in 64 bits), the later one stays
        values.reverse()
        self._sketch.admit(values, self._fingerprinter.order_digests(values))
        self._sketch.compact()

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
        return self._exact is not None

    @property
    def count(self) -> int:
        if self._exact is not None:
            return len(self._exact)
        return min(self._sketch.estimate(), self.seen)

    def where(self) -> list[str]:
        places: list[str] = []
        extra = 0
        for column in self.places.values():
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
        if self._exact is None:
            self._sketch.compact()
        values = self._exact.values() if self._exact is not None else self._sketch.values
        digest, prefix = self._fingerprinter.digest, self._prefix
        fingerprints = sorted(digest(prefix + value.encode()).hex() for value in values)
        return Finding(type=self.type, count=self.count, confidence=round(self.confidence, 2),
                       where=self.where(), samples=list(self.samples), fingerprints=fingerprints,
                       count_exact=self.exact)
