"""Cross-article clustering: one happening reported by many articles is one cluster."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from kronika.model import ActorRef, Article, Event, EventPlace
from kronika.store import Store
from kronika.store import synthetic as syn

_n = itertools.count()
CAP1 = syn.place("Capital One", 1, 1.0, 1.0, "AAA")
CAP2 = syn.place("Capital Two", 2, 2.0, 2.0, "BBB")


def _report(type_: str, src: str | None, tgt: str | None, date: str | None, *,
            published: str = "2019-06-20", place: EventPlace | None = None) -> Event:
    """An event in a fresh article (a different outlet's report)."""
    art = syn.article(f"Report number {next(_n)} about officials. End.", published)
    _ARTICLES[art.id] = art
    return syn.event(art, type_, _side(src), _side(tgt), date, place=place)


def _side(country: str | None) -> ActorRef:
    return syn.ref(country) if country else ActorRef("someone", None, None)


def _cluster_ids(store: Store, *events: Event, batches: bool = False) -> list[str]:
    analyses = [syn.analysis(_ARTICLES[e.article_id], [e]) for e in events]
    if batches:
        for a in analyses:
            store.write_batch([a])
    else:
        store.write_batch(analyses)
    return [store.scalar("SELECT cluster_id FROM events WHERE event_id = ?", [e.event_id]) for e in events]


_ARTICLES: dict[str, Article] = {}  # article of each test event, filled by _report
@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "k.duckdb") as s:
        yield s


@pytest.mark.parametrize("batches", [False, True], ids=["one-batch", "batch-per-article"])
def test_store_clustering_same_meeting_three_outlets(store: Store, batches: bool) -> None:
    ids = _cluster_ids(
        store,
        _report("CONSULT", "AAA", "BBB", "2019-06-14", place=CAP1),
        _report("CONSULT", "BBB", "AAA", "2019-06-14"),  # symmetric: sides swapped
        _report("CONSULT", "AAA", "BBB", "2019-06-15", place=CAP1),  # a day later: within the window
        batches=batches,
    )
    assert len(set(ids)) == 1


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (("ACCUSE", "AAA", "BBB", "2019-06-14"), ("ACCUSE", "BBB", "AAA", "2019-06-14"), False),
        (("ACCUSE", "AAA", "BBB", "2019-06-14"), ("ACCUSE", "AAA", "BBB", "2019-06-14"), True),
        (("CONSULT", "AAA", "BBB", "2019-06-14"), ("AGREE", "AAA", "BBB", "2019-06-14"), False),
        (("CONSULT", "AAA", "BBB", "2019-06-14"), ("CONSULT", "AAA", "CCC", "2019-06-14"), False),
        (("CONSULT", "AAA", "BBB", "2019-06-14"), ("CONSULT", "AAA", "BBB", "2019-06-15"), True),
        (("CONSULT", "AAA", "BBB", "2019-06-14"), ("CONSULT", "AAA", "BBB", "2019-06-16"), False),
        (("CONSULT", "AAA", "BBB", "2019-06"), ("CONSULT", "AAA", "BBB", "2019-07-01"), False),
        # A coarse date covers more than the window: it cannot tell which day, so it joins nothing.
        (("CONSULT", "AAA", "BBB", "2019"), ("CONSULT", "AAA", "BBB", "2019-11-30"), False),
        (("CONSULT", "AAA", "BBB", "2019-06"), ("CONSULT", "AAA", "BBB", "2019-06-14"), False),
        (("CONSULT", None, None, "2019-06-14"), ("CONSULT", None, None, "2019-06-14"), False),
        (("PROTEST", "AAA", None, "2019-06-14"), ("PROTEST", "AAA", None, "2019-06-14"), True),
    ],
)
def test_store_clustering_compatibility(store: Store, a: tuple, b: tuple, same: bool) -> None:
    first, second = _cluster_ids(store, _report(*a), _report(*b))
    assert (first == second) is same


