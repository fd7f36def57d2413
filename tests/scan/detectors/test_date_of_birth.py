from datetime import date, datetime

import pytest

from bot.scan.detectors import REGISTRY
from bot.scan.detectors.date_of_birth import DateOrder, split_numeric
from tests.scan.detectors.checks import REJECT, check_case, expect, header_verdicts, prose_hits

DOB = REGISTRY["DATE_OF_BIRTH"]
PROSE = "born 03/15/1990"
CASES = {
    "iso": ("1990-03-05", True, "1990-03-05"),
    "month name": ("March 5, 1990", True, "1990-03-05"),
    "spanish": ("5 de marzo de 1990", True, "1990-03-05"),
    "month first evident": ("05/13/1990", True, "1990-05-13"),
    "day first evident": ("13/05/1990", True, "1990-05-13"),
    "never without birth context": ("1990-03-05", False, REJECT),
    "before 1900": ("1850-01-01", True, REJECT),
    "future": ("2990-01-01", True, REJECT),
    "no such day": ("02/30/1990", True, REJECT),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_cases(name):
    check_case(DOB, CASES, name)


def test_date_cells():
    expect(DOB.parse_cell(date(1988, 7, 1), context=True) == "1988-07-01", "date cell")
    expect(DOB.parse_cell(datetime(1988, 7, 1, 0, 0), context=True) == "1988-07-01", "datetime cell")
    expect(DOB.parse_cell(date(1988, 7, 1), context=False) is None, "date cell without birth header")


def test_day_and_month_order_is_settled_by_the_column():
    order = DateOrder(day_first_default=False)
    first, second, year = split_numeric("05/03/1990")
    expect(order.resolve(first, second, year) == "1990-05-03", "month-first until the column says")
    order.observe(*split_numeric("25/12/1991")[:2])
    expect(order.settled and order.resolve(first, second, year) == "1990-03-05", "day-first once seen")


def test_header_words():
    assert header_verdicts(DOB, ("DOB", "D.O.B.", "Date of Birth", "Fecha de nacimiento", "Birth date", "person.dob")) == []
    assert header_verdicts(DOB, ("Book-In Date", "Hire Date", "Next Hearing")) == ["Book-In Date", "Hire Date",
                                                                                   "Next Hearing"]


def test_prose_needs_birth_words():
    expect([strong for _, strong in prose_hits(DOB, PROSE)] == [False], "needs context")
    expect(DOB.has_context("nacido el") and not DOB.has_context("booked on"), "context words")
