"""The held-out corpus: leaks and harmless look-alikes in shapes the other corpora do not use.

Contract (the same as tests/realworld's):
- `generate_heldout(out, seed=29, scale=1.0)` writes every file into `out` and returns their
  `tests.corpus.truth.CorpusFile`s (each also carries `rendered`: the identifiers as written,
  for the self-check in test_heldout_corpus.py; never printed).
- `heldout_names()` lists the file names without keeping anything written.
- Deterministic: each file is seeded by the corpus seed and its own name, so adding a file changes
  no other; files saved by openpyxl, python-pptx or odfpy carry the time of saving.
- Made apart from the scanner: nothing here imports or reads `bot/`, nor the other corpora's
  generators; names come from Faker locales and the short lists in people.py.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from tests.corpus.truth import CorpusFile
from tests.heldout import leaks_data, leaks_docs, leaks_sheets, lookalikes
from tests.heldout.kit import Ctx

DEFAULT_SEED = 29
MAKERS = [*leaks_sheets.MAKERS, *leaks_docs.MAKERS, *leaks_data.MAKERS, *lookalikes.MAKERS]


def generate_heldout(out_dir: Path, seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[CorpusFile]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(out=out_dir, seed=seed, scale=scale)
    entries = [make(ctx) for make in MAKERS]
    names = [e.name for e in entries]
    if len(names) != len(set(names)):
        raise ValueError("two held-out files share a name")
    return entries


@functools.cache
def heldout_names() -> tuple[str, ...]:
    """File names in corpus order (generated once at the smallest scale into a scratch folder)."""
    with tempfile.TemporaryDirectory(prefix="heldout-names-") as tmp:
        return tuple(e.name for e in generate_heldout(Path(tmp), scale=0.05))
