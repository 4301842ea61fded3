"""Toponym resolution: pick the gazetteer entry each name refers to, in document context.

Why two passes: a name alone has a prior (population / importance: Paris, France beats
Paris, Texas), but the article decides homonyms. The first pass reads off the context
the document gives unambiguously (countries named, demonyms, places whose best reading
clearly dominates); the second pass scores every candidate with that context: same
country as the story, inside a region the story names ("Paris, Texas", Atlanta →
Georgia the US state), near the other places. Confidence is the softmax share of the
winner, so a coin-flip between two readings says so.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from kronika.geo.gazetteer import GazEntry, Gazetteer, compass_only, km, norm_name

# Feature words that follow or precede a name ("Akita Prefecture", "Idlib province",
# "the state of Texas") and the gazetteer feature they ask for.
FEATURE_WORDS: dict[str, str] = {
    "prefecture": "admin1", "prefectures": "admin1", "province": "admin1",
    "provinces": "admin1", "state": "admin1", "states": "admin1", "region": "admin1",
    "regions": "admin1", "governorate": "admin1", "governorates": "admin1",
    "oblast": "admin1", "oblasts": "admin1", "county": "admin1", "counties": "admin1",
    "district": "admin1", "districts": "admin1", "territory": "admin1",
    "city": "city", "cities": "city", "town": "city", "towns": "city",
    "village": "city", "villages": "city", "capital": "city", "port": "city",
    "island": "island", "islands": "island",
}
_ISLANDISH = frozenset({"island", "peninsula", "region"})
# Features whose point says little about where nearby places are.
_VAGUE = frozenset({"country", "continent", "sea", "region", "gulf", "strait"})


@dataclass(frozen=True, slots=True)
class Toponym:
    """A name to resolve. ``hint`` is the feature a neighbouring word asks for;
    ``container`` the index (in the same batch) of a place written right after it as its
    container ("Paris, Texas")."""

    text: str
    hint: str | None = None
    container: int | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    entry: GazEntry
    confidence: float
    how: str = ""


def lookup_forms(gaz: Gazetteer, text: str) -> list[tuple[GazEntry, bool]]:
    """Candidates for a surface form: as written, without "the", without a possessive,
    without a trailing/leading feature word ("Akita Prefecture", "Gulf of X" stays)."""
    key = norm_name(text)
    named = gaz.demonym_entry(key)  # "Turkish" → Turkey, "Canadian" → Canada (not Canadian County)
    if named is not None:
        return [(named, True)]
    exact = gaz.lookup(text)  # abbreviations ("Calif.", "KY") only match as written
    if exact:
        return exact
    if key.endswith(" co"):
        key = key[:-3] + " county"  # "Plymouth Co."
    forms = [key]
    if key.startswith("the "):
        forms.append(key[4:])
    for f in list(forms):
        if f.endswith("'s") or f.endswith("s'"):
            forms.append(f[:-2])
    for f in list(forms):
        head, _, last = f.rpartition(" ")
        if head and last in FEATURE_WORDS:
            forms.append(head)
    for f in forms:
        hits = gaz.lookup(f)
        if hits:
            return hits
    return []


def partial_forms(gaz: Gazetteer, text: str) -> list[tuple[GazEntry, bool]]:
    """For a name the gazetteer lacks ("University of California", "Dulles International
    Airport"), the longest capitalised part it knows, as an alternate-strength match."""
    words = text.replace(",", " ").split()
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            part = words[i : i + n]
            name = " ".join(part)
            if not all(w[:1].isupper() for w in part) or norm_name(part[-1]) in FEATURE_WORDS or compass_only(name):
                continue
            hits = gaz.lookup(name)
            strong = [(e, False) for e, primary in hits if primary and (e.feature != "city" or e.prior >= 5.0)]
            if strong:
                return strong
    return []


class Resolver:
    """Scores candidates; holds only the (read-only) gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def resolve(
        self, toponyms: Sequence[Toponym], demonym_countries: Counter[str] | None = None
    ) -> list[Resolution | None]:
        cands = [lookup_forms(self.gaz, t.text) or partial_forms(self.gaz, t.text) for t in toponyms]
        votes = [_vote(c) for c in cands]
        total: Counter[str] = Counter()
        for iso3, n in (demonym_countries or Counter()).items():
            total[iso3] += 0.5 * n
        for v in votes:
            if v:
                total[v] += 1.0
        # Each name is judged by the others' evidence: an ambiguous name must not vote for itself.
        contexts = [_shares(total, v) for v in votes]
        first = [self._pick(t, c, ctx, None, None) for t, c, ctx in zip(toponyms, cands, contexts, strict=True)]
        anchors = [
            (i, r.entry) for i, r in enumerate(first)
            if r is not None and r.confidence >= 0.7 and r.entry.feature not in _VAGUE
        ]
        regions: Counter[tuple[str | None, str]] = Counter()
        for _, e in anchors:
            if e.admin1:
                regions[(e.country, norm_name(e.admin1))] += 1
        out: list[Resolution | None] = []
        for i, (t, c) in enumerate(zip(toponyms, cands, strict=True)):
            container = first[t.container] if t.container is not None and t.container < len(first) else None
            others = [a for j, a in anchors if j != i][:30]
            own = first[i].entry if first[i] is not None else None
            near = (others, regions - Counter({(own.country, norm_name(own.admin1)): 1}) if own and own.admin1 else regions)
            out.append(self._pick(t, c, contexts[i], container, near))
        return out

    # ------------------------------------------------------------------ scoring

    def _pick(self, t: Toponym, cands: list[tuple[GazEntry, bool]], context: dict[str, float],
              container: Resolution | None, near: tuple[list[GazEntry], Counter] | None) -> Resolution | None:
        if not cands:
            return None
        scores = [self._score(t, e, primary, context, container, near) for e, primary in cands]
        top = max(range(len(cands)), key=scores.__getitem__)
        z = sum(math.exp(min(s - scores[top], 0.0)) for s in scores)
        return Resolution(cands[top][0], 1.0 / z, "context" if near else "prior")

    def _score(self, t: Toponym, e: GazEntry, primary: bool, context: dict[str, float],
               container: Resolution | None, near: tuple[list[GazEntry], Counter] | None) -> float:
        s = e.prior + (0.0 if primary else -1.5) + (0.4 if e.capital else 0.0)
        if e.country is not None and context:
            s += 3.0 * context.get(e.country, 0.0) + (0.5 if e.country in context else 0.0)
        if t.hint is not None:
            if e.feature == t.hint or (t.hint == "island" and e.feature in _ISLANDISH):
                s += 4.0
            elif t.hint == "admin1" and e.feature == "city":
                s += 1.0  # "Akita" the city still lies inside Akita the prefecture
        if container is not None:
            s += 5.0 * _inside(e, container.entry)
        if near is not None:
            others, regions = near
            if e.admin1 and e.feature in ("city", "admin2", "admin1") and regions.get((e.country, norm_name(e.admin1))):
                s += 2.0  # same region as the story's other places (Atlanta → Georgia, US)
            s += _proximity(e, others)
        return s


def _vote(cands: list[tuple[GazEntry, bool]]) -> str | None:
    """The country a name points at when its readings agree (or one dominates)."""
    if not cands:
        return None
    best = max(cands, key=lambda ep: ep[0].prior + (0 if ep[1] else -1.5))[0]
    countries = {e.country for e, _ in cands if e.prior >= best.prior - 1.0}
    return best.country if best.country and len(countries) == 1 else None


def _shares(total: Counter[str], own: str | None) -> dict[str, float]:
    votes = total.copy()
    if own:
        votes[own] -= 1.0
    votes = +votes
    n = sum(votes.values())
    return {k: v / n for k, v in votes.items()} if n else {}


def _inside(e: GazEntry, container: GazEntry) -> float:
    """1 when ``container`` (resolved) holds ``e`` by admin1 or country, else 0."""
    if container.feature == "country":
        return float(e.country == container.country and e.feature != "country")
    if container.feature == "admin1":
        same_admin = e.admin1 is not None and norm_name(e.admin1) == norm_name(container.name)
        return float(same_admin or (e.country == container.country and km(e.lat, e.lon, container.lat, container.lon) < 400))
    return 0.0


def _proximity(e: GazEntry, others: list[GazEntry]) -> float:
    """Up to +1.5 for being near the document's confidently resolved places."""
    if not others or e.feature in _VAGUE:
        return 0.0
    best = min(km(e.lat, e.lon, o.lat, o.lon) for o in others)
    return 1.5 if best < 200 else 0.75 if best < 800 else 0.0
