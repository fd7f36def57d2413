import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.email import is_role_address
from tests.scan.detectors.checks import REJECT, check_case, expect, prose_hits, short_fp

EMAIL = REGISTRY["EMAIL"]
CASES = {
    "mixed case, padded": ("  Maria.Lopez@Inbox-Mail.ORG ", False, "maria.lopez@inbox-mail.org"),
    "no domain": ("maria.lopez@", True, REJECT),
    "no tld": ("a@b", True, REJECT),
    "double dot": ("a..b@example.org", True, REJECT),
    "text": ("not an email", True, REJECT),
}
PROSE = "write to jose.perez@webmail-service.com today"


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(EMAIL, CASES, name)


def test_role_addresses_are_an_organisations():
    expect(is_role_address("press@example.org") and is_role_address("info@example.gov"), "role addresses")
    expect(not is_role_address("maria.lopez@inbox-mail.org"), "a person's address")


def test_found_in_prose():
    expect(prose_hits(EMAIL, PROSE) == [(short_fp("EMAIL", "jose.perez@webmail-service.com"), True)], "one strong email")


def test_addresses_on_domains_reserved_for_examples_are_nobodys():
    for address in ("jane@example.com", "test@mail.example.org", "user@host.test", "a@b.invalid", "me@localhost"):
        expect(EMAIL.parse(address, context=True) is None, "a reserved example domain")
    expect(EMAIL.parse("jane@example-company.com", context=True) == "jane@example-company.com", "a real domain")


def test_a_private_network_host_is_nobodys_mailbox():
    # the userinfo of a database URL reads like an address: postgresql://app:s3cret@db.internal:5432/x
    for address in ("s3cret@db.internal", "ops@build.corp.internal"):
        expect(EMAIL.parse(address, context=True) is None, "a private-network host")
    expect(EMAIL.parse("ana@internal-mail.org", context=True) == "ana@internal-mail.org", "a real domain")
    found = [c.normalized for c in EMAIL.find("DATABASE_URL=postgresql://app:s3cret@db.internal:5432/app")]
    expect(found == [], "a database URL holds no address")
