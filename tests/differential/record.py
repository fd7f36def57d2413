"""Write the differential goldens with the engine in this checkout (run once, before a change).

    PYTHONPATH=. python -m tests.differential.record [synthetic realworld heldout sentences million]

`sketch` (55,000 rows: past the 50,000 exact values, so the keyed sketch is compared too) and
`million` scan the people CSV of tests/differential/bigfile.py, made in a temporary folder, in
this process with no time or size limit; the canonical report holds counts, places, masked
samples and fingerprint digests only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.differential import BIG, dump, scan_corpus, scan_sentences

ALL = ("synthetic", "realworld", "heldout", "sentences", "sketch", "million")


def scan_big(folder: Path, rows: int) -> dict:
    from tests.differential import scan_bigfile

    return {f"people-{rows}.csv": scan_bigfile(folder, rows)}


def main(names: list[str]) -> None:
    for name in names or ALL:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory(prefix=f"golden-{name}-") as tmp:
            if name == "sentences":
                results = scan_sentences()
            elif name in BIG:
                results = scan_big(Path(tmp), BIG[name])
            else:
                results = scan_corpus(name, Path(tmp))
        dump(name, results)
        print(f"{name}: {len(results)} reports in {time.perf_counter() - started:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
