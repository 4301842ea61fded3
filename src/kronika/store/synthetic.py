"""Synthetic data: hand-built analyses for tests, and millions of events for benchmarks.

Why here and not in tests: the API, dashboard and benchmark suites need the same
realistic-looking stores, built without spaCy. ``analysis(...)``/``event(...)`` build the
frozen model records by hand; ``generate(store, n, seed)`` fills a store with ``n``
events entirely inside DuckDB (deterministic hashes of the row number, not Python loops),
so a million events take seconds.

Synthetic events use exact-match clusters (same type, country pair, first day, place),
a cheap stand-in for ``store.clustering`` that keeps cluster sizes realistic.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from kronika.model import (
    SYMMETRIC_TYPES,
    ActorMention,
    ActorRef,
    Analysis,
    Article,
    Event,
    EventDate,
    EventPlace,
    ParsedDoc,
    PlaceMention,
    Sentence,
    TimeExpr,
)
from kronika.store import keys
from kronika.store.db import BatchResult, Store

# PLOVER type → (quad class, CAMEO root): generic PLOVER/CAMEO knowledge, for fake data only.
TYPE_INFO: dict[str, tuple[str, str]] = {
    "AGREE": ("verbal_cooperation", "03"), "CONSULT": ("verbal_cooperation", "04"),
    "SUPPORT": ("verbal_cooperation", "05"), "COOPERATE": ("material_cooperation", "06"),
    "AID": ("material_cooperation", "07"), "CONCEDE": ("material_cooperation", "08"),
    "RETREAT": ("material_cooperation", "08"), "ACCUSE": ("verbal_conflict", "11"),
    "REQUEST": ("verbal_conflict", "10"), "REJECT": ("verbal_conflict", "12"),
    "THREATEN": ("verbal_conflict", "13"), "PROTEST": ("material_conflict", "14"),
    "MOBILIZE": ("material_conflict", "15"), "SANCTION": ("material_conflict", "16"),
    "COERCE": ("material_conflict", "17"), "ASSAULT": ("material_conflict", "18"),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


# --------------------------------------------------------------------------- hand-built


def article(text: str, date: str | dt.date = "2019-05-30", **meta: str | None) -> Article:
    d = dt.date.fromisoformat(date) if isinstance(date, str) else date
    return Article.create(text, d, **meta)


def doc(art: Article) -> ParsedDoc:
    """A token-less ParsedDoc whose sentences split at ., ! or ? followed by space."""
    sentences: list[Sentence] = []
    start = 0
    for m in [*_SENTENCE_END.finditer(art.text), None]:
        end = m.start() if m else len(art.text)
        if end > start:
            sentences.append(Sentence(len(sentences), start, end, 0, 0))
        if m:
            start = m.end()
    return ParsedDoc(article=art, tokens=(), sentences=tuple(sentences), entities=())


def ref(country: str | None, text: str | None = None, *, sector: str | None = "GOV",
        entity: str | None = None, role: str | None = None, actor: str | None = None) -> ActorRef:
    code = actor or (f"{country}{sector or ''}" if country else None)
    return ActorRef(text=text or entity or country or "someone", actor=code, country=country,
                    sector=sector, entity=entity, role=role)


def event(
    art: Article,
    type_: str,
    source: ActorRef | Sequence[ActorRef] | None,
    target: ActorRef | Sequence[ActorRef] | None,
    date: str | None = None,
    *,
    sentence: int = 0,
    trigger_start: int | None = None,
    origin: str = "text",
    place: EventPlace | None = None,
    status: str = "occurred",
    evidence: str | None = None,
    contexts: tuple[str, ...] = (),
    confidence: float = 0.8,
) -> Event:
    """An event in ``art``'s sentence ``sentence``; evidence defaults to that sentence."""
    sents = doc(art).sentences
    s = sents[min(sentence, len(sents) - 1)] if sents else Sentence(0, 0, len(art.text), 0, 0)
    ev = evidence or art.text[s.start : s.end]
    trig = s.start if trigger_start is None else trigger_start
    quad, cameo = TYPE_INFO.get(type_, (None, None))
    return Event(
        event_id=Event.make_id(art.id, sentence, trig, type_), article_id=art.id,
        doc_id=art.doc_id, sentence=sentence, evidence=ev, evidence_start=s.start,
        evidence_end=s.end, type=type_, mode=None, contexts=contexts, status=status,
        cameo=cameo, quad_class=quad, source=_refs(source), target=_refs(target),
        date=EventDate(value=date or art.date.isoformat(), text=date,
                       origin="document" if date is None else origin),  # type: ignore[arg-type]
        location=place, confidence=confidence, trigger=ev.split(" ")[0], trigger_start=trig,
        component="synthetic",
    )


def _refs(side: ActorRef | Sequence[ActorRef] | None) -> tuple[ActorRef, ...]:
    if side is None:
        return ()
    return (side,) if isinstance(side, ActorRef) else tuple(side)


