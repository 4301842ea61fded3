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
