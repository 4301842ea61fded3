"""Document dates: the one piece of metadata every article must have.

Why strict: the article date anchors every relative time expression ("Thursday", "last
week") and so every event date. A wrong date silently shifts all of an article's events,
so ingest accepts only absolute dates it can read without guessing and turns everything
else into a reason the user can act on. Accepted (a time and zone after the date are
allowed and ignored: the calendar day is kept as written):

* ISO 8601 dates and datetimes: ``2024-05-17``, ``2024-05-17T10:00:00+02:00``,
  ``2024-05-17 10:00:00 +0000``, ``2024-05-17 10:00 UTC``; compact ``20240517``;
* English month names, either order: ``May 17, 2024``, ``17 May 2024``, ``Friday, May 17,
  2024``, ``Sept. 3, 2024``, ``17th May 2024``, ``17-May-2024``;
* RFC 2822, as feeds and mail headers write it: ``Fri, 17 May 2024 10:00:00 +0000``.

Refused: all-numeric day/month forms (``05/06/2024`` is May 6 or 5 June depending on the
writer), dates without a day (``May 2024``), relative dates ("yesterday").
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

# ISO 8601 calendar date, optionally followed by a time ("T12:00:00Z", " 12:00", …).
_ISO = re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:(?:T|\s+)\d{1,2}:\d{2}\S*)?")
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:T\d{2}:?\d{2}\S*)?")
# A date at the start of a file name: "2019-05-30-talks.txt", "20190530_talks.txt".
_FILENAME = re.compile(r"(?<!\d)(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})(?!\d)")
# Document dates Kronika accepts: a century clear of each end of Python's calendar
# (0001-01-01 .. 9999-12-31), so that anchoring relative expressions ("last century",
# "in ten years") and widening event dates never run off the calendar. A date outside is
# a per-record problem (K103), like an impossible one.
EARLIEST_DATE = dt.date(100, 1, 1)
LATEST_DATE = dt.date(9899, 12, 31)
_RFC2822_HINT = re.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}|\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")
# English month names are part of the date *formats* accepted here (like RFC 2822's own
# month abbreviations), not a tunable lexicon: the month is the index of the first three
# letters in this string. Locale-independent on purpose (strptime's %B is not).
_MONTH_ORDER = "janfebmaraprmayjunjulaugsepoctnovdec"
_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
# What may follow the year: a clock time, then anything short (zone, "AM", "EDT").
_TIME_TAIL = r"(?:(?:\s*,\s*|\s+|T)(?:at\s+)?\d{1,2}(?::\d{2}){1,2}(?:[.,]\d+)?(?:\s*\S+){0,3})?"
_MONTH_NAMED = (
    re.compile(_WEEKDAY + _MON + r"\s+" + _DAY + r",?\s+(?P<y>\d{4})" + _TIME_TAIL, re.I),
    re.compile(_WEEKDAY + _DAY + r"(?:\s+of)?\s+" + _MON + r",?\s+(?P<y>\d{4})" + _TIME_TAIL, re.I),
    re.compile(_DAY + "-" + _MON + r"-(?P<y>\d{4})" + _TIME_TAIL, re.I),
)
# An ISO date followed by a zone written after a space: "2024-05-17 10:00:00 +0000", "… UTC".
_ISO_SPACED_ZONE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:T|\s+)\d{1,2}:\d{2}\S*\s+(?:Z|[A-Z]{2,5}|[+-]\d{2}:?\d{2})"
)
_NUMERIC_DMY = re.compile(r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}")


@dataclass(frozen=True, slots=True)
class DateResult:
    """A parsed date or the reason there is none (never both), without raising."""

    date: dt.date | None
    reason: str | None


def read_date(value: object) -> DateResult:
    """Read a document date from a field value; say why when it cannot be used.

    Accepts ``date``/``datetime`` objects and strings; the date part of a datetime is kept
    as written (no time-zone shift: the publisher's calendar day is the one the text's
    "today" refers to).
    """
    if isinstance(value, dt.datetime):
        return in_range(value.date(), value.date().isoformat())
    if isinstance(value, dt.date):
        return in_range(value, value.isoformat())
    if value is None or (isinstance(value, str) and not value.strip()):
        return DateResult(None, "missing date")
    if not isinstance(value, str):
        return DateResult(None, f"date must be a string like 2019-05-30, got {type(value).__name__}")
    text = value.strip()
    shown = text if len(text) <= 40 else text[:37] + "..."
    for pattern in (_ISO, _COMPACT, _ISO_SPACED_ZONE):
        m = pattern.fullmatch(text)
        if m:
            return _ymd(m, shown)
    for pattern in _MONTH_NAMED:
        m = pattern.fullmatch(text)
        if m:
            month = _MONTH_ORDER.index(m.group("mon")[:3].lower()) // 3 + 1
            return _ymd_values(m.group("y"), month, m.group("d"), shown)
    if _RFC2822_HINT.search(text):
        rfc = _rfc2822(text)
        if rfc is not None:
            return in_range(rfc, shown)
    if not any(c.isdigit() for c in text):
        return DateResult(None, f"date {shown!r} is relative or not a date: give an absolute date (YYYY-MM-DD)")
    if _NUMERIC_DMY.fullmatch(text):
        return DateResult(None, f"unreadable date {shown!r}: day/month order is ambiguous; "
                                f"write YYYY-MM-DD or the month's name (May 17, 2024)")
    return DateResult(None, f"unreadable date {shown!r}: expected YYYY-MM-DD, an ISO datetime, "
                            f"'May 17, 2024', '17 May 2024' or an RFC 2822 date")


def parse_date(value: object) -> dt.date | None:
    """The date in ``value``, or None: never raises (property-tested on arbitrary input)."""
    return read_date(value).date


def date_from_filename(name: str) -> dt.date | None:
    """``2019-05-30-talks.txt`` → 2019-05-30; None when the name holds no valid date."""
    for m in _FILENAME.finditer(name):
        result = _ymd(m, m.group(0))
        if result.date is not None:
            return result.date
    return None


def in_range(day: dt.date, shown: str) -> DateResult:
    """``day`` when it lies in the supported range, else the reason it does not."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return DateResult(day, None)
    return DateResult(None, f"date {shown!r} is outside the supported range "
                            f"{EARLIEST_DATE.isoformat()}..{LATEST_DATE.isoformat()}")


def _ymd(m: re.Match[str], shown: str) -> DateResult:
    return _ymd_values(m.group("y"), m.group("m"), m.group("d"), shown)


def _ymd_values(year: str | int, month: str | int, day_: str | int, shown: str) -> DateResult:
    try:
        day = dt.date(int(year), int(month), int(day_))
    except ValueError as exc:
        return DateResult(None, f"impossible date {shown!r}: {exc}")
    return in_range(day, shown)


def _rfc2822(text: str) -> dt.date | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date() if parsed is not None else None
