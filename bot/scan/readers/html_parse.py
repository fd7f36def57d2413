"""A pull parser for HTML pages: regex tokens, table rows handed over as soon as they close.

html.parser does Python work per character run and per attribute; this finds `<` with str.find,
reads a tag with one anchored regex (quoted attribute values may hold `>`), and skips comments,
declarations and script/style bodies with one search each. A row whose cells hold plain text
(the bulk of any exported table) is matched whole by one regex (html_rows.py). `step()` parses
about one chunk and appends what is ready to `out`, in source order:

- ("lines", [(line, text), ...])  visible text, broken at block elements
- ("table", TableBuilder)         the outermost table, when it opens; its rows arrive in
                                  `builder.rows` while later steps run, `builder.closed` at its end
                                  (a table nested in a cell comes whole, when it closes)
- ("pre", number, line, text, delimiter)  a <pre> block whose text is delimited (a pasted CSV)

Entities are decoded in text; script, style, template and noscript content is not visible.
"""

from __future__ import annotations

import re
from collections import deque
from html import unescape

from bot.scan.readers.html_grid import TableBuilder, spans
from bot.scan.readers.html_rows import BLOCKS, SIMPLE_ROW, has_spans, header_row, plain_cells, spanned_cells
from bot.scan.textshape import sniff_delimiter

CHUNK_CHARS = 1 << 16
LINES_PER_BLOCK = 2000
#: tables open at once (nested in cells); deeper <table> tags are ignored, their cells join the outer table
MAX_OPEN_TABLES = 64
#: how far a tag's quoted attribute values are followed looking for its end
_TAG_WINDOW = 1 << 14

#: elements whose content is never shown (their tags still nest)
_INVISIBLE = frozenset({"template", "noscript"})
#: elements whose content is raw text up to their end tag (no tags inside)
_RAW_TEXT = {"script": re.compile(r"</script[\s/>]", re.I), "style": re.compile(r"</style[\s/>]", re.I)}

#: tags that change what is read; any other tag is skipped once its end is known
_HANDLED = BLOCKS | _INVISIBLE | {"script", "style", "td", "th", "tr", "table", "caption", "pre"}
_TAG_START = re.compile(r"<(/?)([a-zA-Z][^\s/><]{0,100})")
# possessive/atomic: a failed match never backtracks into quoted values
_TAG_REST = re.compile(r"""(?:[^<>"']++|"[^"]*+"|'[^']*+')*+>""")


