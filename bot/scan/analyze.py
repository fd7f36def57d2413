"""analyze(document) -> Analysis: what types, how many people, how bad.

Tables are read as tables: the first rows are buffered, every column is classified once
(columns.py), and then each value is checked only by its column's detector (the fast path: no
per-cell regex over all detectors). Columns classified as free text, and TextBlocks, go through
the prose scanner (prose.py). Attributes (nationality, custody location, address) are reported
only in tables that identify people, so statistics by country or facility expose no one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import chain, compress, count, islice, repeat
from operator import is_, itemgetter

from bot.scan import split_scan
from bot.scan.analyze_text import read_text, table_as_prose, unlabelled_reasons
from bot.scan.column_parse import forget, parse_columns
from bot.scan.columns import (
    SAMPLE_SIZE,
    ColumnPlan,
    TablePlan,
    classify_table,
)
from bot.scan.detectors import REGISTRY, types_where
from bot.scan.detectors.base import cell_text
from bot.scan.dob_column import DobColumn
from bot.scan.findings import not_none
from bot.scan.header_rows import broken_header, find_inner_header
from bot.scan.limits import Deadline
from bot.scan.model import Document, Table, TextBlock
from bot.scan.parse_ahead import ParseAhead
from bot.scan.parse_ahead import available as parse_ahead_available
from bot.scan.people import KEY_ORDER, key_rank
from bot.scan.prose import ProseScanner
from bot.scan.report import Finding
from bot.scan.scan_state import ScanState, part_label
from bot.scan.severity import PartProfile, judge

#: rows handled together on the table fast path
CHUNK_ROWS = 2048
#: roles of the columns that hold parts of one name (joined per row into one PERSON_NAME)
_NAME_ROLES = ("first", "middle", "last")
#: one id per table scanned in this process (parse_ahead.py keeps its parsers by it)
_TABLE_IDS = count()
#: a row's line number and its cells
_FIRST, _SECOND = itemgetter(0), itemgetter(1)


@dataclass
class Analysis:
    findings: list[Finding]
    records_affected: int
    severity: str
    reasons: list[str]
    cells: int


_MEMO_TYPES = types_where(lambda d: d.repeats)


@dataclass
class _Active:
    plan: ColumnPlan
    confidence: float
    label: object
    #: repeated values of this one-detector attribute column are parsed once (column_parse.py)
    memoized: bool = False
    dob: DobColumn | None = None


def analyze(document: Document, *, key: bytes, deadline: Deadline, parallel: bool = False) -> Analysis:
    """`parallel`: parse tables' columns a chunk ahead in a second process (parse_ahead.py)."""
    state = ScanState(key=key, deadline=deadline)
    prose = ProseScanner()
    ahead = ParseAhead() if parallel and parse_ahead_available() else None
    try:
        for index, part in enumerate(document.parts):
            if isinstance(part, Table):
                _table(state, prose, index, part, ahead)
            elif isinstance(part, TextBlock):
                read_text(state, prose, index, part)
    finally:
        if ahead is not None:
            ahead.close()
    return _conclude(state)


def _conclude(state: ScanState) -> Analysis:
    records = state.people.count if any(p.people for p in state.profiles) else 0
    peopled = [p for p in state.profiles if p.people]
    if len(peopled) == 1:  # one part about people: its reason says the report's number of people
        peopled[0].people = records
    severity, reasons = judge(state.profiles)
    if severity == "none":
        reasons = state.notes[:5] or ["No personal data about a particular person was found."]
    reasons = reasons + unlabelled_reasons(state.unlabelled)
    order = {name: rank for rank, name in enumerate(REGISTRY)}
    findings = [acc.finding() for acc in sorted(state.accumulators.values(), key=lambda a: order.get(a.type, 99))]
    return Analysis(findings=findings, records_affected=records, severity=severity, reasons=reasons,
                    cells=state.cells)


# --- tables ---------------------------------------------------------------------------------------