def place(name: str, geonameid: int | None, lat: float | None, lon: float | None,
          country: str | None, origin: str = "text") -> EventPlace:
    return EventPlace(name=name, geonameid=geonameid, lat=lat, lon=lon, country=country, origin=origin)


def analysis(
    art: Article,
    events: Sequence[Event] = (),
    actors: Sequence[ActorMention] = (),
    places: Sequence[PlaceMention] = (),
    times: Sequence[TimeExpr] = (),
) -> Analysis:
    return Analysis(doc=doc(art), times=tuple(times), actors=tuple(actors), places=tuple(places),
                    events=tuple(events))


# --------------------------------------------------------------------------- bulk

_COUNTRIES = (
    "USA", "RUS", "CHN", "GBR", "FRA", "DEU", "JPN", "IND", "IRN", "ISR", "UKR", "TUR", "PAK",
    "PRK", "KOR", "SYR", "IRQ", "AFG", "SAU", "EGY", "BRA", "MEX", "CAN", "AUS", "ITA", "ESP",
    "POL", "NGA", "ZAF", "IDN",
)
# (name, geonameid, lat, lon, country): capitals from GeoNames.
_PLACES = (
    ("Washington", 4140963, 38.8951, -77.0364, "USA"), ("Moscow", 524901, 55.7522, 37.6156, "RUS"),
    ("Beijing", 1816670, 39.9075, 116.3972, "CHN"), ("London", 2643743, 51.5085, -0.1257, "GBR"),
    ("Paris", 2988507, 48.8534, 2.3488, "FRA"), ("Berlin", 2950159, 52.5244, 13.4105, "DEU"),
    ("Tokyo", 1850147, 35.6895, 139.6917, "JPN"), ("New Delhi", 1261481, 28.6358, 77.2245, "IND"),
    ("Tehran", 112931, 35.6944, 51.4215, "IRN"), ("Jerusalem", 281184, 31.7690, 35.2163, "ISR"),
    ("Kyiv", 703448, 50.4547, 30.5238, "UKR"), ("Ankara", 323786, 39.9199, 32.8543, "TUR"),
    ("Islamabad", 1176615, 33.7215, 73.0433, "PAK"), ("Pyongyang", 1871859, 39.0339, 125.7543, "PRK"),
    ("Seoul", 1835848, 37.5660, 126.9784, "KOR"), ("Damascus", 170654, 33.5102, 36.2913, "SYR"),
    ("Baghdad", 98182, 33.3406, 44.4009, "IRQ"), ("Kabul", 1138958, 34.5281, 69.1723, "AFG"),
    ("Riyadh", 108410, 24.6877, 46.7219, "SAU"), ("Cairo", 360630, 30.0626, 31.2497, "EGY"),
)


def _sql_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def _places_sql() -> str:
    return "[" + ", ".join(
        f"{{'name': '{n}', 'gid': {g}, 'lat': {la}, 'lon': {lo}, 'cc': '{c}'}}" for n, g, la, lo, c in _PLACES
    ) + "]"


_ARTICLES_SQL = """
INSERT INTO articles (id, doc_id, date, title, url, source, origin, text, n_sentences, ingested_at)
SELECT ? || i, NULL, DATE '2015-01-01' + CAST(hash(i, ?, 0) % 3650 AS INTEGER),
       'Synthetic article ' || i, NULL, 'synthetic', 'synthetic', 'Synthetic article text ' || i || '.',
       10, current_timestamp::TIMESTAMP
FROM range(?) t(i)
"""

