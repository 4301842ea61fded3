"""One table of the event coder on every evaluation set: does it generalise?

Why one table: a change that helps one set and costs another must be seen as such. The rows
are the sets the coder is never trained on (Guardian dev and WikiNews dev end to end with
``shared/eval/score_corpus.py``'s matching, the PLOVER GSR dev half, the seed) and the PLV
cross-validation from the model's card (held-out folds of its own training data).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.evaluate import events as ev
from kronika.events.classifier import expected_calibration_error, reliability_table

ARTICLE_SETS = (("guardian_dev", "data/news/guardian_dev"), ("wikinews_dev", "data/news/wikinews_dev"))


@dataclass
class Row:
    name: str
    figures: dict[str, Any] = field(default_factory=dict)


def _extract_folder(folder: Path, settings: Settings) -> dict[str, list[dict[str, Any]]]:
    from kronika.ingest import iter_records
    from kronika.model import Article
    from kronika.pipeline import Pipeline

    pipe = Pipeline(settings)
    articles = [a for a in iter_records([folder], settings) if isinstance(a, Article)]
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for analysis in pipe.analyze_many(articles):
        for e in analysis.events:
            rec = e.to_json()
            by_doc[Path(str(rec.get("doc_id") or "")).name].append(rec)
    return by_doc


def score_articles(name: str, folder: Path, settings: Settings) -> Row:
    """Micro precision/recall over a folder of ``articles/`` and ``gold/*.events.json``, the
    located share, and the calibration of the emitted events' confidence."""
    system = _extract_folder(folder / "articles", settings)
    n_sys = n_ok = n_req = n_found = located = loc_n = loc_ok = 0
    conf: list[float] = []
    right: list[bool] = []
    for goldf in sorted((folder / "gold").glob("*.events.json")):
        gold = json.loads(goldf.read_text(encoding="utf-8"))
        events = system.get(Path(gold["article"]).name, [])
        for e in events:
            ok = any(ev.kronika_match(e, g) for g in gold["events"])
            n_ok += ok
            conf.append(float(e.get("confidence") or 0.0))
            right.append(ok)
            located += bool(e.get("location"))
        n_sys += len(events)
        for g in (g for g in gold["events"] if g.get("required")):
            n_req += 1
            hits = [e for e in events if ev.kronika_match(e, g)]
            n_found += bool(hits)
            if g.get("location") and hits:
                loc_n += 1
                want = ev._words(g["location"])
                loc_ok += any(want & ev._words((e.get("location") or {}).get("name")) for e in hits)
    p = n_ok / n_sys if n_sys else 0.0
    r = n_found / n_req if n_req else 0.0
    return Row(name, {
        "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
        "system": n_sys, "required": n_req, "located_share": round(located / n_sys, 3) if n_sys else 0.0,
        "gold_place_found": loc_n, "gold_place_located": loc_ok,
        "ece": round(expected_calibration_error(conf, right), 3), "reliability": reliability_table(conf, right),
    })


def score_gsr(path: Path, settings: Settings) -> Row:
    """PLOVER GSR records with the actor stage: type hit (some event has the gold type),
    spurious (events of another type), source/target country accuracy."""
    from kronika.nlp import SpacyParser

    records = ev.load_plover_gsr(path)
    coded = ev.code_records(records, settings, SpacyParser(settings), actors="system")
    sc = ev.score_records(records, lambda r: coded.get(r.id, ()), petrarch=False).to_dict()
    events = [(e, r) for r in records for e in coded.get(r.id, ())]
    spurious = sum(1 for e, r in events if e.type != r.type) / len(events) if events else 0.0
    return Row("plover_gsr_dev", {
        "type_hit": sc.get("any_event_type_recall"), "type_accuracy": sc.get("type_accuracy"),
        "spurious": round(spurious, 3), "macro_f1": sc.get("macro_f1"),
        "source_country": sc.get("source_country_accuracy"), "target_country": sc.get("target_country_accuracy"),
        "records": len(records),
    })


def score_seed(shared: Path, settings: Settings) -> Row:
    gold = json.loads((shared / "gold" / "seed" / "events.json").read_text(encoding="utf-8"))
    system = _extract_folder(shared / "examples" / "seed", settings)
    events = [e for recs in system.values() for e in recs]
    s = ev.score_kronika_gold(gold, events)
    return Row("seed", {"precision": s["precision"], "recall": s["recall"], "system": s["system"]})


def model_card_row(settings: Settings) -> Row | None:
    """The PLV (and silver) cross-validation the model's card records from its training."""
    from kronika.events.classifier import EventModel
    from kronika.resources import data_path

    if settings.events_coder != "learned":
        return None
    model = EventModel.load(settings.events_model or data_path("events/model"))
    cv = {k: v for k, v in model.meta.get("cross_validation", {}).items() if "reliability" not in k}
    return Row(f"training CV ({model.version})", cv)


def cross_corpus(shared: Path, settings: Settings) -> list[Row]:
    rows = [score_articles(name, shared / rel, settings) for name, rel in ARTICLE_SETS if (shared / rel).is_dir()]
    gsr = shared / "data" / "plover" / "PLOVER_GSR_dev.json"
    if gsr.is_file():
        rows.append(score_gsr(gsr, settings))
    if (shared / "gold" / "seed" / "events.json").is_file():
        rows.append(score_seed(shared, settings))
    card = model_card_row(settings)
    if card is not None:
        rows.append(card)
    return rows
