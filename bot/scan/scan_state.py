"""What one analysis accumulates while it reads a document's parts: the state analyze.py and
analyze_text.py share, and how a part is named in reasons.

Holds no raw value outside the per-type accumulators (findings.py), which keep distinct values in
memory only until the findings are fingerprinted.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.scan.findings import TypeAccumulator
from bot.scan.limits import Deadline
from bot.scan.model import Table, TextBlock
from bot.scan.people import PeopleCounter
from bot.scan.severity import PartProfile
from bot.scan.sketch import Fingerprinter


@dataclass
class ScanState:
    key: bytes
    deadline: Deadline
    accumulators: dict[str, TypeAccumulator] = field(default_factory=dict)
    people: PeopleCounter = field(default_factory=PeopleCounter)
    #: type -> values in prose left uncounted for want of a word saying what they are
    unlabelled: Counter = field(default_factory=Counter)
    profiles: list[PartProfile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cells: int = 0
    #: accumulators keep their first distinct values (the scan of a later part of a file)
    keep_firsts: bool = False

    def __post_init__(self) -> None:
        self.fingerprinter = Fingerprinter(self.key)

    def accumulator(self, type_name: str) -> TypeAccumulator:
        acc = self.accumulators.get(type_name)
        if acc is None:
            acc = self.accumulators[type_name] = TypeAccumulator(type_name, self.fingerprinter)
            if self.keep_firsts:
                acc.firsts = []
        return acc


def part_label(part: Table | TextBlock) -> str:
    prefix = f"{part.container} › " if part.container else ""
    if isinstance(part, Table) and part.style == "sheet":
        return f'{prefix}sheet "{part.name}"'
    return f"{prefix}{part.name}" if part.name else f"{prefix}the text"
