from bot.scan import people
from bot.scan.people import PeopleCounter, key_rank


def test_same_key_counts_once():
    counter = PeopleCounter()
    counter.add_many([("A_NUMBER", "1"), ("A_NUMBER", "2"), ("A_NUMBER", "1")])
    counter.add(("A_NUMBER", "2"))
    assert counter.count == 2


def test_past_the_cap_rows_are_counted_without_dedup(monkeypatch):
    monkeypatch.setattr(people, "PEOPLE_CAP", 10)
    counter = PeopleCounter()
    counter.add_many([("SSN", str(i)) for i in range(25)])
    assert counter.count == 25


def test_government_ids_key_a_person_before_contacts():
    assert key_rank("A_NUMBER") < key_rank("SSN") < key_rank("EMAIL") < key_rank("PERSON_NAME")
