"""The real-world corpus: leak-shaped and harmless files in the formats an office produces, with truth.

Contract:
- `generate_realworld(out, seed=11, scale=1.0)` writes every generated file into `out` and returns
  their `tests.corpus.truth.CorpusFile`s, then appends the files LibreOffice produced (committed under
  `tests/realworld/files/`, their truth rebuilt in memory from the seed recorded beside them).
- `realworld_names()` lists the file names without writing anything (for test parametrization).
- Deterministic: the same seed and scale give the same truth and, for the hand-written formats,
  the same bytes (files saved by openpyxl or python-pptx carry the time of saving); each file is
  seeded by its own name, so adding a file changes no other.
- Made apart from the scanner: nothing here imports or reads `bot/`; names come from Faker locales
  (and a short Haitian list in people.py), not from tests/corpus/names.py.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from tests.corpus.truth import CorpusFile
from tests.realworld import leaks_data, leaks_docs, leaks_sheets, libre, lookalikes
from tests.realworld.kit import Ctx, kinds_for

DEFAULT_SEED = 11
MAKERS = [*leaks_sheets.MAKERS, *leaks_docs.MAKERS, *leaks_data.MAKERS, *lookalikes.MAKERS]


def generate_realworld(out: Path, seed: int = DEFAULT_SEED, scale: float = 1.0) -> list[CorpusFile]:
    out.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(out=out, seed=seed, scale=scale)
    entries = [kinds_for(make(ctx)) for make in MAKERS]
    entries += [kinds_for(entry) for entry in libre.committed_entries()]
    names = [e.name for e in entries]
    if len(names) != len(set(names)):
        raise ValueError("two corpus files share a name")
    return entries


def realworld_names(partly_read_only: bool = False) -> list[str]:
    """File names in corpus order (generated once at the smallest scale into a scratch folder);
    with `partly_read_only`, just the files marked `expect_incomplete`."""
    return [name for name, incomplete in _index() if incomplete or not partly_read_only]


@functools.cache
def _index() -> tuple[tuple[str, bool], ...]:
    with tempfile.TemporaryDirectory(prefix="rw-names-") as tmp:
        return tuple((e.name, e.expect_incomplete) for e in generate_realworld(Path(tmp), scale=0.05))
