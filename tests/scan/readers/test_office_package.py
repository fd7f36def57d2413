"""Office packages (docx, pptx, OpenDocument) without their main part: one sentence naming it."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.errors import UnreadableContent
from tests.scan.readers import read_all
from tests.scan.readers.office_files import docx_roster, odt_roster, pptx_roster, roster


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
])
def test_a_package_without_its_main_part_is_one_sentence(make, kind, member, said):
    whole = make(roster(5))
    read_all(whole, kind=kind)  # the same file with its main part reads
    with pytest.raises(UnreadableContent) as caught:
        read_all(_without(whole, member), kind=kind)
    assert str(caught.value).endswith(f"could not be read: {said}")
