"""pptx reader: slides in presentation order, shape text, tables on a grid, notes, comments, hidden
slides; hostile packages end in one sentence."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import drain, fp, read_all, tables, texts
from tests.scan.readers.office_files import (
    ROSTER_HEADER,
    as_strict,
    as_text,
    billion_laughs,
    pptx_roster,
    replace_member,
    roster,
    zip_bomb,
)

_P_NS = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'


def _blocks(parts) -> dict[str, list[str]]:
    return {part.name: [text for _, text in lines] for part, lines in texts(parts)}


def _member(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def test_roster_slide_notes_and_hidden_slide():
    rows = roster(5)
    data = pptx_roster(rows, notes="Confirm the list with the desk", hidden_second=True)
    assert sniff(data) == "pptx"
    document, parts = read_all(data)
    assert [part.name for part, _ in parts] == ["slide 1", "slide 1 table 1", "slide 1 notes", "slide 2"]
    [(table, read)] = tables(parts)
    assert (table.style, table.header, table.header_row) == ("table", ROSTER_HEADER, 1)
    assert [fp(cells) for _, cells in read] == [fp(row) for row in as_text(rows)]
    assert table.where(1, 2, 6) == 'slide 1 table 1 column "A-Number", rows 2-6'
    blocks = _blocks(parts)
    assert blocks["slide 1"] == ["Weekly roster"]
    assert fp("Confirm the list with the desk") in [fp(line) for line in blocks["slide 1 notes"]]
    assert blocks["slide 2"] == ["Contacts", "Call the office"]
    assert parts[0][0].where(1, 1) == "slide 1, line 1"
    assert "Read 1 hidden slide too." in document.notes
    assert document.counters["slides"] == 2


def test_strict_open_xml_reads_like_transitional():
    data = pptx_roster(roster(3), notes="Confirm the list")
    _, parts = read_all(as_strict(data))
    _, expected = read_all(data)
    assert [(part.name, fp(items)) for part, items in parts] == [(part.name, fp(items)) for part, items in expected]
    assert len(tables(parts)[0][1]) == 3


def test_slides_follow_the_presentation_order_not_file_names():
    data = pptx_roster(roster(2))
    presentation = _member(data, "ppt/presentation.xml")
    ids = re.findall(r"<p:sldId [^>]*/>", presentation)
    swapped = presentation.replace(ids[0] + ids[1], ids[1] + ids[0])
    _, parts = read_all(replace_member(data, "ppt/presentation.xml", swapped))
    assert [part.name for part, _ in parts][:2] == ["slide 1", "slide 2"]
    assert _blocks(parts)["slide 1"] == ["Contacts", "Call the office"]
    assert [part.name for part, _ in tables(parts)] == ["slide 2 table 1"]


def test_a_slide_file_the_presentation_does_not_list_is_read_and_noted():
    data = pptx_roster(roster(2))
    presentation = _member(data, "ppt/presentation.xml")
    second = re.findall(r"<p:sldId [^>]*/>", presentation)[1]
    document, parts = read_all(replace_member(data, "ppt/presentation.xml", presentation.replace(second, "")))
    assert _blocks(parts)["slide 2"] == ["Contacts", "Call the office"]
    assert "Read 1 slide file the presentation does not list too." in document.notes


def test_merged_table_cells_stay_on_the_grid():
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[6])
    table = slide.shapes.add_table(3, 3, Inches(1), Inches(1), Inches(6), Inches(2)).table
    for r, row in enumerate([["Name", "A-Number", "Unit"], ["Testperson Alpha", "A000000001", "North"],
                             ["Testperson Beta", "A000000002", ""]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(1, 2).merge(table.cell(2, 2))
    buffer = io.BytesIO()
    presentation.save(buffer)
    _, [(part, read)] = read_all(buffer.getvalue())
    assert part.header == ["Name", "A-Number", "Unit"]
    assert read == [(2, ["Testperson Alpha", "A000000001", "North"]), (3, ["Testperson Beta", "A000000002"])]


def test_legacy_comments_are_read():
    data = pptx_roster(roster(2))
    comments = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<p:cmLst {_P_NS}>'
                '<p:cm authorId="0" idx="1"><p:pos x="10" y="10"/><p:text>Remove the birth dates</p:text></p:cm>'
                "</p:cmLst>")
    rels = _member(data, "ppt/slides/_rels/slide1.xml.rels").replace(
        "</Relationships>", '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/comments" Target="../comments/comment1.xml"/></Relationships>')
    data = replace_member(data, "ppt/slides/_rels/slide1.xml.rels", rels, {"ppt/comments/comment1.xml": comments})
    _, parts = read_all(data)
    assert _blocks(parts)["slide 1 comments"] == ["Remove the birth dates"]


# --- hostile ---------------------------------------------------------------------------------------
def test_zip_bomb_is_refused_at_open():
    data = zip_bomb("ppt/slides/slide1.xml", "ppt/presentation.xml", size=32 << 20)
    assert sniff(data) == "pptx"
    with pytest.raises(LimitExceeded, match="looks like a zip bomb"):
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))


def test_entity_expansion_in_the_presentation_is_refused_at_open():
    data = pptx_roster(roster(2))
    presentation = _member(data, "ppt/presentation.xml").split("\n", 1)[1]
    bomb = billion_laughs("p:presentation") + presentation
    with pytest.raises(UnreadableContent) as caught:
        read_document(replace_member(data, "ppt/presentation.xml", bomb), limits=ReadLimits(), deadline=Deadline(10))
    assert str(caught.value) == ("This PowerPoint file (.pptx) could not be read: it declares an XML document type or "
                                 "entities, which office programs never write (a possible XML bomb).")


def test_entity_expansion_in_a_slide_is_refused_while_streaming():
    data = pptx_roster(roster(2))
    slide = _member(data, "ppt/slides/slide2.xml").split("\n", 1)[1].replace("Contacts", "&lol9;")
    document = read_document(replace_member(data, "ppt/slides/slide2.xml", billion_laughs("p:sld") + slide),
                             limits=ReadLimits(), deadline=Deadline(10))
    started = time.monotonic()
    with pytest.raises(UnreadableContent, match="possible XML bomb"):
        drain(document)
    assert time.monotonic() - started < 2


def test_roster_is_found_end_to_end():
    data = pptx_roster(roster(12), notes="Weekly review")
    report = scan_bytes(data, target="roster.pptx", settings=ScanSettings(fingerprint_key="k"))
    counts = {finding.type: finding.count for finding in report.findings}
    assert report.kind == "pptx" and report.error is None
    assert {kind: counts.get(kind) for kind in ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")} == {
        "A_NUMBER": 12, "PERSON_NAME": 12, "DATE_OF_BIRTH": 12}
