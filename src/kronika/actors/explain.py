"""What Kronika believes about a name on a date, and why (``kronika actors show``), and
which knowledge-base rows decide it (``kronika actors explain``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kronika.actors.dictionary import ActorEntry, Tenure, sector_of
from kronika.actors.kb import KnowledgeBase
from kronika.actors.learned import LearnedIndex


def _entry(e: ActorEntry, day: dt.date, how: str) -> dict[str, Any]:
    t = e.role_at(day)
    return {
        "name": e.name,
        "kind": e.kind,
        "code": (t.code if t else None) or e.code,
        "country": e.country,
        "sector": (sector_of(t.code) if t else None) or e.sector,
        "role": t.role if t else None,
        "how": how + (f"; role on {day.isoformat()}: {t.role or t.code} {t.span()}" if t else ""),
        "source": e.source,
        "roles": [{"code": r.code, "role": r.role, "start": r.start.isoformat() if r.start else None,
                   "end": r.end.isoformat() if r.end else None} for r in e.roles],
    }


def describe(name: str, day: dt.date, kb: KnowledgeBase, learned: LearnedIndex | None = None) -> list[dict[str, Any]]:
    """Every reading of ``name``: knowledge-base phrases (countries, demonyms, metonyms,
    organisations, people, role words), people sharing the surname, learned people."""
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    for lex in kb.lookup(name):
        if lex.actor is not None and id(lex.actor) not in seen:
            seen.add(id(lex.actor))
            out.append(_entry(lex.actor, day, f"kb {lex.tag}: {name!r}"))
        elif lex.agent is not None:
            g = lex.agent
            out.append({"name": g.phrase, "kind": "role word", "code": None, "country": None,
                        "sector": g.sector, "role": g.role, "how": f"role word ({g.source})",
                        "source": g.source, "roles": []})
    if " " not in name.strip():
        for e in kb.people_named(name, day):
            if id(e) not in seen:
                seen.add(id(e))
                out.append(_entry(e, day, f"kb surname: {name!r}"))
    if learned is not None:
        hit = learned.lookup(name, day)
        if hit is not None:
            out.append({"name": hit.entity, "kind": "person", "code": None, "country": hit.country,
                        "sector": hit.sector, "role": hit.role if hit.role_valid(day) else None,
                        "how": hit.describe(), "source": "learned", "roles": []})
    return out


def _tenure_row(t: Tenure, entry: ActorEntry, day: dt.date, decides: Tenure | None) -> dict[str, Any]:
    return {"code": t.code, "role": t.role, "start": t.start.isoformat() if t.start else None,
            "end": t.end.isoformat() if t.end else None, "source": t.source or entry.source,
            "on_date": t.covers(day), "decides": t is decides}


def explain(
    name: str, day: dt.date, kb: KnowledgeBase, countries: frozenset[str] | None = None,
    learned: LearnedIndex | None = None,
) -> dict[str, Any]:
    """Which knowledge-base rows decide what ``name`` means on ``day`` (``kronika actors
    explain``): the entry the resolver takes for a bare mention of the name, the tenure
    row valid on the date with its source file (leaders.tsv, phoenix.tsv …), the reading
    that results, and every candidate entry with all its rows.

    ``countries``: the countries the article names (a bare surname is taken only for a
    person of one of them, or a head of state); None assumes each candidate's own country
    is named, which is the most a surname can mean."""
    from kronika.actors.resolver import ActorResolver, kb_person

    cands: list[ActorEntry] = []
    for lex in kb.lookup(name):
        if lex.actor is not None and lex.actor not in cands:
            cands.append(lex.actor)
    if " " not in name.strip():
        cands += [e for e in kb.people_named(name, day) if e not in cands]
    named = countries if countries is not None else frozenset(c.country for c in cands if c.country)
    chosen, why = kb_person(kb, name, day, named)
    if chosen is None:  # not a person: the first phrase reading is what the matcher takes
        first = next((x for x in kb.lookup(name) if x.actor is not None), None)
        if first is not None and first.actor is not None:
            chosen, why = first.actor, f"kb {first.tag} phrase (the first reading of {name!r})"
    decision: dict[str, Any] | None = None
    if chosen is not None and chosen.kind != "person":
        igo = (chosen.code or "").startswith("IGO")
        decision = {"entity": chosen.name, "code": chosen.code or chosen.country, "country": "IGO" if igo else chosen.country,
                    "sector": chosen.sector, "role": None, "confidence": 0.9, "why": why,
                    "how": f"kb: {chosen.name} = {chosen.code or chosen.country} ({chosen.source})"}
    elif chosen is not None:
        r = ActorResolver._kb_reading(chosen, day)
        decision = {"entity": r.entity, "code": r.code or _code(r.country, r.sector), "country": r.country,
                    "sector": r.sector, "role": r.role, "confidence": r.confidence, "why": why, "how": r.how}
    rows = []
    for e in cands:
        held = e.role_at(day) if e is chosen else None
        rows.append({"name": e.name, "kind": e.kind, "code": e.code, "country": e.country, "source": e.source,
                     "decides": e is chosen, "aliases": list(e.aliases)[:10],
                     "tenures": [_tenure_row(t, e, day, held) for t in e.roles]})
    out: dict[str, Any] = {"name": name, "date": day.isoformat(),
                           "countries_named": sorted(named) if countries is not None else "assumed: each candidate's own",
                           "decision": decision, "why_not": None if decision else why, "candidates": rows}
    if learned is not None and (hit := learned.lookup(name, day)) is not None:
        out["learned"] = {"entity": hit.entity, "country": hit.country, "sector": hit.sector, "how": hit.describe()}
    return out


def _code(country: str | None, sector: str | None) -> str | None:
    return f"{country}{sector}" if country and sector else country or sector
