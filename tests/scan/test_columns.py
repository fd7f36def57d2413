from datetime import date

from bot.scan.columns import classify_table
from bot.scan.detectors.base import header_text
from bot.scan.header_rows import find_inner_header, header_line_score

#: synthetic values, kept out of test bodies so a failure never prints one
NAMES = ["Maria Lopez", "Wei Zhang", "Reza Hosseini", "Anh Nguyen", "Olga Ivanova"] * 10
SPLIT_NAME = ("Lopez", "Maria")
PART_NUMBER = "A27345618"
NINE_DIGITS = 123456789
OFFICE_ROW = ["Red Mesa Field Office", "(202) 456-1414", "Mon-Fri"]


def types_of(plan) -> list:
    return [(c.role, c.types) for c in plan.columns]


def test_header_text_splits_json_paths_and_case():
    assert header_text("person.fullName") == "person full name"
    assert header_text("a_num") == "a num"
    assert header_text("alienNumber") == "alien number"
    assert header_text("Número A") == "numero a"
    assert header_text("A#") == "a #"


def test_header_is_context_for_bare_numbers():
    rows = [[n, str(100_000_000 + i), str(100_000_000 + i)] for i, n in enumerate(NAMES)]
    plan = classify_table(["Name", "A-Number", "SKU"], rows)
    assert types_of(plan) == [("value", ["PERSON_NAME"]), ("value", ["A_NUMBER"]), (None, [])]


def test_one_column_may_hold_two_types():
    rows = [[f"{100 + i}-45-6789" if i % 5 else f"9{i:02d}-78-1234"] for i in range(50)]
    plan = classify_table(["SSN/ITIN"], rows)
    assert set(plan.columns[0].types) == {"SSN", "ITIN"}


def test_split_names_and_spanish_headers():
    rows = [[*SPLIT_NAME, date(1990, 1, 2)]] * 20
    plan = classify_table(["Apellido", "Nombre", "Fecha de nacimiento"], rows)
    assert types_of(plan) == [("last", ["PERSON_NAME"]), ("first", ["PERSON_NAME"]), ("value", ["DATE_OF_BIRTH"])]


def test_aggregate_and_catalog_headers_are_never_ids():
    rows = [[PART_NUMBER, NINE_DIGITS, NINE_DIGITS]] * 20
    plan = classify_table(["Part No.", "Total", "Invoice #"], rows)
    assert types_of(plan) == [(None, []), (None, []), (None, [])]


def test_headerless_columns_decided_by_values():
    rows = [[f"{n.split()[1].upper()}, {n.split()[0]}", f"A{200_000_000 + i}", "GUATEMALA"] for i, n in enumerate(NAMES)]
    plan = classify_table(None, rows)
    assert plan.headerless
    assert types_of(plan) == [("value", ["PERSON_NAME"]), ("value", ["A_NUMBER"]), ("value", ["NATIONALITY"])]


def test_a_city_column_is_not_names_when_there_is_a_header():
    rows = [["Red Mesa", "TX"], ["Cold Creek", "LA"]] * 10
    assert types_of(classify_table(["City", "State"], rows)) == [(None, []), (None, [])]


def test_an_office_directory_is_an_organisation():
    rows = [OFFICE_ROW] * 5
    assert classify_table(["Office", "Main Phone", "Hours"], rows).organisation


def test_notes_are_prose():
    rows = [["Called the family about the transfer and the next hearing date."]] * 5
    assert types_of(classify_table(["Notes"], rows)) == [("text", [])]


def test_inner_header_and_header_lines():
    rows = [["North 1", 40, 30], [None, None, None], ["Roster", None, None], ["Last", "First", "A Number"],
            [*SPLIT_NAME, NINE_DIGITS]]
    assert find_inner_header(rows) == 3
    assert header_line_score("name,anum,ssn,dob,country") >= 2
    assert header_line_score("Thanks for your help, see you soon, bye") == 0


def test_a_very_wide_table_is_classified_in_its_first_columns():
    from bot.scan.columns import MAX_COLUMNS

    header = [f"col{i}" for i in range(MAX_COLUMNS + 500)]
    plan = classify_table(header, [["x"] * len(header)] * 3)
    assert len(plan.columns) == MAX_COLUMNS


def test_headerless_surname_and_given_name_columns_are_one_name():
    rows = [[n.split()[1].upper(), n.split()[0], f"A{200_000_000 + i}"] for i, n in enumerate(NAMES)]
    plan = classify_table(None, rows)
    assert types_of(plan) == [("last", ["PERSON_NAME"]), ("first", ["PERSON_NAME"]), ("value", ["A_NUMBER"])]


def test_a_lone_column_of_one_word_names_is_not_a_name_without_a_header():
    rows = [[n.split()[1].upper(), f"A{200_000_000 + i}"] for i, n in enumerate(NAMES)]
    assert types_of(classify_table(None, rows))[0] == (None, [])


def _ages_over(span: int, rows: int = 40) -> list[str]:
    """Dates spread over `span` years back from today, as text."""
    today = date.today()
    return [date(today.year - (i * span) // rows, 1 + i % 12, 1 + i % 28).isoformat() for i in range(rows)]


def test_values_first_an_unknown_header_over_people_is_read_from_its_values():
    a_numbers = [f"A{204_518_377 + i * 7919}" for i in range(40)]
    phones = [f"(202) 456-{1000 + i:04d}" for i in range(40)]
    rows = [[a, p, d] for a, p, d in zip(a_numbers, phones, _ages_over(60), strict=True)]
    plan = classify_table(["Lambarka A", "Taleefanka", "Taariikhda dhalashada"], rows)
    assert types_of(plan) == [("value", ["A_NUMBER"]), ("value", ["PHONE"]), ("value", ["DATE_OF_BIRTH"])]


def test_event_dates_are_not_birth_dates_even_when_they_spread_over_years():
    a_numbers = [f"A{204_518_377 + i * 7919}" for i in range(40)]
    rows = [[a, d, d] for a, d in zip(a_numbers, _ages_over(20), strict=True)]
    plan = classify_table(["A-Number", "Signup date", "Hire"], rows)
    assert types_of(plan)[1:] == [(None, []), (None, [])]


def test_names_in_any_script_beside_an_identifier_are_known_by_shape():
    given = ["ሰላም", "ዮናስ", "ሄኖክ", "ሳባ", "ሩት", "ዳዊት", "ሚካኤል", "ሔዋን", "ኤልያስ", "ብርሃን"] * 2
    family = ["ተስፋይ", "ገብሩ", "ኪዳነ", "ሃይለ", "በየነ", "ወልዱ", "ሰሎሞን", "ጸጋይ", "ፍስሃ", "ክፍሎም"] * 2
    rows = [[g, f, f"A{204_518_377 + i * 7919}"] for i, (g, f) in enumerate(zip(given, family[3:] + family[:3], strict=True))]
    plan = classify_table(["ሽም", "ሽም ኣቦ", "ቁጽሪ A"], rows)
    assert [c.role for c in plan.columns] == ["first", "last", "value"]
    bare = classify_table(["ሽም", "ሽም ኣቦ", "Count"], [[g, f, i] for i, (g, f) in enumerate(zip(given, family, strict=True))])
    assert [c.role for c in bare.columns][:2] == [None, None]  # no identifier beside them: not judged names
