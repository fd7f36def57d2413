"""Self-check of the held-out corpus, without the scanner: the truth is what the files hold.

For every file: each identifier as written is found again in the text read back by the library
that wrote it; the truth is exactly the normalized written forms; every value is valid for its
type (SSA rules, ITIN groups, Luhn with a real issuer prefix and no published test number,
IBAN mod-97, a number `phonenumbers` calls valid and not NANP 555-01xx, no reserved mail domain,
A-numbers of 8-9 digits). Messages name files, types and counts only.
"""

from __future__ import annotations

import re

import phonenumbers
import pytest
from stdnum import iban as stdnum_iban

from tests.heldout import generate_heldout, heldout_names
from tests.heldout.ids import BAD_SSNS, CARD_PREFIXES, RESERVED_MAIL, TEST_CARDS, luhn_ok, normalize
from tests.heldout.readback import text_of

SCALE = 0.5


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return {e.name: e for e in generate_heldout(tmp_path_factory.mktemp("heldout_self"), scale=SCALE)}


def _valid(kind: str, value: str) -> bool:
    if kind == "SSN":
        area, group, serial = int(value[:3]), int(value[3:5]), int(value[5:])
        return (len(value) == 9 and 0 < area < 900 and area != 666 and group > 0 and serial > 0
                and value not in BAD_SSNS)
    if kind == "ITIN":
        group = int(value[3:5])
        return len(value) == 9 and value[0] == "9" and (50 <= group <= 65 or 70 <= group <= 88 or group in
                                                         (90, 91, 92, 94, 95, 96, 97, 98, 99))
    if kind == "CREDIT_CARD":
        prefixes = [p for group in CARD_PREFIXES.values() for p in group]
        return luhn_ok(value) and value not in TEST_CARDS and any(value.startswith(p) for p in prefixes)
    if kind == "IBAN":
        return stdnum_iban.is_valid(value)
    if kind == "PHONE":
        number = phonenumbers.parse(value)
        national = phonenumbers.national_significant_number(number)
        fictional = number.country_code == 1 and national[3:6] == "555" and national[6:8] == "01"
        return phonenumbers.is_valid_number(number) and not fictional
    if kind == "EMAIL":
        return re.fullmatch(r"[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+", value) is not None and not RESERVED_MAIL.search(value)
    if kind == "A_NUMBER":
        return len(value) == 9 and value.isdigit() and value != "000000000"
    if kind == "PASSPORT":
        return re.fullmatch(r"[A-Z0-9]{7,9}", value) is not None
    return False


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", heldout_names())
def test_truth_is_in_the_file(name, corpus):
    entry = corpus[name]
    text = text_of(entry.path, entry.format)
    squashed = _squash(text)
    flat = " ".join(text.split())
    for kind, forms in entry.rendered.items():
        if entry.format == "pdf":
            missing = [f for f in forms if _squash(f) not in squashed]
        else:
            missing = [f for f in forms if " ".join(f.split()) not in flat]
        assert not missing, f"{name}: {len(missing)} of {len(forms)} {kind} values not found in the file read back"
        assert {normalize(kind, f) for f in forms} == entry.identifiers[kind], f"{name}: {kind} truth != written forms"
        invalid = sum(not _valid(kind, v) for v in entry.identifiers[kind])
        assert not invalid, f"{name}: {invalid} invalid {kind} values"
    assert set(entry.identifiers) == set(entry.rendered), f"{name}: truth types differ from written types"


def test_corpus_shape(corpus):
    leaks = [e for e in corpus.values() if e.is_leak]
    looks = [e for e in corpus.values() if not e.is_leak]
    assert len(leaks) >= 25 and len(looks) >= 15
    assert len({e.format for e in corpus.values()}) >= 15
    for e in leaks:
        assert e.people > 0 and e.identifiers, e.name
    for e in looks:
        assert e.max_severity in ("low", "medium"), e.name
