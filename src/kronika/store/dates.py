"""TIMEX3 date values → the calendar interval they cover.

Why: an event dated "2019-06" happened some day in June 2019. Storing the interval
(``date_start``..``date_end``, both inclusive) lets every query filter and cluster by
*overlap*, so "events in June 2019" finds "2019-06-14" and "2019-06" alike, and a
"2019" event is not silently dropped from a month's view nor counted as January.

Values that fix no calendar interval (``PRESENT_REF``, ``XXXX-05-30``, durations) map to
``None``: the record keeps its ``date.value`` but is left out of date filters.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

Interval = tuple[dt.date, dt.date]

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|AU|WI)$")
_DECADE = re.compile(r"^(\d{3})X?$")
_CENTURY = re.compile(r"^(\d{2})(?:XX)?$")

# (first month, last month) of each named part of a year; winter starts in the previous
# December (meteorological seasons, as HeidelTime resolves "winter 2019").
_PARTS: dict[str, tuple[int, int]] = {
    "Q1": (1, 3), "Q2": (4, 6), "Q3": (7, 9), "Q4": (10, 12), "H1": (1, 6), "H2": (7, 12),
    "SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "AU": (9, 11), "WI": (0, 2),
}


def date_interval(value: str | None) -> Interval | None:
    """The inclusive (first day, last day) a TIMEX3 date value covers, or None.

    >>> date_interval("2019-06")
    (datetime.date(2019, 6, 1), datetime.date(2019, 6, 30))
    """
    if not value:
        return None
    v = value.strip().upper()
    try:
        return _interval(v)
    except ValueError:  # "2019-02-30", "2019-W60": well-formed but not on the calendar
        return None


def _interval(v: str) -> Interval | None:
    if m := _DAY.match(v):
        d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        return d, d
    if m := _MONTH.match(v):
        return _months(int(m[1]), int(m[2]), int(m[2]))
    if m := _YEAR.match(v):
        return _months(int(m[1]), 1, 12)
    if m := _WEEK.match(v):
        monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
        return monday, monday + dt.timedelta(days=6)
    if m := _PART.match(v):
        first, last = _PARTS[m[2]]
        year = int(m[1])
        if first == 0:
            return dt.date(year - 1, 12, 1), _months(year, last, last)[1]
        return _months(year, first, last)
    if m := _DECADE.match(v):
        d = int(m[1]) * 10
        return dt.date(max(d, 1), 1, 1), dt.date(d + 9, 12, 31)
    if m := _CENTURY.match(v):
        c = int(m[1]) * 100
        return dt.date(max(c, 1), 1, 1), dt.date(c + 99, 12, 31)
    return None


def _months(year: int, first: int, last: int) -> Interval:
    end = calendar.monthrange(year, last)[1]
    return dt.date(year, first, 1), dt.date(year, last, end)


def bound_start(value: str) -> dt.date | None:
    """Lower bound for a ``since`` filter: the first day the value covers."""
    iv = date_interval(value)
    return None if iv is None else iv[0]


def bound_end(value: str) -> dt.date | None:
    """Upper bound for an ``until`` filter: the last day the value covers."""
    iv = date_interval(value)
    return None if iv is None else iv[1]
