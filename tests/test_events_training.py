"""Training is a feature users get: a tiny coder for a user's own ontology, trained end to end
through ``kronika train events`` and then used to code new text."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SHARED
from kronika.events.classifier import (
    EventModel,
    Recipe,
    expected_calibration_error,
    fit_linear,
    fit_temperature,
)
from kronika.train.events import margin_rule
from kronika.train.sources import read_labelled

COUNTRIES = ["France", "Germany", "Japan", "Russia", "Brazil", "India", "Egypt", "Kenya", "Chile", "Peru"]


def _lines() -> list[dict]:
    out = []
    for n, (a, b) in enumerate(zip(COUNTRIES, COUNTRIES[1:] + COUNTRIES[:1], strict=True)):
        out.append({"doc": f"d{n}", "i": 0, "date": f"2020-01-0{n % 9 + 1}",
                    "text": f"{a} met {b} in Geneva on Monday.",
                    "events": [{"type": "MEET", "mode": "visit", "source": a, "target": b, "trigger": "met"}]})
        out.append({"doc": f"d{n}", "i": 1, "text": f"{b} shelled {a} on Tuesday.",
                    "events": [{"type": "FIGHT", "source": b, "target": a, "trigger": "shelled"}]})
        out.append({"doc": f"d{n}", "i": 2, "text": f"{a} said the weather in {b} was mild.", "events": []})
    return out


def test_events_training_custom_ontology_end_to_end(tmp_path: Path, settings, parse) -> None:
    from typer.testing import CliRunner

    from kronika.cli import _register, app
    from kronika.events import EventCoder

    data = tmp_path / "mine.jsonl"
    data.write_text("\n".join(json.dumps(x) for x in _lines()) + "\n", encoding="utf-8")
    recipe = tmp_path / "recipe.yaml"
    recipe.write_text("c: 5.0\nmin_count: 1\nfolds: 2\ncv_repeats: 2\n", encoding="utf-8")
    out = tmp_path / "model"
    _register()
    res = CliRunner().invoke(app, ["train", "events", str(data), "--out", str(out), "--recipe", str(recipe)])
    assert res.exit_code == 0, res.output
    assert "none_margin: recipe" in res.output  # the margin rule's verdict on the recipe's margin
    card = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert set(card["labels"]) == {"MEET", "FIGHT", "NONE"}
    assert card["recipe"]["c"] == 5.0 and "cross_validation" in card
    # one curve per fold draw, and the card's means are theirs (margins can be compared paired)
    cv = card["cross_validation"]
    assert len(cv["candidate_f1_by_margin_draws"]) == cv["repeats"] == 2
    for m, (mean, _sd) in cv["candidate_f1_by_margin_mean_sd"].items():
        assert abs(np.mean([d[m] for d in cv["candidate_f1_by_margin_draws"]]) - mean) < 1e-3

    model = EventModel.load(out)
    # the version names the weights: the day, then a digest of what was saved
    from kronika.train.events import weights_digest

    day, digest = model.version.split("+")
    assert len(day) == 10 and digest == weights_digest(model)
    assert model.roles is not None and model.roles.version == model.version
    coder = EventCoder(settings.replace(events_model=out))
    assert coder.model is not None and coder.model.labels == model.labels
    from kronika.actors import ActorResolver

    doc = parse("Kenya met Chile in Nairobi on Friday.", "2021-03-10")
    events = coder(doc, (), ActorResolver(settings)(doc, ()), ())
    assert [(e.type, e.source[0].country) for e in events] == [("MEET", "KEN")]
    assert events[0].mode == "visit"  # the mode model learned the user's modes too
    assert (out / "mode" / "meta.json").is_file()
    assert (out / "roles" / "meta.json").is_file() and model.roles is not None  # the role model too
    assert card["roles"]["predicates"] > 0
    assert events[0].component.startswith("events.learned/")
    assert 0.0 < events[0].confidence <= 1.0
    # the card's floor on a record's confidence: a record below it is not emitted, and the
    # floor survives save and load
    from dataclasses import replace

    strict = replace(model, min_confidence=round(events[0].confidence + 0.01, 4))
    strict.save(tmp_path / "strict")
    assert EventModel.load(tmp_path / "strict").min_confidence == strict.min_confidence
    assert EventCoder(settings, model=strict)(doc, (), ActorResolver(settings)(doc, ()), ()) == ()
    loose = replace(model, min_confidence=events[0].confidence)
    assert len(EventCoder(settings, model=loose)(doc, (), ActorResolver(settings)(doc, ()), ())) == 1


def test_events_training_readers_reject_bad_lines(tmp_path: Path) -> None:
    from kronika.errors import ConfigError

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no label"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="K014"):
        read_labelled(bad)
    pair = tmp_path / "pair.jsonl"
    pair.write_text('{"text": "Iran condemned the US.", "source": "Iran", "target": "the US", "type": "demand"}\n',
                    encoding="utf-8")
    (doc,) = read_labelled(pair)
    assert doc.sentences[0].events[0].type == "REQUEST"  # PLOVER 0.5b1 names read as 2021 names


def test_events_training_label_corrections(tmp_path: Path) -> None:
    """A corrections file reads named training events with another label; the rest is untouched,
    and a row that matches nothing changes nothing."""
    from kronika.errors import ConfigError
    from kronika.train.sources import apply_corrections, read_corrections

    data = tmp_path / "mine.jsonl"
    data.write_text("\n".join(json.dumps(x) for x in _lines()) + "\n", encoding="utf-8")
    fixes = tmp_path / "fixes.tsv"
    fixes.write_text("# why these rows\ndoc\tfrom\tto\twhy\nd0\tFIGHT\tshell\tthe guide says so\n"
                     "d1\tDEMAND\tREJECT\tno such label there\n", encoding="utf-8")
    table = read_corrections(fixes)
    assert table == {("d0", "FIGHT"): "SHELL", ("d1", "REQUEST"): "REJECT"}
    docs, changed = apply_corrections(read_labelled(data), table)
    assert changed == 1
    types = {d.id: [e.type for s in d.sentences for e in s.events] for d in docs}
    assert types["d0"] == ["MEET", "SHELL"] and types["d1"] == ["MEET", "FIGHT"]
    bad = tmp_path / "bad.tsv"
    bad.write_text("doc\tfrom\tto\nd0\t\tSHELL\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="K014"):
        read_corrections(bad)


def test_events_shipped_corrections_name_real_plv_rows() -> None:
    """Every row of the shipped corrections file changes one event of the training data it
    names (a stale row would silently do nothing)."""
    from kronika.train.sources import apply_corrections, read_corrections

    plv = SHARED / "data" / "events_training" / "PLV_train.tsv"
    if not plv.exists():
        pytest.skip("the shared PLV training file is not on this machine")
    table = read_corrections(ROOT / "data" / "training" / "label_corrections.tsv")
    _, changed = apply_corrections(read_labelled(plv), table)
    assert changed == len(table) == 10


def test_events_classifier_roundtrip_and_calibration(tmp_path: Path) -> None:
    rows = [["a", "x"], ["a", "y"], ["b", "x"], ["b", "y"]] * 5
    labels = ["ONE", "ONE", "TWO", "TWO"] * 5
    m = fit_linear(rows, labels, Recipe(c=10.0, min_count=1))
    m.save(tmp_path)
    back = EventModel.load(tmp_path)
    assert np.allclose(back.predict_proba([["a"], ["b"]]), m.predict_proba([["a"], ["b"]]))
    assert [t for t, _, _ in back.decide([["a"], ["b"]])] == ["ONE", "TWO"]
    t = fit_temperature(m.scores(rows), [m.labels.index(x) for x in labels])
    assert 0.3 <= t <= 5.0
    assert expected_calibration_error([1.0, 0.0], [True, False]) == 0.0
    assert expected_calibration_error([0.9, 0.9], [False, False]) == pytest.approx(0.9)


def test_events_none_margin_emits_what_none_barely_beats(tmp_path: Path) -> None:
    """A type NONE leads by less than the margin is emitted, one it leads by more is not; the
    margin survives save and load, and the card's rule agrees with coding's (``emission``)."""
    from dataclasses import replace

    from kronika.events.classifier import emission

    m = EventModel(labels=("NONE", "ONE"), vocab={"close": 0, "far": 1},
                   weights=np.array([[0.3, 0.0], [2.0, 0.0]]), bias=np.zeros(2), threshold=0.0)
    assert [e for _, _, e in m.decide([["close"], ["far"]])] == [False, False]
    wide = replace(m, none_margin=0.5)
    assert [e for _, _, e in wide.decide([["close"], ["far"]])] == [True, False]
    wide.save(tmp_path)
    back = EventModel.load(tmp_path)
    assert back.none_margin == 0.5 and [e for _, _, e in back.decide([["close"], ["far"]])] == [True, False]
    probs = back.predict_proba([["close"], ["far"]])
    assert emission(probs, back.labels, 0.0, "threshold", 0.0)[2].tolist() == [True, True]


def test_events_shipped_model_card() -> None:
    """The shipped weights load without executing code and their card names the training data."""
    from kronika.resources import data_path

    model = EventModel.load(data_path("events/model"))
    assert "NONE" in model.labels and "REQUEST" in model.labels and "DEMAND" not in model.labels
    files = {s["file"] for s in model.meta["sources"]}
    assert {"wikinews_silver.jsonl", "PLV_train.tsv"} <= files
    assert not files & {"PLOVER_GSR_dev.json", "guardian_dev", "wikinews_dev"}
    # the margin the recipe names is the one the card's fold curve supports (docs/events.md)
    cv = model.meta["cross_validation"]
    rule = margin_rule(cv["candidate_f1_by_margin_mean_sd"], cv.get("candidate_f1_by_margin_draws"))
    assert model.none_margin == rule.chosen == model.meta["recipe"]["none_margin"]


def test_events_trigger_nouns_keep_words_annotators_mark_often() -> None:
    """A trigger's last word is proposed as an event noun only when enough of its uses in the
    sentence-complete data are triggers: "airstrike" (2 of 2) is; "president" (1 of 3, from a
    trigger "former president") is not at a share of 0.5, and is with no share."""
    from kronika.train.events import trigger_nouns
    from kronika.train.sources import GoldEvent, LabelledDoc, LabelledSentence

    def sent(text: str, trigger: str | None = None) -> LabelledSentence:
        ev = (GoldEvent("ASSAULT", "X", None, trigger),) if trigger else ()
        return LabelledSentence(text, ev)

    doc = LabelledDoc("d", dt.date(2020, 1, 1), (
        sent("An airstrike hit the town.", "airstrike"), sent("Another airstrike followed.", "airstrike"),
        sent("The president left.", "former president"), sent("The president spoke."),
        sent("A president met a president."),
    ), complete=True, origin="test")
    assert trigger_nouns([doc], str.lower) == {"airstrike", "president"}
    assert trigger_nouns([doc], str.lower, 0.5) == {"airstrike"}


def test_events_unbound_predicates_are_proposed_only_beside_an_actor(parse, settings) -> None:
    """With ``unbound`` a verb the syntax binds no actor to is a candidate with empty sides when
    its sentence names an actor ("many have been tortured" after the killers were named), and
    never in a sentence that names none."""
    from kronika.actors import ActorResolver
    from kronika.events import EventCoder
    from kronika.events.candidates import propose
    from kronika.events.syntax import DocView

    coder = EventCoder(settings.replace(events_coder="rules"))
    text = "Four arrests have been made, Kenya's police said. The weather was mild and people walked."
    doc = parse(text, "2021-03-10")
    view = DocView(doc, ActorResolver(settings)(doc, ()))

    def triggers(si: int, unbound: bool) -> set[str]:
        return {view.lemmas[c.trigger] for c in propose(coder, view, si, (), unbound=unbound)
                if c.how == "unbound" or not unbound}

    assert "make" not in triggers(0, False)
    assert "make" in triggers(0, True)
    assert not any(c.how == "unbound" for c in propose(coder, view, 1, (), unbound=True))


def test_events_domain_augmentation_reads_the_coding_domain(tmp_path: Path) -> None:
    """``adapt``: a feature's weight shared by every domain plus its domain's correction; coding
    reads the named domain's corrections, and the model keeps its domain through save and load."""
    from dataclasses import replace

    from kronika.events.classifier import augment

    assert augment(("a", "b"), "news") == ("a", "b", "news|*", "news|a", "news|b")
    # "x" is an event on the wire and none in the news
    rows = [augment(["x"], "wire")] * 10 + [augment(["x"], "news")] * 10
    labels = ["ONE"] * 10 + ["NONE"] * 10
    m = replace(fit_linear(rows, labels, Recipe(c=10.0, min_count=1)), domain="news")
    assert m.predict_proba([["x"]])[0][m.labels.index("NONE")] > 0.5
    assert replace(m, domain="wire").predict_proba([["x"]])[0][m.labels.index("ONE")] > 0.5
    m.save(tmp_path)
    assert EventModel.load(tmp_path).domain == "news"


