"""Measure actor resolution on the PLOVER gold-standard records (country of source/target).

For each record the sentence is parsed with the record's date, resolved, and each gold
actor whose code is a country is looked up: the system's answer is the country of the best
resolved mention overlapping the gold ``actorText`` (the highest-confidence mention with a
country; ties go to the longer overlap, then the
shorter mention). Gold codes in PLOVER 0.5b1 are CAMEO's, mostly ISO
3166-1 alpha-3 already; the few CAMEO-only country codes are mapped (``data/actors/cameo_countries.tsv``);
organisation codes (IGO, NGO, IMG …) and "***" are not country codes and are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from kronika.model import ActorMention, ParsedDoc
from kronika.resources import iter_tsv


def cameo_to_iso() -> dict[str, str]:
    """CAMEO country codes that differ from ISO 3166-1 alpha-3 (``data/actors/cameo_countries.tsv``)."""
    return {r["cameo"]: r["iso3"] for r in iter_tsv("actors/cameo_countries.tsv")}


@dataclass(frozen=True, slots=True)
class GoldActor:
    record: str
    side: str
    text: str  # the sentence
    date: dt.date
    actor_text: str
    country: str


@dataclass(frozen=True, slots=True)
class Outcome:
    gold: GoldActor
    got: str | None
    how: str


def iso_country(code: str | None, table: dict[str, str] | None = None) -> str | None:
    """PLOVER/CAMEO actor code → ISO3 country, None for non-country codes. ``table``: the
    CAMEO → ISO mapping (``cameo_to_iso()``; pass it when mapping many codes)."""
    if not code:
        return None
    table = cameo_to_iso() if table is None else table
    c = table.get(code[:3].upper(), code[:3].upper())
    return c if pycountry.countries.get(alpha_3=c) else None


def gold_actors(path: Path | str) -> Iterator[GoldActor]:
    records: list[dict[str, Any]] = json.loads(Path(path).read_text(encoding="utf-8"))
    table = cameo_to_iso()
    for r in records:
        if not r.get("text"):
            continue
        date = dt.date.fromisoformat(str(r.get("date") or "2000-01-01"))
        for side in ("source", "target"):
            value = r.get(side)
            items = value if isinstance(value, list) else [value]
            for a in items:
                if not isinstance(a, dict) or not a.get("actorText"):
                    continue
                country = iso_country(a.get("code"), table)
                if country:
                    yield GoldActor(r["id"], side, r["text"], date, str(a["actorText"]).strip(), country)


def _locate(text: str, actor_text: str) -> tuple[int, int] | None:
    """Character span of the gold actor text ("U.S. ... negotiators" → its first part)."""
    parts = [p.strip(" .") for p in actor_text.replace("..", "\u2026").split("\u2026") if p.strip(" .")]
    probe = " ".join(parts[0].split()) if parts else actor_text
    norm_text = text
    pos = norm_text.find(probe)
    if pos < 0:
        pos = norm_text.lower().find(probe.lower())
    return (pos, pos + len(probe)) if pos >= 0 else None


def best_country(mentions: Iterable[ActorMention], span: tuple[int, int]) -> ActorMention | None:
    a, b = span
    hits = [m for m in mentions if m.country and m.start < b and a < m.end]
    if not hits:
        return None
    return max(hits, key=lambda m: (m.confidence, min(b, m.end) - max(a, m.start), -(m.end - m.start)))


def score_plover(
    path: Path | str,
    parse_many: Callable[[list[tuple[str, dt.date]]], list[ParsedDoc]],
    resolve: Callable[[ParsedDoc], tuple[ActorMention, ...]],
) -> tuple[float, list[Outcome]]:
    """Country accuracy over gold actors with a country code, and every outcome."""
    gold = list(gold_actors(path))
    texts = list(dict.fromkeys((g.text, g.date) for g in gold))
    docs = dict(zip(texts, parse_many(texts), strict=True))
    resolved = {k: resolve(d) for k, d in docs.items()}
    outcomes: list[Outcome] = []
    for g in gold:
        span = _locate(g.text, g.actor_text)
        m = best_country(resolved[(g.text, g.date)], span) if span else None
        outcomes.append(Outcome(g, m.country if m else None, m.how if m else "no mention"))
    right = sum(o.got == o.gold.country for o in outcomes)
    return (right / len(outcomes) if outcomes else 0.0), outcomes


def confusion(outcomes: Iterable[Outcome]) -> Counter[tuple[str, str]]:
    """(gold, got) pairs of the misses."""
    return Counter((o.gold.country, o.got or "-") for o in outcomes if o.got != o.gold.country)


# ---------------------------------------------------------------------- news folders

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})


@dataclass(frozen=True, slots=True)
class NewsScore:
    """The end-to-end actor figure on a folder of annotated news (``articles/NAME.txt`` and
    ``gold/NAME.events.json``): of the required gold events, how many had their type coded
    on their sentence (``typed``), and of those how many with the right source and target
    countries (``actors_ok``); events with no target, out of all system events."""

    folder: str
    required: int
    typed: int
    actors_ok: int
    events: int
    no_target: int

    def line(self) -> str:
        return (f"required events whose type was coded on their sentence: {self.typed}/{self.required}; "
                f"of those, with the right source and target: {self.actors_ok}/{self.typed}; "
                f"events with no target: {self.no_target}/{self.events}")


def _words(text: str | None) -> set[str]:
    import re

    return set(re.findall(r"[a-z0-9]+", (text or "").lower()))


def _countries(side: Any) -> set[str]:
    if not side:
        return set()
    if isinstance(side, list):
        return {c for s in side for c in _countries(s)}
    if isinstance(side, dict):
        return {side["country"]} if side.get("country") else set()
    return set()


def event_matches(ev: dict[str, Any], gold: dict[str, Any], *, actors: bool) -> bool:
    """The matching rule of the shared scorer (score_events.py): type, source/target
    countries (either order for symmetric types; a null gold side matches any), and the
    evidence sharing at least half of the cue's words. Dates and status are not asked."""
    from kronika.model import plover_type

    if plover_type(str(ev.get("type"))) != plover_type(str(gold["type"])):
        return False
    if actors:
        src, tgt = _countries(ev.get("source")), _countries(ev.get("target"))
        gs, gt = gold.get("source"), gold.get("target")

        def ok(have: set[str], want: str | None) -> bool:
            return want is None or want in have

        direct = ok(src, gs) and ok(tgt, gt)
        swapped = plover_type(str(gold["type"])) in SYMMETRIC and ok(tgt, gs) and ok(src, gt)
        if not (direct or swapped):
            return False
    cue = _words(gold.get("cue"))
    return not cue or len(cue & _words(ev.get("evidence"))) / len(cue) >= 0.5


