"""Intensity (issue 20, item 4): the CAMEO Goldstein score and the PLOVER quad and penta
classes of each event, and dyad series by quad class with the mean Goldstein score, checked
against a hand count on a small store."""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.query import EventFilter, find_events
from kronika.query.aggregates import dyad_report
from kronika.query.intensity import Intensity, intensity
from kronika.resources import read_text
from kronika.store import Store
from kronika.store import synthetic as syn

# (event date, type, source, target): the synthetic builder gives each type its CAMEO root
# (CONSULT 04, ACCUSE 11, THREATEN 13, ASSAULT 18, AGREE 03, REQUEST 10).
EVENTS = [
    ("2021-01-10", "CONSULT", "JPN", "RUS"),   # +1.0
    ("2021-01-20", "ACCUSE", "RUS", "JPN"),    # -2.0
    ("2021-02-05", "THREATEN", "JPN", "RUS"),  # -6.0
    ("2021-03-01", "ASSAULT", "RUS", "JPN"),   # -9.0
    ("2021-03-02", "AGREE", "JPN", "RUS"),     # +4.0
    ("2021-03-03", "CONSULT", "CHN", "RUS"),   # another dyad
    ("2021", "REQUEST", "JPN", "RUS"),         # -5.0, dated only to the year
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    path: Path = tmp_path_factory.mktemp("intensity") / "i.duckdb"
    analyses = []
    for i, (date, type_, src, tgt) in enumerate(EVENTS):
        art = syn.article(f"Report {i} about {src} and {tgt}.", "2021-12-31", doc_id=f"i{i}")
        analyses.append(syn.analysis(art, [syn.event(art, type_, syn.ref(src), syn.ref(tgt), date)]))
    with Store(path) as s:
        s.write_batch(analyses, [])
    st = Store(path, read_only=True)
    yield st
    st.close()


def test_intensity_table_is_gdelt_goldstein_with_its_source_cited() -> None:
    header = read_text("events/goldstein.tsv").splitlines()[:8]
    assert any("CAMEO.goldsteinscale.txt" in line for line in header)
    assert any("Goldstein" in line for line in header) and any("1992" in line for line in header)
    table = intensity().goldstein
    assert len(table) == 311
    # Spot values of the published table (root, 3- and 4-digit codes, both ends of the scale).
    assert (table["01"], table["04"], table["0874"], table["1823"], table["20"]) == (0.0, 1.0, 10.0, -10.0, -10.0)
    assert (table["130"], table["171"], table["057"]) == (-4.4, -9.2, 8.0)


@pytest.mark.parametrize(("cameo", "type_", "mode", "code", "score"), [
    ("04", "CONSULT", None, "04", 1.0),              # the stored root
    ("0311", "AGREE", None, "0311", 5.2),            # a finer code wins
    ("18", "ASSAULT", "suicide-attack", "183", -10.0),  # type + mode through CAMEO2PLOVER, inside the root
    ("17", "COERCE", "arrest", "173", -5.0),
    (None, "REQUEST", None, "10", -5.0),             # no code: the type's default root
    ("9999", "ASSAULT", None, "9999", None),         # not a CAMEO code: no score
])
def test_intensity_code_and_score(cameo, type_, mode, code, score) -> None:
    assert intensity().cameo_code(cameo, type_, mode) == code
    assert intensity().score(cameo, type_, mode) == score


def test_intensity_penta_class_adds_neutral_for_roots_01_and_02() -> None:
    it = intensity()
    assert it.penta("01", "SUPPORT") == it.penta("021", "REQUEST") == "neutral"
    assert it.penta("04", "CONSULT") == "verbal_cooperation"
    assert it.penta("07", "AID") == "material_cooperation"
    assert it.penta("12", "REJECT") == "verbal_conflict"
    assert it.penta("19", "ASSAULT") == "material_conflict"
    assert it.penta(None, "ASSAULT") == "material_conflict"  # default root
    assert isinstance(Intensity.load(), Intensity)


def test_intensity_records_carry_goldstein_and_penta(store: Store) -> None:
    recs = {r["type"]: r for r in find_events(store, EventFilter(limit=100))}
    assert recs["ASSAULT"]["goldstein"] == -9.0 and recs["ASSAULT"]["penta_class"] == "material_conflict"
    assert recs["AGREE"]["goldstein"] == 4.0 and recs["AGREE"]["penta_class"] == "verbal_cooperation"
    assert recs["ACCUSE"]["quad_class"] == "verbal_conflict"  # the stored field is unchanged


def _by_period(report: dict) -> dict[str, tuple[int, dict, float | None]]:
    return {r["period"]: (r["events"], {k: v for k, v in r["by_quad"].items() if v}, r["mean_goldstein"])
            for r in report["series"]}


def test_intensity_dyad_series_matches_a_hand_count(store: Store) -> None:
    both = dyad_report(store, "JPN", "RUS", "month")
    assert _by_period(both) == {
        "2021-01-01": (2, {"verbal_cooperation": 1, "verbal_conflict": 1}, -0.5),
        "2021-02-01": (1, {"verbal_conflict": 1}, -6.0),
        "2021-03-01": (2, {"material_conflict": 1, "verbal_cooperation": 1}, -2.5),
    }
    assert [(c["date"], c["events"], c["mean_goldstein"]) for c in both["coarse"]] == [("2021", 1, -5.0)]
    assert both["totals"]["events"] == 6 and both["totals"]["mean_goldstein"] == pytest.approx(-17 / 6, abs=1e-3)
    assert both["directed"] is False

    jpn_rus = dyad_report(store, "JPN", "RUS", "month", directed=True)
    assert _by_period(jpn_rus) == {
        "2021-01-01": (1, {"verbal_cooperation": 1}, 1.0),
        "2021-02-01": (1, {"verbal_conflict": 1}, -6.0),
        "2021-03-01": (1, {"verbal_cooperation": 1}, 4.0),
    }
    assert jpn_rus["totals"]["mean_goldstein"] == -1.5
    rus_jpn = dyad_report(store, "RUS", "JPN", "month", directed=True)
    assert _by_period(rus_jpn) == {
        "2021-01-01": (1, {"verbal_conflict": 1}, -2.0),
        "2021-02-01": (0, {}, None),  # a gap is filled, with no mean
        "2021-03-01": (1, {"material_conflict": 1}, -9.0),
    }


@pytest.mark.parametrize(("unit", "periods"), [("year", 1), ("week", 9), ("day", 52)])
def test_intensity_dyad_series_in_any_unit(store: Store, unit: str, periods: int) -> None:
    report = dyad_report(store, "JPN", "RUS", unit)
    assert len(report["series"]) == periods
    in_series = sum(r["events"] for r in report["series"])
    assert in_series + sum(c["events"] for c in report["coarse"]) == 6
    if unit == "year":
        assert report["series"][0]["mean_goldstein"] == pytest.approx(-17 / 6, abs=1e-3)
