"""What every held-out maker shares: the run context, one file's generators, and truth building.

A maker is `make(ctx) -> CorpusFile`. It calls `ctx.file(name)` for a `Sheet` of tools seeded by
the corpus seed and the file name (so adding a file changes no other), writes the file, and
returns `sheet.leak(...)` or `sheet.lookalike(...)` / `sheet.contacts_only(...)`. The written
forms of the identifiers ride along on the entry as `entry.rendered` (type -> written strings),
for the self-check; they are never printed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.truth import CorpusFile, leak, lookalike
from tests.heldout.ids import Tally
from tests.heldout.people import People

#: report `kind` values that are right for each format's bytes (a TSV is a CSV with tabs, a SQL
#: dump or a config file is text, an .eml/.mbox is e-mail)
KINDS = {"tsv": {"csv", "tsv", "text"}, "sql": {"text", "sql"}, "text": {"text"}, "eml": {"eml", "email"},
         "mbox": {"mbox", "email"}, "tar": {"tar", "gz", "gzip", "tgz"}, "gz": {"gz", "gzip", "csv"},
         "xml": {"xml"}, "xls": {"xls"}, "ods": {"ods"}, "docx": {"docx"}, "pptx": {"pptx"}}


@dataclass
class Ctx:
    out: Path
    seed: int
    scale: float

    def n(self, base: int, floor: int = 3) -> int:
        return max(floor, round(base * self.scale))

    def file(self, name: str) -> Sheet:
        digest = hashlib.sha256(f"{self.seed}:{name}".encode()).digest()
        return Sheet(self.out / name, random.Random(int.from_bytes(digest[:8], "big")))


class Sheet:
    """One corpus file in the making."""

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.path = path
        self.rng = rng
        self.people = People(rng)
        self.tally = Tally()
        path.parent.mkdir(parents=True, exist_ok=True)

    def add(self, kind: str, rendered: str) -> str:
        return self.tally.add(kind, rendered)

    def _finish(self, entry: CorpusFile) -> CorpusFile:
        entry.rendered = {kind: sorted(forms) for kind, forms in self.tally.rendered.items()}
        entry.kinds = entry.kinds | KINDS.get(entry.format, set())
        return entry

    def leak(self, fmt: str, *, people: int, expected: set[str], what: str, forbidden: set[str] = frozenset(),
             min_severity: str = "high", max_severity: str = "critical") -> CorpusFile:
        return self._finish(leak(self.path, fmt, people=people, expected=expected, identifiers=self.tally.truth(),
                                 what=what, forbidden=forbidden, min_severity=min_severity,
                                 max_severity=max_severity))

    def lookalike(self, fmt: str, *, what: str, forbidden: set[str], max_severity: str = "low",
                  max_people: int = 0) -> CorpusFile:
        entry = lookalike(self.path, fmt, what=what, forbidden=forbidden, max_severity=max_severity)
        entry.max_people = max_people
        entry.identifiers = self.tally.truth()
        return self._finish(entry)

    def contacts_only(self, fmt: str, *, people: int, what: str, forbidden: set[str] = frozenset()) -> CorpusFile:
        """Named people with contact details only: counted, at most medium, never an incident."""
        entry = CorpusFile(path=self.path, format=fmt, is_leak=False, expected_types=set(), people=people,
                           identifiers=self.tally.truth(), forbidden_types=set(forbidden), min_severity="low",
                           max_severity="medium", max_people=people, what=what)
        return self._finish(entry)
