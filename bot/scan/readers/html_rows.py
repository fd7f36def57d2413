"""HTML table rows matched whole: the pull parser's fast path for the bulk of an exported table.

A row whose cells hold only text and inline markup (no nested table, <pre>, script or hidden
element) is matched by one regex (`SIMPLE_ROW`, group 1 the row's cells); then, as pure
functions of that body:

- `has_spans(body)`: whether a cell may carry colspan/rowspan (or the text holds a NUL), so the
  cells must be read one by one: `spanned_cells(body)` -> [(text, colspan, rowspan)];
- else `plain_cells(body)` -> the cells' text, all cleaned in one pass ([] for a row without cells);
- `header_row(body)`: only <th> cells.

Cell text: entities decoded, whitespace runs collapsed, a block element's start tag inside a cell
(<br>, <p>, <li>) separates words (`BLOCKS`, the elements that also break visible text into lines).
"""

from __future__ import annotations

import re
from html import unescape

from bot.scan.readers.html_grid import spans

#: block elements: they end a line of visible text, and separate words inside a cell
BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "option",
    "p", "pre", "section", "table", "title", "tr", "ul", "td", "th", "body", "head", "html",
})
_ATTRS = r"""(?:[\s/](?:[^>"']++|"[^"]*+"|'[^']*+')*+)?"""
#: tags a simple cell may hold: any but table structure, raw-text, hidden and <pre> elements
_INLINE = (r"<(?!/?(?:t[dhr]|table|thead|tbody|tfoot|caption|pre|script|style|template|noscript)\b)[/a-zA-Z]"
           r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+>""")
_CELL_TEXT = rf"[^<]*+(?:{_INLINE}[^<]*+)*+"
SIMPLE_ROW = re.compile(rf"<tr{_ATTRS}>((?:\s*+<t[dh]{_ATTRS}>{_CELL_TEXT}</t[dh]\s*+>)*+)\s*+</tr\s*+>", re.I)
_SIMPLE_CELL = re.compile(rf"<t[dh]({_ATTRS})>({_CELL_TEXT})</t[dh]\s*+>", re.I)
_SIMPLE_CELL_CONTENT = re.compile(rf"<t[dh]{_ATTRS}>({_CELL_TEXT})</t[dh]\s*+>", re.I)
_INNER_TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)(?:[^<>"']++|"[^"]*+"|'[^']*+')*+>""")
_TD_TAG = re.compile(r"<td[\s/>]", re.I)
_SPAN_WORD = re.compile("(?:col|row)span", re.I)
_SPACES = re.compile(r"\s+")


def _inner_tag_text(match: re.Match) -> str:
    """A tag inside a cell: a block element's start tag separates words, any other tag nothing."""
    return " " if not match.group(1) and match.group(2).lower() in BLOCKS else ""


def clean(text: str) -> str:
    """Entities decoded, whitespace runs collapsed."""
    if "&" in text:
        text = unescape(text)
    return " ".join(text.split())


def has_spans(body: str) -> bool:
    # substring tests first: they cost far less than a regex search over the row
    return (("pan" in body or "PAN" in body) and _SPAN_WORD.search(body) is not None) or "\x00" in body


def header_row(body: str) -> bool:
    return not (("<td" in body or "<TD" in body)
                or (("<Td" in body or "<tD" in body) and _TD_TAG.search(body) is not None))


def spanned_cells(body: str) -> list[tuple[str, int, int]]:
    """(text, colspan, rowspan) per cell of a row matched whole."""
    entries = []
    for attrs, content in _SIMPLE_CELL.findall(body):
        if "<" in content:
            content = _INNER_TAG.sub(_inner_tag_text, content)
        entries.append((clean(content) if content else "", *spans(attrs)))
    return entries


def plain_cells(body: str) -> list[str]:
    """The text of each cell of a row matched whole, without spans."""
    # all cells cleaned in one pass: joined by NUL (not whitespace, absent from the row)
    contents = _SIMPLE_CELL_CONTENT.findall(body)
    if not contents:
        return []
    joined = "\x00".join(contents)
    if "<" in joined:
        joined = _INNER_TAG.sub(_inner_tag_text, joined)
    if "&" in joined:
        joined = unescape(joined)
    return _SPACES.sub(" ", joined).replace(" \x00", "\x00").replace("\x00 ", "\x00").strip(" ").split("\x00")
