"""TIMEX3 values → calendar intervals, the basis of granularity-aware filters and clusters."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kronika.store.dates import bound_end, bound_start, date_interval

D = dt.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-05-30", (D(2019, 5, 30), D(2019, 5, 30))),
        ("2019-05-30T14:00", (D(2019, 5, 30), D(2019, 5, 30))),
        ("2019-06", (D(2019, 6, 1), D(2019, 6, 30))),
        ("2020-02", (D(2020, 2, 1), D(2020, 2, 29))),
        ("2019", (D(2019, 1, 1), D(2019, 12, 31))),
        ("2019-W22", (D(2019, 5, 27), D(2019, 6, 2))),
        ("2019-W22-WE", (D(2019, 6, 1), D(2019, 6, 2))),
        ("2019-Q2", (D(2019, 4, 1), D(2019, 6, 30))),
        ("2019-H2", (D(2019, 7, 1), D(2019, 12, 31))),
        ("2019-SU", (D(2019, 6, 1), D(2019, 8, 31))),
        ("2019-WI", (D(2018, 12, 1), D(2019, 2, 28))),
        ("201", (D(2010, 1, 1), D(2019, 12, 31))),
        ("19", (D(1900, 1, 1), D(1999, 12, 31))),
        ("PRESENT_REF", None),
        ("XXXX-05-30", None),
        ("P3M", None),
        ("2019-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_store_dates_interval_examples(value: str | None, expected: tuple[dt.date, dt.date] | None) -> None:
    assert date_interval(value) == expected


@given(st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)))
def test_store_dates_day_is_its_own_interval(day: dt.date) -> None:
    assert date_interval(day.isoformat()) == (day, day)


@given(st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31)))
def test_store_dates_coarser_values_contain_the_day(day: dt.date) -> None:
    for value in (f"{day.year:04d}-{day.month:02d}", f"{day.year:04d}", f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"):
        start, end = date_interval(value)  # type: ignore[misc]
        assert start <= day <= end


@given(st.text(max_size=12))
def test_store_dates_never_raise_and_are_ordered(value: str) -> None:
    iv = date_interval(value)
    assert iv is None or iv[0] <= iv[1]


def test_store_dates_filter_bounds_use_interval_edges() -> None:
    assert bound_start("2019-06") == D(2019, 6, 1)
    assert bound_end("2019-06") == D(2019, 6, 30)
    assert bound_end("nonsense") is None
