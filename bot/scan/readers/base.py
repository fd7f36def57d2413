"""What every reader shares: the read context, counted/guarded iterators, and plain sentences.

Readers are split in two halves: an eager half that checks the bytes (zip directory, size, depth,
encryption) and raises at `read_document` time, and lazy generators that stream parts and rows.
Any exception a library raises while streaming is turned here into one plain sentence, so a
consumer of a Document only ever sees LeakwatchError subclasses.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import itemgetter
from typing import TypeVar

from bot.errors import LeakwatchError, LimitExceeded, UnreadableContent
from bot.scan import formats
from bot.scan.limits import Deadline, ReadLimits

T = TypeVar("T")

#: rows between two limit and deadline checks
CHECK_EVERY = 512
#: content labels remembered per read (sheets and entries are bounded well below this)
MAX_CONTENT_LABELS = 5000


#: parts left unread that are listed one by one; past this, one entry counts the rest
MAX_SKIPPED_LISTED = 100


def kind_label(kind: str) -> str:
    return formats.label(kind)


@dataclass
class ReadContext:
    """One read: its bounds and the counters/notes every nested reader adds to."""

    kind: str
    limits: ReadLimits
    deadline: Deadline
    counters: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    name: str = ""
    #: archive entry path this content came from ("export/people.csv"), None at top level
    container: str | None = None
    #: how many archives enclose this content
    depth: int = 0
    #: bytes unpacked so far from every archive of this read (shared by nested contexts)
    unzipped: list[int] = field(default_factory=lambda: [0])
    #: labels taken from the content (sheet and entry names), shared by nested contexts
    content_labels: set[str] = field(default_factory=set)
    #: parts left unread, {"where", "reason"} each, shared by nested contexts (Document.skipped)
    skipped: list[dict[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return kind_label(self.kind)

    def nested(self, *, kind: str, container: str, name: str) -> ReadContext:
        """A context for one archive entry: same bounds, counters and notes."""
        return replace(self, kind=kind, container=container, name=name, depth=self.depth + 1)

    def content_label(self, label: str) -> str:
        """Note that `label` (a sheet or entry name) came from the content; returns it."""
        if label.strip() and len(self.content_labels) < MAX_CONTENT_LABELS:
            self.content_labels.add(label.strip())
        return label

    def place(self, where: str | None = None) -> str:
        """A place in this content as a person names it: "export.zip › people.csv › sheet 3"."""
        parts = [p for p in (self.container, where) if p]
        return " › ".join(parts) if parts else (self.name or f"the {self.label}")

    def skip(self, reason: str, where: str | None = None) -> None:
        """Record a part left unread, so the scan says "partly read" and never passes it as clean.

        `reason` is a plain phrase without values ("past the 200-sheet limit"); `where` names the
        part inside this content (a sheet, a page range, an entry), prefixed with the container.
        """
        if len(self.skipped) < MAX_SKIPPED_LISTED:
            self.skipped.append({"where": self.place(where), "reason": reason})
        else:
            self.add("skipped_unlisted")  # the report counts these in one last entry

    def add(self, counter: str, amount: int = 1) -> None:
        self.counters[counter] = self.counters.get(counter, 0) + amount

    def unreadable(self, problem: str) -> UnreadableContent:
        return UnreadableContent(f"This {self.label} could not be read: {problem}.")

    def damaged(self) -> UnreadableContent:
        return self.unreadable("it is damaged or uses a structure the reader does not support")


def translate(ctx: ReadContext, error: BaseException) -> LeakwatchError:
    """A library's exception -> one plain sentence (never the library's message: it may quote content)."""
    if isinstance(error, LeakwatchError):
        return error
    if isinstance(error, MemoryError):
        return LimitExceeded(f"This {ctx.label} needs more memory to read than a scan may use.")
    if isinstance(error, RecursionError):
        return LimitExceeded(f"This {ctx.label} is nested too deeply to read.")
    return ctx.damaged()


def guarded(items: Iterator[T], ctx: ReadContext) -> Iterator[T]:
    """Pass items through; any non-Leakwatch exception becomes a plain sentence."""
    try:
        yield from items
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None


def counted_rows(rows: Iterator[tuple[int, list]], ctx: ReadContext) -> Iterator[tuple[int, list]]:
    """Table rows, counted into ctx.counters, bounded by max_rows/max_cells and the deadline.

    This is the only per-row wrapper: keep the loop body tiny (it runs once per row).
    """
    pending_rows = pending_cells = 0
    try:
        for item in rows:
            pending_rows += 1
            pending_cells += len(item[1])
            if pending_rows >= CHECK_EVERY:
                batch = pending_rows, pending_cells
                pending_rows = pending_cells = 0
                _count(ctx, *batch)
            yield item
        batch = pending_rows, pending_cells
        pending_rows = pending_cells = 0
        _count(ctx, *batch)
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
    finally:
        if pending_rows:
            ctx.add("rows", pending_rows)
            ctx.add("cells", pending_cells)


def counted_blocks(blocks: Iterator[list[tuple[int, list]]], ctx: ReadContext) -> Iterator[list[tuple[int, list]]]:
    """`counted_rows` over rows in non-empty lists: the same counts, and the same checks before
    the same rows (a list is cut there, so the rows before a limit are all handed out first).

    A consumer that stops early has the whole list it stopped in counted (counted_rows counts
    only the rows it took); every consumer in the engine reads its tables to the end.
    """
    return guarded(_counted_blocks(blocks, ctx), ctx)


def _counted_blocks(blocks: Iterator[list[tuple[int, list]]], ctx: ReadContext) -> Iterator[list[tuple[int, list]]]:
    pending = [0, 0]  # rows and cells not yet added to the counters
    try:
        for block in blocks:
            size = len(block)
            start = counted = 0  # rows of the list handed out / counted in pending or a batch
            while pending[0] + size - counted >= CHECK_EVERY:
                check = counted + CHECK_EVERY - 1 - pending[0]  # the batch's last row: checked before it goes
                if check > start:
                    pending[0] += check - counted
                    pending[1] += _cells(block, counted, check)
                    counted = check
                    yield block[start:check]
                    start = check
                batch = pending[0] + 1, pending[1] + len(block[check][1])
                pending[:] = 0, 0
                counted = check + 1
                _count(ctx, *batch)
            pending[0] += size - counted
            pending[1] += _cells(block, counted, size)
            yield block if start == 0 else block[start:]
            block = None
        batch = tuple(pending)
        pending[:] = 0, 0
        _count(ctx, *batch)
    finally:
        if pending[0]:
            ctx.add("rows", pending[0])
            ctx.add("cells", pending[1])


def _cells(block: list[tuple[int, list]], start: int, end: int) -> int:
    """Cells in rows start..end of a list (in C: no Python step per row)."""
    if start == 0 and end == len(block):
        return sum(map(len, map(itemgetter(1), block)))
    return sum(map(len, map(itemgetter(1), islice(block, start, end))))


def _count(ctx: ReadContext, rows: int, cells: int) -> None:
    """Add a batch of rows to the counters, then enforce the bounds."""
    ctx.add("rows", rows)
    ctx.add("cells", cells)
    limits = ctx.limits
    if ctx.counters["rows"] > limits.max_rows or ctx.counters["cells"] > limits.max_cells:
        raise LimitExceeded(
            f"This {ctx.label} has more than {limits.max_rows:,} rows or {limits.max_cells:,} cells, "
            "more than one scan reads."
        )
    ctx.deadline.check(f"Reading the {ctx.label}")


def counted_lines(lines: Iterator[tuple[int, str]], ctx: ReadContext) -> Iterator[tuple[int, str]]:
    """TextBlock lines, counted as "lines", with the deadline checked every few hundred lines."""
    pending = 0
    try:
        for item in lines:
            pending += 1
            if pending >= CHECK_EVERY:
                ctx.add("lines", pending)
                pending = 0
                ctx.deadline.check(f"Reading the {ctx.label}")
            yield item
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
    finally:
        ctx.add("lines", pending)


class Resource:
    """Something a lazy reader must close (an open workbook), closed exactly once.

    Generators that stream from it hold a reference; when the last one is finished or dropped
    (a consumer that stops early), `__del__` closes it. Errors close it at once.
    """

    def __init__(self, close: Callable[[], object]):
        self._close: Callable[[], object] | None = close

    def close(self) -> None:
        close, self._close = self._close, None
        if close is not None:
            with contextlib.suppress(Exception):  # closing must never mask the real outcome
                close()

    @property
    def closed(self) -> bool:
        return self._close is None

    def __del__(self) -> None:
        self.close()