def _table(state: ScanState, prose: ProseScanner, part_index: int, table: Table, ahead: ParseAhead | None = None) -> None:
    rows = iter(table.rows)
    buffered = list(islice(rows, SAMPLE_SIZE))
    if not buffered:
        return
    plan = classify_table(table.header, [cells for _, cells in buffered], column_keys=table.column_keys)
    active, text_columns, identifies = _activate(plan, table)
    profile = PartProfile(where=part_label(table))
    if not identifies and not plan.organisation:
        inner = find_inner_header([cells for _, cells in buffered[:-1]])
        if inner is not None:  # a second table under its own header further down the sheet
            state.cells += sum(len(cells) for _, cells in buffered[:inner + 1])
            header_row, header_cells = buffered[inner]
            below = replace(table, header=[cell_text(c) or "" for c in header_cells], header_row=header_row,
                            column_keys=None, rows=chain(buffered[inner + 1:], rows))
            _table(state, prose, part_index, below, ahead)
            return
        if broken_header(plan) or plan.headerless:
            # text lines split into cells (a fixed-width listing read as CSV, a list of "Name, A#
            # ..., phone ..." lines) where no column is one type: read them as lines
            table_as_prose(state, prose, part_index, table, chain(buffered, rows))
            return
    if plan.organisation or not identifies:
        what = "an organisation's directory" if plan.organisation else "no column that identifies a person"
        state.notes.append(f"{profile.where}: {what}; not counted as personal data.")
        active = []
    if not active and not text_columns:
        state.cells += sum(len(cells) for _, cells in buffered) + sum(len(cells) for _, cells in rows)
        return
    state.profiles.append(profile)
    scanner = _TableScanner(state, prose, part_index, table, active, text_columns, profile)
    child = None
    try:
        scanner.chunk(buffered)
        # a large local file: its second half scanned by a forked child meanwhile (split_scan.py)
        child = split_scan.start(table, scanner, len(buffered), CHUNK_ROWS)
        if child is not None:
            ahead = None  # both cores are busy already
        waiting = None  # (rows, columns, parse future) of the chunk the worker is parsing
        while True:
            chunk = list(islice(rows, CHUNK_ROWS))
            if ahead is None or not chunk:
                if waiting is not None:  # the last chunk sent ahead
                    scanner.chunk(waiting[0], ahead.result(waiting[2], scanner.spec, waiting[1]))
                    waiting = None
                if not chunk:
                    break
                scanner.chunk(chunk)
            else:
                columns = scanner.columns_of(chunk)
                sent = (chunk, columns, ahead.submit(scanner.spec, columns))
                if waiting is not None:  # counted here while the worker parses the next chunk
                    scanner.chunk(waiting[0], ahead.result(waiting[2], scanner.spec, waiting[1]))
                waiting = sent
            state.deadline.check("Scanning the file")
            if child is not None:
                child.watch(state.people)
        if child is not None:
            child.finish(scanner, table.source[1], CHUNK_ROWS)
        scanner.finish()
    finally:
        if child is not None:
            child.abandon()  # only when the scan stopped before merging it
        forget(scanner.spec[0])


def _activate(plan: TablePlan, table: Table) -> tuple[list[_Active], list[ColumnPlan], bool]:
    active: list[_Active] = []
    text_columns: list[ColumnPlan] = []
    identifies = False
    for column in plan.columns:
        if column.role == "text":
            text_columns.append(column)
            continue
        if column.role is None or not column.detectors or column.org_contact:
            continue
        first = column.detectors[0]
        if column.role in _NAME_ROLES or any(d.identifies_person for d in column.detectors):
            identifies = True
        base = max(d.confidence for d in column.detectors)
        confidence = base * (0.75 + 0.25 * column.hit_rate) if column.context else base * 0.9 * column.hit_rate
        memoized = first.type in _MEMO_TYPES and len(column.detectors) == 1
        dob = DobColumn(column.header) if first.type == "DATE_OF_BIRTH" else None
        col = column.index
        active.append(_Active(column, round(confidence, 2), lambda a, b, col=col: table.where(col, a, b),
                              memoized, dob))
    return active, text_columns, identifies


