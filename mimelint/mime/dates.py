"""Dates: the RFC 5322 date-time (§3.3), with the obsolete forms of §4.3.

The grammar is written once, as a sequence of steps (:data:`DATE_STEPS`):
the whole-value pattern (:func:`date_time`) is those steps joined, and the explanation of a
date that does not match walks the same steps to name the first piece that
fails. So the two can never drift apart.

Obsolete forms every reader must accept pass: comments, two- and
three-digit years, the named and military zones (UT, GMT, EST, Z...),
seconds left out; so does ``UTC``, which is not in the grammar but which
every date parser reads (Go writes it). Other zone names (CET, IST) do not:
RFC 5322 §4.3 has readers take an unknown zone as ``-0000``, a wrong time.
"""

from __future__ import annotations

import functools
import re

from mimelint.mime.quoting import quoted
from mimelint.mime.tree import uncomment

__all__ = ["DATE_STEPS", "date_problem", "date_time", "days_in_month", "weekday"]

#: The date-time grammar, piece by piece: (what a person calls the piece,
#: its pattern, case-insensitive). Joined, they are :func:`date_time`.
DATE_STEPS: tuple[tuple[str, str], ...] = (
    (
        "the day name (Mon..Sun, then ',')",
        r"\s*(?:(?P<dow>mon|tue|wed|thu|fri|sat|sun)\s*,\s*)?",
    ),
    ("the day of the month (1 or 2 digits)", r"(?P<day>\d{1,2})\s+"),
    (
        "the month (Jan..Dec)",
        r"(?P<month>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\s+",
    ),
    # RFC 5322 §3.3: 4*DIGIT, four or more; obs-year (§4.3): two or three.
    ("the year (4 digits)", r"(?P<year>\d{2,})\s+"),
    (
        "the time (HH:MM:SS, a 2-digit hour)",
        r"(?P<hour>\d{2})\s*:\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?\s*",
    ),
    ("the zone (+ZZZZ, -ZZZZ or GMT)", r"(?P<zone>[+-]\d{4}|[a-z]{1,5})\s*\Z"),
)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: RFC 5322 §4.3 obs-zone names, and UTC, which every date parser knows.
_NAMED_ZONES = frozenset(
    {"ut", "utc", "gmt", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt"}
)


#: Days in each month of a common year (February has 29 in a leap year).
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """The days of ``month`` (1 to 12) in ``year`` of the Gregorian calendar.

    A leap year is divisible by 4, and by 400 when divisible by 100 (RFC
    3339 Appendix C). Counted here rather than with :mod:`datetime`, whose
    import was about 1.4 ms of every start.
    """
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _MONTH_DAYS[month - 1]


def weekday(year: int, month: int, day: int) -> int:
    """The day of the week of a Gregorian date, 0 for Monday to 6 for Sunday.

    RFC 3339 Appendix B's formula (which counts from Sunday): months
    counted from March, so that February's extra day comes last.
    """
    month -= 2
    if month < 1:
        month += 12
        year -= 1
    century, year = divmod(year, 100)
    sunday_first = (
        (26 * month - 2) // 10 + day + year + year // 4 + century // 4 + 5 * century
    ) % 7
    return (sunday_first + 6) % 7


@functools.cache
def date_time() -> re.Pattern[str]:
    """A whole date-time value (comments removed): the steps joined.

    Compiled on first use, not at start-up: most runs read no Date.
    """
    return re.compile(r"\A" + "".join(p for _, p in DATE_STEPS), re.IGNORECASE)


@functools.cache
def _steps() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The steps compiled on first use: only a date already known to be
    wrong is explained with them (not at start-up)."""
    return tuple((what, re.compile(p, re.IGNORECASE)) for what, p in DATE_STEPS)


def _explain(text: str) -> str:
    """Name the first step of the grammar that ``text`` fails."""
    pos = 0
    for what, step in _steps():
        piece = step.match(text, pos)
        if piece is None:
            shown = text[pos : pos + 12].strip()
            where = f"is wrong at {quoted(shown)}" if shown else "is missing"
            return f"{what} {where}: it is not 'Day, DD Mon YYYY HH:MM:SS +ZZZZ'"
        pos = piece.end()
    return "it is not 'Day, DD Mon YYYY HH:MM:SS +ZZZZ'"


def date_problem(value: str) -> str | None:
    """Why a Date value (unfolded) is not an RFC 5322 date-time, or None when it is.

    The answer is written for a person: the piece that is wrong, a day
    that does not exist, a time out of range, a zone readers misread, a
    day name that does not match the date.
    """
    text = uncomment(value)
    if text is None:
        return "it has an unbalanced comment parenthesis"
    m = date_time().match(text)
    if m is None:
        return _explain(text)
    year = int(m.group("year"))
    if len(m.group("year")) == 2:
        year += 2000 if year < 50 else 1900  # RFC 5322 §4.3
    elif len(m.group("year")) == 3:
        year += 1900
    month = _MONTHS.index(m.group("month").lower()) + 1
    day = int(m.group("day"))
    if year == 0 or not 1 <= day <= days_in_month(year, month):  # there is no year 0
        return f"{m.group('day')} {m.group('month')} {m.group('year')} is not a calendar day"
    if int(m.group("hour")) > 23 or int(m.group("minute")) > 59:
        return "its time of day is out of range"
    if m.group("second") is not None and int(m.group("second")) > 60:
        return "its seconds are out of range"
    zone = m.group("zone")
    if zone[0] in "+-":
        if int(zone[3:]) > 59:
            return f"its zone {zone} has more than 59 minutes"
    elif zone.lower() not in _NAMED_ZONES and (len(zone) > 1 or zone in "jJ"):
        return (
            f"its zone {quoted(zone)} is not an RFC 5322 zone, so readers take it as -0000 "
            "(RFC 5322 §4.3), a wrong time"
        )
    dow = m.group("dow")
    if dow is not None and _DAYS.index(dow.lower()) != (wd := weekday(year, month, day)):
        return (
            f"{year:04}-{month:02}-{day:02} is a {_DAYS[wd].title()}, not a {dow} "
            "(RFC 5322 §3.3: the day name must match the date)"
        )
    return None
