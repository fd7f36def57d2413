"""analyze(document) -> Analysis: what types, how many people, how bad.

Tables are read as tables: the first rows are buffered, every column is classified once
(columns.py), and then each value is checked only by its column's detector (the fast path: no
per-cell regex over all detectors). Columns classified as free text, and TextBlocks, go through
the prose scanner (prose.py). Attributes (nationality, custody location, address) are reported
only in tables that identify people, so statistics by country or facility expose no one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.scan.columns import SAMPLE_SIZE, ColumnPlan, TablePlan, classify_table
from bot.scan.detectors import REGISTRY
from bot.scan.detectors.base import cell_text
from bot.scan.detectors.date_of_birth import DateOrder, parse_unambiguous, split_numeric
from bot.scan.findings import TypeAccumulator
from bot.scan.limits import Deadline
from bot.scan.model import Document, Table, TextBlock
from bot.scan.people import PeopleCounter, key_rank
from bot.scan.prose import ProseScanner
from bot.scan.report import Finding
from bot.scan.severity import PartProfile, judge

#: rows between two deadline checks
CHECK_EVERY = 2000
#: a person table is one with at least one of these (attributes alone identify no one)
_NAME_ROLES = ("first", "middle", "last")
_SPANISH_HINTS = ("fecha", "nacimiento", "nac")


@dataclass
class Analysis:
    findings: list[Finding]
    records_affected: int
    severity: str
    reasons: list[str]
    cells: int


class _DobColumn:
    """Birth dates of one column; ambiguous numeric dates wait until the column says its order."""

    def __init__(self, header: str):
        self.order = DateOrder(day_first_default=any(h in header.split() for h in _SPANISH_HINTS))
        #: (row, first, second, year) seen before the order was settled: small ints, not text
        self.pending: list[tuple[int, int, int, int]] = []

    def parse(self, cell, row: int) -> str | None | bool:
        """ISO date, None, or True when the value is a date whose order is not settled yet."""
        if isinstance(cell, datetime | date):
            return REGISTRY["DATE_OF_BIRTH"].parse_cell(cell, context=True)
        text = cell_text(cell)
        if not text:
            return None
        found = parse_unambiguous(text)
        if found:
            return found
        parts = split_numeric(text)
        if not parts:
            return None
        first, second, year = parts
        self.order.observe(first, second)
        if self.order.settled:
            return self.order.resolve(first, second, year)
        self.pending.append((row, first, second, year))
        return True

    def drain(self) -> list[tuple[int, str]]:
        drained = []
        for row, first, second, year in self.pending:
            iso = self.order.resolve(first, second, year)
            if iso:
                drained.append((row, iso))
        self.pending = []
        return drained


@dataclass
class _Active:
    plan: ColumnPlan
    confidence: float
    label: object
    dob: _DobColumn | None = None


@dataclass
class _State:
    key: bytes
    deadline: Deadline
    accumulators: dict[str, TypeAccumulator] = field(default_factory=dict)
    people: PeopleCounter = field(default_factory=PeopleCounter)
    profiles: list[PartProfile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cells: int = 0

    def accumulator(self, type_name: str) -> TypeAccumulator:
        acc = self.accumulators.get(type_name)
        if acc is None:
            acc = self.accumulators[type_name] = TypeAccumulator(type_name, self.key)
        return acc


def analyze(document: Document, *, key: bytes, deadline: Deadline) -> Analysis:
    state = _State(key=key, deadline=deadline)
    prose = ProseScanner()
    for index, part in enumerate(document.parts):
        if isinstance(part, Table):
            _table(state, prose, index, part)
        elif isinstance(part, TextBlock):
            _text(state, prose, index, part)
    severity, reasons = judge(state.profiles)
    if severity == "none":
        reasons = state.notes[:5] or ["No personal data about a particular person was found."]
    order = {name: rank for rank, name in enumerate(REGISTRY)}
    findings = [acc.finding() for acc in sorted(state.accumulators.values(), key=lambda a: order.get(a.type, 99))]
    records = state.people.count if any(p.people for p in state.profiles) else 0
    return Analysis(findings=findings, records_affected=records, severity=severity, reasons=reasons,
                    cells=state.cells)


def _part_label(part: Table | TextBlock) -> str:
    prefix = f"{part.container} › " if part.container else ""
    if isinstance(part, Table) and part.style == "sheet":
        return f'{prefix}sheet "{part.name}"'
    return f"{prefix}{part.name}" if part.name else f"{prefix}the text"


# --- tables ---------------------------------------------------------------------------------------


def _table(state: _State, prose: ProseScanner, part_index: int, table: Table) -> None:
    buffered: list[tuple[int, list]] = []
    rows = iter(table.rows)
    for row in rows:
        buffered.append(row)
        if len(buffered) >= SAMPLE_SIZE:
            break
    if not buffered:
        return
    plan = classify_table(table.header, [cells for _, cells in buffered], column_keys=table.column_keys)
    active, text_columns, identifies = _activate(plan, table)
    profile = PartProfile(where=_part_label(table))
    if plan.organisation or not identifies:
        what = "an organisation's directory" if plan.organisation else "no column that identifies a person"
        state.notes.append(f"{profile.where}: {what}; not counted as personal data.")
        active = []
    if not active and not text_columns:
        state.cells += sum(len(cells) for _, cells in buffered)
        for _, cells in rows:
            state.cells += len(cells)
        return
    state.profiles.append(profile)
    scanner = _RowScanner(state, prose, part_index, table, plan, active, text_columns, profile)
    for row_number, cells in buffered:
        scanner.row(row_number, cells)
    scanner.run(rows)
    scanner.finish()


def _activate(plan: TablePlan, table: Table) -> tuple[list[_Active], list[ColumnPlan], bool]:
    active: list[_Active] = []
    text_columns: list[ColumnPlan] = []
    identifies = False
    for column in plan.columns:
        if column.role == "text":
            text_columns.append(column)
            continue
        if column.role is None or not column.detectors:
            continue
        if column.org_contact:
            continue
        first = column.detectors[0]
        if column.role in _NAME_ROLES or any(d.identifies_person for d in column.detectors):
            identifies = True
        base = max(d.confidence for d in column.detectors)
        confidence = base * (0.75 + 0.25 * column.hit_rate) if column.context else base * 0.9 * column.hit_rate
        dob = _DobColumn(column.header) if first.type == "DATE_OF_BIRTH" else None
        col = column.index
        active.append(_Active(column, round(confidence, 2), lambda a, b, col=col: table.where(col, a, b), dob))
    return active, text_columns, identifies


class _RowScanner:
    """The fast path: each value of a classified column goes to that column's detectors only."""

    def __init__(self, state: _State, prose: ProseScanner, part_index: int, table: Table, plan: TablePlan,
                 active: list[_Active], text_columns: list[ColumnPlan], profile: PartProfile):
        self.state, self.prose, self.part_index, self.table = state, prose, part_index, table
        self.profile = profile
        self.values = [a for a in active if a.plan.role == "value"]
        self.name_parts = sorted((a for a in active if a.plan.role in _NAME_ROLES),
                                 key=lambda a: _NAME_ROLES.index(a.plan.role))
        self.text_columns = text_columns
        self.dob_columns = [a for a in self.values if a.dob is not None]
        self.name_detector = REGISTRY["PERSON_NAME"]
        self.name_label = None
        if self.name_parts:
            col = self.name_parts[0].plan.index
            self.name_label = lambda a, b, col=col: table.where(col, a, b)
        self.people_in_table = 0
        self.pending_rows: dict[int, object] = {}

    def run(self, rows) -> None:
        check = self.state.deadline.check
        count = 0
        for row_number, cells in rows:
            self.row(row_number, cells)
            count += 1
            if count >= CHECK_EVERY:
                count = 0
                check("Scanning the file")

    def row(self, row_number: int, cells: list) -> None:
        state = self.state
        state.cells += len(cells)
        width = len(cells)
        best_key = None
        best_rank = 1 << 30
        personal = False
        values_seen = []
        for active in self.values:
            index = active.plan.index
            if index >= width:
                continue
            cell = cells[index]
            if cell is None or cell == "":
                continue
            if active.dob is not None:
                found = active.dob.parse(cell, row_number)
                if found is True:
                    personal = True
                    continue
                if not found:
                    continue
                detector = REGISTRY["DATE_OF_BIRTH"]
                normalized = found
            else:
                normalized = None
                for detector in active.plan.detectors:
                    normalized = detector.parse_cell(cell, context=active.plan.context)
                    if normalized is not None:
                        break
                if normalized is None:
                    continue
            type_name = detector.type
            self._record(type_name, normalized, active.confidence, index, row_number, active.label)
            if detector.identifies_person or type_name == "DATE_OF_BIRTH":
                personal = True
                values_seen.append(normalized)
                rank = key_rank(type_name)
                if rank < best_rank:
                    best_rank, best_key = rank, (type_name, normalized)
        if self.name_parts:
            pieces = []
            for active in self.name_parts:
                index = active.plan.index
                if index < width and cells[index] not in (None, ""):
                    text = cell_text(cells[index])
                    if text and text.strip():
                        pieces.append(text.strip())
            if pieces:
                normalized = self.name_detector.parse(" ".join(pieces), context=True)
                if normalized:
                    self._record("PERSON_NAME", normalized, self.name_parts[0].confidence,
                                 self.name_parts[0].plan.index, row_number, self.name_label)
                    personal = True
                    values_seen.append(normalized)
        if not personal and self.text_columns:
            personal = self._text_cells(row_number, cells)
        elif self.text_columns:
            self._text_cells(row_number, cells)
        if personal:
            self.people_in_table += 1
            key = best_key if best_key is not None else tuple(values_seen) or ("row", self.part_index, row_number)
            state.people.add(key)

    def _record(self, type_name, normalized, confidence, column, row_number, label) -> None:
        acc = self.state.accumulator(type_name)
        acc.add(normalized, REGISTRY[type_name].mask_normalized, confidence=confidence)
        acc.place(self.part_index, column, row_number, label)
        self.profile.types.add(type_name)

    def _text_cells(self, row_number: int, cells: list) -> bool:
        personal = False
        for column in self.text_columns:
            if column.index >= len(cells):
                continue
            text = cell_text(cells[column.index])
            if not text:
                continue
            result = self.prose.scan(text, extra_context=column.header)
            label = lambda a, b, col=column.index: self.table.where(col, a, b)  # noqa: E731
            for hit in result.hits:
                self._record(hit.type, hit.normalized, hit.confidence, column.index, row_number, label)
            if result.people:
                personal = True
        return personal

    def finish(self) -> None:
        for active in self.dob_columns:
            for row_number, iso in active.dob.drain():
                self._record("DATE_OF_BIRTH", iso, active.confidence, active.plan.index, row_number, active.label)
        self.profile.people = self.people_in_table


