"""Office packages (docx, pptx, OpenDocument) that are damaged as a whole: without their main part,
or cut short. Each is one sentence naming the format, never a stack trace."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.errors import UnreadableContent
from tests.scan.readers import read_all
from tests.scan.readers.odf_files import ods, odt_roster
from tests.scan.readers.office_files import ROSTER_HEADER, docx_roster, pptx_roster, roster


def _ods_roster(rows: list[list]) -> bytes:
    return ods({"Roster": [ROSTER_HEADER, *rows]}, padding=False)


def _without(data: bytes, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != member:
                target.writestr(info, source.read(info))
    return out.getvalue()


@pytest.mark.parametrize(("make", "kind", "member", "said"), [
    (docx_roster, "docx", "word/document.xml", "it has no document part (word/document.xml is missing)."),
    (pptx_roster, "pptx", "ppt/presentation.xml", "it has no presentation part (ppt/presentation.xml is missing)."),
    (odt_roster, "odt", "content.xml", "it has no content part (content.xml is missing)."),
    (_ods_roster, "ods", "content.xml", "it has no content part (content.xml is missing)."),
])
def test_a_package_without_its_main_part_is_one_sentence(make, kind, member, said):
    whole = make(roster(5))
    read_all(whole, kind=kind)  # the same file with its main part reads
    with pytest.raises(UnreadableContent) as caught:
        read_all(_without(whole, member), kind=kind)
    assert str(caught.value).endswith(f"could not be read: {said}")


CUT_SHORT = [
    (docx_roster, 40, "docx", (0.3, 0.6, 0.9), "This Word document (.docx)"),
    (pptx_roster, 20, "pptx", (0.3, 0.6, 0.9), "This PowerPoint file (.pptx)"),
    (_ods_roster, 60, "ods", (0.4, 0.7, 0.95), "This OpenDocument spreadsheet (.ods)"),
]


@pytest.mark.parametrize(("make", "rows", "kind", "cut", "format_said"),
                         [(make, rows, kind, cut, said) for make, rows, kind, cuts, said in CUT_SHORT for cut in cuts])
def test_a_package_cut_short_is_one_sentence(make, rows, kind, cut, format_said):
    data = make(roster(rows))
    with pytest.raises(UnreadableContent) as caught:
        read_all(data[:int(len(data) * cut)], kind=kind)
    assert str(caught.value).startswith(f"{format_said} could not be read:")
