"""The query layer over a small hand-built store: filters, paging, aggregates, clusters.

The corpus is invented (generic countries and capitals); events are referred to by
label ("paris_talks"), so each expectation reads as a sentence about the data.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.errors import QueryError
from kronika.model import ActorMention, ActorRef, Analysis, Event, IngestProblem, PlaceMention, TimeExpr
from kronika.query import (
    EventFilter,
    NotFoundError,
    actor_network,
    article_view,
    count_events,
    dyad_series,
    find_events,
    get_cluster,
    list_clusters,
    map_points,
    summary,
    timeline,
)
from kronika.store import Store
from kronika.store import synthetic as syn

PARIS = syn.place("Paris", 2988507, 48.8534, 2.3488, "FRA")
BERLIN = syn.place("Berlin", 2950159, 52.5244, 13.4105, "DEU")
WASHINGTON = syn.place("Washington", 4140963, 38.8951, -77.0364, "USA")
TOKYO = syn.place("Tokyo", 1850147, 35.6895, 139.6917, "JPN")
KYIV = syn.place("Kyiv", 703448, 50.4547, 30.5238, "UKR")
MINISTER = syn.ref("FRA", "Foreign Minister Marie Martin", entity="Marie Martin", role="Foreign Minister")

# (published, title, [(label, type, source, target, date, status, place)]); sentence = position.
CORPUS = [
    ("2020-01-10", "Talks in Paris", "The French and German ministers met in Paris on Friday. They agreed to expand trade.",
     [("paris_talks", "CONSULT", MINISTER, syn.ref("DEU"), "2020-01-10", "occurred", PARIS),
      ("trade_deal", "AGREE", syn.ref("FRA"), syn.ref("DEU"), "2020-01-10", "occurred", None)]),
    ("2020-01-11", "Paris meeting, day after", "Germany and France held talks in Paris. Russia accused Germany of spying in January.",
     [("paris_talks_again", "CONSULT", syn.ref("DEU"), syn.ref("FRA"), "2020-01-10", "occurred", PARIS),
      ("spy_row", "ACCUSE", syn.ref("RUS"), syn.ref("DEU"), "2020-01", "occurred", BERLIN)]),
    ("2020-03-05", "Sanctions", "Washington imposed 100% tariffs_on Russian steel. Russia will threaten retaliation tomorrow. "
     "France backed Germany.",
     [("sanctions", "SANCTION", syn.ref("USA"), syn.ref("RUS"), "2020-03-05", "occurred", WASHINGTON),
      ("retaliation", "THREATEN", syn.ref("RUS"), syn.ref("USA"), "2020-03-06", "planned", None),
      ("backing", "SUPPORT", syn.ref("FRA"), syn.ref("DEU"), "2020-03-05", "occurred", None)]),
    ("2020-06-01", "Allied drills", "The United States and Britain will hold drills with Japan in June. Crowds protested in France this year.",
     [("drills", "COOPERATE", [syn.ref("USA"), syn.ref("GBR")], syn.ref("JPN"), "2020-06", "planned", TOKYO),
      ("protest", "PROTEST", ActorRef("Crowds", None, None, "CVL"), syn.ref("FRA"), "2020", "occurred", None)]),
    ("2021-02-01", "Denial", "Russia denied shelling Kyiv. End.",
     [("shelling", "ASSAULT", syn.ref("RUS"), syn.ref("UKR"), "2021-02-01", "denied", KYIV)]),
]
ALL = {label for _, _, _, evs in CORPUS for label, *_ in evs}


def _build() -> tuple[list[Analysis], dict[str, Event]]:
    analyses, events = [], {}
    for published, title, text, evs in CORPUS:
        art = syn.article(text, published, title=title, source="Test Wire")
        made = []
        for i, (label, type_, src, tgt, date, status, place) in enumerate(evs):
            made.append(ev := syn.event(art, type_, src, tgt, date, sentence=i, status=status, place=place))
            events[label] = ev
        actors = [ActorMention(0, 3, text[:3], 0, 0, "FRAGOV", "FRA", "GOV", "Marie Martin", None,
                               kind="person", how="title")]
        places = [PlaceMention(5, 9, text[5:9], 0, 1, "Paris", 2988507, 48.85, 2.35, "FRA")]
        times = [TimeExpr(10, 14, text[10:14], 0, "DATE", published)]
        analyses.append(syn.analysis(art, made, actors, places, times))
    return analyses, events


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, Event]]]:
    analyses, events = _build()
    db = tmp_path_factory.mktemp("query") / "q.duckdb"
    with Store(db) as writer:
        writer.write_batch(analyses, [IngestProblem("broken.jsonl:1", "no date")])
    with Store(db, read_only=True) as store:
        yield store, events


def _labels(corpus: tuple[Store, dict[str, Event]], flt: EventFilter) -> set[str]:
    store, events = corpus
    by_id = {e.event_id: label for label, e in events.items()}
    found = {by_id[r["event_id"]] for r in find_events(store, flt)}
    assert count_events(store, flt) == len(found)
    return found


def _cluster_of(corpus: tuple[Store, dict[str, Event]], label: str) -> str:
    store, events = corpus
    return store.scalar("SELECT cluster_id FROM events WHERE event_id = ?", [events[label].event_id])


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (EventFilter(), ALL),
        (EventFilter(actor="RUS"), {"spy_row", "sanctions", "retaliation", "shelling"}),
        (EventFilter(actor="rus"), {"spy_row", "sanctions", "retaliation", "shelling"}),
        (EventFilter(actor="RUSGOV"), {"spy_row", "sanctions", "retaliation", "shelling"}),
        (EventFilter(actor="GBR"), {"drills"}),  # second member of a compound side
        (EventFilter(actor="marie martin"), {"paris_talks"}),
        (EventFilter(source="USA"), {"sanctions", "drills"}),
        (EventFilter(target="RUS"), {"sanctions"}),
        (EventFilter(dyad=("RUS", "USA")), {"sanctions", "retaliation"}),
        (EventFilter(dyad=("DEU", "FRA")), {"paris_talks", "trade_deal", "paris_talks_again", "backing"}),
        (EventFilter(type="CONSULT"), {"paris_talks", "paris_talks_again"}),
        (EventFilter(type="consult, agree"), {"paris_talks", "paris_talks_again", "trade_deal"}),
        (EventFilter(quad_class="material_conflict"), {"sanctions", "protest", "shelling"}),
        (EventFilter(status="planned"), {"retaliation", "drills"}),
        (EventFilter(since="2020-06", until="2020-06"), {"drills", "protest"}),  # "2020" overlaps June
        (EventFilter(since="2020-01-10", until="2020-01-10"),  # the month and the year overlap that day
         {"paris_talks", "trade_deal", "paris_talks_again", "spy_row", "protest"}),
        (EventFilter(until="2020-01"), {"paris_talks", "trade_deal", "paris_talks_again", "spy_row", "protest"}),
        (EventFilter(since="2021"), {"shelling"}),
        (EventFilter(place="paris"), {"paris_talks", "paris_talks_again"}),
        (EventFilter(place="2988507"), {"paris_talks", "paris_talks_again"}),
        (EventFilter(place=2988507), {"paris_talks", "paris_talks_again"}),
        (EventFilter(bbox=(-10, 35, 40, 60)), {"paris_talks", "paris_talks_again", "spy_row", "shelling"}),
        (EventFilter(bbox=(130, 20, -60, 50)), {"drills", "sanctions"}),  # across the antimeridian
        (EventFilter(text="TARIFFS"), {"sanctions"}),
        (EventFilter(text="100%"), {"sanctions"}),
        (EventFilter(text="%"), {"sanctions"}),  # a literal percent sign, not a wildcard
        (EventFilter(text="s_on"), {"sanctions"}),
        (EventFilter(actor="RUS", status="denied", since="2021-01"), {"shelling"}),
    ],
)
def test_query_find_events_filters(corpus, flt: EventFilter, expected: set[str]) -> None:
    assert _labels(corpus, flt) == expected


def test_query_filter_by_article_and_cluster(corpus) -> None:
    store, events = corpus
    aid = events["paris_talks"].article_id
    assert _labels(corpus, EventFilter(article_id=aid)) == {"paris_talks", "trade_deal"}
    cid = _cluster_of(corpus, "paris_talks")
    assert _labels(corpus, EventFilter(cluster_id=cid)) == {"paris_talks", "paris_talks_again"}


@pytest.mark.parametrize("evil", [
    "RUS' OR '1'='1", "x'); DROP TABLE events; --", "' OR 1=1 --", "%' OR ''='", "\\", "RUS\" OR \"1\"=\"1",
])
def test_query_injection_attempts_are_inert(corpus, evil: str) -> None:
    store, _ = corpus
    for flt in (EventFilter(actor=evil), EventFilter(type=evil), EventFilter(place=evil),
                EventFilter(text=evil), EventFilter(article_id=evil), EventFilter(cluster_id=evil),
                EventFilter(dyad=(evil, "RUS")), EventFilter(status=evil), EventFilter(source=evil)):
        try:  # an unknown actor, type or status is refused with a code (issue 20), else matches nothing
            assert find_events(store, flt) == []
            assert count_events(store, flt) == 0
        except QueryError as exc:
            assert exc.code in ("K513", "K514", "K515"), exc
    assert count_events(store, EventFilter()) == len(ALL)


def test_query_records_follow_the_contract(corpus) -> None:
    store, events = corpus
    [rec] = find_events(store, EventFilter(article_id=events["drills"].article_id, type="COOPERATE"))
    expected = events["drills"].to_json()
    assert {k: rec[k] for k in expected} == expected
    assert [s["country"] for s in rec["source"]] == ["USA", "GBR"]
    assert rec["article_title"] == "Allied drills" and rec["article_date"] == "2020-06-01"
    assert rec["cluster_id"]


def test_query_find_events_newest_first_and_pages(corpus) -> None:
    store, _ = corpus
    recs = find_events(store, EventFilter())
    starts = [r["date"]["value"] for r in recs]
    assert starts[0] == "2021-02-01"
    pages = [find_events(store, EventFilter(limit=3, offset=o)) for o in range(0, len(ALL), 3)]
    assert [r["event_id"] for p in pages for r in p] == [r["event_id"] for r in recs]
    assert len(find_events(store, EventFilter(limit=50), max_page=2)) == 2


@pytest.mark.parametrize("flt", [
    EventFilter(limit=-1), EventFilter(offset=-5), EventFilter(since="last year"),
    EventFilter(since="2021", until="2020"), EventFilter(bbox=(0, 50, 10, 40)),
    EventFilter(bbox=("a", 1, 2, 3)),  # type: ignore[arg-type]
    EventFilter(dyad=("RUS",)),  # type: ignore[arg-type]
])
def test_query_impossible_filters_raise_query_error(corpus, flt: EventFilter) -> None:
    store, _ = corpus
    with pytest.raises(QueryError):
        find_events(store, flt)


def test_query_timeline_is_chronological(corpus) -> None:
    store, _ = corpus
    rows = timeline(store, actor="RUS")
    assert [r["date"]["value"] for r in rows] == ["2020-01", "2020-03-05", "2020-03-06", "2021-02-01"]
    assert all(r["evidence"] for r in rows)
    assert [r["date"]["value"] for r in timeline(store, dyad=("USA", "RUS"), limit=1)] == ["2020-03-05"]
    assert {r["location"]["name"] for r in timeline(store, place="Paris")} == {"Paris"}


def test_query_map_points_only_located_events(corpus) -> None:
    store, _ = corpus
    points = map_points(store, EventFilter())
    assert len(points) == 6
    assert all(p["lat"] is not None and p["lon"] is not None for p in points)
    [kyiv] = map_points(store, EventFilter(place="Kyiv"))
    assert (kyiv["type"], kyiv["lat"], kyiv["lon"]) == ("ASSAULT", 50.4547, 30.5238)


def test_query_article_view_gives_spans_to_highlight(corpus) -> None:
    store, events = corpus
    view = article_view(store, events["sanctions"].article_id)
    text = view["text"]
    assert view["title"] == "Sanctions" and view["date"] == "2020-03-05"
    assert [e["type"] for e in view["events"]] == ["SANCTION", "THREATEN", "SUPPORT"]
    for e in view["events"]:
        assert text[e["evidence_start"] : e["evidence_end"]] == e["evidence"]
    for kind in ("actors", "places", "timexes"):
        assert all(text[m["start"] : m["end"]] == m["text"] for m in view[kind]), kind
    assert len(view["sentences"]) == 3


def test_query_missing_article_or_cluster_is_not_found(corpus) -> None:
    store, _ = corpus
    with pytest.raises(NotFoundError):
        article_view(store, "nope")
    with pytest.raises(NotFoundError):
        get_cluster(store, "nope")


def test_query_summary(corpus) -> None:
    store, _ = corpus
    s = summary(store)
    assert (s["articles"], s["events"], s["ingest_errors"]) == (5, len(ALL), 1)
    assert s["clusters"] == len(ALL) - 1  # the two Paris reports share one
    assert s["by_type"]["CONSULT"] == 2 and s["by_status"] == {"occurred": 7, "planned": 2, "denied": 1}
    assert s["by_quad_class"]["verbal_cooperation"] == 4
    assert s["top_dyads"][0] == {"a": "DEU", "b": "FRA", "events": 4}
    assert s["top_actors"][:3] == [{"actor": "DEUGOV", "events": 5}, {"actor": "FRAGOV", "events": 5},
                                  {"actor": "RUSGOV", "events": 4}]
    assert (s["first_date"], s["last_date"]) == ("2020-01-01", "2021-02-01")
    assert summary(store, EventFilter(actor="UKR"))["events"] == 1


def test_query_dyad_series_fills_gaps_and_balances(corpus) -> None:
    store, _ = corpus
    rows = dyad_series(store, "FRA", "DEU")
    assert [r["period"] for r in rows] == ["2020-01-01", "2020-02-01", "2020-03-01"]
    jan, feb, mar = rows
    assert jan["events"] == 3 and jan["by_quad"]["verbal_cooperation"] == 3 and jan["balance"] == 1.0
    assert jan["by_type"] == {"CONSULT": 2, "AGREE": 1}
    assert feb["events"] == 0 and feb["balance"] is None
    assert mar["by_type"] == {"SUPPORT": 1}
    [usa_rus] = dyad_series(store, "USA", "RUS")
    assert usa_rus["events"] == 2 and usa_rus["balance"] == -1.0
    [directed] = dyad_series(store, "USA", "RUS", symmetric=False)
    assert directed["by_type"] == {"SANCTION": 1}
    assert dyad_series(store, "USA", "RUS", since="2021") == []


def test_query_dyad_series_counts_coarse_dates_only_where_they_fit(corpus) -> None:
    store, _ = corpus
    assert [r["period"] for r in dyad_series(store, "RUS", "DEU")] == ["2020-01-01"]
    assert dyad_series(store, "RUS", "DEU", interval="day") == []  # "2020-01" is no single day
    assert [r["period"] for r in dyad_series(store, "RUS", "DEU", interval="year")] == ["2020-01-01"]
    with pytest.raises(QueryError):
        dyad_series(store, "RUS", "DEU", interval="fortnight")


def test_query_actor_network(corpus) -> None:
    store, _ = corpus
    net = actor_network(store, EventFilter())
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert edges[("DEU", "FRA")]["weight"] == 3  # symmetric CONSULT/AGREE ordered; SUPPORT is directed
    assert edges[("FRA", "DEU")]["weight"] == 1
    assert edges[("USA", "RUS")]["by_quad"]["material_conflict"] == 1
    # Compound side: every member takes part (COOPERATE is symmetric, so pairs are ordered).
    assert ("GBR", "JPN") in edges and ("JPN", "USA") in edges
    assert not any(e["source"] is None or e["target"] is None for e in net["edges"])
    nodes = {n["id"]: n for n in net["nodes"]}
    assert nodes["FRA"]["label"] == "France"
    strong = actor_network(store, EventFilter(), min_weight=2)
    assert [(e["source"], e["target"]) for e in strong["edges"]] == [("DEU", "FRA")]
    assert {n["id"] for n in strong["nodes"]} == {"DEU", "FRA"}
    people = actor_network(store, EventFilter(type="CONSULT"), level="entity")
    assert {(e["source"], e["target"]) for e in people["edges"]} == {("DEUGOV", "FRAGOV"), ("DEUGOV", "Marie Martin")}
    with pytest.raises(QueryError):
        actor_network(store, EventFilter(), level="galaxy")


def test_query_clusters(corpus) -> None:
    store, events = corpus
    top = list_clusters(store, EventFilter(limit=3))
    assert top[0]["cluster_id"] == _cluster_of(corpus, "paris_talks")
    assert (top[0]["mentions"], top[0]["articles"], top[0]["type"]) == (2, 2, "CONSULT")
    assert (top[0]["first_seen"], top[0]["last_seen"]) == ("2020-01-10", "2020-01-11")
    assert len(list_clusters(store, EventFilter(), min_mentions=2)) == 1
    # Counts cover the whole cluster even when only one mention matches the filter.
    [one] = list_clusters(store, EventFilter(article_id=events["paris_talks_again"].article_id, type="CONSULT"))
    assert one["mentions"] == 2
    full = get_cluster(store, one["cluster_id"])
    assert [e["article_date"] for e in full["events"]] == ["2020-01-10", "2020-01-11"]
    assert full["evidence"] == events["paris_talks"].evidence


@hsettings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=8))
def test_query_text_search_matches_literally(corpus, needle: str) -> None:
    store, _ = corpus
    for rec in find_events(store, EventFilter(text=needle, limit=1000)):
        assert needle.lower() in rec["evidence"].lower()


@hsettings(max_examples=60, deadline=None)
@given(st.text(max_size=12), st.sampled_from(["actor", "source", "target", "type", "status", "place", "article_id"]))
@example("²", "place").via("CI stop 23: a superscript digit as a place")
@example("1" * 19, "place").via("more digits than any GeoNames id")
def test_query_any_filter_value_is_safe(corpus, value: str, field: str) -> None:
    store, _ = corpus
    flt = EventFilter(**{field: value})
    try:
        assert 0 <= count_events(store, flt) <= len(ALL)
    except QueryError as exc:  # an unknown value is refused with a code, never a crash (issue 20)
        # A place made of digits is a GeoNames id; digits outside 0-9 ("²", "١٢") or more
        # than 18 of them are refused as a bad number (K508, kronika.numbers), by design.
        allowed = ("K513", "K514", "K515") + (("K508",) if field == "place" else ())
        assert exc.code in allowed, exc
    assert count_events(store, EventFilter()) == len(ALL)


def test_query_concurrent_readers_share_one_store(corpus) -> None:
    from concurrent.futures import ThreadPoolExecutor

    store, _ = corpus
    jobs = [lambda: len(find_events(store, EventFilter())), lambda: summary(store)["events"],
            lambda: len(actor_network(store)["edges"]), lambda: len(dyad_series(store, "FRA", "DEU"))] * 10
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: job(), jobs))
    assert results[:4] * 10 == results