# --- prose ----------------------------------------------------------------------------------------


def _text(state: _State, prose: ProseScanner, part_index: int, block: TextBlock) -> None:
    profile = PartProfile(where=_part_label(block))
    label = block.where
    previous = ""
    pending: tuple[int, str] | None = None
    count = 0

    def handle(number: int, line: str, before: str, after: str) -> None:
        result = prose.scan(line, before=before[-80:], after=after[:80])
        state.cells += 1
        if not result.hits:
            return
        for hit in result.hits:
            acc = state.accumulator(hit.type)
            acc.add(hit.normalized, hit.masked, confidence=hit.confidence)
            acc.place(part_index, -1, number, label)
        if result.people:
            profile.types.update(h.type for h in result.hits)
            for person in result.people:
                state.people.add(person)
            profile.people += len(result.people)
        else:
            profile.types.update(h.type for h in result.hits if h.type in ("EMAIL", "PHONE", "IP_ADDRESS"))

    for number, line in block.lines:
        if pending is not None:
            handle(pending[0], pending[1], previous, line)
            previous = pending[1]
        pending = (number, line)
        count += 1
        if count >= CHECK_EVERY:
            count = 0
            state.deadline.check("Scanning the text")
    if pending is not None:
        handle(pending[0], pending[1], previous, "")
    if profile.types:
        state.profiles.append(profile)