class _TableScanner:
    """The fast path, one chunk of rows at a time, column by column.

    Each value of a classified column goes to that column's detectors only; distinct values are
    found with set operations per chunk; people are keyed per row by the best identifier.
    """

    def __init__(self, state: ScanState, prose: ProseScanner, part_index: int, table: Table,
                 active: list[_Active], text_columns: list[ColumnPlan], profile: PartProfile):
        self.state, self.prose, self.part_index, self.table = state, prose, part_index, table
        self.profile = profile
        self.values = [a for a in active if a.plan.role == "value" and a.dob is None]
        self.dob_columns = [a for a in active if a.dob is not None]
        parts = [a for a in active if a.plan.role in _NAME_ROLES]
        self.name_parts = sorted(parts, key=lambda a: _NAME_ROLES.index(a.plan.role))
        #: the name's place is its leftmost column ("Last Name" before "First Name")
        self.name_place = min(parts, key=lambda a: a.plan.index) if parts else None
        self.text_columns = text_columns
        self.name_detector = REGISTRY["PERSON_NAME"]
        self.dob_detector = REGISTRY["DATE_OF_BIRTH"]
        self.people_in_table = 0
        #: what column_parse.parse_columns needs to parse this table's columns (here or ahead)
        self.spec = (next(_TABLE_IDS),
                     tuple((a.plan.index, tuple((d.type, a.plan.context) for d in a.plan.detectors), a.memoized)
                           for a in self.values),
                     tuple(a.plan.index for a in self.name_parts))

    def columns_of(self, rows: list[tuple[int, list]]) -> dict[int, list]:
        """The chunk's columns the parse needs (value columns and name parts)."""
        grid = list(map(_SECOND, rows))
        wanted = [a.plan.index for a in self.values] + list(self.spec[2])
        return {index: _column(grid, index) for index in wanted}

    def chunk(self, rows: list[tuple[int, list]], parsed: tuple | None = None) -> None:
        """Count one chunk; `parsed`: its columns parsed already (ahead), else parsed here."""
        numbers = list(map(_FIRST, rows))
        grid = list(map(_SECOND, rows))
        widths = list(map(len, grid))
        self.state.cells += sum(widths)
        #: rows of one width (most CSVs) are turned into columns in one step
        self.columns = list(zip(*grid, strict=True)) if min(widths) == max(widths) else None
        if parsed is None:
            wanted = [a.plan.index for a in self.values] + list(self.spec[2])
            parsed = parse_columns(self.spec, {index: self._column(grid, index) for index in wanted})
        values_parsed, names_parsed = parsed
        #: per personal column: (rank, type, parsed values aligned with rows)
        keyed: list[tuple[int, str, list]] = []
        found = iter(values_parsed)
        for active in self.values:
            for detector in active.plan.detectors:
                parsed_values = next(found)
                if not any(p is not None for p in parsed_values):
                    continue
                self._record(active, detector, parsed_values, numbers)
                if detector.identifies_person:
                    keyed.append((key_rank(detector.type), detector.type, parsed_values))
        for active in self.dob_columns:
            parsed = active.dob.parse_chunk(self._column(grid, active.plan.index), numbers)
            found = [p if isinstance(p, str) else None for p in parsed]
            self._record(active, self.dob_detector, found, numbers)
            settled = active.dob.drain_if_settled()
            if settled:  # earlier rows waited for this column to show its day/month order
                self._record(active, self.dob_detector, [iso for _, iso in settled], [n for n, _ in settled])
            # a date whose day/month order is not settled yet still marks its row as personal
            marks = [p if p is None or isinstance(p, str) else f"row {n}" for p, n in zip(parsed, numbers, strict=True)]
            keyed.append((len(KEY_ORDER) + 1, "DATE_OF_BIRTH", marks))
        if self.name_parts:  # distinct full names of the chunk parsed once
            self._record(self.name_place, self.name_detector, names_parsed, numbers)
            keyed.append((len(KEY_ORDER), "PERSON_NAME", names_parsed))
        prose_people = self._text_columns(grid, numbers) if self.text_columns else None
        self._count_people(keyed, len(rows), prose_people)

    def _column(self, grid: list[list], index: int) -> list:
        if self.columns is not None:
            return self.columns[index] if index < len(self.columns) else [None] * len(grid)
        return _column(grid, index)

    def _count_people(self, keyed: list[tuple[int, str, list]], size: int, prose_people) -> None:
        if not keyed and not prose_people:
            return
        keyed.sort(key=lambda item: item[0])
        identifiers = [(t, values) for rank, t, values in keyed if rank < len(KEY_ORDER)]
        if identifiers and None not in identifiers[0][1]:  # every row has the best identifier
            type_name, values = identifiers[0]
            self.people_in_table += size
            self.state.people.add_column(type_name, values)
            self._remember_other_keys(keyed, skip=type_name)
            return
        # rows with the best identifier keyed at C speed; only the others looked at one by one
        # (the counter takes the chunk's keys as a set: their order does not matter)
        if identifiers:
            best_type, best = identifiers[0]
            keys = list(zip(repeat(best_type), filter(not_none, best)))
            rows = compress(count(), map(is_, best, repeat(None)))
            identifiers = identifiers[1:]
        else:
            keys, rows = [], range(size)
        others = [values for rank, _, values in keyed if rank >= len(KEY_ORDER)]
        for row in rows:
            key = None
            for type_name, values in identifiers:
                value = values[row]
                if value is not None:
                    key = (type_name, value)
                    break
            if key is None:
                rest = tuple(values[row] for values in others if values[row] is not None)
                if rest:
                    key = rest
                elif prose_people and prose_people[row]:
                    key = prose_people[row]
                else:
                    continue
            keys.append(key)
        self.people_in_table += len(keys)
        self.state.people.add_many(keys)
        self._remember_other_keys(keyed)

    def _remember_other_keys(self, keyed: list[tuple[int, str, list]], skip: str | None = None) -> None:
        """The rows' other identifiers and names, so the same people met elsewhere by them count once."""
        people = self.state.people
        if not people.remembers_more():  # past half its cap the counter takes no more: build nothing
            return
        for rank, type_name, values in keyed:
            if type_name != skip and (rank < len(KEY_ORDER) or type_name == "PERSON_NAME"):
                people.remember_column(type_name, values)

    def _record(self, active: _Active, detector, parsed: list, numbers: list[int]) -> None:
        rows = numbers if None not in parsed else list(compress(numbers, map(not_none, parsed)))
        if not rows:
            return
        acc = self.state.accumulator(detector.type)
        acc.add_many(parsed, detector.mask_normalized, confidence=active.confidence)
        acc.place_rows(self.part_index, active.plan.index, rows, active.label)
        self.profile.types.add(detector.type)

    def _text_columns(self, grid: list[list], numbers: list[int]) -> list:
        people: list = [None] * len(grid)
        for column in self.text_columns:
            label = lambda a, b, col=column.index: self.table.where(col, a, b)  # noqa: E731
            for position, value in enumerate(self._column(grid, column.index)):
                text = cell_text(value) if value is not None else None
                if not text:
                    continue
                result = self.prose.scan(text, extra_context=column.header)
                for hit in result.hits:
                    acc = self.state.accumulator(hit.type)
                    acc.add(hit.normalized, hit.masked, confidence=hit.confidence)
                    acc.place(self.part_index, column.index, numbers[position], label)
                    self.profile.types.add(hit.type)
                if result.people and people[position] is None:
                    people[position] = result.people[0]
        return people

    def finish(self) -> None:
        for active in self.dob_columns:
            drained = active.dob.drain()
            if drained:
                self._record(active, self.dob_detector, [iso for _, iso in drained], [n for n, _ in drained])
        self.profile.people = self.people_in_table


def _column(grid: list[list], index: int) -> list:
    return [cells[index] if index < len(cells) else None for cells in grid]
