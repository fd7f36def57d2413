"""Every reader checks the shared deadline as it goes: a spent budget stops it with one sentence."""

from __future__ import annotations

import json

import pytest

from bot.errors import LimitExceeded
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.readers import read_document
from tests.scan.readers import drain
from tests.scan.readers.test_archive import make_zip
from tests.scan.readers.test_pdf import report_pdf
from tests.scan.readers.test_xlsx import leak_workbook

SAMPLES = {
    "xlsx": lambda: leak_workbook(rows=1100),
    "csv": lambda: b"n,v\n" + b"".join(b"%d,x\n" % index for index in range(1100)),
    "json": lambda: json.dumps([{"id": index} for index in range(1100)]).encode(),
    "text": lambda: b"".join(b"line %d of the log\n" % index for index in range(1100)),
    "html": lambda: b"<html><body>" + b"<p>paragraph</p>\n" * 9000 + b"</body></html>",
    "pdf": lambda: report_pdf(pages=2),
    "zip": lambda: make_zip({f"f{index}.txt": b"x\n" for index in range(3)}),
}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_a_spent_deadline_stops_the_reader(kind):
    with pytest.raises(LimitExceeded) as caught:
        drain(read_document(SAMPLES[kind](), kind=kind, limits=ReadLimits(), deadline=Deadline(0)))
    message = str(caught.value)
    assert message.startswith("Reading the ") and "took longer than the 0-second limit" in message
