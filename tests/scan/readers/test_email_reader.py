"""E-mail: headers, body and every attachment read as a document of its own, mailboxes, Outlook .msg."""

from __future__ import annotations

import base64
import binascii
import io
import mailbox
import time
from email.message import EmailMessage

import openpyxl
import pytest

from bot.config import ScanSettings
from bot.errors import UnreadableContent
from bot.scan.limits import Deadline, ReadLimits
from bot.scan.pipeline import scan_bytes
from bot.scan.readers import read_document
from bot.scan.sniff import sniff
from tests.scan.readers import read_all, tables, texts
from tests.scan.readers.cfb import compound_file
from tests.scan.readers.test_compressed import ROSTER_HEADER, assert_roster_found, roster_csv, roster_rows


def roster_xlsx(count: int = 40, seed: int = 5) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(ROSTER_HEADER)
    for row in roster_rows(count, seed):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def message(subject: str = "Weekly roster", *, attach: bool = True) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = "Records Office <records@example.org>"
    mail["To"] = "staff@example.org"
    mail["Subject"] = subject
    mail["Date"] = "Mon, 01 Jan 2024 10:00:00 +0000"
    mail.set_content("Hello,\nthe roster is attached.\nFrom now on it comes weekly.\n")
    mail.add_alternative("<html><body><p>Hello,</p><table><tr><th>Name</th><th>Case</th></tr>"
                         "<tr><td>Testperson Alpha</td><td>7</td></tr></table></body></html>", subtype="html")
    if attach:
        mail.add_attachment(roster_xlsx(), maintype="application",
                            subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename="roster.xlsx")
        mail.add_attachment(roster_csv(10), maintype="text", subtype="csv", filename="extra.csv",
                            cte="quoted-printable")
    return mail


def containers(parts) -> list[str]:
    return [part.container for part, _ in parts]


def test_headers_html_body_and_every_attachment_with_its_place():
    data = message().as_bytes()
    assert sniff(data) == "eml"
    document, parts = read_all(data, name="mail.eml")
    assert list(dict.fromkeys(containers(parts))) == ["headers", "body.html", "attachment roster.xlsx",
                                                      "attachment extra.csv"]
    # who wrote and received it is a block of its own (not people the message exposes), then the rest
    assert parts[0][0].correspondents and not parts[1][0].correspondents
    headers = parts[0][1] + parts[1][1]
    assert [text.split(":")[0] for _, text in headers] == ["From", "To", "Subject", "Date"]
    assert parts[0][0].where(1, 2) == "headers › lines 1-2"
    by_container = {table.container: (table, rows) for table, rows in tables(parts)}
    sheet, rows = by_container["attachment roster.xlsx"]
    assert sheet.where(1, 2, 41) == "attachment roster.xlsx › Sheet1!B2:B41" and len(rows) == 40
    csv_table, rows = by_container["attachment extra.csv"]  # quoted-printable decoded
    assert csv_table.header == ROSTER_HEADER and len(rows) == 10
    html_table, _ = by_container["body.html"]
    assert html_table.header == ["Name", "Case"]  # the HTML alternative, read as HTML (the plain one not again)
    assert {"roster", "extra"} <= document.content_labels
    assert not any("attachment" in label or label == "body" for label in document.content_labels)
    assert document.skipped == []


def test_a_plain_body_is_sniffed_like_any_text():
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@example.org", "b@example.org", "list"
    mail.set_content(roster_csv(5).decode())
    _, parts = read_all(mail.as_bytes())
    [(table, rows)] = tables(parts)
    assert table.container == "body" and len(rows) == 5


def test_a_forwarded_message_is_read_one_level_deeper():
    outer = EmailMessage()
    outer["From"], outer["To"], outer["Subject"] = "c@example.org", "d@example.org", "Fwd: roster"
    outer.set_content("see below")
    outer.add_attachment(message())
    _, parts = read_all(outer.as_bytes())
    assert "attachment forwarded message 1 › attachment roster.xlsx" in containers(parts)
    document, parts = read_all(outer.as_bytes(), limits=ReadLimits(max_zip_depth=1))
    assert not any("forwarded" in (container or "") for container in containers(parts))
    assert document.skipped[0]["reason"] == "it is a message nested deeper than 1 levels"


