"""Word documents (.docx, .docm) -> a TextBlock of paragraphs and a Table per table, streamed.

Contract: `open_docx(data, ctx)` checks the zip (zipcheck: size, ratio, encryption), requires
word/document.xml and refuses a DOCTYPE in it with one sentence; then every XML part is streamed
with expat (officexml.xml_events: DOCTYPE/entities refused, the deadline checked per chunk, no
tree kept). No python-docx.
- word/document.xml: paragraphs (w:p) are lines of the TextBlock "body", numbered by paragraph
  (empty paragraphs count, so line N is the Nth paragraph); their text is every w:t run,
  inserted text (w:ins) and tracked deletions (w:delText in w:del) included, field codes not.
  Text boxes (w:txbxContent) are paragraphs of their own, read once (mc:Fallback copies skipped);
  hidden (vanished) text is read and noted.
- every top-level w:tbl is a Table (style "table", "table N"), rows numbered from 1, cells placed
  on the true grid (w:gridBefore, w:gridSpan: the value in the first column it spans; a
  w:vMerge/w:hMerge continuation is an empty cell); the header row is found by headers.py.
  A table inside a cell is flattened into that cell's text (a row per line).
- then headers and footers ("header 1", "footer 2"), footnotes, endnotes and comments, each a
  TextBlock of its paragraphs (their tables named "<part> table N").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.scan.model import Part
from bot.scan.readers.base import ReadContext
from bot.scan.readers.officexml import (
    END_TAG,
    MC,
    START,
    TEXT,
    Flow,
    int_attr,
    office_parts,
    open_package,
    refuse_declarations,
    xml_events,
)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCUMENT = "word/document.xml"

_P, _R, _TBL, _TR, _TC = W + "p", W + "r", W + "tbl", W + "tr", W + "tc"
_CAPTURED = {W + "t", W + "delText"}
_INLINE = {W + "tab": "\t", W + "br": " ", W + "cr": " ", W + "noBreakHyphen": "-"}
#: subtrees whose text is not the document's: a second copy of a text box, moved-away text
_SKIPPED = {MC + "Fallback", W + "moveFrom", W + "instrText", W + "delInstrText"}
_SIDE_PARTS = re.compile(r"word/(header|footer)(\d*)\.xml|word/(footnotes|endnotes|comments)\.xml")
_SIDE_ORDER = {"header": 0, "footer": 1, "footnotes": 2, "endnotes": 3, "comments": 4}
_W_DEL_TEXT = W + "delText"
_W_GRID_BEFORE = W + "gridBefore"
_W_GRID_SPAN = W + "gridSpan"
_W_H_MERGE = W + "hMerge"
_W_VAL = W + "val"
_W_VANISH = W + "vanish"
_W_V_MERGE = W + "vMerge"


def open_docx(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    archive, names = open_package(data, ctx, DOCUMENT, "document")
    refuse_declarations(archive, DOCUMENT, ctx)
    return _parts(archive, _side_parts(names), ctx)


def _side_parts(names: set[str]) -> list[tuple[str, str]]:
    """(member, block name) for headers, footers, footnotes, endnotes and comments, in that order."""
    found = []
    for name in names:
        match = _SIDE_PARTS.fullmatch(name)
        if match:
            kind = match.group(1) or match.group(3)
            number = int(match.group(2)) if match.group(2) else 0
            block = f"{kind} {number}" if match.group(1) and number else kind
            found.append(((_SIDE_ORDER[kind], number), name, block))
    return [(name, block) for _, name, block in sorted(found)]


def _parts(archive, side: list[tuple[str, str]], ctx: ReadContext) -> Iterator[Part]:
    notes = {"hidden": 0, "deleted": 0}
    for member, block in [(DOCUMENT, "body"), *side]:
        with archive.open(member) as source:
            yield from office_parts(_walk(xml_events(source, ctx), ctx, block, notes), ctx)
    if notes["hidden"]:
        ctx.notes.append("Read hidden (vanished) text too.")
    if notes["deleted"]:
        ctx.notes.append("Read tracked changes (deleted text) too.")


class _Grid:
    __slots__ = ("rows", "column", "span", "continued")

    def __init__(self):
        self.rows = self.column = 0
        self.span, self.continued = 1, False


def _walk(events: Iterator[tuple], ctx: ReadContext, block: str, notes: dict[str, int]) -> Iterator[tuple]:
    """One part's events -> officexml items (lines of `block`, tables, rows)."""
    flow = Flow(ctx, block)
    grids: list[_Grid] = []
    skip = capture = in_run = tables = 0
    prefix = "" if block == "body" else f"{block} "
    for kind, name, attrs in events:
        if skip:
            skip += 1 if kind == START else -1 if kind == END_TAG else 0
            continue
        if kind == TEXT:
            if capture:
                flow.text(name)
            continue
        if kind == START:
            if name in _CAPTURED:
                capture += 1
                notes["deleted"] += name == _W_DEL_TEXT
            elif name == _R:
                in_run += 1
            elif name == _P:
                flow.open_paragraph()
            elif name in _INLINE:
                if in_run:
                    flow.text(_INLINE[name])
            elif name in _SKIPPED:
                skip = 1
            elif name == _TC and grids:
                grids[-1].span, grids[-1].continued = 1, False
                flow.open_cell()
            elif name == _TR and grids:
                grids[-1].rows += 1
                grids[-1].column = 0
                flow.open_row()
            elif name == _TBL:
                tables += not grids
                flow.open_table("table", f"{prefix}table {tables}")
                grids.append(_Grid())
            elif grids and name == _W_GRID_SPAN:
                grids[-1].span = int_attr(attrs.get(_W_VAL), high=1 << 20)
            elif grids and name in (_W_V_MERGE, _W_H_MERGE):
                grids[-1].continued = attrs.get(_W_VAL, "continue") != "restart"
            elif grids and name == _W_GRID_BEFORE:
                grids[-1].column += int_attr(attrs.get(_W_VAL), default=0, low=0, high=1 << 20)
            elif name == _W_VANISH and in_run and attrs.get(_W_VAL, "true") not in ("0", "false", "off"):
                notes["hidden"] += 1
        else:
            if name in _CAPTURED:
                capture -= 1
            elif name == _R:
                in_run -= 1
            elif name == _P:
                flow.close_paragraph()
            elif name == _TC and grids:
                grid = grids[-1]
                text = flow.close_cell()
                if not grid.continued:
                    flow.place(grid.column, text)
                grid.column += grid.span
            elif name == _TR and grids:
                cells = flow.take_row()
                if cells:
                    flow.emit_row(grids[-1].rows, cells)
            elif name == _TBL and grids:
                grids.pop()
                flow.close_table()
        if flow.out:
            yield from flow.out
            flow.out.clear()
