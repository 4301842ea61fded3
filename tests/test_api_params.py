"""Parameter validation and CSV rendering: property tests over arbitrary input."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi import HTTPException
from hypothesis import given
from hypothesis import strategies as st

from kronika.api.formats import FORMULA_START, to_csv
from kronika.api.params import check_date, check_name, parse_bbox, parse_dyad


@given(st.text(max_size=40))
def test_api_check_date_accepts_only_iso_prefixes(value: str) -> None:
    try:
        out = check_date(value, "since")
    except HTTPException as exc:
        assert exc.status_code == 422
        return
    assert out is None or out == value
    if out:
        assert len(out) in (4, 7, 10) and out[:4].isdigit()


@given(st.floats(-180, 180), st.floats(-90, 90), st.floats(-180, 180), st.floats(-90, 90))
def test_api_bbox_round_trips_valid_boxes(w: float, s: float, e: float, n: float) -> None:
    s, n = min(s, n), max(s, n)
    assert parse_bbox(f"{w!r},{s!r},{e!r},{n!r}") == (w, s, e, n)


@given(st.text(max_size=60))
def test_api_bbox_never_crashes(value: str) -> None:
    try:
        box = parse_bbox(value)
    except HTTPException as exc:
        assert exc.status_code == 422
        return
    assert box is None or len(box) == 4


@given(st.text(max_size=300))
def test_api_names_are_short_and_printable_or_refused(value: str) -> None:
    try:
        out = check_name(value, "actor")
    except HTTPException:
        assert len(value.strip()) > 200 or any(ord(c) < 32 for c in value.strip())
        return
    assert out is None or (len(out) <= 200 and all(ord(c) >= 32 for c in out))


@pytest.mark.parametrize(("value", "pair"), [("JPN,RUS", ("JPN", "RUS")), ("JPN-RUS", ("JPN", "RUS")),
                                             (" usa , chn ", ("usa", "chn"))])
def test_api_dyad_forms(value: str, pair: tuple[str, str]) -> None:
    assert parse_dyad(value) == pair


cell = st.one_of(st.text(max_size=30), st.integers(), st.none())


@given(st.lists(st.fixed_dictionaries({"a": cell, "b": cell}), max_size=8))
def test_api_csv_round_trips_and_defuses_formulas(rows: list[dict[str, object]]) -> None:
    back = list(csv.DictReader(io.StringIO(to_csv(rows), newline="")))
    assert len(back) == len(rows)
    for got, sent in zip(back, rows, strict=True):
        for key in ("a", "b"):
            value = sent[key]
            text = "" if value is None else str(value)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                assert got[key] == "'" + text
            else:
                assert got[key] == text
