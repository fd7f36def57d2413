"""The prose scanner: names beside identifiers, officials, office contacts, people keys.

Lines live in a table; tests refer to them by name, and failures show counts and types only.
"""

from bot.scan.prose import ProseScanner
from tests.scan.detectors.checks import expect

LINES = {
    "name then id": "1. Xiomara HERNÁNDEZ (A-273-456-189) was moved to Red Mesa Processing Center.",
    "last, first": "LOPEZ GARCIA, Maria, A273456189, born 03/15/1990, transferred on June 2.",
    "honorific": "Ms. Wideline Saint-Fleur, A# 23456718, is held at Cold Creek County Jail.",
    "id then name (listing)": "A027345618  KULKARNI, GURPREET   INDIA   03/15/1990",
    "two people": "Maria Lopez (A-273-456-189) and Jose Perez (A-223-456-789) were moved.",
    "name with two ids": "Maria Lopez (A-273-456-189), SSN 234-56-7891, was released.",
    "official": '"We moved 1,204 people in 2025," said Acting Director Jane Smith, A-File unit.',
    "official with an id": "Director Jane Smith signed the order for A-273-456-189 on Monday.",
    "official's line": "John Doe, Deputy Director, (202) 456-1414, john.doe@example.gov",
    "switchboard": "Main switchboard: (202) 456-1414. Press inquiries: press@agency-mail.gov.",
    "personal phone": "Maria Lopez, cell (202) 456-1414, A-273-456-189.",
    "bare ssn without context": "Reference 234567891 was closed on 03/15/1990.",
    "bare ssn with context": "Her SSN is 234567891.",
    "country, no person": "Nationals of Guatemala and Honduras made up 40 percent.",
    "name label": "Detainee name: Wideline Saint-Fleur",
    "spanish": "- la Sra. Rosaura Ordóñez Núñez, de nacionalidad peruana, Número A: A273456189, nacida el 15/03/1990.",
}


def scan(name: str, **context):
    return ProseScanner().scan(LINES[name], **context)


def types(result) -> set:
    return {h.type for h in result.hits}


def test_names_beside_ids_are_people():
    for name in ("name then id", "last, first", "honorific", "id then name (listing)", "spanish"):
        result = scan(name)
        expect("PERSON_NAME" in types(result) and "A_NUMBER" in types(result), f"{name}: types {sorted(types(result))}")
        expect(len(result.people) == 1, f"{name}: {len(result.people)} people")


def test_attributes_beside_a_person():
    expect("CUSTODY_LOCATION" in types(scan("name then id")), "facility beside a person")
    expect("DATE_OF_BIRTH" in types(scan("last, first")), "birth date beside a person")
    expect("NATIONALITY" in types(scan("spanish")), "demonym after 'de nacionalidad'")


def test_a_named_person_is_keyed_by_their_id():
    for name in ("name then id", "last, first", "honorific", "id then name (listing)"):
        result = scan(name)
        kinds = [kind for kind, _ in result.people]
        expect(kinds == ["A_NUMBER"], f"{name}: keyed by {kinds}")


def test_people_are_grouped_by_name():
    expect(len(scan("two people").people) == 2, "two named people")
    result = scan("name with two ids")
    expect(len(result.people) == 1 and {"A_NUMBER", "SSN"} <= types(result), "one person, two IDs")


def test_officials_and_office_contacts_are_nobody():
    official = scan("official")
    expect(not official.people and "PERSON_NAME" not in types(official), "official in role, no ID")
    beside = scan("official with an id")
    expect(beside.officials == 1 and "PERSON_NAME" not in types(beside), "official beside an ID is not the person")
    expect(len(beside.people) == 1, "the ID is still someone's")
    office = scan("switchboard")
    expect(not office.hits and office.org_contacts == 2, f"org contacts {office.org_contacts}")
    expect("PHONE" in types(scan("personal phone")), "a person's phone counts")
    work = scan("official's line")
    expect(not work.hits and not work.people and work.org_contacts == 2, "an official's work contacts")


def test_context_words_unlock_bare_forms():
    expect("SSN" not in types(scan("bare ssn without context")), "no SSN without context")
    expect("DATE_OF_BIRTH" not in types(scan("bare ssn without context")), "a date alone is nobody's birth date")
    expect("SSN" in types(scan("bare ssn with context")), "SSN with context")
    expect("SSN" in types(scan("bare ssn without context", extra_context="name, ssn, dob")), "header line as context")


def test_countries_alone_are_not_nationalities():
    expect(not scan("country, no person").hits, "no person, no nationality")


def test_a_name_label_is_enough():
    result = scan("name label")
    expect(types(result) == {"PERSON_NAME"} and len(result.people) == 1, f"types {sorted(types(result))}")
