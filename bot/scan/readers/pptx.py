"""PowerPoint presentations (.pptx, .pptm) -> per slide a TextBlock, its Tables, notes and comments.

Contract: `open_pptx(data, ctx)` checks the zip (zipcheck), requires ppt/presentation.xml, refuses
a DOCTYPE in it, and works out the slide order eagerly from presentation.xml (p:sldIdLst) and its
relationships; slide files the presentation does not list are read after the listed ones (and
noted), and without a usable list the slides are read in numeric order. Every XML part is then
streamed with expat (officexml.xml_events: DOCTYPE/entities refused, deadline per chunk).
Per slide N, in order:
- "slide N": a TextBlock, one line per paragraph (a:p) of every shape, numbered within the slide;
  fields (a:fld) included, mc:Fallback copies skipped. Hidden slides (show="0") are read and noted.
- "slide N table M": each a:tbl a Table (style "table"), rows numbered from 1; every a:tc is one
  grid column, so a gridSpan/rowSpan cell's value sits in its first column and hMerge/vMerge
  continuations are empty cells; the header row is found by headers.py.
- "slide N notes": the speaker notes (ppt/notesSlides via the slide's relationships).
- "slide N comments": legacy (p:cm/p:text) and modern (p188:cm, a:t) comments, if any.
Charts, SmartArt and embedded objects are not read.
"""

from __future__ import annotations

import posixpath
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
    office_parts,
    open_package,
    refuse_declarations,
    xml_events,
)

A = "http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
PRESENTATION = "ppt/presentation.xml"

_PARAGRAPHS = {A + "p", P + "text"}  # p:text holds a legacy comment's text directly
_CAPTURED = {A + "t", P + "text"}
_SLIDE_FILE = re.compile(r"ppt/slides/slide(\d+)\.xml")
_A_BR = A + "br"
_A_TBL = A + "tbl"
_A_TC = A + "tc"
_A_TR = A + "tr"
_MC_FALLBACK = MC + "Fallback"
_P_SLD = P + "sld"
_P_SLD_ID = P + "sldId"
_P_SLD_ID_LST = P + "sldIdLst"
_R_ID = R + "id"


def open_pptx(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    archive, names = open_package(data, ctx, PRESENTATION, "presentation")
    refuse_declarations(archive, PRESENTATION, ctx)
    listed = _listed_slides(archive, names, ctx)
    present = sorted((name for name in names if _SLIDE_FILE.fullmatch(name)),
                     key=lambda name: int(_SLIDE_FILE.fullmatch(name).group(1)))
    unlisted = [name for name in present if name not in set(listed)]
    if listed and unlisted:
        ctx.notes.append(f"Read {len(unlisted)} slide file{'s' if len(unlisted) > 1 else ''} "
                         "the presentation does not list too.")
    return _parts(archive, names, [*listed, *unlisted], ctx)


def _relationships(archive, names: set[str], member: str, ctx: ReadContext) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of a part's relationships; [] when it has none."""
    folder, base = posixpath.split(member)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    if rels not in names:
        return []
    found = []
    with archive.open(rels) as source:
        for kind, name, attrs in xml_events(source, ctx):
            if kind == START and name == _RELS and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                found.append((attrs.get("Id", ""), attrs.get("Type", ""), path))
                if len(found) > ctx.limits.max_zip_entries:
                    break
    return found


def _listed_slides(archive, names: set[str], ctx: ReadContext) -> list[str]:
    targets = {rid: path for rid, _, path in _relationships(archive, names, PRESENTATION, ctx)}
    order: list[str] = []
    with archive.open(PRESENTATION) as source:
        for kind, name, attrs in xml_events(source, ctx):
            if kind == START and name == _P_SLD_ID:
                path = targets.get(attrs.get(_R_ID, ""))
                if path in names and path not in order:
                    order.append(path)
                    if len(order) > ctx.limits.max_zip_entries:
                        break
            elif kind == END_TAG and name == _P_SLD_ID_LST:
                break
    return order


def _parts(archive, names: set[str], slides: list[str], ctx: ReadContext) -> Iterator[Part]:
    hidden = [0]
    for number, slide in enumerate(slides, start=1):
        ctx.add("slides")
        block = f"slide {number}"
        with archive.open(slide) as source:
            yield from office_parts(_walk(xml_events(source, ctx), ctx, block, hidden), ctx)
        for _, kind, path in _relationships(archive, names, slide, ctx):
            if path not in names or not path.endswith(".xml"):
                continue
            if kind.endswith("/notesSlide"):
                side = f"{block} notes"
            elif kind.endswith("/comments"):
                side = f"{block} comments"
            else:
                continue
            with archive.open(path) as source:
                yield from office_parts(_walk(xml_events(source, ctx), ctx, side, hidden), ctx)
    if hidden[0]:
        ctx.notes.append(f"Read {hidden[0]} hidden slide{'s' if hidden[0] > 1 else ''} too.")


def _walk(events: Iterator[tuple], ctx: ReadContext, block: str, hidden: list[int]) -> Iterator[tuple]:
    """One slide, notes or comments part -> officexml items."""
    flow = Flow(ctx, block)
    columns: list[int] = []  # next grid column per open table
    continued: list[bool] = []
    rows: list[int] = []
    skip = capture = tables = 0
    for kind, name, attrs in events:
        if skip:
            skip += 1 if kind == START else -1 if kind == END_TAG else 0
            continue
        if kind == TEXT:
            if capture:
                flow.text(name)
        elif kind == START:
            if name in _PARAGRAPHS:
                flow.open_paragraph()
            if name in _CAPTURED:
                capture += 1
            elif name == _A_BR:
                flow.text(" ")
            elif name == _MC_FALLBACK:
                skip = 1
            elif name == _A_TC and columns:
                continued[-1] = attrs.get("hMerge") in ("1", "true") or attrs.get("vMerge") in ("1", "true")
                flow.open_cell()
            elif name == _A_TR and columns:
                rows[-1] += 1
                columns[-1] = 0
                flow.open_row()
            elif name == _A_TBL:
                tables += not columns
                flow.open_table("table", f"{block} table {tables}")
                columns.append(0)
                continued.append(False)
                rows.append(0)
            elif name == _P_SLD and attrs.get("show") in ("0", "false"):
                hidden[0] += 1
        else:
            if name in _CAPTURED:
                capture -= 1
            if name in _PARAGRAPHS:
                flow.close_paragraph()
            elif name == _A_TC and columns:
                text = flow.close_cell()
                if not continued[-1]:
                    flow.place(columns[-1], text)
                columns[-1] += 1
            elif name == _A_TR and columns:
                cells = flow.take_row()
                if cells:
                    flow.emit_row(rows[-1], cells)
            elif name == _A_TBL and columns:
                columns.pop()
                continued.pop()
                rows.pop()
                flow.close_table()
        if flow.out:
            yield from flow.out
            flow.out.clear()
