"""The actor-key directory (``kronika.store.keys``): complete after every write path, and
queries narrowed by it return exactly what the unnarrowed all-forms filter returns."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.errors import QueryError
from kronika.model import ActorRef
from kronika.query import EventFilter
from kronika.query.filters import actor_values, store_where, where
from kronika.store import Store, keys
from kronika.store import synthetic as syn

KEYS = "SELECT side, form, key FROM actor_keys"

MINISTER = syn.ref("FRA", "Foreign Minister Marie Martin", entity="Marie Martin", role="Foreign Minister")
STORY = [
    ("2020-01-10", "CONSULT", MINISTER, syn.ref("DEU")),
    ("2020-01-11", "ACCUSE", syn.ref("RUS", "Moscow"), syn.ref("DEU", "Berlin")),
    ("2020-02-02", "COOPERATE", [syn.ref("USA"), syn.ref("GBR", "Britain"), syn.ref(None, "NATO", sector="IGO",
                                                                                  actor="IGONAT")],
     [syn.ref("JPN"), syn.ref("KOR", entity="Yoon Suk-yeol")]),
    ("2020-03-01", "PROTEST", ActorRef("Crowds", None, None, "CVL"), syn.ref("FRA")),
    ("2020-03-02", "ASSAULT", syn.ref("RUS"), None),
]


def _write(store: Store) -> None:
    analyses = []
    for i, (day, type_, src, tgt) in enumerate(STORY):
        art = syn.article(f"Story {i}: something happened between them. End.", day)
        analyses.append(syn.analysis(art, [syn.event(art, type_, src, tgt, day)]))
    store.write_batch(analyses)


def _rebuilt(store: Store) -> set[tuple[str, str, str]]:
    """What the directory should hold: rebuilt from the events in a scratch copy."""
    con = store.con
    con.execute("CREATE TEMP TABLE saved AS " + KEYS)
    con.execute("DELETE FROM actor_keys")
    con.execute(keys.index_sql())
    rebuilt = set(con.execute(KEYS).fetchall())
    con.execute("DELETE FROM actor_keys")
    con.execute("INSERT INTO actor_keys SELECT * FROM saved")
    con.execute("DROP TABLE saved")
    return rebuilt


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    db = tmp_path_factory.mktemp("keys") / "k.duckdb"
    with Store(db) as s:
        _write(s)
        syn.generate(s, 2000, seed=5)
    with Store(db, read_only=True) as s:
        yield s


def test_store_actor_keys_cover_every_form_after_write_batch_and_generate(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as s:
        _write(s)
        held = set(s.con.execute(KEYS).fetchall())
        assert held == _rebuilt(s)
        assert ("source", "entity", "marie martin") in held
        assert ("source", "member", "igonat") in held  # a later member of a compound side
        assert ("target", "member", "yoon suk-yeol") in held
        assert ("source", "text", "moscow") in held
        _write(s)  # re-ingest: nothing new, nothing duplicated
        assert s.scalar("SELECT count(*) FROM actor_keys") == len(held)
        syn.generate(s, 500, seed=1)
        assert set(s.con.execute(KEYS).fetchall()) == _rebuilt(s)


def test_store_actor_keys_complete_after_import(tmp_path: Path) -> None:
    with Store(tmp_path / "src.duckdb") as s:
        _write(s)
        syn.generate(s, 300, seed=2)
        s.export("parquet", tmp_path / "out")
    with Store(tmp_path / "dst.duckdb") as d:
        d.import_export(tmp_path / "out")
        held = set(d.con.execute(KEYS).fetchall())
        assert held and held == _rebuilt(d)


def test_store_actor_key_forms_reports_where_a_value_occurs(store: Store) -> None:
    forms = store.actor_key_forms(["usa", "Marie Martin", "IGONAT", "Atlantis"])
    assert ("source", "country") in forms["usa"]  # codes match in any case
    assert forms["Marie Martin"] == {("source", "entity")}
    assert forms["IGONAT"] == {("source", "member")}
    assert forms["Atlantis"] == frozenset()


def _ids(store: Store, clause: str, params: list) -> list[str]:
    return [r[0] for r in store.fetch_tuples(f"SELECT event_id FROM events e {clause} ORDER BY 1", params)]


VALUES = ["USA", "usa", "RUS", "rusgov", "GBR", "Britain", "NATO", "IGONAT", "Marie Martin", "marie martin",
          "Yoon Suk-yeol", "JPN", "KOR", "Crowds", "Moscow", "Atlantis", "", "x' OR 1=1 --"]


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["actor", "source", "target", "dyad"]),
    a=st.sampled_from(VALUES) | st.text(max_size=6),
    b=st.sampled_from(VALUES),
)
def test_store_narrowed_actor_filter_equals_the_all_forms_filter(store: Store, field: str, a: str, b: str) -> None:
    flt = EventFilter(dyad=(a, b)) if field == "dyad" else EventFilter(**{field: a})
    if field == "dyad" and not all((a, b)):
        return  # refused (K505) either way; tested in the query layer tests
    try:
        narrowed = _ids(store, *store_where(store, flt))
    except QueryError as exc:  # refused only when nothing knows the value (issue 20): it would match nothing
        assert exc.code in ("K514", "K515"), exc
        assert _ids(store, *where(flt)) == []
        return
    assert narrowed == _ids(store, *where(flt))


def test_store_without_the_directory_falls_back_to_every_form(tmp_path: Path) -> None:
    """A store written before migration 0006 and opened read-only cannot be migrated."""
    db = tmp_path / "old.duckdb"
    with Store(db) as s:
        _write(s)
        s.con.execute("DROP TABLE actor_keys")
    with Store(db, read_only=True) as s:
        flt = EventFilter(actor="Marie Martin")
        assert s.actor_key_forms(actor_values(flt)) is None
        assert len(_ids(s, *store_where(s, flt))) == 1


def test_store_where_tests_only_the_forms_a_value_occurs_under(store: Store) -> None:
    clause, params = store_where(store, EventFilter(dyad=("JPN", "KOR")))
    assert "e.source_country = upper(?)" in clause
    assert "lower(e.source_entity)" not in clause and "event_actors" in clause  # KOR, JPN are later members
    with pytest.raises(QueryError, match="unknown actor 'Atlantis'") as exc:  # named nowhere: refused
        store_where(store, EventFilter(actor="Atlantis"))
    assert exc.value.code == "K514"
    # "usa" is read as the country USA (the one lookup), then narrowed to the forms it occurs under
    assert store_where(store, EventFilter(actor="usa"))[1].count("USA") < where(EventFilter(actor="usa"))[1].count("USA")


def _reference_network(events: list) -> dict[tuple[str, str], int]:
    """Edge weights the slow obvious way: every distinct member pairing of each event."""
    sym = {"CONSULT", "AGREE", "COOPERATE"}
    out: dict[tuple[str, str], int] = {}
    for e in events:
        pairs = {(s.country, t.country) for s in e.source for t in e.target}
        for s, t in pairs:
            if s is None or t is None or s == t:
                continue
            key = (min(s, t), max(s, t)) if e.type in sym else (s, t)
            out[key] = out.get(key, 0) + 1
    return out


@hsettings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["CONSULT", "ACCUSE", "AID", "COOPERATE"]),
    st.lists(st.sampled_from(["FRA", "DEU", "RUS", None]), min_size=1, max_size=3),
    st.lists(st.sampled_from(["FRA", "DEU", "RUS", None]), min_size=1, max_size=3),
), min_size=1, max_size=12))
def test_store_network_counts_every_member_pairing_once(tmp_path_factory: pytest.TempPathFactory, spec: list) -> None:
    from kronika.query import actor_network

    events, analyses = [], []
    for i, (type_, src, tgt) in enumerate(spec):
        art = syn.article(f"Network story {i}. End.", "2021-01-01")
        e = syn.event(art, type_, [syn.ref(c, f"s{i}{j}") for j, c in enumerate(src)],
                      [syn.ref(c, f"t{i}{j}") for j, c in enumerate(tgt)], "2021-01-01")
        events.append(e)
        analyses.append(syn.analysis(art, [e]))
    with Store(tmp_path_factory.mktemp("net") / "n.duckdb") as s:
        s.write_batch(analyses)
        net = actor_network(s)
    assert {(e["source"], e["target"]): e["weight"] for e in net["edges"]} == _reference_network(events)
