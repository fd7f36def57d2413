"""The workbook reader's shared-strings table is openpyxl's, string for string.

A table with every shape a shared string takes (plain, empty, spaces kept, rich text runs,
phonetic runs, escaped `_x005F_`, attributes, several `<t>`), and the tables of workbooks written
by openpyxl with rich text, are read both ways."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.reader.strings import read_string_table

from bot.scan.readers.xlsx import _string_table

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TABLE = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="{NS}" count="12" uniqueCount="12">
<si><t>Maria Lopez</t></si>
<si><t/></si>
<si><t xml:space="preserve">  two spaces  </t></si>
<si><r><t>Rich </t></r><r><rPr><b/><sz val="11"/></rPr><t>text</t></r></si>
<si><t>base</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh><phoneticPr fontId="1"/></si>
<si><t>a_x005F_x000D_b</t></si>
<si><t>first</t><t>second</t></si>
<si><r><t>run</t></r></si>
<si></si>
<si><t>line one
line two</t></si>
<si><r><t xml:space="preserve"> </t></r><t>plain after</t></si>
<si><t>123-45-6789</t></si>
</sst>"""


def test_every_shape_of_shared_string_reads_as_openpyxl_reads_it():
    ours = _string_table(io.BytesIO(TABLE.encode("utf-8")))
    theirs = read_string_table(io.BytesIO(TABLE.encode("utf-8")))
    assert len(ours) == 12 and ours == theirs


def test_a_workbook_with_rich_text_reads_the_same():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Note"])
    for index in range(50):
        rich = CellRichText(["Testperson ", TextBlock(InlineFont(b=True), f"Number{index}"), " end"])
        sheet.append([f"Person {index}", rich])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        names = [n for n in archive.namelist() if n.endswith("sharedStrings.xml")]
        if not names:  # openpyxl writes inline strings in some versions: nothing to compare then
            return
        body = archive.read(names[0])
    assert _string_table(io.BytesIO(body)) == read_string_table(io.BytesIO(body))


SHEET = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{NS}"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>Maria Lopez</t></is></c><c r="B1" t="inlineStr"><is><t/></is></c>
<c r="C1" t="inlineStr"><is><t xml:space="preserve">  two spaces  </t></is></c></row>
<row r="2"><c r="A2" t="inlineStr"><is><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r></is></c>
<c r="B2" t="inlineStr"><is><t>base</t><rPh sb="0" eb="1"><t>ふりがな</t></rPh></is></c>
<c r="C2" t="inlineStr" s="1"><is><t>a_x005F_x000D_b</t></is></c></row>
<row r="3"><c t="inlineStr"><is><t>no coordinate</t></is></c><c t="inlineStr"><is><t>next</t></is></c>
<c r="E3" t="inlineStr"><is></is></c><c r="F3" t="inlineStr"/><c r="G3" t="inlineStr"><is><t>first</t><t>second</t></is></c></row>
<row r="4"><c r="A4" t="inlineStr"><f>"x"</f><is><t>with a formula</t></is></c><c r="B4"><v>12</v></c>
<c r="C4" t="inlineStr"><is><t>line one
line two</t></is></c></row>
</sheetData></worksheet>"""


def _cells(parser_class, data_only=True):
    parser = parser_class(io.BytesIO(SHEET.encode("utf-8")), [], data_only=data_only)
    return [(number, cells) for number, cells in parser.parse()]


def test_every_shape_of_inline_string_parses_as_openpyxl_parses_it():
    from openpyxl.worksheet._reader import WorkSheetParser

    from bot.scan.readers.xlsx import _SheetParser

    for data_only in (True, False):
        ours, theirs = _cells(_SheetParser, data_only), _cells(WorkSheetParser, data_only)
        assert ours == theirs and sum(len(cells) for _, cells in ours) == 14


def test_a_workbook_openpyxl_writes_with_inline_strings_reads_the_same_rows():
    from openpyxl import load_workbook

    from tests.scan.readers import read_all, tables

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Note", "Count"])
    for index in range(40):
        sheet.append([f"Person {index}", f"  kept spaces {index} " if index % 3 else "", index])
    buffer = io.BytesIO()
    workbook.save(buffer)
    expected = [[v for v in row] for row in load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
                .active.iter_rows(values_only=True)]
    _, parts = read_all(buffer.getvalue())
    [(table, rows)] = tables(parts)
    got = [table.header] + [cells for _, cells in rows]
    assert [[c for c in row if c not in (None, "")] for row in got] == \
           [[c for c in row if c not in (None, "")] for row in expected]
