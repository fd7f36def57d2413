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