class PageParser:
    def __init__(self, text: str, max_line_chars: int):
        self.text = text
        self.size = len(text)
        self.pos = 0
        self.done = False
        self.max_line_chars = max_line_chars
        self.out: deque = deque()
        self.lines: list[tuple[int, str]] = []
        self._line: list[str] = []
        self._line_chars = 0
        self._line_number = 0
        self.tables: list[TableBuilder] = []
        self.table_count = 0
        #: <table> tags past MAX_OPEN_TABLES still open (their end tags close nothing)
        self._ignored_tables = 0
        self.pre_count = 0
        self._invisible: list[str] = []
        self._in_caption = False
        self._pre: list[str] | None = None
        self._pre_line = 0
        self._newline_pos = 0
        self._newline_count = 1
        #: where the tag being handled starts
        self._tag_pos = 0
        #: the first ">" at or after the last place looked from (self.size: none left)
        self._next_gt = -1

    def line_at(self, pos: int) -> int:
        """1-based source line of `pos` (positions only grow, so newlines are counted once)."""
        if pos > self._newline_pos:
            self._newline_count += self.text.count("\n", self._newline_pos, pos)
            self._newline_pos = pos
        return self._newline_count

    # --- the loop ---------------------------------------------------------------------------------

    def step(self) -> bool:
        """Parse about CHUNK_CHARS more; False when there was nothing left."""
        if self.done:
            return False
        text, size, pos = self.text, self.size, self.pos
        stop = min(size, pos + CHUNK_CHARS)
        while pos < stop:
            lt = text.find("<", pos, pos + CHUNK_CHARS)
            if lt != pos:
                end = lt if lt > 0 else self._cut(pos, min(size, pos + CHUNK_CHARS))
                self._data(pos, end)
                pos = end
                continue
            self._tag_pos = lt
            pos = self._markup(lt)
        self.pos = pos
        if pos >= size:
            self._finish()
        return True

    def _cut(self, pos: int, stop: int) -> int:
        """Where a long run of text is split: at `stop`, but never inside an entity."""
        if stop >= self.size:
            return self.size
        amp = self.text.rfind("&", max(pos, stop - 40), stop)
        return amp if amp > pos else stop

    def _markup(self, lt: int) -> int:
        """Handle the markup at `lt` (a `<`); return where the text after it starts."""
        text = self.text
        nxt = text[lt + 1:lt + 2]
        if nxt == "!" or nxt == "?":
            if text.startswith("<!--", lt):
                end = text.find("-->", lt + 4)
                return self.size if end < 0 else end + 3
            end = text.find(">", lt + 2)
            return self.size if end < 0 else end + 1
        if self.tables and nxt in "tT" and self._pre is None and not self._invisible:
            simple = SIMPLE_ROW.match(text, lt)
            if simple is not None:
                self._simple_row(simple.group(1))
                return simple.end()
        start = _TAG_START.match(text, lt)
        end = -1 if start is None else self._tag_end(start.end())
        if end < 0:  # not a tag: text up to the next "<" that may start one
            stop = self._text_until(lt)
            self._data(lt, stop)
            return stop
        name = start.group(2).lower()
        if name not in _HANDLED:
            return end
        if start.group(1):
            self._end_tag(name)
            return end
        if self._invisible:
            if name in _INVISIBLE:
                self._invisible.append(name)
            return end
        self_closing = text[end - 2] == "/"
        raw_end = _RAW_TEXT.get(name)
        if raw_end is not None and not self_closing:
            close = raw_end.search(text, end)
            if close is None:
                return self.size
            after = text.find(">", close.end() - 1)
            return self.size if after < 0 else after + 1
        self._start_tag(name, text[start.end():end - 1], self_closing)
        return end

    def _gt_from(self, pos: int) -> int:
        """The first ">" at or after `pos` (self.size when none is left), searched once per ">"."""
        gt = self._next_gt
        if gt < pos:
            gt = self.text.find(">", pos)
            self._next_gt = gt = self.size if gt < 0 else gt
        return gt

    def _text_until(self, lt: int) -> int:
        """Where text that starts with a "<" which is no tag ends.

        A tag needs a ">" within _TAG_WINDOW of its name, so no tag starts before the next ">"
        less that window: "<<<<" soup or a page with no ">" left is read in long runs, not char by char.
        """
        gt = self._gt_from(lt + 1)
        floor = max(lt + 1, gt - _TAG_WINDOW - 1)
        nxt = self.text.find("<", floor, lt + CHUNK_CHARS)
        return nxt if nxt >= 0 else self._cut(lt + 1, min(self.size, lt + CHUNK_CHARS))

    def _tag_end(self, after_name: int) -> int:
        """Where the tag whose name ends at `after_name` ends (after its ">"), or -1.

        The next ">" is cached, so a page of "<" without ">" costs one search in all. Quoted
        values may hold ">" and "<": they are followed within _TAG_WINDOW; an unterminated quote
        falls back to the first ">" (a failed quote scan needs a lone quote, so they are rare).
        """
        text = self.text
        gt = self._next_gt
        if gt < after_name:
            gt = self._gt_from(after_name)
        if gt >= self.size or gt - after_name > _TAG_WINDOW:
            return -1
        # a "<" outside quoted values means this was no tag ("if a<b then ... <p>"): text
        plain_end = gt + 1 if text.find("<", after_name, gt) < 0 else -1
        if text.find('"', after_name, gt) < 0 and text.find("'", after_name, gt) < 0:
            return plain_end
        rest = _TAG_REST.match(text, after_name, after_name + _TAG_WINDOW)
        return rest.end() if rest is not None else plain_end

    # --- tags ---------------------------------------------------------------------------------------

    def _start_tag(self, name: str, attrs: str, self_closing: bool) -> None:
        if name in _INVISIBLE:
            if not self_closing:
                self._invisible.append(name)
            return
        block = name in BLOCKS
        if block:
            self._flush_line()
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None and block:
            table.cell.append(" ")  # <br>, <p>, <li> inside a cell separate words
        if self_closing:
            return
        if name == "pre" and (table is None or table.cell is None) and self._pre is None:
            self._pre, self._pre_line = [], self.line_at(self._tag_pos)
            return
        if name == "table" and len(self.tables) < MAX_OPEN_TABLES:
            self.table_count += 1
            builder = TableBuilder(self.table_count)
            if not self.tables:
                self._flush_block()
                self.out.append(("table", builder))  # streamed: rows follow as they close
            self.tables.append(builder)
        elif table is None:
            return
        elif name == "table":
            self._ignored_tables += 1
        elif name == "tr":
            self._in_caption = False
            table.start_row()
        elif name in ("td", "th"):
            self._in_caption = False
            table.start_cell(name == "th", *spans(attrs))
        elif name == "caption":
            table.caption = []
            self._in_caption = True

    def _end_tag(self, name: str) -> None:
        if self._invisible:
            if name == self._invisible[-1]:
                self._invisible.pop()
            return
        if name in BLOCKS:
            self._flush_line()
        if name == "pre" and self._pre is not None:
            self._end_pre()
            return
        if not self.tables:
            return
        table = self.tables[-1]
        if name == "table":
            if self._ignored_tables:
                self._ignored_tables -= 1
            else:
                self._close_table()
        elif name == "tr":
            table.end_row()
        elif name in ("td", "th"):
            table.end_cell()
        elif name == "caption":
            self._in_caption = False

    def _close_table(self) -> None:
        table = self.tables.pop()
        table.end_row()
        table.closed = True
        if self.tables:
            self.out.append(("table", table))  # a nested table comes whole, after its parent opened

    def _simple_row(self, body: str) -> None:
        """A <tr> whose cells hold text and inline markup, matched whole (html_rows.py)."""
        self._flush_line()
        self._in_caption = False
        table = self.tables[-1]
        table.end_row()
        if has_spans(body):
            entries = spanned_cells(body)
            if entries:
                table.add_entries(entries, header_row(body))
            return
        cells = plain_cells(body)
        if cells:
            table.add_plain_row(cells, header_row(body))

    # --- text ---------------------------------------------------------------------------------------

    def _data(self, start: int, end: int) -> None:
        if self._invisible:
            return
        raw = self.text[start:end]
        piece = unescape(raw) if "&" in raw else raw
        if self._pre is not None:
            self._pre.append(piece)
            return
        table = self.tables[-1] if self.tables else None
        if table is not None:
            if self._in_caption and table.caption is not None:
                table.caption.append(piece)
            elif table.cell is not None:
                table.cell.append(piece)
                return
            # text loose inside a table but outside cells still reads as text
        if not self._line:
            stripped = raw.lstrip()
            if not stripped:
                return
            self._line_number = self.line_at(start + len(raw) - len(stripped))
        self._line.append(piece)
        self._line_chars += len(piece)
        if self._line_chars > self.max_line_chars:
            self._flush_line()

    def _flush_line(self) -> None:
        if self._line:
            text = " ".join("".join(self._line).split())
            if text:
                self.lines.append((self._line_number, text))
                if len(self.lines) >= LINES_PER_BLOCK:
                    self._flush_block()
            self._line, self._line_chars = [], 0

    def _flush_block(self) -> None:
        if self.lines:
            self.out.append(("lines", self.lines))
            self.lines = []

    def _end_pre(self) -> None:
        """A <pre> of delimited text becomes a table; any other keeps its line breaks as lines."""
        self.pre_count += 1
        first_line, text = _pre_block(self._pre_line, "".join(self._pre))
        self._pre = None
        delimiter = sniff_delimiter(text)
        if delimiter is None:
            for offset, line in enumerate(text.splitlines()):
                if line.strip():
                    self.lines.append((first_line + offset, line.strip()))
            if len(self.lines) >= LINES_PER_BLOCK:
                self._flush_block()
            return
        self._flush_block()
        self.out.append(("pre", self.pre_count, first_line, text, delimiter))

    def _finish(self) -> None:
        """End of input: close what the page left open."""
        self.done = True
        self._invisible.clear()
        if self._pre is not None:
            self._end_pre()
        while self.tables:
            self._close_table()
        self._flush_line()
        self._flush_block()


def _pre_block(tag_line: int, text: str) -> tuple[int, str]:
    """(source line of the block's first line, its text); a newline right after <pre> is not content."""
    if text.startswith("\r\n"):
        return tag_line + 1, text[2:]
    if text.startswith("\n"):
        return tag_line + 1, text[1:]
    return tag_line, text
