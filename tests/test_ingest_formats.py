"""Ingest readers, one format at a time: what comes out of each, and that the same text and
date give the same article id whatever the format."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from pathlib import Path

import pytest

from conftest import ROOT, SEED
from kronika.config import Settings
from kronika.errors import IngestError
from kronika.ingest import iter_records
from kronika.model import Article, IngestProblem

FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
EXAMPLES = ROOT / "examples"
TEXT = "The trade ministers of Canada and Mexico met in Ottawa on Tuesday.\nThey agreed to talk again."
DATE = dt.date(2022, 1, 11)


def read(*paths: Path | str, settings: Settings | None = None, **kw) -> list[Article | IngestProblem]:
    return list(iter_records(list(paths), settings or Settings(), **kw))


def articles(records: list) -> list[Article]:
    return [r for r in records if isinstance(r, Article)]


def problems(records: list) -> list[IngestProblem]:
    return [r for r in records if isinstance(r, IngestProblem)]


def only(records: list) -> Article:
    assert len(records) == 1 and isinstance(records[0], Article), records
    return records[0]


# --------------------------------------------------------------------------- seed format


@pytest.mark.parametrize("raw, text", [
    (" date 2019-05-30 The talks began.\n\nMore text.", "The talks began.\n\nMore text."),
    (" date 2019-05-30  Two spaces keep one.", " Two spaces keep one."),
    ("date 2019-05-30\nOn the next line.", "On the next line."),
    ("date 2019-05-30\r\nWindows line end.", "Windows line end."),
])
def test_ingest_seed_text_starts_one_character_after_the_date(tmp_path: Path, raw: str, text: str) -> None:
    p = tmp_path / "article.txt"
    p.write_bytes(raw.encode("utf-8"))
    a = only(read(p))
    assert a.text == text
    assert a.date == dt.date(2019, 5, 30)
    assert a.doc_id == "article.txt"
    assert a.origin == f"{p}:1"


def test_ingest_seed_text_matches_gold_offset_convention(tmp_path: Path) -> None:
    raw = " date 2021-07-01 Leaders met in Rome.\nThey signed a deal."
    p = tmp_path / "x.txt"
    p.write_text(raw, encoding="utf-8")
    assert only(read(p)).text == raw.split(" ", 3)[3]


def test_ingest_reads_the_shared_seed_article_exactly() -> None:
    if not SEED.exists():
        pytest.skip("shared/ seed article not present")
    raw = SEED.read_text(encoding="utf-8")
    a = only(read(SEED))
    assert a.text == raw.split(" ", 3)[3]
    assert a.date.isoformat() == raw.split(" ", 3)[2]


def test_ingest_example_seed_is_byte_identical_to_shared_seed() -> None:
    if not SEED.exists():
        pytest.skip("shared/ seed article not present")
    assert (EXAMPLES / "seed" / SEED.name).read_bytes() == SEED.read_bytes()


# --------------------------------------------------------------------------- plain text


def test_ingest_plain_text_header_block(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("Date: 2022-01-11T08:00:00Z\nTitle: Trade talks\nURL: https://x.example/1\n\n" + TEXT)
    a = only(read(p))
    assert (a.text, a.date, a.title, a.url, a.doc_id) == (TEXT, DATE, "Trade talks", "https://x.example/1", "note.txt")


def test_ingest_plain_text_iso_date_first_line(tmp_path: Path) -> None:
    p = tmp_path / "note.txt"
    p.write_text("2022-01-11\n\n" + TEXT)
    a = only(read(p))
    assert (a.text, a.date) == (TEXT, DATE)


def test_ingest_plain_text_date_from_file_name(tmp_path: Path) -> None:
    p = tmp_path / "2022-01-11-trade-talks.txt"
    p.write_text(TEXT)
    a = only(read(p))
    assert (a.text, a.date, a.doc_id) == (TEXT, DATE, "2022-01-11-trade-talks.txt")


def test_ingest_plain_text_header_without_date_uses_file_name(tmp_path: Path) -> None:
    p = tmp_path / "20220111_talks.txt"
    p.write_text("Title: Trade talks\n\n" + TEXT)
    a = only(read(p))
    assert (a.text, a.date, a.title) == (TEXT, DATE, "Trade talks")


# --------------------------------------------------------------------------- JSON lines, JSON, CSV


def test_ingest_jsonl_fields_and_line_origins(tmp_path: Path) -> None:
    p = tmp_path / "c.jsonl"
    rows = [{"id": 7, "date": "2022-01-11", "text": TEXT, "title": "T", "url": "u", "source": "s"},
            {"id": "b", "date": "2022-01-12T23:59:00+05:00", "text": "Second article text."}]
    p.write_text(json.dumps(rows[0]) + "\n\n" + json.dumps(rows[1]) + "\n", encoding="utf-8")
    a, b = read(p)
    assert (a.doc_id, a.title, a.url, a.source, a.origin, a.date) == ("7", "T", "u", "s", f"{p}:1", DATE)
    assert (b.doc_id, b.origin, b.date) == ("b", f"{p}:3", dt.date(2022, 1, 12))


def test_ingest_json_array(tmp_path: Path) -> None:
    p = tmp_path / "c.json"
    p.write_text(json.dumps([{"date": "2022-01-11", "text": TEXT}, {"date": "2022-01-12", "text": "Other."}]))
    recs = read(p)
    assert [r.date for r in articles(recs)] == [DATE, dt.date(2022, 1, 12)]
    assert recs[1].origin == f"{p}#2"


def test_ingest_csv_with_multiline_text(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text('id,date,title,text\nx1,2022-01-11,T,"' + TEXT + '"\nx2,2022-01-12,,Short one.\n', encoding="utf-8")
    a, b = read(p)
    assert (a.doc_id, a.text, a.title, a.origin) == ("x1", TEXT, "T", f"{p}:2")
    assert (b.doc_id, b.title, b.origin) == ("x2", None, f"{p}:4")


def test_ingest_tsv_and_semicolon_csv(tmp_path: Path) -> None:
    tsv = tmp_path / "c.tsv"
    tsv.write_text("date\ttext\n2022-01-11\tTab separated.\n")
    semi = tmp_path / "d.csv"
    semi.write_text("date;text\n2022-01-11;Semicolon separated.\n")
    assert [a.text for a in articles(read(tsv, semi))] == ["Tab separated.", "Semicolon separated."]


# --------------------------------------------------------------------------- HTML and feeds


def test_ingest_html_uses_published_time_meta_and_drops_headline() -> None:
    a = only(read(EXAMPLES / "formats" / "press-release.html"))
    assert a.date == dt.date(2021, 3, 18)
    assert a.title == "Chile and Peru sign fisheries agreement"
    assert a.url == "https://news.example.org/2021/03/18/fisheries-agreement"
    assert a.text.startswith("The governments of Chile and Peru")
    assert "Home" not in a.text and "invented sample" not in a.text


def test_ingest_html_meta_name_date() -> None:
    a = only(read(FIXTURES / "page-meta-name-date.html"))
    assert a.date == dt.date(2018, 11, 20)
    assert "harbour" in a.text and "About" not in a.text


def test_ingest_rss_items_become_articles() -> None:
    recs = read(EXAMPLES / "formats" / "regional-news.rss")
    assert [a.doc_id for a in articles(recs)] == ["wire-1001", "wire-1002", "wire-1003"]
    first, second = recs[0], recs[1]
    assert first.date == dt.date(2021, 6, 7) and first.url == "https://wire.example.org/items/1001"
    assert first.source == "Example Regional Wire" and "<p>" not in first.text
    assert second.text.splitlines()[1].startswith("Organisers said")
    assert second.origin.endswith("regional-news.rss#2")


def test_ingest_atom_content_published_or_updated() -> None:
    a, b = read(FIXTURES / "atom-feed.atom")
    assert (a.doc_id, a.date, a.url) == ("urn:example:atom-desk:1", dt.date(2020, 2, 3), "https://atom.example.org/1")
    assert "track()" not in a.text and a.text.startswith("Transport ministers")
    assert b.date == dt.date(2020, 2, 4)


def test_ingest_xml_suffix_is_sniffed_as_feed(tmp_path: Path) -> None:
    p = tmp_path / "feed.xml"
    p.write_bytes((EXAMPLES / "formats" / "regional-news.rss").read_bytes())
    assert len(articles(read(p))) == 3


def test_ingest_timeml_goes_to_the_time_stage_reader() -> None:
    a = only(read(FIXTURES / "mini.tml"))
    assert a.date == dt.date(1998, 2, 6)
    assert a.text == "The council met on Thursday & agreed."


# --------------------------------------------------------------------------- containers


def test_ingest_gzip_jsonl_and_text(tmp_path: Path) -> None:
    row = json.dumps({"date": "2022-01-11", "text": TEXT})
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress((row + "\n").encode()))
    (tmp_path / "2022-01-11-a.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    recs = read(tmp_path / "c.jsonl.gz", tmp_path / "2022-01-11-a.txt.gz")
    assert [a.text for a in articles(recs)] == [TEXT, TEXT]
    assert recs[1].doc_id == "2022-01-11-a.txt"


def test_ingest_directory_is_recursive_sorted_and_skips_hidden_and_foreign(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "2022-01-12-z.txt").write_text("Second.")
    (tmp_path / "2022-01-11-a.txt").write_text("First.")
    (tmp_path / ".hidden-2022-01-11.txt").write_text("Hidden.")
    (tmp_path / ".git" / "2022-01-11.txt").write_text("In a hidden folder.")
    (tmp_path / "README.md").write_text("Not an article.")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    recs = read(tmp_path)
    assert [r.text for r in recs] == ["First.", "Second."]


def test_ingest_example_formats_folder_reads_cleanly() -> None:
    recs = read(EXAMPLES / "formats")
    assert not problems(recs)
    assert len(articles(recs)) == 8


def test_ingest_stdin_seed_and_jsonl() -> None:
    seed = io.BytesIO(b" date 2022-01-11 " + TEXT.encode())
    assert only(read("-", stdin=seed)).text == TEXT
    lines = io.BytesIO(b"\n" + json.dumps({"date": "2022-01-11", "text": TEXT}).encode() + b"\n{bad\n")
    recs = read("-", stdin=lines)
    assert recs[0].text == TEXT and recs[0].origin == "<stdin>:2"
    assert isinstance(recs[1], IngestProblem) and recs[1].origin == "<stdin>:3"


def test_ingest_missing_path_raises_before_reading(tmp_path: Path) -> None:
    good = tmp_path / "2022-01-11.txt"
    good.write_text(TEXT)
    with pytest.raises(IngestError, match="no-such"):
        read(good, tmp_path / "no-such.jsonl")


def test_ingest_wikinews_example_sample() -> None:
    path = EXAMPLES / "wikinews" / "wikinews_politics_sample.jsonl"
    assert path.stat().st_size < 6_000_000
    recs = read(path)
    assert not problems(recs)
    arts = articles(recs)
    assert len(arts) >= 1000
    assert len({a.id for a in arts}) == len(arts)
    assert all(len(a.text.split()) >= 40 for a in arts)
    assert (EXAMPLES / "wikinews" / "ATTRIBUTION.md").read_text().count("CC BY 2.5")


# --------------------------------------------------------------------------- stable ids


def test_ingest_same_text_and_date_same_id_in_every_format(tmp_path: Path) -> None:
    row = {"id": "x", "date": "2022-01-11", "text": TEXT}
    (tmp_path / "seed.txt").write_text(" date 2022-01-11 " + TEXT)
    (tmp_path / "plain.txt").write_text("Date: 2022-01-11\n\n" + TEXT)
    (tmp_path / "2022-01-11-named.txt").write_text(TEXT)
    (tmp_path / "c.jsonl").write_text(json.dumps(row) + "\n")
    (tmp_path / "c.json").write_text(json.dumps([row]))
    (tmp_path / "c.csv").write_text('id,date,text\nx,2022-01-11T10:00:00,"' + TEXT + '"\n')
    (tmp_path / "z.jsonl.gz").write_bytes(gzip.compress(json.dumps(row).encode()))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf date 2022-01-11 " + TEXT.encode())
    (tmp_path / "utf16.txt").write_bytes(("\ufeff date 2022-01-11 " + TEXT).encode("utf-16-le"))
    rss = ("<rss version='2.0'><channel><title>t</title><item><guid>g</guid>"
           "<pubDate>Tue, 11 Jan 2022 09:00:00 GMT</pubDate><description><![CDATA[" + TEXT + "]]></description>"
           "</item></channel></rss>")
    (tmp_path / "f.rss").write_text(rss)
    recs = read(tmp_path)
    assert not problems(recs)
    assert len(recs) == 10
    assert {a.id for a in articles(recs)} == {Article.make_id(TEXT, DATE)}


# --------------------------------------------------------------------------- URLs (no network)


class _FakeResponse(io.BytesIO):
    def __init__(self, data: bytes, ctype: str) -> None:
        super().__init__(data)
        self.headers = {"Content-Type": ctype}


def test_ingest_url_argument_is_fetched_as_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    body = (EXAMPLES / "formats" / "regional-news.rss").read_bytes()
    seen: list[str] = []

    def fake_urlopen(req, timeout):
        seen.append(req.full_url)
        return _FakeResponse(body, "application/rss+xml")

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    recs = read("https://wire.example.org/feed")
    assert seen == ["https://wire.example.org/feed"]
    assert [a.doc_id for a in articles(recs)] == ["wire-1001", "wire-1002", "wire-1003"]


def test_ingest_url_failure_is_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.error
    import urllib.request

    def fail(req, timeout):
        raise urllib.error.URLError("unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", fail)
    [prob] = read("http://feeds.example.org/x")
    assert isinstance(prob, IngestProblem) and prob.code == "K107" and "cannot fetch" in prob.reason
