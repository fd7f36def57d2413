"""Excel workbooks (.xlsx, .xlsm) -> one Table per sheet, hidden sheets included.

openpyxl in read-only, data-only mode; the zip directory is checked first (zipcheck), and XML
parts openpyxl loads whole (shared strings, styles, workbook) are bounded in size, because a
shared-strings bomb would otherwise become millions of Python strings. defusedxml must be active
so entity declarations (billion laughs) are refused by the XML parser itself.

Rows yield `(spreadsheet row number, cells)` with typed values (numbers, datetimes); the only
per-row work is trimming trailing empty cells. The workbook is always closed: at once on any
error or when the consumer closes the parts, otherwise when the last generator reading it is
finished or dropped (base.Resource).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator

import openpyxl
import openpyxl.xml.functions
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse as safe_iterparse
from openpyxl.cell.text import Text
from openpyxl.reader.excel import SHARED_STRINGS, ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from bot.errors import LeakwatchError, LimitExceeded, UnreadableContent
from bot.scan.model import Part, Table
from bot.scan.readers.base import ReadContext, Resource, counted_rows, translate
from bot.scan.readers.tables import segments
from bot.scan.readers.zipcheck import open_checked_zip

#: XML parts openpyxl parses whole; real workbooks keep these far smaller
WHOLE_PART_MAX_BYTES = 32 << 20
#: elements read before <sheetData> while looking for hidden columns
_HEAD_ELEMENTS = 20_000
_EXCEL_COLUMNS = 16_384
_SI, _T = f"{{{SHEET_MAIN_NS}}}si", f"{{{SHEET_MAIN_NS}}}t"

# openpyxl warns about odd but readable files ("no default style"); users never need those
warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl(\..*)?$")


def defusedxml_in_force() -> bool:
    return bool(openpyxl.DEFUSEDXML) and openpyxl.xml.functions.iterparse.__module__.startswith("defusedxml")


def open_xlsx(data: bytes, ctx: ReadContext) -> Iterator[Part]:
    if not defusedxml_in_force():
        raise UnreadableContent(
            "Excel files are not read because the defusedxml protection is switched off "
            "(OPENPYXL_DEFUSEDXML must not be False)."
        )
    archive, infos = open_checked_zip(data, ctx)
    archive.close()
    for info in infos:
        outside_sheets = not info.filename.startswith("xl/worksheets/")
        if outside_sheets and info.filename.endswith((".xml", ".rels")) and info.file_size > WHOLE_PART_MAX_BYTES:
            what = "shared-strings table" if info.filename.endswith("sharedStrings.xml") else "workbook structure"
            raise LimitExceeded(
                f"This {ctx.label} has a {what} larger than {WHOLE_PART_MAX_BYTES >> 20} MB, "
                "so it was not opened (it looks built to exhaust memory)."
            )
    workbook = _load(data, ctx)
    return _sheets(workbook, Resource(workbook.close), ctx)


class _Reader(ExcelReader):
    """openpyxl's own workbook reader (load_workbook's), with the shared strings read faster.

    openpyxl builds a Text object per shared string (descriptors, validation) to take its text;
    a string that is one plain `<t>` (nearly all of them) is taken straight from the element, the
    rest (rich text runs, attributes) still go through Text.from_tree: the same strings either
    way (a test compares the two tables), about a quarter of a workbook's read time saved.
    """

    def read_strings(self):
        found = self.package.find(SHARED_STRINGS)
        if found is not None:
            with self.archive.open(found.PartName[1:]) as source:
                self.shared_strings = _string_table(source)


def _string_table(source) -> list[str]:
    strings = []
    for _, node in openpyxl.xml.functions.iterparse(source):
        if node.tag == _SI:
            if not node.attrib and len(node) == 1 and node[0].tag == _T:
                text = node[0].text or ""
            else:
                text = Text.from_tree(node).content
            strings.append(text.replace("x005F_", ""))
            node.clear()
    return strings


def _load(data: bytes, ctx: ReadContext):
    try:
        reader = _Reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        reader.read()
        return reader.wb
    except DefusedXmlException:
        raise _entity_bomb(ctx) from None
    except LeakwatchError:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds; all mean "not a workbook"
        raise _load_error(ctx, error) from None


def _load_error(ctx: ReadContext, error: BaseException) -> LeakwatchError:
    # openpyxl wraps parser errors in a ValueError: look down the chain for the real cause
    cause: BaseException | None = error
    for _ in range(10):
        if cause is None:
            break
        if isinstance(cause, DefusedXmlException):
            return _entity_bomb(ctx)
        if isinstance(cause, MemoryError | RecursionError):
            return translate(ctx, cause)
        cause = cause.__cause__ or cause.__context__
    return ctx.unreadable("it is not a valid Excel workbook (a part is missing or damaged)")


def _entity_bomb(ctx: ReadContext) -> UnreadableContent:
    return ctx.unreadable("it declares XML entities, which Excel never writes (a possible XML bomb)")


def _sheets(workbook, resource: Resource, ctx: ReadContext) -> Iterator[Part]:
    try:
        sheets = workbook.worksheets
        limit = ctx.limits.max_sheets
        if len(sheets) > limit:
            ctx.skip(f"past the {limit:,}-sheet limit of one scan",
                     f"sheets {limit + 1:,}-{len(sheets):,} of {len(sheets):,}")
            sheets = sheets[:limit]
        hidden_sheets = sum(1 for sheet in sheets if sheet.sheet_state != "visible")
        if hidden_sheets:
            ctx.notes.append(f"Read {hidden_sheets} hidden sheet{'s' if hidden_sheets > 1 else ''} too.")
        hidden_columns = 0
        for sheet in sheets:
            ctx.deadline.check(f"Reading the {ctx.label}")
            ctx.add("sheets")
            hidden = _hidden_columns(workbook, sheet)
            hidden_columns += len(hidden)
            yield from _sheet_tables(sheet, hidden, resource, ctx)
        if hidden_columns:
            ctx.notes.append(f"Read {hidden_columns} hidden column{'s' if hidden_columns > 1 else ''} too.")
    except GeneratorExit:
        resource.close()
        raise
    except DefusedXmlException:
        resource.close()
        raise _entity_bomb(ctx) from None
    except Exception as error:  # noqa: BLE001 - every library error becomes one sentence
        resource.close()
        raise translate(ctx, error) from None


def _sheet_tables(sheet, hidden_columns: set[int], resource: Resource, ctx: ReadContext) -> Iterator[Table]:
    """One Table per table on the sheet (usually one; a roster under a summary makes two)."""
    # the stored dimension may lie (and would pad or cut rows): read what is really there
    sheet.reset_dimensions()
    for segment in segments(_sheet_rows(sheet, resource)):
        yield Table(
            style="sheet",
            name=ctx.content_label(sheet.title),
            header=segment.header,
            header_row=segment.header_row,
            rows=counted_rows(segment.rows, ctx),
            hidden=sheet.sheet_state != "visible",
            hidden_columns=hidden_columns,
            title=segment.title,
            container=ctx.container,
            label_from_content=True,
        )


class _SheetParser(WorkSheetParser):
    """openpyxl's worksheet parser, with plain inline strings taken straight from the element.

    Workbooks written by openpyxl (and the web exports built on it) store text as inline strings,
    one `<is><t>` per cell, for which openpyxl builds a Text object (descriptors, validation) to
    take its text. A cell whose `<is>` holds one plain `<t>` gives the same string either way (a
    test compares the two parsers); anything else (runs, phonetics, formulas kept) is openpyxl's.
    """

    def parse_cell(self, element):
        if element.get("t") != "inlineStr" or not self.data_only or self.rich_text:
            return super().parse_cell(element)
        child = element.find(INLINE_STRING)
        if child is None or child.attrib or len(child) != 1 or child[0].tag != _T:
            return super().parse_cell(element)
        coordinate = element.get("r")
        style_id = element.get("s", 0)
        if style_id:
            style_id = int(style_id)
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return {"row": row, "column": column, "value": child[0].text or "", "data_type": "s", "style_id": style_id}


def _stored_rows(sheet) -> Iterator[tuple[int, tuple]]:
    """(row number, values) of the rows the sheet stores, as openpyxl's read-only `iter_rows`
    gives them, without the empty rows it makes up for each missing row number: a sheet whose
    rows jump from 1 to 1,000,000,000 is two rows, not a billion (a row numbered below one
    already read is dropped, as openpyxl drops it)."""
    workbook = sheet.parent
    following = 1
    with sheet._get_source() as source:
        parser = _SheetParser(source, sheet._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
                                 date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
        for number, row in parser.parse():
            if number < following:
                continue
            following = number + 1
            yield number, sheet._get_row(row, 1, None, True)


def _sheet_rows(sheet, resource: Resource) -> Iterator[tuple[int, list]]:
    try:
        for number, row in _stored_rows(sheet):
            if not row:
                continue
            if row[-1] is None:
                cells = list(row)
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    yield number, cells
                continue
            yield number, list(row)
    except GeneratorExit:
        raise
    except BaseException:
        resource.close()
        raise


def _hidden_columns(workbook, sheet) -> set[int]:
    """0-based indexes of columns marked hidden in the sheet's <cols> (read-only mode skips them)."""
    hidden: set[int] = set()
    seen = 0
    with workbook._archive.open(sheet._worksheet_path) as source:
        for event, element in safe_iterparse(source, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "end":
                element.clear()
                continue
            seen += 1
            if tag == "sheetData" or seen > _HEAD_ELEMENTS:
                break
            if tag == "col" and element.get("hidden") in ("1", "true"):
                try:
                    first, last = int(element.get("min", "0")), int(element.get("max", "0"))
                except ValueError:
                    continue
                hidden.update(range(max(first, 1) - 1, min(last, _EXCEL_COLUMNS)))
    return hidden