_EVENTS_SQL = """
INSERT INTO events
WITH base AS (
    -- Each event reports one of n/3 "happenings": what, who, when and where come from
    -- the happening, so several articles report the same thing (clusters of ~3).
    SELECT i, i // 10 AS art, hash(i, $seed, 7) % greatest($n // 3, 1) AS h
    FROM range($n) t(i)
), drawn AS (
    SELECT i, art, (hash(h, $seed, 1) % 1000000) / 1e6 AS u1,
           CAST(hash(h, $seed, 2) % 29 AS INTEGER) AS off, hash(h, $seed, 3) AS h3,
           hash(h, $seed, 4) AS h4, hash(h, $seed, 5) AS h5, (hash(h, $seed, 6) % 100) AS pct,
           (hash(i, $seed, 9) % 1000000) / 1e6 AS conf, hash(i, $seed, 10) % 100 AS spct
    FROM base
), picked AS (
    SELECT b.*, a.id AS article_id,
           1 + CAST(b.h3 % 16 AS INTEGER) AS k,
           CAST(floor(pow(b.u1, 2) * 30) AS INTEGER) AS si,
           DATE '2015-01-01' + CAST(b.h4 % 3650 AS INTEGER) AS d,
           CASE WHEN b.h5 % 100 < 50 THEN NULL ELSE $places[1 + CAST(b.h5 % 20 AS INTEGER)] END AS loc
    FROM drawn b JOIN articles a ON a.id = $prefix || b.art
), paired AS (
    -- target: another country, never the source itself
    SELECT *, $countries[1 + si] AS sc, $countries[1 + (si + 1 + off) % 30] AS tc FROM picked
), dated AS (
    SELECT *, $types[k] AS type, CASE WHEN pct < 85 THEN 'day' WHEN pct < 95 THEN 'month' ELSE 'year' END AS gran,
           CASE WHEN list_contains($symmetric, $types[k]) AND tc < sc THEN tc ELSE sc END AS ka,
           CASE WHEN list_contains($symmetric, $types[k]) AND tc < sc THEN sc ELSE tc END AS kb
    FROM paired
), spanned AS (
    SELECT *,
       CASE gran WHEN 'day' THEN d WHEN 'month' THEN CAST(date_trunc('month', d) AS DATE)
                 ELSE CAST(date_trunc('year', d) AS DATE) END AS ds,
       CASE gran WHEN 'day' THEN d WHEN 'month' THEN last_day(d) ELSE make_date(year(d), 12, 31) END AS de
    FROM dated
)
SELECT $prefix || 'e' || i, article_id, NULL, CAST(i % 10 AS INTEGER),
       'Synthetic evidence ' || i || ': ' || sc || ' ' || lower(type) || ' ' || tc || '.', 0, 40,
       type, NULL, []::VARCHAR[],
       CASE WHEN spct < 80 THEN 'occurred' WHEN spct < 92 THEN 'planned'
            WHEN spct < 97 THEN 'denied' ELSE 'hypothetical' END,
       $cameo[k], $quad[k],
       json_object('text', sc, 'actor', sc || 'GOV', 'country', sc, 'sector', 'GOV', 'entity', NULL, 'role', NULL),
       json_object('text', tc, 'actor', tc || 'GOV', 'country', tc, 'sector', 'GOV', 'entity', NULL, 'role', NULL),
       sc, tc, sc || 'GOV', tc || 'GOV', sc, tc, NULL, NULL,
       CASE gran WHEN 'day' THEN strftime(d, '%Y-%m-%d') WHEN 'month' THEN strftime(d, '%Y-%m')
                 ELSE strftime(d, '%Y') END,
       NULL, CASE WHEN spct % 2 = 0 THEN 'document' ELSE 'text' END,
       ds, de,
       loc.name, loc.gid, loc.lat, loc.lon, loc.cc,
       0.5 + conf / 2, lower(type), 0, 'synthetic',
       type || '|' || ka || '|' || kb,
       substr(md5(type || '|' || ka || '|' || kb || '|' || CAST(ds AS VARCHAR) || '|'
                  || coalesce(CAST(loc.gid AS VARCHAR), '')), 1, 16),
       CASE WHEN loc.name IS NULL THEN NULL ELSE 'text' END  -- location_origin (migration 0008)
    FROM spanned
    -- the order ``Store.compact`` leaves (event date first), as after a bulk load
    ORDER BY ds, de, article_id, i % 10, $prefix || 'e' || i
"""

_EVENT_ACTORS_SQL = """
INSERT INTO event_actors
SELECT event_id, 'source', 0, source_text, source_actor, source_country, 'GOV', NULL, NULL
FROM events WHERE starts_with(event_id, $prefix)
UNION ALL
SELECT event_id, 'target', 0, target_text, target_actor, target_country, 'GOV', NULL, NULL
FROM events WHERE starts_with(event_id, $prefix)
"""


def generate(store: Store, n: int, seed: int = 0) -> BatchResult:
    """Add ``n`` synthetic events (10 per article) to ``store``, deterministically from ``seed``.

    Calling it again with the same ``seed`` adds nothing (the articles exist already).
    """
    prefix = f"syn{seed}-"
    n_articles = max(1, (n + 9) // 10)
    if store.known_article_ids([prefix + "0"]):
        return BatchResult(articles_skipped=n_articles)
    types = list(TYPE_INFO)
    with store.transaction() as con:
        con.execute(_ARTICLES_SQL, [prefix, seed, n_articles])
        con.execute(_EVENTS_SQL.replace("$places", _places_sql()), {
            "seed": seed, "n": n, "prefix": prefix, "types": types, "countries": list(_COUNTRIES),
            "symmetric": sorted(SYMMETRIC_TYPES), "cameo": [TYPE_INFO[t][1] for t in types], "quad": [TYPE_INFO[t][0] for t in types],
        })
        con.execute(_EVENT_ACTORS_SQL, {"prefix": prefix})
        con.execute(keys.index_sql("starts_with(event_id, $prefix)", "starts_with(event_id, $prefix)"),
                    {"prefix": prefix})
    return BatchResult(articles_written=n_articles, events_written=n)
