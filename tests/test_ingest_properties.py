"""Property tests: the date parser and the readers never raise on arbitrary input, and text
survives a write/read round trip through every text format unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.config import Settings
from kronika.ingest import decode_bytes, iter_records, parse_date, read_date
from kronika.model import Article, IngestProblem

SETTINGS = Settings()
SUFFIXES = ["a.txt", "b.jsonl", "c.csv", "d.json", "e", "f.xml", "g.rss", "h.tsv", "i.txt.gz", "j.jsonl.gz"]
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"), min_size=1, max_size=200,
).filter(lambda s: s.strip() != "")
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@given(st.one_of(st.text(max_size=60), st.from_regex(r"\d{4}-\d{1,2}-\d{1,2}(T[0-9:]{0,8}Z?)?", fullmatch=True)))
def test_ingest_parse_date_never_raises(value: str) -> None:
    result = read_date(value)
    assert parse_date(value) == result.date
    assert (result.date is None) != (result.reason is None)


@given(DATES, st.sampled_from(["{}", "{}T12:30:00Z", "{} 08:00", "{}T23:59:59+05:30"]))
def test_ingest_iso_dates_and_datetimes_keep_the_calendar_day(day: dt.date, fmt: str) -> None:
    assert parse_date(fmt.format(day.isoformat())) == day


@given(st.binary(max_size=400))
def test_ingest_decode_never_raises(data: bytes) -> None:
    d = decode_bytes(data)
    assert (d.text is None) != (d.reason is None)
    assert d.text is None or "\x00" not in d.text


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from(SUFFIXES))
def test_ingest_iter_records_never_raises_on_arbitrary_bytes(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        for rec in iter_records([p], SETTINGS):
            assert isinstance(rec, Article | IngestProblem)
            if isinstance(rec, Article):
                assert rec.text.strip()
            else:
                assert rec.origin.startswith(str(p)) and rec.reason


@hsettings(max_examples=30, deadline=None)
@given(st.binary(max_size=300))
def test_ingest_html_reader_never_raises(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "2020-01-01-page.html"
        p.write_bytes(b"<html><body><p>" + data + b"</p></body></html>")
        assert all(isinstance(r, Article | IngestProblem) for r in iter_records([p], SETTINGS))


@hsettings(deadline=None)
@given(TEXT, DATES)
def test_ingest_text_round_trips_through_jsonl_csv_and_seed(text: str, day: dt.date) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows([["date", "text"], [day.isoformat(), text]])
    with tempfile.TemporaryDirectory() as d:
        files = {
            "a.jsonl": json.dumps({"date": day.isoformat(), "text": text}) + "\n",
            "b.csv": buf.getvalue(),
            "c.txt": f" date {day.isoformat()} {text}",
        }
        for name, content in files.items():
            (Path(d) / name).write_bytes(content.encode("utf-8", "surrogatepass"))
        recs = list(iter_records([d], SETTINGS))
    assert [r.text for r in recs] == [text] * 3, recs
    assert {r.id for r in recs} == {Article.make_id(text, day)}
