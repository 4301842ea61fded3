"""The one actor lookup (issue 20, item 1): codes, names, demonyms, capitals,
organisations and people resolve the same way for every query; an actor nothing knows is a
coded error with the nearest names, never a silent empty result."""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.errors import QueryError
from kronika.query import EventFilter, count_events, find_events
from kronika.query.aggregates import dyad_report
from kronika.query.lookup import default_lookup
from kronika.store import Store
from kronika.store import synthetic as syn

# (label, source, target, type): hand-built, so every expected set below is counted by hand.
EVENTS = [
    ("kono_lavrov", syn.ref("JPN", "Foreign Minister Taro Kono", entity="Taro Kono"),
     syn.ref("RUS", "Sergey Lavrov", entity="Sergey Lavrov"), "CONSULT"),
    ("tokyo_moscow", syn.ref("JPN", "Tokyo"), syn.ref("RUS", "Moscow"), "ACCUSE"),
    ("jsdf", syn.ref("JPN", "Japanese troops", sector="MIL"), syn.ref("RUS", "Russia"), "MOBILIZE"),
    ("nato", syn.ref(None, "NATO", sector=None, actor="IGONAT", entity="NATO"), syn.ref("RUS", "Russia"), "ACCUSE"),
    ("martin", syn.ref("FRA", "Marie Martin", sector="CVL", entity="Marie Martin"), syn.ref("DEU", "Berlin"),
     "REQUEST"),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path: Path = tmp_path_factory.mktemp("lookup") / "l.duckdb"
    analyses, ids = [], {}
    for i, (label, src, tgt, type_) in enumerate(EVENTS):
        art = syn.article(f"Story {i}: {label}.", "2019-05-30", doc_id=label)
        ev = syn.event(art, type_, src, tgt, "2019-05-30")
        ids[ev.event_id] = label
        analyses.append(syn.analysis(art, [ev]))
    with Store(path) as s:
        s.write_batch(analyses, [])
    st = Store(path, read_only=True)
    st.labels = ids  # type: ignore[attr-defined]
    yield st
    st.close()


def _labels(store: Store, flt: EventFilter) -> set[str]:
    return {store.labels[r["event_id"]] for r in find_events(store, flt)}  # type: ignore[attr-defined]


@pytest.mark.parametrize(("value", "kind", "terms"), [
    ("JPN", "country", ("JPN",)),
    ("jpn", "country", ("JPN",)),
    ("Japan", "country", ("JPN",)),
    ("Japanese", "country", ("JPN",)),
    ("Russians", "country", ("RUS",)),
    ("Tokyo", "government", ("JPNGOV",)),
    ("NATO", "organisation", ("IGONAT", "NATO")),
    ("RUSGOV", "code", ("RUSGOV",)),
    ("CVL", "code", ("CVL",)),
    ("Taro Kono", "person", ("Taro Kono",)),
    ("Marie Martin", "name", ("Marie Martin",)),
])
def test_lookup_reads_each_kind_of_name(value: str, kind: str, terms: tuple[str, ...]) -> None:
    match = default_lookup().resolve(value)
    assert (match.kind, match.terms) == (kind, terms)


def test_lookup_a_surname_means_every_person_so_named() -> None:
    match = default_lookup().resolve("Kono")
    assert match.kind == "person" and "Taro Kono" in match.terms and "Kono" in match.terms


def test_lookup_code_name_and_demonym_find_the_same_events(store: Store) -> None:
    expected = {"kono_lavrov", "tokyo_moscow", "jsdf"}
    for value in ("JPN", "Japan", "japan", "Japanese"):
        assert _labels(store, EventFilter(actor=value)) == expected, value
    series = [dyad_report(store, v, "Russia", "month")["series"] for v in ("JPN", "Japan", "Japanese")]
    assert series[0] == series[1] == series[2] and series[0][0]["events"] == 3


@pytest.mark.parametrize(("flt", "expected"), [
    (EventFilter(actor="Kono"), {"kono_lavrov"}),               # a person, not all of Japan
    (EventFilter(source="Taro Kono"), {"kono_lavrov"}),
    (EventFilter(target="Lavrov"), {"kono_lavrov"}),
    (EventFilter(actor="Tokyo"), {"kono_lavrov", "tokyo_moscow"}),  # JPNGOV, not the troops
    (EventFilter(actor="NATO"), {"nato"}),
    (EventFilter(actor="IGONAT"), {"nato"}),
    (EventFilter(actor="Marie Martin"), {"martin"}),            # known to the store only
    (EventFilter(dyad=("Japanese", "Russians")), {"kono_lavrov", "tokyo_moscow", "jsdf"}),
    (EventFilter(actor="Germany"), {"martin"}),                 # known, on the target side
    (EventFilter(actor="China"), set()),                        # known, no events: empty is the answer
])
def test_lookup_filters(store: Store, flt: EventFilter, expected: set[str]) -> None:
    assert _labels(store, flt) == expected


@pytest.mark.parametrize(("flt", "code", "nearest"), [
    (EventFilter(actor="Japn"), "K514", "Japan (JPN)"),
    (EventFilter(dyad=("Rusia", "JPN")), "K514", "Russia (RUS)"),
    (EventFilter(source="Marie Martn"), "K514", "marie martin"),  # the store's own names are offered too
    (EventFilter(actor="JPX"), "K515", "Japan (JPN)"),
])
def test_lookup_unknown_actor_is_a_coded_error_with_the_nearest_names(store: Store, flt: EventFilter,
                                                                     code: str, nearest: str) -> None:
    with pytest.raises(QueryError) as exc:
        count_events(store, flt)
    assert exc.value.code == code and nearest in str(exc.value)


@pytest.mark.parametrize(("flt", "listed"), [
    (EventFilter(type="REQUST"), "REQUEST"),
    (EventFilter(type="CONSULT,FLY"), "'FLY'"),
    (EventFilter(status="ocurred"), "hypothetical"),
    (EventFilter(quad_class="verbal"), "material_conflict"),
])
def test_lookup_unknown_type_status_quad_lists_the_valid_values(store: Store, flt: EventFilter, listed: str) -> None:
    with pytest.raises(QueryError) as exc:
        find_events(store, flt)
    assert exc.value.code == "K513" and listed in str(exc.value)


def test_lookup_request_and_demand_are_one_type(store: Store) -> None:
    assert _labels(store, EventFilter(type="REQUEST")) == _labels(store, EventFilter(type="demand")) == {"martin"}
