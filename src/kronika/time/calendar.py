"""Calendar arithmetic at TIMEX3 granularities: shift a reference by whole units and print
the result at the precision the text supports ("last month" → "2019-04", never a day).

Pure functions over ``datetime.date``; every result matches the TIMEX3 value grammar
(``VALUE_RE``), which the property tests check.
"""

from __future__ import annotations

import datetime as dt
import re

# TIMEX3 value grammar (TimeML 1.2.1), the subset Kronika emits.
VALUE_RE = re.compile(
    r"(?:"
    r"\d{2}|\d{3}|\d{4}"  # century, decade, year
    r"|\d{4}-(?:0[1-9]|1[0-2])"
    r"|\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
    r"(?:T(?:MO|AF|EV|NI|DT|[0-2]\d(?::[0-5]\d)?Z?))?"  # Z: a clock time said in UTC/GMT
    r"|\d{4}-W(?:0[1-9]|[1-4]\d|5[0-3])(?:-WE)?"
    r"|\d{4}-(?:Q[1-4]|H[12]|SP|SU|FA|WI)"
    r"|PRESENT_REF|PAST_REF|FUTURE_REF"
    r"|XXXX(?:-(?:WXX-[1-7](?:T(?:MO|AF|EV|NI))?|SP|SU|FA|WI|Q[1-4]|\d{2}(?:-\d{2})?))?"
    r"|PX(?:Y|M|W|D|DE|CE|L|Q|H|WE|SE)|PTX[HMS]"
    r"|P(?:\d+(?:\.\d+)?(?:Y|M|W|D|DE|CE|L|Q|H|WE|SE))+(?:T(?:\d+(?:\.\d+)?[HMS])+)?"
    r"|PT(?:\d+(?:\.\d+)?[HMS])+"
    r")"
)

SEASON_MONTHS = {"SP": (3, 4, 5), "SU": (6, 7, 8), "FA": (9, 10, 11), "WI": (12, 1, 2)}
SEASONS = ("SP", "SU", "FA", "WI")  # order within a season-year


def is_value(value: str) -> bool:
    """True when ``value`` follows the TIMEX3 value grammar."""
    return VALUE_RE.fullmatch(value) is not None


def day(d: dt.date) -> str:
    return d.isoformat()


def month(year: int, mon: int) -> str:
    return f"{year:04d}-{mon:02d}"


def week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def quarter_of(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(year: int, mon: int, n: int) -> tuple[int, int]:
    k = year * 12 + (mon - 1) + n
    return k // 12, k % 12 + 1


def add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def shift(ref: dt.date, unit: str, n: int) -> str | None:
    """The ``unit`` (D, W, WE, M, Q, H, Y, E, C) ``n`` steps from ``ref``, at that precision;
    None outside the years 0–9999."""
    value = _shift(ref, unit, n)
    return value if value is not None and is_value(value) else None


def _shift(ref: dt.date, unit: str, n: int) -> str | None:
    try:
        if unit == "D":
            return day(ref + dt.timedelta(days=n))
        if unit in ("W", "WE"):
            w = week(ref + dt.timedelta(weeks=n))
            return w + "-WE" if unit == "WE" else w
        if unit == "M":
            return month(*add_months(ref.year, ref.month, n))
        if unit == "Q":
            y, q = divmod((ref.year * 4 + quarter_of(ref) - 1) + n, 4)
            return f"{y:04d}-Q{q + 1}"
        if unit == "H":
            y, h = divmod(ref.year * 2 + (ref.month - 1) // 6 + n, 2)
            return f"{y:04d}-H{h + 1}"
        if unit == "Y":
            return f"{ref.year + n:04d}"
        if unit == "E":
            return f"{ref.year // 10 + n:03d}"
        if unit == "C":
            return f"{ref.year // 100 + n:02d}"
    except (OverflowError, ValueError):
        return None
    return None


def shift_value(value: str, years: int) -> str | None:
    """Shift an existing value with a year part ("1989-Q3", "1989-10") by whole years,
    keeping its granularity: "a year earlier" than the third quarter is a third quarter."""
    m = re.fullmatch(r"(\d{4})(-.*)?", value)
    if not m or not 0 <= int(m.group(1)) + years <= 9999:
        return None
    rest = m.group(2) or ""
    if re.fullmatch(r"-\d{2}-\d{2}.*", rest) and rest[1:6] == "02-29":
        rest = "-02-28" + rest[6:]
    return f"{int(m.group(1)) + years:04d}{rest}"


def weekday_near(ref: dt.date, iso_weekday: int, direction: int) -> dt.date:
    """The ``iso_weekday`` (1=Monday) nearest ``ref`` in ``direction``: −1 on or before,
    +1 on or after; the same day when it already is that weekday."""
    delta = iso_weekday - ref.isoweekday()
    if direction < 0:
        return ref + dt.timedelta(days=delta if delta <= 0 else delta - 7)
    return ref + dt.timedelta(days=delta if delta >= 0 else delta + 7)


def month_near(ref: dt.date, mon: int, direction: int, strict: bool = False) -> tuple[int, int]:
    """Year and month of the month ``mon`` nearest ``ref`` in ``direction`` (−1, 0, +1)."""
    if direction == 0:
        return ref.year, mon
    if direction < 0:
        before = mon < ref.month or (mon == ref.month and not strict)
        return (ref.year if before else ref.year - 1), mon
    after = mon > ref.month or (mon == ref.month and not strict)
    return (ref.year if after else ref.year + 1), mon


def season_of(d: dt.date) -> tuple[int, str]:
    """The season holding ``d``; winter belongs to the year it starts in (December)."""
    for code, months in SEASON_MONTHS.items():
        if d.month in months:
            return (d.year - 1 if code == "WI" and d.month < 3 else d.year), code
    raise AssertionError("every month is in a season")


def season_near(ref: dt.date, code: str, step: int) -> str:
    """The season ``code`` relative to ``ref``: step −1 the last one before the current
    season, 0 this year's, +1 the next one after."""
    if step == 0:
        return f"{ref.year:04d}-{code}"
    year, cur = season_of(ref)
    k, target = year * 4 + SEASONS.index(cur), SEASONS.index(code)
    if step < 0:
        k2 = k - ((k % 4 - target) % 4 or 4)
    else:
        k2 = k + ((target - k % 4) % 4 or 4)
    return f"{k2 // 4:04d}-{code}"


def nth_weekday(year: int, mon: int, nth: int, iso_weekday: int) -> dt.date:
    """The ``nth`` (−1 = last) ``iso_weekday`` of a month: Thanksgiving is (11, 4, 4)."""
    if nth > 0:
        first = dt.date(year, mon, 1)
        return weekday_near(first, iso_weekday, 1) + dt.timedelta(weeks=nth - 1)
    y, m = add_months(year, mon, 1)
    last = dt.date(y, m, 1) - dt.timedelta(days=1)
    return weekday_near(last, iso_weekday, -1)


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    lw = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * lw) // 433
    month_, day_ = divmod(h + lw - 7 * m + 114, 31)
    return dt.date(year, month_, day_ + 1)