def test_store_clustering_document_dates_join_no_other_sentence(store: Store) -> None:
    """No date in the text: the article's date stands in. That is when the happening was
    reported, not when it happened, so such a mention joins no other article's mention,
    however close (the audit found "US forces attacked" on consecutive days to be
    different attacks); only the same sentence coded twice is one cluster."""
    undated = _report("CONSULT", "AAA", "BBB", None, published="2019-06-15")
    dated = _report("CONSULT", "AAA", "BBB", "2019-06-15")
    undated_too = _report("CONSULT", "AAA", "BBB", None, published="2019-06-15")
    assert len(set(_cluster_ids(store, undated, dated, undated_too))) == 3
    art = syn.article(f"Report number {next(_n)}: they will meet and met. End.", "2019-06-20")
    _ARTICLES[art.id] = art
    twice = [syn.event(art, "CONSULT", syn.ref("AAA"), syn.ref("BBB"), None, origin="document", status=s)
             for s in ("planned", "occurred")]
    other = syn.event(art, "CONSULT", syn.ref("AAA"), syn.ref("BBB"), None, sentence=1, origin="document")
    store.write_batch([syn.analysis(art, [*twice, other])])
    ids = [store.scalar("SELECT cluster_id FROM events WHERE event_id = ?", [e.event_id]) for e in (*twice, other)]
    assert ids[0] == ids[1] != ids[2]


@pytest.mark.parametrize("batches", [False, True], ids=["one-batch", "batch-per-article"])
def test_store_clustering_never_chains_past_the_window(store: Store, batches: bool) -> None:
    """Daily reports of daily attacks: each a day from the previous one, but a cluster holds
    only what fits one window, first day to last day (default: 1 day)."""
    days = [_report("ASSAULT", "USA", "IRQ", f"2005-06-{d:02d}") for d in range(10, 16)]
    ids = _cluster_ids(store, *days, batches=batches)
    assert ids[0] == ids[1] != ids[2] == ids[3] != ids[4] == ids[5]
    spans = store.fetch_tuples("SELECT max(date_end) - min(date_start) FROM events GROUP BY cluster_id")
    assert all(span <= 1 for (span,) in spans)


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [("AAAMIL", "AAAMIL", True), ("AAA", "AAAMIL", True), ("AAAMIL", "AAAGOV", False), (None, "AAAREB", True)],
)
def test_store_clustering_actor_codes_must_agree(store: Store, a: str | None, b: str | None, same: bool) -> None:
    """One dyad at the actor level: a code may refine the other ("AAA" → "AAAMIL"), not differ."""
    events = []
    for code in (a, b):
        art = syn.article(f"Report number {next(_n)} about officials. End.", "2019-06-20")
        _ARTICLES[art.id] = art
        src = syn.ref("AAA", actor=code) if code else ActorRef("someone", None, "AAA")
        events.append(syn.event(art, "ASSAULT", src, syn.ref("BBB"), "2019-06-14"))
    first, second = _cluster_ids(store, *events)
    assert (first == second) is same


@pytest.mark.parametrize(
    ("s1", "s2", "same"),
    [("occurred", "occurred", True), ("planned", "occurred", True), ("occurred", "hypothetical", False),
     ("occurred", "denied", False), ("hypothetical", "hypothetical", True), ("denied", "planned", False),
     ("planned@2019-06-15", "occurred", False)],  # a plan and its outcome share their date
)
def test_store_clustering_statuses(store: Store, s1: str, s2: str, same: bool) -> None:
    events = []
    for spec in (s1, s2):
        status, _, date = spec.partition("@")
        art = syn.article(f"Report number {next(_n)} about officials. End.", "2019-06-20")
        _ARTICLES[art.id] = art
        events.append(syn.event(art, "CONSULT", syn.ref("AAA"), syn.ref("BBB"), date or "2019-06-14", status=status))
    first, second = _cluster_ids(store, *events)
    assert (first == second) is same


