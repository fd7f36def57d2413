import pytest

from bot.scan.detectors import MODULES, REGISTRY
from bot.scan.report import fingerprint
from tests.scan.detectors.checks import expect

REQUIRED = {"A_NUMBER", "SSN", "ITIN", "PASSPORT", "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "DATE_OF_BIRTH",
            "PERSON_NAME", "NATIONALITY", "ADDRESS"}
#: scan-report.md's normalization table, one example per rule
SPEC = {
    "A_NUMBER": ("A-27-345-618", "027345618"),
    "SSN": ("234-56-7891", "234567891"),
    "EMAIL": (" Jane@Inbox-Mail.org", "jane@inbox-mail.org"),
    "PHONE": ("(202) 456-1414", "+12024561414"),
    "IBAN": ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    "PERSON_NAME": ("LÓPEZ,  María", "maría lópez"),
    "DATE_OF_BIRTH": ("March 5, 1990", "1990-03-05"),
}


def test_every_required_type_is_registered_once():
    expect(set(REGISTRY) >= REQUIRED, f"missing: {sorted(REQUIRED - set(REGISTRY))}")
    expect(len(REGISTRY) == len(MODULES), "one detector per module")


def test_every_detector_declares_header_and_context_words():
    missing = [d.type for d in REGISTRY.values() if not (d.header_phrases and d.context_words)]
    expect(not missing, f"without words: {missing}")


@pytest.mark.parametrize("kind", sorted(SPEC))
def test_spec_normalization_fingerprints_as_the_report_does(kind):
    key = b"spec"
    raw, normalized = SPEC[kind]
    got = REGISTRY[kind].parse(raw, context=True)
    expect(got is not None and fingerprint(kind, got, key) == fingerprint(kind, normalized, key), kind)
