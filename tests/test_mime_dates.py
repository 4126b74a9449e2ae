"""The calendar arithmetic of mimelint.mime.dates against the standard library.

M612 counts days and weekdays itself (importing :mod:`datetime` cost every
start about 1.4 ms); these properties hold it to ``datetime.date`` on every
year a Date field can spell (two- and three-digit years map to 1950-2899).
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mimelint.mime.dates import date_problem, days_in_month, weekday

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _calendar_day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


@given(st.integers(1, 9999), st.integers(1, 12))
@example(1900, 2)
@example(2000, 2)
@example(2024, 2)
@example(2100, 2)
def test_days_in_month_is_the_calendars(year: int, month: int) -> None:
    days = days_in_month(year, month)
    assert _calendar_day(year, month, days) is not None
    assert _calendar_day(year, month, days + 1) is None


@given(st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)))
@example(datetime.date(2000, 2, 29))
@example(datetime.date(2000, 3, 1))
@example(datetime.date(1900, 3, 1))
@example(datetime.date(1, 1, 1))
def test_weekday_is_the_calendars(date: datetime.date) -> None:
    assert weekday(date.year, date.month, date.day) == date.weekday()


@given(st.integers(0, 9999), st.integers(1, 12), st.integers(0, 39), st.sampled_from(_DAYS))
@example(0, 1, 1, "Sat")
@example(2023, 2, 29, "Wed")
@example(2024, 2, 29, "Thu")
@example(2024, 5, 22, "Wed")
def test_date_problem_reads_days_and_weekdays_as_the_calendar(
    year: int, month: int, day: int, dow: str
) -> None:
    value = f"{dow}, {day} {_MONTHS[month - 1]} {year:04} 08:00:00 +0000"
    problem = date_problem(value)
    date = _calendar_day(year, month, day)
    if date is None:
        assert problem == f"{day} {_MONTHS[month - 1]} {year:04} is not a calendar day"
    elif dow == date.strftime("%a"):
        assert problem is None
    else:
        assert problem == (
            f"{date.isoformat()} is a {date.strftime('%a')}, not a {dow} "
            "(RFC 5322 §3.3: the day name must match the date)"
        )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        # RFC 5322 §3.3: year = 4*DIGIT, so five digits are a year too;
        # 1 Jan 10000 is a Saturday by the Gregorian rules.
        ("Sat, 1 Jan 10000 10:00:00 +0000", None),
        ("Mon, 1 Jan 10000 10:00:00 +0000", "is a Sat, not a Mon"),
        ("1 Jan 12345 10:00:00 +0000", None),
        # A one-digit year is neither 4*DIGIT nor obs-year's 2*DIGIT.
        ("1 Jan 7 10:00:00 +0000", "the year"),
    ],
)
def test_a_year_has_four_or_more_digits(value: str, problem: str | None) -> None:
    found = date_problem(value)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found
