"""Scoring the coder: gold readers, the PLOVER 0.5b1 → 2021 mapping, the scorer's rules, and
the accuracy gate on the PLOVER dev records (floors that must not drop silently)."""

from __future__ import annotations

import importlib.util
import json

import pytest

from conftest import GOLD_SEED, SHARED
from kronika.evaluate import events as ev
from kronika.model import ActorRef, Event, EventDate

GSR_DEV = SHARED / "data" / "plover" / "PLOVER_GSR_dev.json"
PETRARCH_UNIT = SHARED / "data" / "petrarch" / "unit-tests" / "PETR.UnitTest.records.xml"

# Accuracy gate (coder alone, gold actors), measured 2026-11-27: type accuracy 0.774,
# macro-F1 0.771, source country 0.823, target country 0.676.
# Accuracy gates on the GSR dev half (gold actors), per coder. The learned coder's floors are its
# measured figures at model 2026.12.06, never tuned on GSR; the rule coder's were set when its
# rules were written (partly against these sentences). Raise a floor when a change earns it.
FLOORS = {
    "rules": {"type_accuracy": 0.74, "macro_f1": 0.73, "source_country_accuracy": 0.78,
              "target_country_accuracy": 0.62},
    "learned": {"type_accuracy": 0.69, "macro_f1": 0.70, "source_country_accuracy": 0.86,
                "target_country_accuracy": 0.80},  # 0.68 before the role model, 0.838 with its first
    # version, 0.804 with nearest-mention and same-country-as-source features, 0.845 with the
    # target floor (docs/events.md; both chosen on the training folds). The floors sit 2-4
    # records of 164 under the shipped model's figures: four retrainings that changed a few
    # dozen of 4,976 training candidates gave type accuracy 0.738, 0.732, 0.726 and 0.732 (one
    # record each), so a floor closer than that trips on noise. The model trained with the
    # second WikiNews silver file and infinitive control (2026-12-07) gives 0.713 / 0.725 /
    # 0.884 / 0.824, against 0.732 / 0.726 / 0.890 / 0.831 before: news gained, wire GSR lost
    # 1-3 records (docs/events.md reports both), and the floors moved with it.
}


def _event(type_: str, src: str | None, tgt: str | None, conf: float = 0.8, cameo: str = "04") -> Event:
    def side(c: str | None) -> tuple[ActorRef, ...]:
        return (ActorRef(c or "", c, c),) if c else ()

    return Event("e", "a", None, 0, "x", 0, 1, type_, None, (), "occurred", cameo, None, side(src), side(tgt),
                 EventDate("2000-01-01", None, "document"), None, conf)


@pytest.mark.parametrize(
    ("label", "mode", "want"),
    [
        ("DISAPPROVE", None, ("ACCUSE", "disapprove")),
        ("INVESTIGATE", "", ("ACCUSE", "investigate")),
        ("FIGHT", "heavy-weapons", ("ASSAULT", "heavy-weapons")),
        ("CONSULT", "visit", ("CONSULT", "visit")),
    ],
)
def test_events_plover_version_mapping(label: str, mode: str | None, want: tuple[str, str]) -> None:
    assert ev.map_type(label, mode, ev.load_version_map()) == want


def test_events_country_of_codes() -> None:
    assert ev.country_of("RUSGOV") == "RUS"
    assert ev.country_of("IGOUNO") is None
    assert ev.country_of(None) is None


def test_events_top_event_scoring_and_confusion() -> None:
    recs = [
        ev.GoldRecord("1", "t", __import__("datetime").date(2000, 1, 1), "CONSULT", None,
                      frozenset({"KEN"}), frozenset({"UGA"})),
        ev.GoldRecord("2", "t", __import__("datetime").date(2000, 1, 1), "ACCUSE", None,
                      frozenset({"KEN"}), frozenset({"UGA"})),
    ]
    coded = {"1": (_event("CONSULT", "UGA", "KEN", 0.9), _event("ACCUSE", "KEN", "UGA", 0.5)), "2": ()}
    sc = ev.score_records(recs, lambda r: coded[r.id])
    d = sc.to_dict()
    assert d["type_accuracy"] == 0.5
    assert d["source_country_accuracy"] == 0.5  # symmetric: either side counts
    assert d["confusion"] == {"ACCUSE->NONE": 1, "CONSULT->CONSULT": 1}
    assert sum(n for _, n, _, _ in sc.reliability_table()) == 2


