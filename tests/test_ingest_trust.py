"""Ingest a person can trust (issue 20, item 9): exit codes that say whether anything was
stored, a missing path that costs only itself, "empty file" said as such, the date forms
people write in CSV/JSONL columns, duplicates that name the article they repeat, and ``-``
for stdin in ``extract`` and ``ingest``."""

from __future__ import annotations

import datetime as dt
import email.utils
import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

import kronika.cli.core  # noqa: F401  (registers the commands)
import kronika.library as library
import kronika.run.loop as local
from kronika.cli.app import app
from kronika.config import Settings
from kronika.ingest import iter_records, parse_date, read_date
from kronika.model import Article, IngestProblem
from kronika.pipeline import Pipeline

SETTINGS = Settings()
TEXT = "Japan and Russia met on Thursday in Tokyo to discuss a peace treaty."
OTHER = "Police arrested dozens of protesters in Minsk on Friday, witnesses said."
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(("value", "expected"), [
    ("May 17, 2024", "2024-05-17"),
    ("May 17 2024", "2024-05-17"),
    ("17 May 2024", "2024-05-17"),
    ("17 May, 2024", "2024-05-17"),
    ("17th May 2024", "2024-05-17"),
    ("17-May-2024", "2024-05-17"),
    ("Friday, May 17, 2024", "2024-05-17"),
    ("Sept. 3, 2024", "2024-09-03"),
    ("3 Sept 2024", "2024-09-03"),
    ("dec 31, 1999", "1999-12-31"),
    ("May 17, 2024 10:00 AM", "2024-05-17"),
    ("May 17, 2024, 10:00 EDT", "2024-05-17"),
    ("Fri, 17 May 2024 10:00:00 +0000", "2024-05-17"),
    ("2024-05-17T10:00:00+02:00", "2024-05-17"),
    ("2024-05-17T23:30:00-07:00", "2024-05-17"),  # the publisher's day, no shift to UTC
    ("2024-05-17 10:00:00 +0000", "2024-05-17"),
    ("2024-05-17 10:00 UTC", "2024-05-17"),
    ("2024-05-17T10:00:00.123Z", "2024-05-17"),
])
def test_ingest_dates_common_forms_are_read(value: str, expected: str) -> None:
    assert read_date(value) == read_date(expected)
    assert parse_date(value) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize(("value", "says"), [
    ("May 2024", "unreadable date"),  # no day
    ("05/06/2024", "ambiguous"),  # May 6 or 5 June
    ("Feb 30, 2024", "impossible date"),
    ("Mayo 17, 2024", "unreadable date"),
    ("yesterday", "relative"),
])
def test_ingest_dates_refused_forms_say_why(value: str, says: str) -> None:
    result = read_date(value)
    assert result.date is None and says in (result.reason or "")


@given(DATES, st.booleans(), st.booleans(), st.sampled_from(["", " 10:00", ", 10:00 AM", " 23:59:59 EDT"]))
def test_ingest_dates_month_names_keep_the_day(day: dt.date, day_first: bool, abbreviated: bool, tail: str) -> None:
    name = MONTHS[day.month - 1]
    month = name[:3] if abbreviated else name
    weekday = WEEKDAYS[day.weekday()]
    text = f"{day.day} {month} {day.year}" if day_first else f"{weekday}, {month} {day.day}, {day.year}"
    assert parse_date(text + tail) == day


@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
       st.integers(min_value=-12 * 60, max_value=14 * 60))
def test_ingest_dates_rfc2822_and_zoned_iso_keep_the_written_day(when: dt.datetime, offset_min: int) -> None:
    zoned = when.replace(tzinfo=dt.timezone(dt.timedelta(minutes=offset_min)))
    assert parse_date(email.utils.format_datetime(zoned)) == when.date()
    assert parse_date(zoned.isoformat()) == when.date()
    assert parse_date(zoned.strftime("%Y-%m-%d %H:%M:%S %z")) == when.date()


@given(st.integers(1, 12), st.integers(1, 12), st.integers(1900, 2100), st.sampled_from("/."))
def test_ingest_dates_numeric_day_month_is_never_guessed(a: int, b: int, year: int, sep: str) -> None:
    result = read_date(f"{a:02d}{sep}{b:02d}{sep}{year}")
    assert result.date is None and "ambiguous" in (result.reason or "")


