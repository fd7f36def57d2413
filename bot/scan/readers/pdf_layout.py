"""A PDF page's text laid out as fixed-width lines, in reading order for every text direction.

Contract: `page_text(page)` returns the page's text as lines whose fields sit at their printed
x positions, so columns line up (readers/pdf.py finds tables in them). Text drawn sideways (a
landscape roster rotated onto a portrait page, a page with /Rotate plus a rotated content
matrix, a label turned 90°) is not dropped: the orientations the page's text is drawn in are
counted from the content stream (text matrix × CTM, per q/Q level), and each orientation is laid
out on its own, rotated upright, the orientation with the most text first. Cells of a table
that are drawn as separate text objects stay at least two spaces apart even when printed close
together, which is what separates fields for the table finder.

Built on pypdf's layout-mode internals (pinned pypdf version); if they are missing, the public
`extract_text(extraction_mode="layout")` is used for upright text only.
"""

from __future__ import annotations

import math
from collections import Counter
from math import ceil

from pypdf.generic import ArrayObject, ContentStream, StreamObject

try:
    from pypdf._text_extraction import _layout_mode
except ImportError:  # pragma: no cover - a pypdf without the layout internals
    _layout_mode = None

_SHOW = {b"Tj", b"TJ", b"'", b'"'}
#: spaces at most between two fields of one line (a page is never wider than this)
MAX_GAP = 400
#: a visible gap between two text objects, in character widths, that makes them two fields
FIELD_GAP = 0.8


def _multiply(m: list[float], n: list[float]) -> list[float]:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return [a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u]


def _numbers(operands: list) -> list[float] | None:
    try:
        values = [float(value) for value in operands[:6]]
    except (TypeError, ValueError):
        return None
    return values if len(values) == 6 else None


def text_orientations(operations: list) -> Counter:
    """Characters drawn per orientation (0, 90, 180, 270 degrees, counterclockwise)."""
    found: Counter = Counter()
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    tm = list(ctm)
    stack: list[list[float]] = []
    for operands, op in operations:
        if op == b"cm":
            matrix = _numbers(operands)
            if matrix:
                ctm = _multiply(matrix, ctm)
        elif op == b"q":
            if len(stack) < 1000:
                stack.append(ctm)
        elif op == b"Q":
            ctm = stack.pop() if stack else ctm
        elif op == b"BT":
            tm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        elif op == b"Tm":
            tm = _numbers(operands) or tm
        elif op in _SHOW:
            a, b = _multiply(tm, ctm)[:2]
            if a == 0 and b == 0:
                continue
            angle = round(math.degrees(math.atan2(b, a)) / 90) * 90 % 360
            found[angle] += max(1, sum(len(value) for value in operands if isinstance(value, bytes | str)))
    return found


def page_text(page) -> str:
    if _layout_mode is None:
        return page.extract_text(extraction_mode="layout")
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
    if not isinstance(contents, ArrayObject | StreamObject):
        return ""
    operations = ContentStream(contents, page.pdf, "bytes").operations
    orientations = text_orientations(operations)
    if not orientations:
        return ""
    fonts = page._layout_mode_fonts()
    texts = [_layout(operations, fonts, angle) for angle, _ in orientations.most_common()]
    return "\n\n".join(text for text in texts if text.strip())


def _layout(operations: list, fonts: dict, angle: int) -> str:
    """The text drawn at `angle`, turned upright and laid out (other text is left out)."""
    if angle:
        turn = math.radians(-angle)
        cos, sin = round(math.cos(turn)), round(math.sin(turn))
        operations = [([], b"q"), ([cos, sin, -sin, cos, 0, 0], b"cm"), *operations, ([], b"Q")]
    groups = _layout_mode.text_show_operations(iter(operations), fonts, True)
    if not groups:
        return ""
    lines = _layout_mode.y_coordinate_groups(groups)
    return render(lines, _layout_mode.fixed_char_width(groups, 1.25))


def render(lines: dict, char_width: float) -> str:
    """Lines of text objects -> fixed-width text; separate objects with a visible gap between
    them are kept at least two spaces apart (two fields), as pypdf's layout would not."""
    out: list[str] = []
    last_y = None
    for y, groups in lines.items():
        if last_y is not None:
            height = groups[0]["font_height"]
            blank = int(abs(y - last_y) / height) - 1 if height else 0
            out.extend([""] * max(0, min(blank, 3)))
        last_y = y
        parts: list[str] = []
        length = 0
        last_end = None
        for group in sorted(groups, key=lambda g: g["tx"]):
            tx = group["tx"]
            offset = int(tx // char_width) if char_width else length
            needed = offset - length
            gap = tx - last_end if last_end is not None else 0
            if last_end is not None and char_width and gap > FIELD_GAP * char_width:
                needed = max(needed, 2)
            elif needed > 0 and last_end is not None and ceil(last_end) >= int(tx):
                needed = 0
            needed = min(max(needed, 0), MAX_GAP)
            text = group["text"].translate(_CONTROLS)
            parts.append(" " * needed + text)
            length += needed + len(text)
            last_end = group["displaced_tx"]
        out.append("".join(parts).rstrip())
    return "\n".join(out)


_CONTROLS = str.maketrans(dict.fromkeys(range(14, 32), " "))
