"""OpenDocument (.ods, .odt, .odp) -> Tables and TextBlocks, streamed from content.xml.

Contract: `open_opendocument(data, ctx)` checks the zip (zipcheck), refuses an encrypted package
or a DOCTYPE in content.xml with one sentence, then streams content.xml with expat
(officexml.xml_events: any DOCTYPE/entity refused, never a tree). What the body holds decides
how it is read, whatever the file is called:
- spreadsheet: each table:table a Table (style "sheet", name = the sheet's name), rows numbered as
  the sheet shows them; cells typed from office:value-type (float/currency/percentage -> int or
  float, date -> date or datetime, boolean -> bool, string -> the paragraphs joined by newlines).
  Repeated rows and cells are expanded only within bounds: an empty repeat (the padding every
  file ends with) only moves the position; content repeated past column 16,384, or a row repeated
  more than limits.max_rows times (or max_cells cells), is refused with LimitExceeded at once;
  smaller repeats share one budget of REPEAT_BUDGET copied cells per read, past which the
  rest is recorded as skipped. Sheets past
  limits.max_sheets are skipped. Hidden sheets, rows and columns are read and noted; cell comments
  (office:annotation) become a TextBlock "<sheet> comments".
- text: paragraphs and headings a TextBlock "body" (line = paragraph number), each table a Table
  (style "table", "table N"); footnotes, comments and tracked changes (deleted text included)
  TextBlocks of their own; headers and footers from styles.xml a TextBlock "headers and footers".
- presentation (or drawing): per slide (draw:page) a TextBlock "slide N", its tables
  "slide N table M", its speaker notes "slide N notes"; hidden slides are read and noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from bot.errors import LimitExceeded
from bot.scan.model import Part
from bot.scan.readers.base import ReadContext
from bot.scan.readers.officexml import (
    END_TAG,
    MAX_COLUMNS,
    START,
    TEXT,
    Flow,
    int_attr,
    office_parts,
    open_package,
    refuse_declarations,
    xml_events,
)

_ODF = "urn:oasis:names:tc:opendocument:xmlns:"
OFFICE, TABLE_NS, TEXT_NS = f"{_ODF}office:1.0}}", f"{_ODF}table:1.0}}", f"{_ODF}text:1.0}}"
STYLE, DRAW, PRESENTATION = f"{_ODF}style:1.0}}", f"{_ODF}drawing:1.0}}", f"{_ODF}presentation:1.0}}"
_SVG, _DC, _OOO = f"{_ODF}svg-compatible:1.0}}", "http://purl.org/dc/elements/1.1/}", "http://openoffice.org/2009/office}"

_DRAW_PAGE = DRAW + "page"
_DRAW_STYLE_NAME = DRAW + "style-name"
_OFFICE_BOOLEAN_VALUE = OFFICE + "boolean-value"
_OFFICE_DATE_VALUE = OFFICE + "date-value"
_OFFICE_STRING_VALUE = OFFICE + "string-value"
_OFFICE_VALUE = OFFICE + "value"
_OFFICE_VALUE_TYPE = OFFICE + "value-type"
_PRESENTATION_NOTES = PRESENTATION + "notes"
_PRESENTATION_VISIBILITY = PRESENTATION + "visibility"
_STYLE_DRAWING_PAGE_PROPERTIES = STYLE + "drawing-page-properties"
_STYLE_NAME = STYLE + "name"
_STYLE_STYLE = STYLE + "style"
_STYLE_TABLE_PROPERTIES = STYLE + "table-properties"
_TABLE_DISPLAY = TABLE_NS + "display"
_TABLE_NAME = TABLE_NS + "name"
_TABLE_NUMBER_COLUMNS_REPEATED = TABLE_NS + "number-columns-repeated"
_TABLE_NUMBER_ROWS_REPEATED = TABLE_NS + "number-rows-repeated"
_TABLE_SHAPES = TABLE_NS + "shapes"
_TABLE_STYLE_NAME = TABLE_NS + "style-name"
_TABLE_TABLE = TABLE_NS + "table"
_TABLE_TABLE_COLUMN = TABLE_NS + "table-column"
_TABLE_TABLE_ROW = TABLE_NS + "table-row"
_TABLE_VISIBILITY = TABLE_NS + "visibility"
_TEXT_C = TEXT_NS + "c"
_TEXT_DELETION = TEXT_NS + "deletion"
_TEXT_NOTE_BODY = TEXT_NS + "note-body"
_TEXT_S = TEXT_NS + "s"
_TEXT_TRACKED_CHANGES = TEXT_NS + "tracked-changes"

#: copies of repeated non-empty cells and rows made per read, in cells
REPEAT_BUDGET = 200_000
#: characters one text:s may stand for
_MAX_SPACES = 1000
_PARAGRAPHS = {TEXT_NS + "p", TEXT_NS + "h"}
_INLINE = {TEXT_NS + "tab": "\t", TEXT_NS + "line-break": " "}
_SKIPPED = {_DC + "creator", _DC + "date", TEXT_NS + "note-citation", _SVG + "title", _SVG + "desc",
            OFFICE + "forms", TEXT_NS + "sequence-decls", TEXT_NS + "variable-decls"}
_CELLS = {TABLE_NS + "table-cell", TABLE_NS + "covered-table-cell"}
_ANNOTATIONS = {OFFICE + "annotation", _OOO + "annotation"}
_BODIES = {OFFICE + "spreadsheet": "sheet", OFFICE + "text": "text", OFFICE + "presentation": "slides",
           OFFICE + "drawing": "slides"}
_HEADERS = {STYLE + name for name in ("header", "footer", "header-left", "footer-left", "header-first",
                                        "footer-first")}
_NUMERIC = {"float", "percentage", "currency"}


def open_opendocument(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    archive, names = open_package(data, ctx, "content.xml", "content")
    if "META-INF/manifest.xml" in names:
        with archive.open("META-INF/manifest.xml") as manifest:
            if b"encryption-data" in manifest.read(4 << 20):
                raise ctx.unreadable("it is password-protected")
    refuse_declarations(archive, "content.xml", ctx)
    return _parts(archive, "styles.xml" in names, ctx)


def _parts(archive, has_styles: bool, ctx: ReadContext) -> Iterator[Part]:
    walker = _Walker(ctx)
    with archive.open("content.xml") as source:
        yield from office_parts(walker.walk(xml_events(source, ctx)), ctx)
    walker.finish()
    if has_styles and walker.mode == "text":
        with archive.open("styles.xml") as source:
            yield from office_parts(_headers(xml_events(source, ctx), ctx), ctx)


def _typed(attrs: dict, text: str | None) -> object:
    """A cell's value from office:value-type; the shown text when the value is missing or odd."""
    kind = attrs.get(_OFFICE_VALUE_TYPE)
    try:
        if kind in _NUMERIC:
            number = float(attrs[_OFFICE_VALUE])
            return int(number) if number.is_integer() and abs(number) < 1e15 else number
        if kind == "date":
            raw = attrs[_OFFICE_DATE_VALUE]
            return datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw)
        if kind == "boolean":
            return attrs[_OFFICE_BOOLEAN_VALUE].lower() == "true"
    except (KeyError, ValueError, OverflowError):
        return text
    if kind == "string" and text is None:
        return attrs.get(_OFFICE_STRING_VALUE) or None
    return text