def test_events_margin_rule_picks_the_smallest_margin_within_one_sd_and_says_how_close() -> None:
    curve = {"0.25": [0.370, 0.003], "0.5": [0.389, 0.003], "0.75": [0.392, 0.004], "1.0": [0.394, 0.003]}
    rule = margin_rule(curve)
    assert (rule.chosen, rule.bar, rule.gap) == (0.75, 0.391, 0.001)  # 0.5 lies 0.002 below the bar
    curve["0.5"] = [0.3915, 0.003]  # a retrain that moves 0.5 by a fraction of its sd flips the choice
    assert margin_rule(curve).chosen == 0.5 and margin_rule(curve).gap == 0.0005


def test_events_margin_rule_paired_by_draw_reads_the_shared_noise_out() -> None:
    """With each fold draw's curve, margins are compared on the same folds: 0.5 trails 1.0 on
    every draw (mean difference -0.0039, sd 0.0010: more than one sd below zero), so the rule
    takes 0.75 (-0.0003, sd 0.0012), though 0.5's *mean* is within one sd of the best mean."""
    draws = [{"0.5": a, "0.75": b, "1.0": c} for a, b, c in
             [(0.390, 0.394, 0.3940), (0.388, 0.3925, 0.3932), (0.3925, 0.3945, 0.3952),
              (0.3900, 0.3960, 0.3944), (0.3880, 0.3895, 0.3912)]]
    means = {m: sum(d[m] for d in draws) / 5 for m in draws[0]}
    curve = {m: [means[m], 0.004] for m in means}
    assert margin_rule(curve).chosen == 0.5  # the one-sd rule on means: 0.5 is within reach
    rule = margin_rule(curve, draws)
    assert (rule.rule, rule.chosen) == ("paired", 0.75)
    draws[0]["0.5"] = 0.3990  # one draw where 0.5 wins widens the spread: now within one sd
    assert margin_rule(curve, draws).chosen == 0.5
    assert margin_rule(curve, draws[:1]).rule == "one-sd"  # one draw has no spread to read


