"""Running text, one class of the issue at a time (prose.py with the detectors): token edges, which
type wins a span, letters inside an identifier, labels, and what is said about uncounted values."""

from __future__ import annotations

from bot.scan.prose import ProseScanner
from bot.scan.report import fingerprint

SCANNER = ProseScanner()
KEY = b"k"


def kinds(text: str) -> list[str]:
    return [hit.type for hit in SCANNER.scan(text).hits]


def fingerprints(text: str, kind: str) -> set[str]:
    return {fingerprint(kind, h.normalized, KEY) for h in SCANNER.scan(text).hits if h.type == kind}


def test_a_pattern_never_keeps_a_word_of_the_sentence():
    assert fingerprints("my passport number is 912803456", "PASSPORT") == {fingerprint("PASSPORT", "912803456", KEY)}
    iban = "GB33BUKB20201555555555"
    assert fingerprints("IBAN GB33 BUKB 2020 1555 5555 55 in March", "IBAN") == {fingerprint("IBAN", iban, KEY)}


def test_the_label_right_before_a_span_decides_its_type():
    assert kinds("Passport: A12803456") == ["PASSPORT"]
    assert kinds("A-number: A128034567") == ["A_NUMBER"]


def test_letters_inside_an_account_number_are_no_name():
    assert "PERSON_NAME" not in kinds("Refund to IBAN GB82 WEST 1234 5698 7654 32 today")


def test_a_catalog_label_vetoes_an_identifier_shape():
    assert kinds("Part no. A95156744 ships Monday.") == []
    assert kinds("Ticket 565-64-7635 closed.") == []
    assert kinds("Work orders 2024-56-7890 closed") == []
    assert kinds("Bank account NL91ABNA0417164300 closed.") == ["IBAN"]  # the type's own word is closer


def test_several_cards_on_one_line_and_plural_labels():
    assert kinds("Cards: 4539 1488 0343 6467 and 5425 2334 3010 9903 on file") == ["CREDIT_CARD", "CREDIT_CARD"]


def test_phone_digits_without_separators_need_a_phone_word():
    assert kinds("call me at 2024561414 tomorrow") == ["PHONE"]
    assert kinds("batch 2024561414 done") == []


def test_addresses_in_any_script():
    assert kinds("write to josé@correo.españa.es or maria@bücher.de") == ["EMAIL", "EMAIL"]


def test_values_left_uncounted_for_want_of_a_label_are_said_once():
    from bot.config import ScanSettings
    from bot.scan.pipeline import scan_bytes

    text = b"We sent 234567891 on Monday.\nThen 345678912 came back.\nFinally 456789123 was filed.\n"
    report = scan_bytes(text, target="t", settings=ScanSettings(fingerprint_key="k"))
    said = [r for r in report.reasons if "Social Security numbers were not counted" in r]
    assert report.findings == [] and len(said) == 1 and said[0].startswith("3 values")


def test_compressed_and_ipv4_mapped_ipv6_addresses():
    found = {h.normalized for h in SCANNER.scan("login from ::ffff:8.8.4.4 and 2001:4860:4860::8888 ok").hits}
    assert found == {"8.8.4.4", "2001:4860:4860::8888"}  # a mapped address is the IPv4 client it carries
    assert kinds("error at line 10::20, time 12:30:45") == []


def test_a_longer_identifier_beats_a_shorter_one_found_inside_it():
    import random

    from bot.scan.detectors import REGISTRY
    from tests.sentences import _iban_check

    rng = random.Random(1)
    while True:  # a German IBAN whose 4-digit groups also read as a valid card number
        bban = "".join(rng.choice("0123456789") for _ in range(18))
        grouped = " ".join(f"DE{_iban_check('DE', bban)}{bban}"[i:i + 4] for i in range(0, 22, 4))
        if REGISTRY["CREDIT_CARD"].parse(grouped[5:24], context=False):
            break
    assert kinds(f"Refund sent to {grouped} today") == ["IBAN"]  # no label: the longer reading wins


def test_a_contact_on_an_organisations_letterhead_is_nobodys():
    letterhead = SCANNER.scan("HARGROVE & MBEKI LLP · 1420 K Street NW, Suite 600 · Tel. (404) 430-9496")
    assert letterhead.people == [] and letterhead.organisation
    assert len(SCANNER.scan("Reach me at (404) 430-9496 after six").people) == 1
