"""docx reader: body paragraphs and tables on a true grid, tracked deletions, text boxes, headers,
footnotes and comments; hostile packages end in one sentence."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from bot.config import ScanSettings
from bot.errors import LimitExceeded, UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import drain, fp, read_all, tables, texts, traced_peak
from tests.scan.readers.office_files import (
    ROSTER_HEADER,
    W_NS,
    as_strict,
    as_text,
    billion_laughs,
    docx_roster,
    docx_with_body,
    replace_member,
    roster,
    tracked_docx,
    w_cell,
    w_p,
    w_r,
    zip_bomb,
)


def _blocks(parts) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for part, lines in texts(parts):
        found.setdefault(part.name, []).extend(text for _, text in lines)
    return found


def test_roster_table_and_paragraphs():
    rows = roster(5)
    data = docx_roster(rows, before=["Intake list", ""], after=["Reviewed weekly"])
    assert sniff(data) == "docx"
    document, parts = read_all(data)
    assert [(type(part).__name__, part.name) for part, _ in parts] == [
        ("TextBlock", "body"), ("Table", "table 1"), ("TextBlock", "body")]
    (_, first), (table, read), (_, last) = parts
    assert first == [(1, "Intake list")] and last == [(3, "Reviewed weekly")]  # the empty paragraph is number 2
    assert (table.style, table.header, table.header_row) == ("table", ROSTER_HEADER, 1)
    assert [fp(cells) for _, cells in read] == [fp(row) for row in as_text(rows)]
    assert table.where(1, 2, 6) == 'table 1 column "A-Number", rows 2-6'
    assert parts[0][0].where(1, 1) == "body, line 1"
    assert document.counters["rows"] == 5


def test_strict_open_xml_reads_like_transitional():
    data = docx_roster(roster(3), before=["Intake list"])
    strict = as_strict(data)
    assert b"purl.oclc.org/ooxml/wordprocessingml" in zipfile.ZipFile(io.BytesIO(strict)).read("word/document.xml")
    _, parts = read_all(strict)
    _, expected = read_all(data)
    assert [(part.name, fp(items)) for part, items in parts] == [(part.name, fp(items)) for part, items in expected]
    assert len(tables(parts)[0][1]) == 3


def test_tracked_deletion_header_and_comment_are_read():
    document, parts = read_all(tracked_docx())
    blocks = _blocks(parts)
    assert [fp(line) for line in blocks["body"]] == [fp("Intake list for Rosa Torres"), fp("Reviewed weekly")]
    assert [fp(line) for line in blocks["header 1"]] == [fp("Field office copy")]
    assert [fp(line) for line in blocks["comments"]] == [fp("Ask the front desk")]
    assert "Read tracked changes (deleted text) too." in document.notes
    [(table, read)] = tables(parts)
    assert table.header == ROSTER_HEADER and len(read) == 4


def test_merged_cells_land_on_a_true_grid():
    restart, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = ("<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
            "<w:tr>" + w_cell("Name") + w_cell("A-Number") + w_cell("Unit") + "</w:tr>"
            "<w:tr>" + w_cell("Testperson Alpha") + w_cell("A000000001") + w_cell("North", restart) + "</w:tr>"
            "<w:tr>" + w_cell("Testperson Beta") + w_cell("A000000002") + w_cell("", cont) + "</w:tr>"
            '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + w_cell("A000000003") + w_cell("South") + "</w:tr>"
            "<w:tr>" + w_cell("Summary", '<w:gridSpan w:val="2"/>') + w_cell("East") + "</w:tr></w:tbl>")
    _, [(table, read)] = read_all(docx_with_body(body))
    assert table.header == ["Name", "A-Number", "Unit"]
    assert read == [(2, ["Testperson Alpha", "A000000001", "North"]), (3, ["Testperson Beta", "A000000002"]),
                    (4, [None, "A000000003", "South"]), (5, ["Summary", None, "East"])]


def test_nested_table_is_flattened_into_its_cell():
    inner = "<w:tbl><w:tr>" + w_cell("a") + w_cell("b") + "</w:tr><w:tr>" + w_cell("c") + "</w:tr></w:tbl>"
    body = ("<w:tbl><w:tr>" + w_cell("Name") + w_cell("Detail") + "</w:tr><w:tr>" + w_cell("Testperson Alpha")
            + "<w:tc>" + w_p(w_r("before")) + inner + "</w:tc></w:tr></w:tbl>" + w_p(w_r("after the table")))
    _, parts = read_all(docx_with_body(body))
    [(table, read)] = tables(parts)
    assert read == [(2, ["Testperson Alpha", "before\na\tb\nc"])]
    assert _blocks(parts) == {"body": ["after the table"]}


def test_text_box_read_once_tabs_breaks_and_field_codes():
    box = "<w:txbxContent>" + w_p(w_r("boxed text")) + "</w:txbxContent>"
    body = (w_p(w_r("Before"), f"<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>{box}</w:drawing>"
                f"</mc:Choice><mc:Fallback><w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>",
                w_r(" after"))
            + '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            + "<w:r><w:t>Name</w:t><w:tab/><w:t>Alpha</w:t><w:br/><w:t>next</w:t></w:r></w:p>"
            + '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r></w:p>'
            + '<w:p><w:ins w:id="1" w:author="R"><w:r><w:t>inserted</w:t></w:r></w:ins></w:p>')
    _, parts = read_all(docx_with_body(body))
    assert _blocks(parts) == {"body": ["boxed text", "Before after", "Name\tAlpha next", "7", "inserted"]}


def test_hidden_text_is_read_and_noted():
    body = w_p('<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden words</w:t></w:r>')
    document, parts = read_all(docx_with_body(body))
    assert _blocks(parts) == {"body": ["hidden words"]}
    assert "Read hidden (vanished) text too." in document.notes


def test_footnotes_and_endnotes_are_their_own_blocks():
    notes = (f'<?xml version="1.0" encoding="UTF-8"?>\n<w:footnotes {W_NS}><w:footnote w:type="separator" w:id="-1">'
             '<w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1">'
             + w_p(w_r("Source: intake desk")) + "</w:footnote></w:footnotes>")
    data = replace_member(docx_with_body(w_p(w_r("Body"))), "", "", {"word/footnotes.xml": notes,
                                                                      "word/endnotes.xml": notes.replace("footnote", "endnote")})
    _, parts = read_all(data)
    assert _blocks(parts) == {"body": ["Body"], "footnotes": ["Source: intake desk"], "endnotes": ["Source: intake desk"]}


# --- hostile ---------------------------------------------------------------------------------------
def test_zip_bomb_is_refused_at_open():
    data = zip_bomb("word/document.xml", "[Content_Types].xml", size=32 << 20)
    assert sniff(data) == "docx"
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="looks like a zip bomb"):
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))
    assert time.monotonic() - started < 2


def test_entity_expansion_in_the_body_is_refused_at_open():
    data = docx_with_body(w_p(w_r("&lol9;")), prolog=billion_laughs("w:document").split("\n", 1)[1])
    with pytest.raises(UnreadableContent) as caught:
        read_document(data, limits=ReadLimits(), deadline=Deadline(10))
    assert str(caught.value) == ("This Word document (.docx) could not be read: it declares an XML document type or "
                                 "entities, which office programs never write (a possible XML bomb).")


def test_entity_expansion_in_a_header_is_refused_while_streaming():
    header = billion_laughs("w:hdr") + f"<w:hdr {W_NS}>" + w_p(w_r("&lol9;")) + "</w:hdr>"
    data = replace_member(docx_with_body(w_p(w_r("Body"))), "", "", {"word/header1.xml": header})
    document = read_document(data, limits=ReadLimits(), deadline=Deadline(10))
    started = time.monotonic()
    with pytest.raises(UnreadableContent, match="possible XML bomb"):
        drain(document)
    assert time.monotonic() - started < 2


def test_huge_grid_span_is_bounded():
    body = ("<w:tbl><w:tr>" + w_cell("Name") + w_cell("Code") + "</w:tr><w:tr>"
            + w_cell("Testperson Alpha", '<w:gridSpan w:val="2000000000"/>') + w_cell("X")
            + w_cell("Y", '<w:gridSpan w:val="999999999"/>') + "</w:tr></w:tbl>")
    started = time.monotonic()
    document, [(_, read)] = read_all(docx_with_body(body))
    assert time.monotonic() - started < 2
    assert read == [(2, ["Testperson Alpha"])]
    assert document.skipped == [{"where": "body", "reason": "cells past column 16,384"}]


@pytest.mark.parametrize("depth", [100, 20_000])  # 20,000 stays under the 1 MB zip-ratio floor
def test_deeply_nested_tables_end_in_one_sentence(depth):
    body = ("<w:tbl><w:tr><w:tc>" * depth) + w_p(w_r("x")) + ("</w:tc></w:tr></w:tbl>" * depth)
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="nests paragraphs or tables more than 64 levels"):
        read_all(docx_with_body(body))
    assert time.monotonic() - started < 5


def test_spent_deadline_stops_the_read():
    document = read_document(docx_roster(roster(30)), limits=ReadLimits(), deadline=Deadline(0))
    with pytest.raises(LimitExceeded, match="took longer than"):
        drain(document)


def test_memory_stays_flat_as_the_document_grows():
    def document(paragraphs: int) -> bytes:
        return docx_with_body("".join(w_p(w_r(f"Paragraph {index} of the intake notes")) for index in range(paragraphs)))

    small, large = traced_peak(document(2_000)), traced_peak(document(40_000))
    assert large < small + 1024 * 1024, (small, large)


def test_roster_is_found_end_to_end():
    data = docx_roster(roster(12), before=["Weekly intake list"])
    report = scan_bytes(data, target="roster.docx", settings=ScanSettings(fingerprint_key="k"))
    counts = {finding.type: finding.count for finding in report.findings}
    assert report.kind == "docx" and report.error is None
    assert {kind: counts.get(kind) for kind in ("A_NUMBER", "PERSON_NAME", "DATE_OF_BIRTH")} == {
        "A_NUMBER": 12, "PERSON_NAME": 12, "DATE_OF_BIRTH": 12}