def score_news(folder: Path | str, events_by_doc: dict[str, list[dict[str, Any]]]) -> NewsScore:
    """Score the events of each article (event records as JSON objects, keyed by the
    article's file name) against the folder's gold."""
    folder = Path(folder)
    required = typed = actors_ok = 0
    for gold_file in sorted((folder / "gold").glob("*.events.json")):
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        system = events_by_doc.get(Path(gold["article"]).name, [])
        for g in gold["events"]:
            if not g.get("required"):
                continue
            required += 1
            seen = [e for e in system if event_matches(e, g, actors=False)]
            typed += bool(seen)
            actors_ok += any(event_matches(e, g, actors=True) for e in seen)
    events = [e for evs in events_by_doc.values() for e in evs]
    return NewsScore(str(folder), required, typed, actors_ok, len(events), sum(not e.get("target") for e in events))


# ---------------------------------------------------------------------- coreference


@dataclass(frozen=True, slots=True)
class CorefOutcome:
    item: dict[str, Any]
    got: str | None
    how: str


def score_coref(
    gold_path: Path | str, corpus: Path | str,
    parse_many: Callable[[list[tuple[str, dt.date]]], list[ParsedDoc]],
    resolve: Callable[[ParsedDoc], tuple[ActorMention, ...]],
) -> tuple[float, list[CorefOutcome]]:
    """Antecedent accuracy on hand-annotated references back (pronouns, "the minister",
    "the government" …): one JSON line per mention with the article ``id`` in ``corpus``
    (JSON lines with ``id``, ``date``, ``text``), its character span, and the ``country`` of
    the antecedent. Right when the resolved mention covering that span has the country."""
    items = [json.loads(line) for line in Path(gold_path).read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {i["id"] for i in items}
    texts: dict[str, tuple[str, dt.date]] = {}
    with Path(corpus).open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if r.get("id") in wanted:
                texts[r["id"]] = (r["text"], dt.date.fromisoformat(r["date"]))
    keys = sorted(texts)
    resolved = {k: resolve(d) for k, d in zip(keys, parse_many([texts[k] for k in keys]), strict=True)}
    outcomes: list[CorefOutcome] = []
    for it in items:
        ms = [m for m in resolved.get(it["id"], ()) if m.start < it["end"] and it["start"] < m.end]
        m = max(ms, key=lambda x: (x.country is not None, x.confidence, -(x.end - x.start)), default=None)
        outcomes.append(CorefOutcome(it, m.country if m else None, m.how if m else "no mention"))
    right = sum(o.got == o.item["country"] for o in outcomes)
    return (right / len(outcomes) if outcomes else 0.0), outcomes
