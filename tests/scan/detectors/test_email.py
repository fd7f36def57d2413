import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.email import is_role_address
from tests.scan.detectors.checks import REJECT, check_case, expect, prose_hits, short_fp

EMAIL = REGISTRY["EMAIL"]
CASES = {
    "mixed case, padded": ("  Maria.Lopez@Example.ORG ", False, "maria.lopez@example.org"),
    "no domain": ("maria.lopez@", True, REJECT),
    "no tld": ("a@b", True, REJECT),
    "double dot": ("a..b@example.org", True, REJECT),
    "text": ("not an email", True, REJECT),
}
PROSE = "write to jose.perez@example.com today"


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(EMAIL, CASES, name)


def test_role_addresses_are_an_organisations():
    expect(is_role_address("press@example.org") and is_role_address("info@example.gov"), "role addresses")
    expect(not is_role_address("maria.lopez@example.org"), "a person's address")


def test_found_in_prose():
    expect(prose_hits(EMAIL, PROSE) == [(short_fp("EMAIL", "jose.perez@example.com"), True)], "one strong email")