def test_a_uuencoded_file_in_the_body():
    encoded = "".join(binascii.b2a_uu(chunk).decode() for chunk in _chunks(roster_csv(5), 45))
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = "a@example.org", "b@example.org", "old client"
    mail.set_content(f"Here it is.\n\nbegin 644 people.csv\n{encoded}`\nend\n")
    _, parts = read_all(mail.as_bytes())
    [(table, rows)] = [(t, r) for t, r in tables(parts) if t.container == "attachment people.csv"]
    assert len(rows) == 5


def _chunks(data: bytes, size: int) -> list[bytes]:
    return [data[index:index + size] for index in range(0, len(data), size)]


def test_an_mbox_written_by_the_mailbox_module(tmp_path):
    box = mailbox.mbox(tmp_path / "archive.mbox")
    for index in range(3):
        box.add(message(f"roster {index}", attach=index == 1))
    box.flush()
    box.close()
    data = (tmp_path / "archive.mbox").read_bytes()
    assert b"\n>From now on" in data  # the body's own "From " line was escaped
    assert sniff(data) == "mbox"
    document, parts = read_all(data)
    assert document.counters["messages"] == 3
    assert "message 2 › attachment roster.xlsx" in containers(parts)
    assert containers(parts).count("message 3 › headers") == 2  # correspondents, then subject and date
    [(sheet, _)] = [(t, r) for t, r in tables(parts) if t.container == "message 2 › attachment roster.xlsx"]
    assert sheet.where(2, 2, 40) == "message 2 › attachment roster.xlsx › Sheet1!C2:C40"


def test_mailbox_message_count_is_bounded():
    one = b"From a@example.org Mon Jan  1 10:00:00 2024\nFrom: a@example.org\nTo: b@example.org\n\nhi\n\n"
    document, _ = read_all(one * 12, kind="mbox", limits=ReadLimits(max_zip_entries=5))
    assert document.counters["messages"] == 5
    assert document.skipped == [{"where": "messages 6 and after", "reason": "past the 5-message limit of one mailbox"}]


