"""What every real-world corpus maker shares: the context it writes with, and ground-truth helpers.

Contract: a maker is `def make(ctx: Ctx) -> CorpusFile`; it draws its people and randomness only
from `ctx.crowd(name)` / `ctx.rng(name)`, seeded by (corpus seed, file name), so one file's content
does not depend on which other files exist. `truth_ids()` builds the identifier ground truth from
people (normalized values only); nothing here prints a value.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.corpus.truth import CorpusFile
from tests.realworld.people import Crowd, Person, rows

#: Person attribute holding each identifier type's normalized value
FIELD = {"A_NUMBER": "a_number", "SSN": "ssn", "ITIN": "itin", "EMAIL": "email", "PHONE": "phone",
         "PASSPORT": "passport", "CREDIT_CARD": "card", "IBAN": "iban"}


@dataclass
class Ctx:
    out: Path
    seed: int
    scale: float

    def crowd(self, name: str) -> Crowd:
        return Crowd(zlib.crc32(f"{self.seed}/{name}/people".encode()))

    def rng(self, name: str) -> random.Random:
        return random.Random(zlib.crc32(f"{self.seed}/{name}/rng".encode()))

    def n(self, nominal: int, floor: int = 20) -> int:
        return rows(nominal, self.scale, floor)

    def path(self, name: str) -> Path:
        return self.out / name


Maker = Callable[[Ctx], CorpusFile]


def truth_ids(people: list[Person], *types: str, phone_field: str = "phone") -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for kind in types:
        attr = phone_field if kind == "PHONE" else FIELD[kind]
        out[kind] = {getattr(p, attr) for p in people}
    return out


def with_kinds(entry: CorpusFile, *kinds: str) -> CorpusFile:
    """Other report `kind` names that are right for these bytes (the contract's list is open)."""
    entry.kinds |= set(kinds)
    return entry


#: the report kinds accepted per corpus format (the contract names some; readers being written may
#: name the container or its content)
KINDS = {
    "xls": ("xls", "excel"), "ods": ("ods", "opendocument"), "odt": ("odt", "opendocument"),
    "docx": ("docx", "word"), "pptx": ("pptx", "powerpoint"), "eml": ("eml", "email", "message", "mime"),
    "mbox": ("mbox", "email"), "gz": ("gzip", "gz", "csv"), "bz2": ("bzip2", "bz2", "csv"),
    "xz": ("xz", "csv"), "tar": ("tar", "folder"), "tgz": ("tar", "gzip", "tgz", "tar.gz", "folder"),
    "zip": ("zip",), "sql": ("sql", "text"), "xml": ("xml",), "html": ("html",), "pdf": ("pdf",),
    "xlsx": ("xlsx",), "doc": ("doc", "unsupported", "ole", "cfb"), "text": ("text", "python", "javascript", "code"),
    "csv": ("csv",),
}


def kinds_for(entry: CorpusFile) -> CorpusFile:
    return with_kinds(entry, *KINDS.get(entry.format, (entry.format,)))