def test_store_clustering_window_and_distance_are_settings(tmp_path: Path) -> None:
    from kronika.config import Settings
    from kronika.store.clustering import ClusterRule

    near = syn.place("Near Capital One", 3, 1.2, 1.0, "AAA")  # 22 km from CAP1
    settings = Settings(db_path=tmp_path / "w.duckdb", cluster_window_days=7, cluster_distance_km=10)
    assert ClusterRule.from_settings(settings) == ClusterRule(7, 10.0)
    with Store.from_settings(settings) as wide:
        a, b, c = _cluster_ids(wide, _report("AID", "AAA", "BBB", "2019-06-14", place=CAP1),
                               _report("AID", "AAA", "BBB", "2019-06-20"),
                               _report("AID", "AAA", "BBB", "2019-06-15", place=near))
    assert a == b != c  # six days apart join under a 7-day window; 22 km is past 10 km
    with Store(tmp_path / "d.duckdb") as default:  # defaults: 1 day, 50 km
        a, b, c = _cluster_ids(default, _report("AID", "AAA", "BBB", "2019-06-14", place=CAP1),
                               _report("AID", "AAA", "BBB", "2019-06-20"),
                               _report("AID", "AAA", "BBB", "2019-06-15", place=near))
    assert a == c != b
    # Ingest jobs (CLI, library, watch) write through a SharedWriter built from the settings.
    from kronika.store.access import SharedWriter

    writer = SharedWriter.from_settings(settings.replace(db_path=tmp_path / "s.duckdb"))
    assert writer.cluster_rule == ClusterRule(7, 10.0)
    first, second = (_report("AID", "AAA", "BBB", d) for d in ("2019-06-14", "2019-06-20"))
    writer.write_batch([syn.analysis(_ARTICLES[e.article_id], [e]) for e in (first, second)])
    assert writer.scalar("SELECT count(DISTINCT cluster_id) FROM events") == 1


def test_store_clustering_settings_refuse_negative_values() -> None:
    from kronika.config import Settings
    from kronika.errors import ConfigError

    with pytest.raises(ConfigError, match="cluster_window_days"):
        Settings(cluster_window_days=-1)
    with pytest.raises(ConfigError, match="cluster_window_days"):
        Settings.load(None, cluster_distance_km="-5")


def test_store_recluster_redoes_a_store_under_a_rule(store: Store) -> None:
    from kronika.store.clustering import ClusterRule

    evs = [_report("CONSULT", "AAA", "BBB", f"2019-06-{d}", published=f"2019-06-{d}") for d in (10, 13, 18)]
    assert len(set(_cluster_ids(store, *evs))) == 3
    assert store.recluster(ClusterRule(window_days=7)) == 2
    ids = [store.scalar("SELECT cluster_id FROM events WHERE event_id = ?", [e.event_id]) for e in evs]
    assert ids[0] == ids[1] != ids[2]


@pytest.mark.parametrize(("p1", "p2", "same"), [(CAP1, CAP2, False), (CAP1, None, True), (CAP1, CAP1, True)])
def test_store_clustering_places(store: Store, p1: EventPlace | None, p2: EventPlace | None, same: bool) -> None:
    first, second = _cluster_ids(
        store, _report("AID", "AAA", "BBB", "2019-06-14", place=p1), _report("AID", "AAA", "BBB", "2019-06-14", place=p2)
    )
    assert (first == second) is same


def test_store_clusters_view_counts_mentions_and_evidence(store: Store) -> None:
    e1 = _report("CONSULT", "AAA", "BBB", "2019-06-14", published="2019-06-14")
    e2 = _report("CONSULT", "BBB", "AAA", "2019-06-14", published="2019-06-16")
    [cid, _] = _cluster_ids(store, e1, e2)
    row = store.fetch("SELECT * FROM clusters WHERE cluster_id = ?", [cid])[0]
    assert (row["mentions"], row["articles"]) == (2, 2)
    assert (row["first_seen"].isoformat(), row["last_seen"].isoformat()) == ("2019-06-14", "2019-06-16")
    assert row["evidence"] == [e1.evidence, e2.evidence]