def test_ten_thousand_attachments_end_in_bounded_time():
    boundary = "b0undary"
    head = (f"From: a@example.org\nTo: b@example.org\nSubject: many\nMIME-Version: 1.0\n"
            f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\n\n")
    part = (f"--{boundary}\nContent-Type: text/plain\nContent-Disposition: attachment; filename=\"f{{}}.txt\"\n"
            f"Content-Transfer-Encoding: base64\n\n{base64.b64encode(b'note line').decode()}\n")
    data = (head + "".join(part.format(index) for index in range(10_000)) + f"--{boundary}--\n").encode()
    started = time.perf_counter()
    document, parts = read_all(data)
    assert time.perf_counter() - started < 20
    assert len(parts) == 2 + 1000  # the two header blocks and the attachments read
    assert document.skipped == [{"where": "the parts after that", "reason": "past the 1,000-part limit of one message"}]


def test_deeply_nested_multiparts_are_cut_with_a_skip():
    inner = "--b\nContent-Type: text/plain\n\nbottom\n--b--\n"
    for _ in range(60):
        inner = f"--b\nContent-Type: multipart/mixed; boundary=\"b\"\n\n{inner}--b--\n"
    data = f"From: a@example.org\nTo: b@example.org\nContent-Type: multipart/mixed; boundary=\"b\"\n\n{inner}".encode()
    document, _ = read_all(data)  # ends, with or without the innermost part
    assert document.kind == "eml"


def test_an_undecodable_or_unsupported_attachment_is_listed_not_fatal():
    mail = message(attach=False)
    mail.add_attachment(b"7z\xbc\xaf\x27\x1c" + bytes(100), maintype="application", subtype="x-7z-compressed",
                        filename="secret.7z")
    mail.add_attachment(roster_csv(3), maintype="text", subtype="csv", filename="ok.csv")
    document, parts = read_all(mail.as_bytes())
    assert "attachment ok.csv" in containers(parts)
    assert document.skipped == [{"where": "attachment secret.7z", "reason": "it is a 7-Zip archive"}]


def outlook_message(*, by_reference: bool = False) -> bytes:
    def u(text: str) -> bytes:
        return text.encode("utf-16-le")

    streams = {
        "__properties_version1.0": bytes(32),
        "__substg1.0_0037001F": u("Weekly roster"),
        "__substg1.0_0C1A001F": u("Records Office"),
        "__substg1.0_5D01001F": u("records@example.org"),
        "__substg1.0_0E04001F": u("Staff"),
        "__substg1.0_1000001F": u("Hello,\nthe roster is attached.\n"),
        "__substg1.0_007D001F": u("Received: by mx\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n"),
        "__recip_version1.0_#00000000/__substg1.0_3001001F": u("Staff"),
        "__recip_version1.0_#00000000/__substg1.0_39FE001F": u("staff@example.org"),
        "__attach_version1.0_#00000000/__substg1.0_3707001F": u("roster.xlsx"),
        "__attach_version1.0_#00000000/__substg1.0_37010102": roster_xlsx(),
        "__attach_version1.0_#00000001/__substg1.0_3704001E": b"EXTRA.CSV",
        "__attach_version1.0_#00000001/__substg1.0_37010102": roster_csv(10),
        "__attach_version1.0_#00000002/__substg1.0_3001001F": u("Fwd"),
        "__attach_version1.0_#00000002/__substg1.0_3701000D/__substg1.0_0037001F": u("inner"),
        "__attach_version1.0_#00000002/__substg1.0_3701000D/__substg1.0_1000001F": u(roster_csv(4).decode()),
    }
    if by_reference:
        streams["__attach_version1.0_#00000003/__substg1.0_3707001F"] = u("share.xlsx")
    return compound_file(streams)


def test_an_outlook_msg_reads_like_an_email():
    data = outlook_message(by_reference=True)
    assert sniff(data) == "msg"
    document, parts = read_all(data)
    assert list(dict.fromkeys(containers(parts))) == ["headers", "body", "attachment roster.xlsx", "attachment EXTRA.CSV",
                                                      "attachment Fwd › headers", "attachment Fwd › body"]
    assert parts[0][0].correspondents and not parts[1][0].correspondents
    headers = [text.split(":")[0] for _, text in parts[0][1] + parts[1][1]]
    assert headers == ["From", "To", "Recipient", "Subject", "Date"]
    by_container = {table.container: rows for table, rows in tables(parts)}
    assert len(by_container["attachment roster.xlsx"]) == 40 and len(by_container["attachment Fwd › body"]) == 4
    assert document.skipped == [{"where": "attachment share.xlsx", "reason": "it is a link to a file, not the file itself"}]
    text_blocks = len(texts(parts))
    assert text_blocks == 4  # the outer headers (correspondents, subject and date), its body, the forwarded headers


def test_an_ole_file_without_message_streams_is_refused():
    with pytest.raises(UnreadableContent, match="^This Outlook message"):
        read_document(compound_file({"Other": b"x" * 10}), kind="msg", limits=ReadLimits(), deadline=Deadline(5))
    with pytest.raises(UnreadableContent, match="^This Outlook message"):
        read_document(outlook_message()[:700], kind="msg", limits=ReadLimits(), deadline=Deadline(5))


@pytest.mark.parametrize("form", ["eml", "mbox", "msg"])
def test_end_to_end_a_roster_attached_to_a_message_is_found(form, tmp_path):
    if form == "eml":
        data = message().as_bytes()
    elif form == "mbox":
        box = mailbox.mbox(tmp_path / "box.mbox")
        box.add(message("first", attach=False))
        box.add(message("second"))
        box.close()
        data = (tmp_path / "box.mbox").read_bytes()
    else:
        data = outlook_message()
    report = scan_bytes(data, target=f"mail.{form}", settings=ScanSettings(fingerprint_key="k"))
    assert report.kind == form and report.complete, (report.error, report.skipped)
    assert_roster_found(report, 35)


def test_end_to_end_a_skipped_attachment_makes_the_report_partial():
    mail = message()
    mail.add_attachment(b"Rar!\x1a\x07\x00" + bytes(64), maintype="application", subtype="x-rar", filename="more.rar")
    report = scan_bytes(mail.as_bytes(), target="mail.eml", settings=ScanSettings(fingerprint_key="k"))
    assert_roster_found(report, 35)
    assert not report.complete
    [skipped] = report.skipped  # "more" is masked where it shows: a file name may be a value
    assert skipped["where"].startswith("attachment ") and skipped["where"].endswith(".rar")
    assert skipped["reason"] == "it is a RAR archive"