class _Grid:
    """Where the next row and cell of one open table land."""

    def __init__(self, real: bool, sheet: int):
        self.real, self.sheet = real, sheet
        self.next_row = 1
        self.column = 0
        self.row_repeat = 1
        self.row_hidden = False
        self.cell: dict = {}
        self.columns_seen = 0
        #: the Table's own set, filled as table:table-column elements are read
        self.hidden_columns: set[int] = set()


class _Walker:
    def __init__(self, ctx: ReadContext):
        self.ctx = ctx
        self.flow = Flow(ctx)
        self.mode = ""
        self.grids: list[_Grid] = []
        self.budget = REPEAT_BUDGET
        self.hidden_styles: set[str] = set()
        self.style: str | None = None
        self.sheet_name = ""
        self.sheets = self.tables = self.slides = 0
        self.hidden = {"sheet": 0, "row": 0, "column": 0, "slide": 0}
        self.tracked = False

    def walk(self, events: Iterator[tuple]) -> Iterator[tuple]:
        flow, skip = self.flow, 0
        for kind, name, attrs in events:
            if skip:
                skip += 1 if kind == START else -1 if kind == END_TAG else 0
            elif kind == TEXT:
                flow.text(name)
            elif kind == START:
                skip = self._start(name, attrs)
            else:
                self._end(name)
            if flow.out:
                yield from flow.out
                flow.out.clear()
        flow.flush_side()
        yield from flow.out
        flow.out.clear()

    def _start(self, name: str, attrs: dict) -> int:
        """Handle an opening tag; returns 1 to skip its subtree."""
        flow = self.flow
        if name in _PARAGRAPHS:
            flow.open_paragraph()
        elif name == _TEXT_S:
            flow.text(" " * int_attr(attrs.get(_TEXT_C), high=_MAX_SPACES))
        elif name in _INLINE:
            flow.text(_INLINE[name])
        elif name in _CELLS and self.grids:
            self.grids[-1].cell = attrs
            flow.open_cell()
        elif name == _TABLE_TABLE_ROW and self.grids:
            grid = self.grids[-1]
            grid.column, grid.cell = 0, {}
            grid.row_repeat = int_attr(attrs.get(_TABLE_NUMBER_ROWS_REPEATED))
            grid.row_hidden = attrs.get(_TABLE_VISIBILITY, "visible") != "visible"
            flow.open_row()
        elif name == _TABLE_TABLE_COLUMN and self.grids:
            self._column(self.grids[-1], attrs)
        elif name == _TABLE_TABLE:
            return self._open_table(attrs)
        elif name in _SKIPPED:
            return 1
        elif name in _ANNOTATIONS:
            sheet = self.mode == "sheet" and bool(self.grids)
            flow.open_side(f"{self.sheet_name} comments" if sheet else "comments", from_content=sheet)
        elif name == _TEXT_NOTE_BODY:
            flow.open_side("footnotes")
        elif name == _TEXT_TRACKED_CHANGES:
            flow.open_side("tracked changes")
        elif name == _TEXT_DELETION:
            self.tracked = True
        elif name == _TABLE_SHAPES:
            flow.open_side(f"{self.sheet_name} text boxes", from_content=True)
        elif name == _DRAW_PAGE and self.mode == "slides":
            self.slides += 1
            self.ctx.add("slides")
            self.tables = 0
            self.hidden["slide"] += attrs.get(_DRAW_STYLE_NAME) in self.hidden_styles
            flow.block, flow.number = f"slide {self.slides}", 0
        elif name == _PRESENTATION_NOTES and self.mode == "slides":
            flow.block, flow.number = f"slide {self.slides} notes", 0
        elif name in _BODIES:
            self.mode = _BODIES[name]
        elif name == _STYLE_STYLE:
            self.style = attrs.get(_STYLE_NAME)
        elif name in (_STYLE_TABLE_PROPERTIES, _STYLE_DRAWING_PAGE_PROPERTIES) and self.style and (
                attrs.get(_TABLE_DISPLAY) == "false" or attrs.get(_PRESENTATION_VISIBILITY) == "hidden"):
            self.hidden_styles.add(self.style)
        return 0

    def _end(self, name: str) -> None:
        flow = self.flow
        if name in _CELLS and self.grids:
            self._close_cell(self.grids[-1])
        elif name in _PARAGRAPHS:
            flow.close_paragraph()
        elif name == _TABLE_TABLE_ROW and self.grids:
            self._close_row(self.grids[-1])
        elif name == _TABLE_TABLE and self.grids:
            self.grids.pop()
            flow.close_table()
            if self.mode == "sheet" and not self.grids:
                flow.flush_side()
        elif name in _ANNOTATIONS or name in (_TEXT_NOTE_BODY, _TEXT_TRACKED_CHANGES,
                                               _TABLE_SHAPES):
            flow.close_side()
        elif name == _PRESENTATION_NOTES and self.mode == "slides":
            flow.block, flow.number = f"slide {self.slides}", 0

    def _open_table(self, attrs: dict) -> int:
        flow, top = self.flow, not self.grids
        hidden = attrs.get(_TABLE_STYLE_NAME) in self.hidden_styles
        if self.mode == "sheet" and top:
            self.sheets += 1
            if self.sheets > self.ctx.limits.max_sheets:
                return 1
            name = self.ctx.content_label(attrs.get(_TABLE_NAME) or f"Sheet{self.sheets}")
            flow.block = self.sheet_name = name
            self.ctx.add("sheets")
            self.hidden["sheet"] += hidden
            grid = _Grid(True, self.sheets)
            grid.real = flow.open_table("sheet", name, hidden=hidden, hidden_columns=grid.hidden_columns,
                                        from_content=True)
        else:
            self.tables += top
            name = f"slide {self.slides} table {self.tables}" if self.mode == "slides" else f"table {self.tables}"
            grid = _Grid(flow.open_table("table", name), self.sheets)
        self.grids.append(grid)
        return 0

    def _column(self, grid: _Grid, attrs: dict) -> None:
        repeat = int_attr(attrs.get(_TABLE_NUMBER_COLUMNS_REPEATED))
        first, grid.columns_seen = grid.columns_seen, min(grid.columns_seen + repeat, MAX_COLUMNS)
        if grid.real and self.mode == "sheet" and attrs.get(_TABLE_VISIBILITY, "visible") != "visible":
            added = range(first, grid.columns_seen)
            self.hidden["column"] += len(added)
            grid.hidden_columns.update(added)

    def _close_cell(self, grid: _Grid) -> None:
        flow, cell = self.flow, grid.cell
        value = _typed(cell, flow.close_cell())
        grid.cell = {}
        raw = cell.get(_TABLE_NUMBER_COLUMNS_REPEATED)
        repeat = 1 if raw is None else int_attr(raw)
        if value is None or value == "":
            grid.column += repeat
            return
        if grid.column + repeat > MAX_COLUMNS:
            raise LimitExceeded(f"This {self.ctx.label} has content past column {MAX_COLUMNS:,}, "
                                "more columns than a spreadsheet holds, so it was not read.")
        if repeat == 1:  # the common case
            flow.place(grid.column, value)
        else:
            copies = min(repeat, self._spend(repeat - 1) + 1)
            for offset in range(copies):
                flow.place(grid.column + offset, value)
            if copies < repeat:
                flow.skip_once("copies of a repeated cell past the bound one scan expands", self._where(grid))
        grid.column += repeat

    def _close_row(self, grid: _Grid) -> None:
        flow, limits = self.flow, self.ctx.limits
        cells = flow.take_row()
        number, repeat = grid.next_row, grid.row_repeat
        grid.next_row += repeat
        if not cells:
            return
        if repeat > limits.max_rows or repeat * len(cells) > limits.max_cells:
            raise LimitExceeded(f"This {self.ctx.label} repeats a row more than {limits.max_rows:,} times or "
                                f"{limits.max_cells:,} cells, more than one scan reads.")
        copies = min(repeat, self._spend((repeat - 1) * len(cells)) // len(cells) + 1)
        for offset in range(copies):
            flow.emit_row(number + offset, cells)
        if copies < repeat:
            flow.skip_once("copies of a repeated row past the bound one scan expands",
                           f"{self._where(grid)} rows {number + copies:,}-{number + repeat - 1:,}")
        if grid.row_hidden and grid.real:
            self.hidden["row"] += copies

    def _spend(self, cells: int) -> int:
        """Take up to `cells` from the repeat budget; returns how many were granted."""
        granted = max(0, min(cells, self.budget))
        self.budget -= granted
        return granted

    def _where(self, grid: _Grid) -> str:
        return f"sheet {grid.sheet}" if self.mode == "sheet" else self.flow.block

    def finish(self) -> None:
        """Notes and skips known only at the end of content.xml."""
        ctx, limit = self.ctx, self.ctx.limits.max_sheets
        if self.sheets > limit:
            ctx.skip(f"past the {limit}-sheet limit of one scan", f"sheets {limit + 1}-{self.sheets} of {self.sheets}")
        for what, count in self.hidden.items():
            if count:
                ctx.notes.append(f"Read {count:,} hidden {what}{'s' if count > 1 else ''} too.")
        if self.tracked:
            ctx.notes.append("Read tracked changes (deleted text) too.")


def _headers(events: Iterator[tuple], ctx: ReadContext) -> Iterator[tuple]:
    """styles.xml: only the text of master pages' headers and footers, as one side block."""
    flow, depth, skip = Flow(ctx, "headers and footers"), 0, 0
    for kind, name, attrs in events:
        if skip:
            skip += 1 if kind == START else -1 if kind == END_TAG else 0
        elif kind == START and name in _HEADERS:
            depth += 1
            if depth == 1:
                flow.open_side("headers and footers")
        elif kind == END_TAG and name in _HEADERS:
            depth -= 1
            if depth == 0:
                flow.close_side()
        elif not depth:
            continue
        elif kind == TEXT:
            flow.text(name)
        elif kind == START:
            if name in _PARAGRAPHS:
                flow.open_paragraph()
            elif name == _TEXT_S:
                flow.text(" " * int_attr(attrs.get(_TEXT_C), high=_MAX_SPACES))
            elif name in _INLINE:
                flow.text(_INLINE[name])
            elif name in _SKIPPED or name in _ANNOTATIONS:
                skip = 1
        elif name in _PARAGRAPHS:
            flow.close_paragraph()
    flow.flush_side()
    return iter(flow.out)
