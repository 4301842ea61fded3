"""Bad input never ends a batch: each bad record is one problem naming file, line and reason,
and the good records around it still come through."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from conftest import ROOT
from kronika.config import Settings
from kronika.ingest import decode_bytes, iter_records, read_date
from kronika.model import Article, IngestProblem

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
GOOD = {"id": "good", "date": "2020-03-05", "text": "Officials in Chile announced new water restrictions."}


def read(*paths: Path, settings: Settings | None = None) -> list[Article | IngestProblem]:
    return list(iter_records(list(paths), settings or Settings()))


def split(recs: list) -> tuple[list[Article], list[IngestProblem]]:
    return [r for r in recs if isinstance(r, Article)], [r for r in recs if isinstance(r, IngestProblem)]


@pytest.mark.parametrize("bad, code, words", [
    ("{not json", "K101", "malformed json"),
    ('["a list"]', "K101", "not an object"),
    (json.dumps({"text": "No date here."}), "K103", "missing date"),
    (json.dumps({"date": "2019-02-30", "text": "Impossible."}), "K103", "impossible date"),
    (json.dumps({"date": "yesterday", "text": "Relative."}), "K103", "relative"),
    (json.dumps({"date": "30/02/2019", "text": "Odd."}), "K103", "unreadable date"),
    (json.dumps({"date": "2020-03-05", "text": "   \n "}), "K104", "empty text"),
    (json.dumps({"date": "2020-03-05"}), "K104", "missing text"),
    (json.dumps({"date": "2020-03-05", "text": ["a"]}), "K101", "text must be a string"),
])
def test_ingest_bad_jsonl_line_is_a_problem_with_line_number(tmp_path: Path, bad: str, code: str, words: str) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps(GOOD) + "\n" + bad + "\n" + json.dumps({**GOOD, "id": "after"}) + "\n")
    arts, probs = split(read(p))
    assert [a.doc_id for a in arts] == ["good", "after"]
    assert len(probs) == 1
    assert probs[0].origin == f"{p}:2"
    assert probs[0].code == code
    assert words in probs[0].reason.lower()


def test_ingest_too_long_article(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({**GOOD, "text": "x" * 120}) + "\n" + json.dumps(GOOD) + "\n")
    arts, probs = split(read(p, settings=Settings(max_article_chars=100)))
    assert len(arts) == 1
    assert probs[0].reason == "article too long: 120 chars > limit 100"
    assert probs[0].code == "K105"


def test_ingest_undecodable_line_in_jsonl(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_bytes(json.dumps(GOOD).encode() + b"\n\x81\x8d\x90\x9d\n" + json.dumps(GOOD).encode() + b"\n")
    arts, probs = split(read(p))
    assert len(arts) == 2
    assert probs[0].origin == f"{p}:2" and probs[0].code == "K106" and "undecodable" in probs[0].reason


def test_ingest_cp1252_falls_back_and_nuls_are_stripped(tmp_path: Path) -> None:
    p = tmp_path / "2020-03-05-old.txt"
    p.write_bytes("Caf\u00e9 owners \u201cprotested\u201d\x00 on Thursday.".encode("cp1252"))
    a = read(p)[0]
    assert isinstance(a, Article)
    assert a.text == "Caf\u00e9 owners \u201cprotested\u201d on Thursday."
    assert decode_bytes("\u201cx\u201d".encode("cp1252")).encoding == "cp1252"


def test_ingest_binary_junk_and_empty_file_are_problems(tmp_path: Path) -> None:
    junk = tmp_path / "2020-03-05-junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    ctrl = tmp_path / "2020-03-05-ctrl.txt"
    ctrl.write_bytes(b"\x01\x02\x03\x04\x05\x06 abc \x07\x08\x0e\x0f" * 10)
    empty = tmp_path / "2020-03-05-empty.txt"
    empty.write_bytes(b"")
    good = tmp_path / "2020-03-05-good.txt"
    good.write_text(GOOD["text"])
    arts, probs = split(read(junk, ctrl, empty, good))
    assert [a.text for a in arts] == [GOOD["text"]]
    assert [p.code for p in probs] == ["K106", "K106", "K104"]
    assert probs[0].origin == f"{junk}:1"
    assert "binary" in probs[1].reason


def test_ingest_text_without_any_date(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("Just some text without a date.")
    [prob] = read(p)
    assert isinstance(prob, IngestProblem) and prob.code == "K103"
    assert "Date: YYYY-MM-DD" in prob.reason and prob.origin == f"{p}:1"


@pytest.mark.parametrize("header, words", [
    ("Date: yesterday", "relative"), ("Date: 2019-02-30", "impossible"), (" date 2019-13-01", "impossible"),
])
def test_ingest_bad_header_dates(tmp_path: Path, header: str, words: str) -> None:
    p = tmp_path / "2020-03-05-x.txt"
    p.write_text(header + "\nSome article text.")
    [prob] = read(p)
    assert isinstance(prob, IngestProblem) and words in prob.reason


def test_ingest_csv_bad_rows_and_bad_header(tmp_path: Path) -> None:
    good = tmp_path / "a.csv"
    good.write_text("date,text\n2020-03-05,First.\n2019-02-30,Bad date.\n,No date.\n2020-03-06,Last.\n")
    header = tmp_path / "b.csv"
    header.write_text("when,body_text\n2020-03-05,x\n")
    arts, probs = split(read(good, header))
    assert [a.text for a in arts] == ["First.", "Last."]
    assert [p.origin for p in probs] == [f"{good}:3", f"{good}:4", f"{header}:1"]
    assert "'text' or 'date'" in probs[2].reason


def test_ingest_broken_feed_yields_problem_and_recovered_items() -> None:
    path = FIXTURES / "broken-feed.rss"
    arts, probs = split(read(path))
    assert [a.doc_id for a in arts] == ["broken-1"]
    assert any(p.origin == str(path) and "well-formed" in p.reason for p in probs)
    assert any(p.origin == f"{path}#2" for p in probs)  # the truncated item: no date


def test_ingest_not_a_feed_and_html_without_date(tmp_path: Path) -> None:
    junk = tmp_path / "x.rss"
    junk.write_text("this is not xml at all")
    arts, probs = split(read(junk, FIXTURES / "page-without-date.html"))
    assert not arts
    assert probs[0].code == "K108" and "feed" in probs[0].reason
    assert probs[1].code == "K103" and probs[1].origin.endswith("page-without-date.html:1")


def test_ingest_broken_gzip_then_next_file(tmp_path: Path) -> None:
    bad = tmp_path / "a.jsonl.gz"
    bad.write_bytes(gzip.compress(json.dumps(GOOD).encode() * 50)[:40])
    bad_txt = tmp_path / "b.txt.gz"
    bad_txt.write_bytes(b"not gzip at all")
    good = tmp_path / "c.jsonl"
    good.write_text(json.dumps(GOOD))
    arts, probs = split(read(bad, bad_txt, good))
    assert [a.doc_id for a in arts] == ["good"]
    assert [p.code for p in probs] == ["K107", "K107"]
    assert "gzip" in probs[1].reason


def test_ingest_timeml_without_dct_is_a_problem(tmp_path: Path) -> None:
    p = tmp_path / "x.tml"
    p.write_text("<TimeML><TEXT>No creation time.</TEXT></TimeML>")
    [prob] = read(p)
    assert isinstance(prob, IngestProblem) and "DCT" in prob.reason


@pytest.mark.parametrize("value, expected", [
    ("2019-05-30", dt.date(2019, 5, 30)), ("2019-05-30T23:10:00Z", dt.date(2019, 5, 30)),
    ("2019-05-30 08:00", dt.date(2019, 5, 30)), ("20190530", dt.date(2019, 5, 30)),
    ("Thu, 30 May 2019 10:00:00 GMT", dt.date(2019, 5, 30)), (dt.date(2019, 5, 30), dt.date(2019, 5, 30)),
    ("2019-02-30", None), ("yesterday", None), ("", None), (None, None), (20190530, None), ("May", None),
])
def test_ingest_read_date_examples(value: object, expected: dt.date | None) -> None:
    result = read_date(value)
    assert result.date == expected
    assert (result.reason is None) == (expected is not None)


def test_ingest_binary_file_named_jsonl_gives_up_early(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    p.write_bytes(b"\x81\x00\xff\n" * 1000)
    probs = read(p)
    assert len(probs) == 6
    assert probs[-1].origin == str(p) and "not a text file" in probs[-1].reason