def test_events_gsr_reader(tmp_path) -> None:
    rec = [{"id": "DOC", "event": "DOCUMENT"},
           {"id": "R1", "date": "2000-01-01", "event": "DISAPPROVE", "text": "Peru criticized Chile.",
            "source": [{"actorText": "Peru", "code": "PER"}], "target": [{"actorText": "Chile", "code": "CHL"}],
            "textInfo": {"markup": "(SRC: Peru) (EVT: criticized) (TAR: Chile)."}}]
    path = tmp_path / "gsr.json"
    path.write_text(json.dumps(rec), encoding="utf-8")
    [r] = ev.load_plover_gsr(path)
    assert (r.type, r.mode, r.sources, r.targets) == ("ACCUSE", "disapprove", {"PER"}, {"CHL"})
    assert [a.role for a in r.actors] == ["source", "target"]
    assert ev.gold_kind(path) == "plover"


def test_events_gold_actor_mentions(parse) -> None:
    doc = parse("Peru criticized Chile.", "2000-01-01")
    ms = ev.gold_actor_mentions(doc, (ev.GoldActor("Peru", "PER", "source"), ev.GoldActor("Chile", "CHL", "target")))
    assert [(m.text, m.country, doc.tokens[m.head_token].text) for m in ms] == [("Peru", "PER", "Peru"),
                                                                                ("Chile", "CHL", "Chile")]


def _shared_scorer():
    path = SHARED / "eval" / "score_events.py"
    if not path.exists():
        pytest.skip("shared scorer not present")
    spec = importlib.util.spec_from_file_location("score_events", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_events_kronika_match_agrees_with_shared_scorer() -> None:
    mod = _shared_scorer()
    gold = json.loads((GOLD_SEED / "events.json").read_text(encoding="utf-8"))["events"]
    system = [
        {"type": "CONSULT", "source": {"country": "RUS"}, "target": {"country": "JPN"},
         "date": {"value": "2019-05-30"}, "status": "occurred",
         "evidence": "The foreign and defense ministers of Japan and Russia met Thursday in Tokyo"},
        {"type": "CONSULT", "source": [{"country": "JPN"}], "target": {"country": "RUS"},
         "date": {"value": "2019-05-30"}, "status": "planned", "evidence": "On Friday Kono and Lavrov will meet"},
        {"type": "ACCUSE", "source": {"country": "JPN"}, "target": None, "date": {"value": "2019"},
         "status": "occurred", "evidence": "the Japanese side raised concerns over a recent missile-firing exercise"},
    ]
    for s in system:
        for g in gold:
            assert ev.kronika_match(s, g) == mod.matches(s, g), (s, g["id"])


@pytest.mark.skipif(not PETRARCH_UNIT.exists(), reason="shared PETRARCH records not present")
def test_events_petrarch_reader() -> None:
    recs = ev.load_petrarch(PETRARCH_UNIT)
    assert len(recs) > 200
    first = recs[0]
    assert first.type == first.cameo[0][:2] and first.sources
    assert ev.gold_kind(PETRARCH_UNIT) == "petrarch"
    assert any("actors" in p.name.lower() for p in ev.petrarch_dictionaries(PETRARCH_UNIT))


@pytest.mark.skipif(not GSR_DEV.exists(), reason="shared PLOVER gold not present")
@pytest.mark.parametrize("coder", ["learned", "rules"])
def test_events_gsr_dev_accuracy_gate(parser, settings, coder: str) -> None:
    records = ev.load_plover_gsr(GSR_DEV)
    coded = ev.code_records(records, settings.replace(events_coder=coder), parser, actors="gold")
    scores = ev.score_records(records, lambda r: coded[r.id]).to_dict()
    for key, floor in FLOORS[coder].items():
        assert scores[key] >= floor, (key, scores[key])


def test_events_cli_is_registered() -> None:
    from typer.testing import CliRunner

    from kronika.cli import _register, app

    _register()
    res = CliRunner().invoke(app, ["evaluate", "events", "--help"])
    assert res.exit_code == 0 and "--system" in res.output
