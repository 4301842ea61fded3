"""Document dates: the one piece of metadata every article must have.

Why strict: the article date anchors every relative time expression ("Thursday", "last
week") and so every event date. A wrong date silently shifts all of an article's events,
so ingest accepts only absolute dates it can read without guessing (ISO 8601 dates and
datetimes, compact ``YYYYMMDD``, and the RFC 2822 dates feeds and mail headers use) and
turns everything else into a reason the user can act on.
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
_RFC2822_HINT = re.compile(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}|\d{1,2}\s+[A-Za-z]{3}\s+\d{4}")


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
        return DateResult(value.date(), None)
    if isinstance(value, dt.date):
        return DateResult(value, None)
    if value is None or (isinstance(value, str) and not value.strip()):
        return DateResult(None, "missing date")
    if not isinstance(value, str):
        return DateResult(None, f"date must be a string like 2019-05-30, got {type(value).__name__}")
    text = value.strip()
    shown = text if len(text) <= 40 else text[:37] + "..."
    for pattern in (_ISO, _COMPACT):
        m = pattern.fullmatch(text)
        if m:
            return _ymd(m, shown)
    if _RFC2822_HINT.search(text):
        rfc = _rfc2822(text)
        if rfc is not None:
            return DateResult(rfc, None)
    if not any(c.isdigit() for c in text):
        return DateResult(None, f"date {shown!r} is relative or not a date: give an absolute date (YYYY-MM-DD)")
    return DateResult(None, f"unreadable date {shown!r}: expected YYYY-MM-DD or an ISO datetime")


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


def _ymd(m: re.Match[str], shown: str) -> DateResult:
    try:
        return DateResult(dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d"))), None)
    except ValueError as exc:
        return DateResult(None, f"impossible date {shown!r}: {exc}")


def _rfc2822(text: str) -> dt.date | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.date() if parsed is not None else None
