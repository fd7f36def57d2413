"""Legacy Excel workbooks (.xls, BIFF 5-8 in an OLE2 file) -> one Table per sheet, via xlrd.

Contract: `open_xls(data, ctx)` opens the workbook eagerly with xlrd (on_demand: only the
workbook globals and shared strings are parsed at open; each sheet when it is reached, and
released after). A password-protected workbook, or bytes xlrd cannot read, is refused with one
sentence (never xlrd's message); xlrd's own log output is swallowed.
- Each sheet up to limits.max_sheets is a Table (style "sheet", name = the sheet's name, rows
  numbered 1-based like Excel, trailing empty cells dropped, empty rows left out so headers.py
  can split a roster from a summary). Sheets past the limit are recorded as skipped.
- Cells stay typed: numbers as int when whole, else float; date cells as datetime, or date when
  the time is midnight (converted with the workbook's date mode; an impossible date keeps its
  number); booleans as bool; error cells empty.
- Hidden and very hidden sheets are read, marked hidden and noted. Cell notes (comments) become a
  TextBlock "<sheet> comments", one line per note in row order. Hidden rows and columns are read
  like the rest but not marked (xlrd knows them only with formatting_info, which costs memory).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import time

from bot.errors import LeakwatchError, UnreadableContent
from bot.scan.model import Part, Table, TextBlock
from bot.scan.readers.base import ReadContext, Resource, counted_lines, counted_rows, translate
from bot.scan.readers.tables import segments

# xlrd cell types
_EMPTY, _TEXT, _NUMBER, _DATE, _BOOLEAN, _ERROR, _BLANK = range(7)


class _Quiet(io.StringIO):
    """xlrd's logfile: its warnings may quote content, so they go nowhere."""

    def write(self, text: str) -> int:
        return len(text)


def open_xls(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, ragged_rows=True, logfile=_Quiet(),
                                  verbosity=0)
    except xlrd.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise ctx.unreadable("it is password-protected") from None
        raise _not_a_workbook(ctx) from None
    except (MemoryError, RecursionError, LeakwatchError) as error:
        raise translate(ctx, error) from None
    except Exception:  # noqa: BLE001 - xlrd raises struct, index and assertion errors on damage
        raise _not_a_workbook(ctx) from None
    return _sheets(book, Resource(book.release_resources), ctx)


def _not_a_workbook(ctx: ReadContext) -> UnreadableContent:
    return ctx.unreadable("it is not a valid Excel 97-2003 workbook (a part is missing or damaged)")


def _sheets(book, resource: Resource, ctx: ReadContext) -> Iterator[Part]:
    try:
        count, limit = book.nsheets, ctx.limits.max_sheets
        if count > limit:
            ctx.skip(f"past the {limit}-sheet limit of one scan", f"sheets {limit + 1}-{count} of {count}")
        hidden_sheets = 0
        for index in range(min(count, limit)):
            ctx.deadline.check(f"Reading the {ctx.label}")
            sheet = book.sheet_by_index(index)
            ctx.add("sheets")
            hidden = sheet.visibility != 0
            hidden_sheets += hidden
            name = ctx.content_label(sheet.name)
            rows = _rows(sheet, book.datemode)
            for segment in segments(rows):
                yield Table(style="sheet", name=name, header=segment.header, header_row=segment.header_row,
                            rows=counted_rows(segment.rows, ctx), hidden=hidden, title=segment.title,
                            container=ctx.container, label_from_content=True)
            for _ in rows:  # a sheet the consumer left early
                pass
            notes = _notes(sheet)
            if notes:
                yield TextBlock(name=f"{name} comments", lines=counted_lines(enumerate(notes, 1), ctx),
                                container=ctx.container, style="page", label_from_content=True)
            book.unload_sheet(index)
        if hidden_sheets:
            ctx.notes.append(f"Read {hidden_sheets} hidden sheet{'s' if hidden_sheets > 1 else ''} too.")
    except GeneratorExit:
        raise
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        raise translate(ctx, error) from None
    finally:
        resource.close()


def _rows(sheet, datemode: int) -> Iterator[tuple[int, list]]:
    for rowx in range(sheet.nrows):
        types, values = sheet.row_types(rowx), sheet.row_values(rowx)
        last = len(types)
        while last and (types[last - 1] in (_EMPTY, _BLANK, _ERROR)
                        or (types[last - 1] == _TEXT and not values[last - 1])):
            last -= 1
        if last:
            yield rowx + 1, [_cell(types[col], values[col], datemode) for col in range(last)]


def _cell(kind: int, value: object, datemode: int) -> object:
    if kind == _TEXT:
        return value or None
    if kind == _NUMBER:
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    if kind == _DATE:
        return _date(value, datemode)
    if kind == _BOOLEAN:
        return bool(value)
    return None


def _date(value: float, datemode: int) -> object:
    from xlrd import xldate

    try:
        moment = xldate.xldate_as_datetime(value, datemode)
    except (ValueError, OverflowError, xldate.XLDateError):
        return value
    return moment.date() if moment.time() == time(0) else moment


def _notes(sheet) -> list[str]:
    found = getattr(sheet, "cell_note_map", None) or {}
    lines = []
    for key in sorted(found):
        text = " ".join((getattr(found[key], "text", "") or "").split())
        if text:
            lines.append(text)
    return lines

