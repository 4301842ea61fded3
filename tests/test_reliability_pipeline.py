"""Hostile input, part 2: what the readers let through must not crash or hang extraction.

Generated date phrases go through the time normalizer (a TIMEX3 value is always well
formed and a full date is a real calendar day); pathological articles (a 10,000-token
sentence, 2,000-deep nesting, a 100,000-character token, thousands of dates) go through
every extraction stage, and through the full pipeline once it imports, within the
per-article time limit; a bad article in a batch never stops the good ones around it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.actors import ActorResolver
from kronika.config import Settings
from kronika.events import EventCoder
from kronika.geo import EventLocator, Geoparser
from kronika.model import Article, IngestProblem, ParsedDoc
from kronika.pipeline import Pipeline
from kronika.time import TimeTagger

CASES: Counter[str] = Counter()
# Generous: a 2-core machine shared by several test runs; the point is "bounded", not "fast".
LIMIT_S = 20.0

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan.", "Feb", "Sept.", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
UNITS = ["day", "week", "month", "year", "quarter", "decade", "century", "hour", "minute"]
TEMPLATES = [
    "{month} {day}, {year}", "{day} {month} {year}", "{month} {day}", "the {day}th of {month}", "{month} {year}",
    "{year}", "{weekday}", "last {weekday}", "next {weekday}", "{weekday} {month} {day}", "{n} {unit}s ago",
    "in {n} {unit}s", "the past {n} {unit}s", "{n} {unit}s later", "the {year}s", "Q{q} {year}", "the {ord} quarter",
    "{hh}:{mm} {ampm}", "early {month}", "the end of {month}", "mid-{year}", "{year}-{m2}-{day}",
    "{day}/{m2}/{year}", "Christmas {year}", "every {weekday}", "the {n}th century", "{year}/{year}",
]
PHRASE = st.builds(
    lambda t, **kw: t.format(**kw),
    st.sampled_from(TEMPLATES),
    month=st.sampled_from(MONTHS), weekday=st.sampled_from(WEEKDAYS), unit=st.sampled_from(UNITS),
    day=st.integers(min_value=0, max_value=45), year=st.integers(min_value=0, max_value=99999),
    n=st.one_of(st.integers(min_value=0, max_value=120), st.integers(min_value=10**6, max_value=10**12)),
    q=st.integers(min_value=0, max_value=9), ord=st.sampled_from(["first", "fourth", "fifth", "last"]),
    hh=st.integers(min_value=0, max_value=99), mm=st.integers(min_value=0, max_value=99),
    ampm=st.sampled_from(["a.m.", "p.m.", "", "GMT"]), m2=st.integers(min_value=0, max_value=19),
)
FRAME = st.sampled_from(["The ministers met on {}.", "Talks will resume {}.", "He said {} that it failed.",
                         "{} the council voted.", "Officials, who met {} and {}, agreed."])
DCT = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2049, 12, 31))
# TIMEX3 values use digits, capitals, "-", ":" and "." only ("2019-05-30", "XXXX-WXX-1",
# "P1.5Y", "PRESENT_REF"); the calendar checks below are the real test.
TIMEX_VALUE = re.compile(r"[0-9A-Z][0-9A-Z:._\-]*")


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> object:
    yield
    print(f"\n[reliability-pipeline] generated cases: {sum(CASES.values())} "
          + ", ".join(f"{k}={v}" for k, v in sorted(CASES.items())))


@pytest.fixture(scope="module")
def tagger(settings: Settings):
    from kronika.time import TimeTagger

    return TimeTagger(settings)


def _check_value(value: str) -> None:
    assert value and TIMEX_VALUE.fullmatch(value), value
    m = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        assert 1 <= month <= 12, value
        if m.group(3):
            dt.date(year, month, int(m.group(3)))  # raises on 2019-02-30
    w = re.fullmatch(r"\d{4}-W(\d{2})", value)
    if w:
        assert 1 <= int(w.group(1)) <= 53, value


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phrases=st.lists(PHRASE, min_size=1, max_size=2), frame=FRAME, dct=DCT)
def test_reliability_time_normalizer_on_generated_phrases(phrases: list[str], frame: str, dct: dt.date,
                                                          parse, tagger) -> None:
    CASES["timex-phrases"] += 1
    text = frame.format(*(phrases * 2)[: frame.count("{}")])
    doc = parse(text, dct)
    for t in tagger(doc):
        assert 0 <= t.start < t.end <= len(text) and text[t.start:t.end] == t.text, t
        assert t.type in ("DATE", "TIME", "DURATION", "SET"), t
        _check_value(t.value)


def test_reliability_decade_and_century_durations_use_timex3_units(parse, tagger) -> None:
    values = {t.text: t.value for t in tagger(parse("The feud lasted 3 decades, not 2 centuries."))}
    assert values.get("3 decades") == "P3DE" and values.get("2 centuries") == "P2CE", values


# --------------------------------------------------------------------------- pathological articles

_CLAUSE = ("Japan met Russia and China accused France of violating the agreement while the minister said "
           "that Germany would sanction Iran ").split()


def _pathological() -> dict[str, str]:
    words = (_CLAUSE * (10_000 // len(_CLAUSE) + 1))[:10_000]
    return {
        "10k-token-sentence": " ".join(words) + ".",
        "deep-brackets": "(" * 2000 + "Japan met Russia in Tokyo on Friday" + ")" * 2000 + ".",
        "deep-clauses": "The minister said " + "that the envoy said " * 1500 + "that Japan met Russia.",
        "100k-char-token": "Japan met Russia on Friday. " + "x" * 100_000 + " Russia met China.",
        "thousands-of-dates": " ".join(f"On May {d % 28 + 1}, {1990 + d % 30} Japan met Russia." for d in range(2000)),
        "punctuation-storm": "!?.;:,-" * 8000,
        "combining-marks": "Japan" + "\u0301" * 20_000 + " met Russia.",
        "mixed-scripts": "Japan 日本 met Россия and إيران on الجمعة 🤝🏽 " * 800,
    }


PATHOLOGICAL = _pathological()
# Inputs measured to take longer than LIMIT_S today (see docs/operations.md, "known limits"):
# xfail (not strict) so the suite stays green and turns green by itself once they are fixed.
KNOWN_SLOW = {
    "thousands-of-dates": "over 20 s on a loaded 2-core machine (time/actors/events stages)",
    "punctuation-storm": "spaCy's tokenizer is superlinear on long runs without spaces (5-16 s)",
    "deep-brackets": "spaCy's tokenizer is superlinear on long runs of brackets (5-13 s)",
}
CASES_PARAMS = [
    pytest.param(n, marks=[pytest.mark.slow, pytest.mark.xfail(reason=KNOWN_SLOW[n], strict=False)])
    if n in KNOWN_SLOW else n
    for n in PATHOLOGICAL
]


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the body runs past ``seconds``."""

    def on_alarm(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def stages(settings: Settings):
    return TimeTagger(settings), ActorResolver(settings), EventCoder(settings, locator=EventLocator), Geoparser(settings)


@pytest.mark.parametrize("name", CASES_PARAMS)
def test_reliability_pathological_article_through_each_stage(name: str, parser, stages) -> None:
    """Every stage finishes on each pathological article well within the time limit."""
    CASES["pathological-stages"] += 1
    time_tagger, resolver, coder, geo = stages
    art = Article.create(PATHOLOGICAL[name], dt.date(2020, 1, 2), origin=name)
    t0 = time.perf_counter()
    with _alarm(LIMIT_S):
        doc: ParsedDoc = parser.parse(art)
        t_parse = time.perf_counter() - t0
        times = time_tagger(doc)
        actors = resolver(doc, times)
        places = geo(doc, actors)
        events = coder(doc, times, actors, places)
    took = time.perf_counter() - t0 - t_parse
    print(f"\n[pathological] {name}: {len(doc.tokens)} tokens, parse {t_parse:.2f}s, stages {took:.2f}s, "
          f"{len(times)} times, {len(actors)} actors, {len(events)} events")
    for e in events:
        assert 0 <= e.sentence < len(doc.sentences)


@pytest.mark.slow
def test_reliability_pathological_batch_in_full_pipeline(parser, settings: Settings) -> None:
    """All pathological articles in one batch, with good ones between them: every good article
    comes out; each bad one comes out or is one K302 (time limit) problem; nothing raises."""
    pipe = Pipeline(settings.replace(article_timeout_s=LIMIT_S), parser=parser)
    good = "Japan and Russia agreed on Thursday to resume talks in Tokyo."
    articles: list[Article] = []
    for i, (name, text) in enumerate(PATHOLOGICAL.items()):
        articles.append(Article.create(f"{good} ({i})", dt.date(2020, 1, 2), origin=f"good-{i}"))
        articles.append(Article.create(text, dt.date(2020, 1, 2), origin=name))
    problems: list[IngestProblem] = []
    from kronika.pipeline import collect_errors

    t0 = time.perf_counter()
    out = list(pipe.analyze_many(articles, on_error=collect_errors(problems)))
    took = time.perf_counter() - t0
    CASES["pathological-pipeline"] += len(articles)
    done = {a.article.origin for a in out}
    assert {f"good-{i}" for i in range(len(PATHOLOGICAL))} <= done
    assert len(done) + len(problems) == len(articles)
    for p in problems:
        assert p.code == "K302", p  # a stage that *raised* is a bug to fix, not an accepted outcome
    print(f"\n[pathological] full pipeline: {len(articles)} articles in {took:.1f}s, "
          f"{len(problems)} over the time limit")


def test_reliability_time_limit_cuts_a_runaway_stage(parser, settings: Settings) -> None:
    """A stage stuck in a loop is interrupted at ``article_timeout_s`` (K302) and the next
    article is still analysed."""
    from kronika.pipeline import Stages, build_stages, collect_errors

    real = build_stages(settings)

    def runaway_time(doc: ParsedDoc):
        if "HANG" in doc.article.text:
            while True:
                time.sleep(0.01)
        return real.time(doc)

    stages = Stages(time=runaway_time, actors=real.actors, geo=real.geo, events=real.events)  # type: ignore[arg-type]
    pipe = Pipeline(settings.replace(article_timeout_s=0.5), parser=parser, stages=stages)
    arts = [Article.create(t, dt.date(2020, 1, 2), origin=o)
            for o, t in (("hang", "HANG forever."), ("ok", "Japan met Russia on Friday."))]
    problems: list[IngestProblem] = []
    t0 = time.perf_counter()
    out = list(pipe.analyze_many(arts, on_error=collect_errors(problems)))
    assert time.perf_counter() - t0 < 10
    assert [a.article.origin for a in out] == ["ok"]
    assert [(p.origin, p.code) for p in problems] == [("hang", "K302")]
    assert "exceeded" in problems[0].reason


# --------------------------------------------------------------------------- a messy corpus, end to end


def _messy_corpus(root: Path) -> None:
    good = [{"id": f"ok{i}", "date": f"2020-03-0{i + 1}", "text": t} for i, t in enumerate([
        "Officials in Chile announced new water restrictions on Monday.",
        "The Kenyan parliament approved the budget after a long debate.",
        "Brazil and Argentina signed a trade agreement in Buenos Aires."])]
    lines = [json.dumps(good[0]), "{not json", json.dumps({"date": "2019-02-30", "text": "Impossible."}),
             json.dumps(good[1]), json.dumps({"date": "yesterday", "text": "Relative."}), json.dumps(good[2])]
    (root / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "2020-03-05-cp1252.txt").write_bytes("Le ministre a rencontré son homologue à Genève.".encode("cp1252"))
    (root / "b.csv").write_bytes("date,text\r\n2020-04-01,Peru held talks with Bolivia.\r\n2020-04-02,   \r\n"
                                 .encode("utf-16"))
    (root / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (root / "feed.rss").write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>'
                                    b"<item><title>T</title><pubDate>Tue, 05 May 2020 10:00:00 GMT</pubDate>"
                                    b"<description>Chile and Peru agreed to cooperate.</description></item>"
                                    b"<item><title>cut")
    (root / "page.html").write_text(
        "<html><head><meta property='article:published_time' content='2020-05-06'><script>var leak=1;</script>"
        "</head><body><article><p>Norway and Sweden held talks in Oslo on fishing quotas and agreed to meet "
        "again next month.</p><script>document.write('leak')</script></article></body></html>", encoding="utf-8")
    (root / "2020-06-01-huge.txt").write_text("word " * 10_000, encoding="utf-8")  # over the 20,000 limit
    (root / "empty.jsonl").write_bytes(b"")


def test_reliability_messy_corpus_lands_and_every_problem_is_stored(tmp_path: Path, parser, monkeypatch) -> None:
    """``kronika ingest`` over a folder of bad and good files: the good articles are stored,
    every bad record is one ``ingest_errors`` row naming file (and line) and code, and the CLI
    summary counts them."""
    from typer.testing import CliRunner

    import kronika.cli.core  # noqa: F401  (registers the commands)
    import kronika.run.loop as local
    from kronika.cli.app import app
    from kronika.ingest import iter_records
    from kronika.store import Store

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _messy_corpus(corpus)
    config = tmp_path / "k.toml"
    config.write_text("[kronika]\nmax_article_chars = 20000\nbatch_size = 2\n")
    settings = Settings.load(config)
    expected = list(iter_records([corpus], settings))
    want_articles = {r.id for r in expected if isinstance(r, Article)}
    want_problems = sorted((r.origin, r.code) for r in expected if isinstance(r, IngestProblem))
    monkeypatch.setattr(local, "Pipeline", lambda s, **kw: Pipeline(s, parser=parser, **kw))
    db = tmp_path / "messy.duckdb"
    result = CliRunner().invoke(app, ["ingest", str(corpus), "--db", str(db), "--config", str(config)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        stored = {r[0] for r in store.fetch_tuples("SELECT id FROM articles")}
        problems = sorted(store.fetch_tuples("SELECT origin, code FROM ingest_errors"))
        texts = [r[0] for r in store.fetch_tuples("SELECT text FROM articles")]
    assert stored == want_articles and len(stored) >= 7
    assert problems == want_problems
    codes = Counter(code for _, code in problems)
    assert codes["K101"] >= 1 and codes["K103"] == 2 and codes["K104"] >= 1 and codes["K105"] == 1, problems
    assert codes["K106"] == 1 and codes["K108"] >= 1
    assert f"{corpus / 'a.jsonl'}:3" in {o for o, _ in problems}
    assert not any("leak" in t for t in texts)
    output = result.output
    assert f"problems: {len(problems)}" in output
    assert "[K103]" in output and "a.jsonl:3" in output