@pytest.mark.parametrize("name", ["c.csv", "j.jsonl"])
def test_ingest_month_name_dates_in_csv_and_jsonl_columns(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".csv"):
        path.write_text(f'id,date,text\nx1,"May 17, 2024","{TEXT}"\nx2,17 May 2024,"{OTHER}"\n', encoding="utf-8")
    else:
        path.write_text(json.dumps({"id": "x1", "date": "May 17, 2024", "text": TEXT}) + "\n"
                        + json.dumps({"id": "x2", "date": "Fri, 17 May 2024 10:00:00 +0000", "text": OTHER}) + "\n",
                        encoding="utf-8")
    records = list(iter_records([path], SETTINGS))
    assert [type(r) for r in records] == [Article, Article], records
    assert {r.date for r in records if isinstance(r, Article)} == {dt.date(2024, 5, 17)}


# --------------------------------------------------------------------------- empty files


@pytest.mark.parametrize("name", ["a.txt", "b.csv", "c.jsonl", "d.json", "e.html", "f", "g.rss", "h.txt.gz",
                                  "i.jsonl.gz", "2019-05-30-dated.txt"])
@pytest.mark.parametrize("content", [b"", b"  \n\n\t \r\n"])
def test_ingest_empty_file_is_said_as_such(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(gzip.compress(content) if name.endswith(".gz") else content)
    records = list(iter_records([path], SETTINGS))
    assert len(records) == 1, records
    rec = records[0]
    assert isinstance(rec, IngestProblem)
    assert (rec.origin, rec.code, rec.reason) == (str(path), "K104", "empty file")


def test_ingest_empty_stdin_is_said_as_such() -> None:
    (rec,) = list(iter_records(["-"], SETTINGS, stdin=io.BytesIO(b"\n \n")))
    assert isinstance(rec, IngestProblem) and rec.code == "K104" and "empty input" in rec.reason


def test_ingest_stdin_as_a_path_object_reads_stdin() -> None:
    """The CLI hands ``Path("-")`` over: it is stdin, not a missing file."""
    data = f"Date: May 30, 2019\n\n{TEXT}\n".encode()
    (rec,) = list(iter_records([Path("-")], SETTINGS, stdin=io.BytesIO(data)))
    assert isinstance(rec, Article) and rec.date == dt.date(2019, 5, 30) and rec.origin == "<stdin>:1"


def test_ingest_stdin_is_bounded_like_a_file() -> None:
    """A document on stdin past the one-article cap is refused (K105) without being held; in
    JSON lines only the over-long line is lost."""
    small = Settings(max_article_chars=100)
    cap = 4 * 100 + (1 << 20)
    doc = b"Date: 2019-05-30\n\n" + (b"word " * 1000 + b"\n") * (cap // 5000 + 2)
    (rec,) = list(iter_records(["-"], small, stdin=io.BytesIO(doc)))
    assert isinstance(rec, IngestProblem) and rec.code == "K105" and "stdin holds more than" in rec.reason
    lines = (json.dumps({"date": "2019-05-30", "text": "x" * (cap + 10)}) + "\n"
             + json.dumps({"date": "2019-05-31", "text": OTHER}) + "\n").encode()
    first, second = list(iter_records(["-"], small, stdin=io.BytesIO(lines)))
    assert isinstance(first, IngestProblem) and first.code == "K105" and first.origin == "<stdin>:1"
    assert isinstance(second, Article) and second.date == dt.date(2019, 5, 31)


# --------------------------------------------------------------------------- the CLI


@pytest.fixture()
def shared_models(monkeypatch: pytest.MonkeyPatch, parser) -> None:
    """The CLI builds its own pipeline; reuse the session's parser so each call is quick."""
    monkeypatch.setattr(local, "Pipeline", lambda s, **kw: Pipeline(s, parser=parser, **kw))
    monkeypatch.setattr(library, "Pipeline", lambda s, **kw: Pipeline(s, parser=parser, **kw))


def _cli(*args: str, input: bytes | None = None) -> tuple[int, str]:
    """Run the CLI in-process: its exit code and its output as one line (rich wraps lines)."""
    result = CliRunner().invoke(app, list(args), input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, " ".join(result.output.split())


def _jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_ingest_exit_codes_and_no_empty_store(tmp_path: Path, shared_models: None) -> None:
    from kronika.store import Store

    db = tmp_path / "k.duckdb"
    good = _jsonl(tmp_path / "good.jsonl", {"id": "g1", "date": "May 30, 2019", "text": TEXT})
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")

    code, out = _cli("ingest", str(tmp_path / "nope1"), str(tmp_path / "nope2"), "--db", str(db))
    assert code == 2, out
    assert "nope1: [K100]" in out and "nope2: [K100]" in out
    assert not db.exists()

    code, out = _cli("ingest", str(empty), str(tmp_path / "nope"), "--db", str(db))
    assert code == 2, out
    assert "[K104] empty file" in out and "missing date" not in out
    assert "no article could be stored" in out
    assert not db.exists() and not Path(f"{db}.wal").exists()

    code, out = _cli("ingest", str(tmp_path / "nope"), str(good), "--db", str(db))
    assert code == 1, out  # a typo costs only itself: the good file is stored
    assert "1 stored" in out and "nope: [K100]" in out
    with Store(db, read_only=True) as store:
        assert store.fetch_tuples("SELECT doc_id FROM articles") == [("g1",)]

    code, out = _cli("ingest", str(good), "--db", str(db))
    assert code == 0, out  # already stored is not a failure (a re-run)
    assert "1 already stored" in out

    code, out = _cli("ingest", str(empty), "--db", str(db))
    assert code == 2 and "no article could be stored" in out
    assert db.exists()  # an existing store is never removed


def test_cli_ingest_names_the_article_a_duplicate_repeats(tmp_path: Path, shared_models: None) -> None:
    db = tmp_path / "k.duckdb"
    first = _jsonl(tmp_path / "first.jsonl", {"id": "a1", "date": "2019-05-30", "text": TEXT})
    code, out = _cli("ingest", str(first), "--db", str(db))
    assert code == 0, out
    article_id = Article.make_id(TEXT, dt.date(2019, 5, 30))

    renamed = _jsonl(tmp_path / "renamed.jsonl",
                     {"id": "b7", "date": "2019-05-30", "text": TEXT},
                     {"id": "b8", "date": "2019-05-31", "text": OTHER},
                     {"id": "b9", "date": "2019-05-31", "text": OTHER})
    code, out = _cli("ingest", str(renamed), "--db", str(db))
    assert code == 0, out
    assert f"renamed.jsonl:1: same text as article {article_id} (a1)" in out
    other_id = Article.make_id(OTHER, dt.date(2019, 5, 31))
    assert f"renamed.jsonl:3: same text as article {other_id} (b8)" in out  # within one run too
    assert "1 stored, 2 already stored" in out


def test_cli_extract_and_ingest_read_stdin(tmp_path: Path, shared_models: None) -> None:
    data = f"Date: 2019-05-30\n\n{TEXT}\n".encode()
    result = CliRunner().invoke(app, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert events and {e["type"] for e in events} >= {"CONSULT"}

    db = tmp_path / "k.duckdb"
    lines = (json.dumps({"id": "s1", "date": "17 May 2024", "text": OTHER}) + "\n").encode()
    code, out = _cli("ingest", "-", "--db", str(db), input=lines)
    assert code == 0, out
    assert "1 read, 1 stored" in out

    code, out = _cli("extract", "-", input=b"")
    assert code == 2 and "[K104] empty input" in out


def test_cli_ingest_reads_a_feed_url(tmp_path: Path, shared_models: None) -> None:
    """A URL on the command line is fetched (a path type would have folded ``//`` into ``/``
    and called it missing); an unreachable one is the reader's problem, not K100."""
    import functools
    import http.server
    import threading

    from conftest import ROOT

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "examples" / "formats"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/regional-news.rss"
        db = tmp_path / "k.duckdb"
        code, out = _cli("ingest", url, "--db", str(db))
        assert code == 0, out
        assert "3 read, 3 stored" in out and "K100" not in out
        code, out = _cli("ingest", f"http://127.0.0.1:{server.server_address[1]}/nothing.rss", "--db", str(db))
        assert code == 2 and "[K107] cannot fetch" in out and "K100" not in out, out
    finally:
        server.shutdown()
        server.server_close()
