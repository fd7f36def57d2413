"""Keyed hashing of found values, and the bottom-k sketch that bounds their memory.

- `Fingerprinter(key)`: `digest(message)` is exactly report.fingerprint()'s HMAC-SHA256 at about
  half the cost; `order_digests(values)` the sketch order, a 64-bit BLAKE2s keyed from the
  fingerprint key (a random key, report.process_key, orders by a fixed public key instead), the
  same in every process.
- `Sketch(fingerprinter, k, slack)`: the KMV sketch findings.TypeAccumulator turns into past
  DISTINCT_CAP distinct values of a type (k = DISTINCT_CAP, slack = SKETCH_SLACK there): it keeps
  the k values with the smallest order hashes, a uniform sample of all distinct values, and `estimate()`s their number as (k - 1) / (k-th
  smallest hash / 2^64). The order depends only on the key and the values, so two scans of one
  file with one key keep the same sample.
"""

from __future__ import annotations

import hashlib

from bot.scan.report import EPHEMERAL_PREFIX

_HASH_SPACE = 1 << 64
#: in the sketch, a chunk's distinct values are found first while chunks repeat more than this
#: share of their values, checked every REPEAT_CHECK-th chunk (else each value is hashed)
RARE_REPEATS = 0.1
REPEAT_CHECK = 16


class Fingerprinter:
    """HMAC-SHA256 with the key's inner and outer pads hashed once (RFC 2104), then copied.

    Gives exactly report.fingerprint()'s digest at about half the cost of hmac.digest(), which
    re-derives the pads on every call; a test keeps the two equal. Also holds the sketch order's
    keyed hash (BLAKE2s with a key derived from the fingerprint key, 64 bits).
    """

    def __init__(self, key: bytes):
        # a random key would make every run keep another sample and another estimate
        order_key = b"leakwatch public order" if key.startswith(EPHEMERAL_PREFIX.encode()) else key
        self.order = hashlib.blake2s(digest_size=8, key=hashlib.sha256(b"leakwatch sketch order:" + order_key).digest())
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

    def order_digests(self, values) -> list[bytes]:
        """The sketch order of each value, a keyed 64-bit hash the same in every process, as its
        8-byte big-endian digest (numpy reads them as the integers they are)."""
        copy = self.order.copy
        digests = []
        append = digests.append
        for value in values:
            state = copy()
            state.update(value.encode())
            append(state.digest())
        return digests


class Sketch:
    """The bottom-k (KMV) of the keyed order hashes: the k smallest, and their values.

    A value gets in when its hash is under the threshold, the k-th smallest kept at the last
    compaction, and is appended; past k + slack values a compaction keeps the k smallest
    distinct hashes (numpy's stable unique: a hash met twice keeps the value it came with first)
    and the k-th becomes the threshold: the same k values as a heap, at C speed. numpy is
    imported here: only scans past k distinct values of a type pay for it.
    """

    def __init__(self, fingerprinter: Fingerprinter, k: int, slack: int):
        import numpy  # noqa: PLC0415

        self._np, self._fingerprinter = numpy, fingerprinter
        self.k, self.slack = k, slack
        #: kept at the last compaction: hashes ascending (numpy uint64) and their values (a tuple
        #: of strings, which the garbage collector stops walking, unlike a list)
        self.hashes = numpy.empty(0, dtype=numpy.uint64)
        self.values: tuple[str, ...] = ()
        #: got in since (unordered, maybe twice)
        self._digests: list[bytes] = []
        self._values: list[str] = []
        self.threshold = _HASH_SPACE
        self._bound = None  # the threshold as a numpy uint64, None while everything gets in
        self._calls, self._dedupe = 0, True

    def admit(self, values: list[str], digests: list[bytes] | None = None) -> None:
        """Values in (repeats too: hashed once each while calls repeat values, else each one is
        hashed, cheaper than finding the distinct ones; the compaction drops repeated hashes)."""
        if digests is None:
            self._calls += 1
            if self._dedupe or self._calls % REPEAT_CHECK == 0:
                distinct = list(dict.fromkeys(values))
                self._dedupe = len(distinct) < len(values) * (1 - RARE_REPEATS)
                values = distinct
            digests = self._fingerprinter.order_digests(values)
        if self._bound is not None:  # the few under the threshold
            np = self._np
            under = np.flatnonzero(np.frombuffer(b"".join(digests), dtype=">u8") < self._bound).tolist()
            digests, values = list(map(digests.__getitem__, under)), list(map(values.__getitem__, under))
        self._digests += digests
        self._values += values
        if len(self.values) + len(self._values) >= self.k + self.slack:
            self.compact()

    def admit_one(self, value: str) -> bool:
        """admit() of one value: True when it got in and was not kept yet."""
        digest = self._fingerprinter.order_digests([value])[0]
        hashed = int.from_bytes(digest, "big")
        if hashed >= self.threshold or digest in self._digests:
            return False
        at = int(self._np.searchsorted(self.hashes, self._np.uint64(hashed)))
        if at < len(self.hashes) and int(self.hashes[at]) == hashed:
            return False
        self.admit([value], [digest])
        return True

    def compact(self) -> None:
        if not self._digests:
            return
        np = self._np
        hashes = np.concatenate((self.hashes, np.frombuffer(b"".join(self._digests), dtype=">u8").astype(np.uint64)))
        hashes, first = np.unique(hashes, return_index=True)
        values = self.values + tuple(self._values)
        self.hashes = hashes[:self.k]
        self.values = tuple(map(values.__getitem__, first[:self.k].tolist()))
        self._digests, self._values = [], []
        if len(self.hashes) < self.k:
            self.threshold, self._bound = _HASH_SPACE, None
        else:
            self.threshold, self._bound = int(self.hashes[-1]), self.hashes[-1]

    def digests(self) -> list[bytes]:
        """The kept hashes as digests (export), after compact()."""
        raw = self.hashes.astype(">u8").tobytes()
        return [raw[at:at + 8] for at in range(0, len(raw), 8)]

    def estimate(self) -> int:
        """How many distinct values were admitted: exact while fewer than k are kept, else
        (k - 1) / (the k-th smallest hash read as a fraction of the 64-bit space)."""
        self.compact()
        kept = len(self.values)
        return max(kept, round((kept - 1) / ((self.threshold + 1) / _HASH_SPACE)))