def test_events_training_roles_only_file_teaches_the_role_model_alone(tmp_path: Path, settings) -> None:
    """A ``--roles-only`` file adds role rows and moves nothing of the type model: its weights,
    vocabulary and threshold are those of the same training without it."""
    from kronika.train.events import load_recipe, train_events

    lines = _lines()
    main, extra = tmp_path / "main.jsonl", tmp_path / "sides.jsonl"
    main.write_text("\n".join(json.dumps(x) for x in lines[:15]) + "\n", encoding="utf-8")
    extra.write_text("\n".join(json.dumps(x) for x in lines[15:]) + "\n", encoding="utf-8")
    recipe_file = tmp_path / "recipe.yaml"
    recipe_file.write_text("c: 5.0\nmin_count: 1\nfolds: 2\n", encoding="utf-8")
    recipe, k = load_recipe(recipe_file)
    alone = train_events([main], settings, recipe, folds_k=k)
    more = train_events([main], settings, recipe, folds_k=k, roles_only=[extra])
    assert alone.vocab == more.vocab and np.array_equal(alone.weights, more.weights)
    assert alone.threshold == more.threshold and alone.labels == more.labels
    assert more.meta["roles"]["rows"] > alone.meta["roles"]["rows"]
    assert [s for s in more.meta["sources"] if s.get("roles_only")] == [
        {"file": "sides.jsonl", "documents": 5, "role_rows": more.meta["roles"]["rows"] - alone.meta["roles"]["rows"],
         "roles_only": True}]
