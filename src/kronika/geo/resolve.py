"""Toponym resolution: pick the gazetteer entry each name refers to, in document context.

Why two passes: a name alone has a prior (population / importance: Paris, France beats
Paris, Texas), but the article decides homonyms. The first pass reads off the context
the document gives unambiguously (countries named, demonyms, places whose best reading
clearly dominates); the second pass scores every candidate with that context: same
country as the story, inside a region the story names ("Paris, Texas", Atlanta →
Georgia the US state), near the other places, and in the same area as a reading of
another ambiguous name (co-location: "Edmonton" and "Enfield" both have one in north
London). A repeated name is never evidence for itself. A famous reading (a metropolis or
capital) is not overturned by the story's country alone: a far smaller namesake needs
local evidence ("London, Ohio"; an Ohio story). A name written as another's container
("Bronx, New York") favours its state/country reading. A country written as a name's owner
("Pakistan's Jaffrabad district") favours readings inside it, and where the gazetteer has
none there the name is placed in that country at half its confidence (``how`` "owner"),
not at a namesake abroad. Confidence is the softmax share
of the winner, so a coin-flip between two readings says so.

The weights below were set on the GeoWebNews and TR-News dev sets (resolution given gold
toponyms, acc@161km), keeping only changes that helped both; see ``kronika evaluate geo``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import NamedTuple

from kronika.geo.gazetteer import GazEntry, Gazetteer, compass_only, km, norm_name
from kronika.resources import word_map, word_set, word_table

WORDS = "geo/words.yaml"  # the English words the geoparser reads (data, with the reasons)
# Feature words next to a name ("Akita Prefecture", "the state of Texas") → the feature asked for.
FEATURE_WORDS = word_map(WORDS, "feature_words")
# Scoring weights (log10-population units): an alternate-name match, a national capital,
# the country's share of the document's other evidence, and its mere presence there.
W_PRIOR, W_ALTERNATE, W_CAPITAL, W_CONTEXT, W_PRESENT = 1.0, 1.5, 0.4, 3.0, 0.5
# Same first-level region as the story's confident places; near one of them (<200 km, <800 km).
W_REGION, W_NEAR, W_NEARISH = 1.0, 1.5, 0.75
# Per other name with a reading in the same area (at most two), among each name's top readings.
W_COLOC, COLOC_TOP = 0.5, 12
# A famous reading (a city of ~1,000,000+ or a national capital) beats a namesake this much
# smaller (log10 units) that has no local evidence (``_famous_namesake``).
FAMOUS_PRIOR, FAMOUS_GAP = 6.0, 2.0
W_CONTAINER = 2.0  # a container's state/province or country reading ("Bronx, New York")
W_DEMONYM = 0.5  # a demonym ("Iraqi") counts half a place name towards the story's countries
_LOCAL = frozenset({"city", "admin2"})
# Institution words never a place on their own inside a longer name ("International City").
GENERIC_WORDS = word_set(WORDS, "generic_words")
# A part of a longer name is an airport only when the name says so.
_AIRPORT_WORDS = word_set(WORDS, "airport_words")
# Last words of names of things inside a town (never in the country a demonym names).
_LOCAL_FEATURES = word_set(WORDS, "local_features")
_ABROAD = word_set(WORDS, "abroad_words")
_ISLANDISH = frozenset({"island", "peninsula", "region"})
# Features whose point says little about where nearby places are.
_VAGUE = frozenset({"country", "continent", "sea", "region", "gulf", "strait"})


@dataclass(frozen=True, slots=True)
class Toponym:
    """A name to resolve. ``hint`` is the feature a neighbouring word asks for;
    ``container`` the index (in the same batch) of a place written right after it as its
    container ("Paris, Texas"), or as its owner before it (``owned``: "Pakistan's Jaffrabad
    district")."""

    text: str
    hint: str | None = None
    container: int | None = None
    owned: bool = False


@dataclass(frozen=True, slots=True)
class Resolution:
    """The chosen reading; ``how`` is "prior", "context", or "partial" when only a known
    part of the name matched ("Liverpool Academy" → Liverpool)."""

    entry: GazEntry
    confidence: float
    how: str = ""


def lookup_forms(gaz: Gazetteer, text: str, codes: bool = True) -> list[tuple[GazEntry, bool]]:
    """Candidates for a surface form: as written, without "the", without a possessive,
    without a trailing/leading feature word ("Akita Prefecture", "Gulf of X" stays).
    ``codes``: include context-only codes ("SA"); recognition never does."""
    key = norm_name(text)
    named = gaz.demonym_entry(key)  # "Turkish" → Turkey, "Canadian" → Canada (not Canadian County)
    if named is not None:
        return [(named, True)]
    exact = gaz.lookup(text, codes)  # abbreviations ("Calif.", "KY") only match as written
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
        hits = gaz.lookup(f, codes=False)
        if hits:
            return hits
    return []


# Demonym endings → endings of the place names they come from ("Sicilian" → Sicily), in the
# order tried; only for a name the gazetteer lacks.
DEMONYM_ENDINGS = word_table(WORDS, "demonym_endings")
# A derived demonym must name a well-known place: a country, region or island, or a big city.
_DEMONYM_FEATURES = frozenset({"country", "admin1", "region", "island", "peninsula", "continent"})


def derived_demonym(gaz: Gazetteer, text: str) -> GazEntry | None:
    """The place an unlisted demonym-like word names, by regular English endings; None
    unless the word is capitalised and the place is prominent (see ``_DEMONYM_FEATURES``)."""
    word = text.strip()
    if not word[:1].isupper() or " " in word or len(word) < 5:
        return None
    key = norm_name(word)
    for ending, bases in DEMONYM_ENDINGS:
        if not key.endswith(ending) or len(key) - len(ending) < 3:
            continue
        stem = key[: -len(ending)]
        for base in bases:
            hits = [e for e, primary in gaz.lookup(stem + base, codes=False) if primary and (
                e.feature in _DEMONYM_FEATURES or (e.feature == "city" and e.prior >= 6.0))]
            if hits:
                return max(hits, key=lambda e: e.prior)
    return None


def partial_forms(gaz: Gazetteer, text: str) -> list[tuple[GazEntry, bool]]:
    """For a name the gazetteer lacks ("University of California", "Dulles International
    Airport"), the longest capitalised part it knows, as an alternate-strength match."""
    words = text.replace(",", " ").split()
    words_lower = {w.lower() for w in words}
    for n in range(len(words) - 1, 0, -1):
        for i in range(len(words) - n + 1):
            part = words[i : i + n]
            name = " ".join(part)
            if not all(w[:1].isupper() for w in part) or norm_name(part[-1]) in FEATURE_WORDS or compass_only(name):
                continue
            if all(norm_name(w) in GENERIC_WORDS for w in part):
                continue  # "International" in "Pearson International Airport" is no place
            hits = gaz.lookup(name, codes=False)
            directional = compass_only(" ".join(words[:i] + words[i + n :]))  # "East Yorkshire"
            strong = [(e, False) for e, primary in hits if primary and (
                _strong_part(e, words_lower) or (directional and e.feature in ("admin1", "admin2")))]
            if strong:
                return strong
    return _demonym_part(gaz, words)


def _strong_part(e: GazEntry, words_lower: set[str]) -> bool:
    """May this reading of a part stand for the whole name? A big city, a country or a
    curated region; not a region derived from town tables ("Douglas" in "Marjory
    Stoneman Douglas High School" is no Isle of Man district), and an airport only when
    the name says airport."""
    if e.feature == "city":
        return e.prior >= 5.0
    if e.feature in ("admin1", "admin2"):
        return e.geonameid is not None
    return e.feature != "airport" or bool(_AIRPORT_WORDS & words_lower)


def _demonym_part(gaz: Gazetteer, words: list[str]) -> list[tuple[GazEntry, bool]]:
    """A name with no known place in it that opens with a demonym ("European Commission",
    "Russian Higher School of Economics"): the place the demonym names, as a partial
    match. Not a street or quarter named after a people ("French Quarter"): those lie
    in the story's town, not in the people's country; nor an embassy ("Chinese Embassy"
    is abroad)."""
    if len(words) < 2 or not words[0][:1].isupper() or norm_name(words[-1]) in _LOCAL_FEATURES \
            or _ABROAD & {norm_name(w) for w in words}:
        return []
    e = gaz.demonym_entry(words[0])
    return [] if e is None else [(e, False)]


class Resolver:
    """Scores candidates; holds only the (read-only) gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer

    def resolve(
        self, toponyms: Sequence[Toponym], demonym_countries: Counter[str] | None = None
    ) -> list[Resolution | None]:
        cands = [lookup_forms(self.gaz, t.text) or _derived(self.gaz, t.text) for t in toponyms]
        partial = [not c for c in cands]
        cands = [c or partial_forms(self.gaz, t.text) for c, t in zip(cands, toponyms, strict=True)]
        toponyms = _mark_containers(toponyms, cands)
        keys = [norm_name(t.text) for t in toponyms]
        contexts = _contexts(keys, [_vote(c) for c in cands], demonym_countries or Counter())
        first = [self._pick(t, c, ctx, None, None) for t, c, ctx in zip(toponyms, cands, contexts, strict=True)]
        anchors = [
            (i, r.entry) for i, r in enumerate(first)
            if r is not None and r.confidence >= 0.7 and r.entry.feature not in _VAGUE
        ]
        cells = _cells(keys, cands)
        regions: Counter[tuple[str | None, str]] = Counter()
        for _, e in anchors:
            if e.admin1:
                regions[(e.country, norm_name(e.admin1))] += 1
        out: list[Resolution | None] = []
        for i, (t, c) in enumerate(zip(toponyms, cands, strict=True)):
            container = first[t.container] if t.container is not None and t.container < len(first) else None
            others = [a for j, a in anchors if j != i][:30]
            mine = first[i].entry if first[i] is not None else None
            near = _Near(others, regions - Counter({(mine.country, norm_name(mine.admin1)): 1})
                         if mine and mine.admin1 else regions, cells, keys[i])
            r = self._pick(t, c, contexts[i], container, near)
            if t.owned and container is not None and container.entry.feature == "country" \
                    and not any(_inside(e, container.entry) for e, _ in c):
                # "Pakistan's Jaffrabad": the gazetteer knows only namesakes abroad; the text
                # says which country, so the place is placed there, coarsely, not abroad
                r = Resolution(container.entry, round(container.confidence * 0.5, 3), "owner")
            out.append(replace(r, how="partial") if r is not None and partial[i] else r)
        return out

    # ------------------------------------------------------------------ scoring

    def _pick(self, t: Toponym, cands: list[tuple[GazEntry, bool]], context: dict[str, float],
              container: Resolution | None, near: _Near | None) -> Resolution | None:
        if not cands:
            return None
        scores = [self._score(t, e, primary, context, container, near) for e, primary in cands]
        top = max(range(len(cands)), key=scores.__getitem__)
        if near is not None:
            top = _famous_namesake(cands, top, container, near)
        z = sum(math.exp(min(s - scores[top], 0.0)) for s in scores)
        return Resolution(cands[top][0], 1.0 / z, "context" if near else "prior")

    def _score(self, t: Toponym, e: GazEntry, primary: bool, context: dict[str, float],
               container: Resolution | None, near: _Near | None) -> float:
        s = W_PRIOR * e.prior + (0.0 if primary else -W_ALTERNATE) + (W_CAPITAL if e.capital else 0.0)
        if t.hint == "container":
            s += W_CONTAINER if e.feature in ("admin1", "country") else 0.0
        elif t.hint is not None:
            if e.feature == t.hint or (t.hint == "island" and e.feature in _ISLANDISH):
                s += 4.0
            elif t.hint == "admin1" and e.feature == "city":
                s += 1.0  # "Akita" the city still lies inside Akita the prefecture
            elif t.hint == "admin1" and e.feature == "country":
                s += 4.0  # "the territory of Georgia", "the state of Israel": context decides
        if container is not None:
            s += 5.0 * _inside(e, container.entry)
        return s + _story_bonus(e, context, near)


def _mark_containers(toponyms: Sequence[Toponym], cands: list[list[tuple[GazEntry, bool]]]) -> list[Toponym]:
    """A name written as another's container ("Bronx, New York") names a state, province or
    country, so its first-level or country reading is favoured (hint "container"), when
    one of those readings holds the first name's most important reading: in a list
    ("Washington, New York and Boston") the comma joins, it does not contain."""
    held = set()
    for t, c in zip(toponyms, cands, strict=True):
        k = t.container
        if k is None or k >= len(toponyms) or toponyms[k].hint is not None:
            continue
        wide = [e for e, _ in cands[k] if e.feature in ("admin1", "country")]
        best = max((e for e, primary in c if primary), key=lambda e: e.prior, default=None)
        if best is not None and any(_inside(best, w) for w in wide):
            held.add(k)
    return [replace(t, hint="container") if i in held else t for i, t in enumerate(toponyms)]


def _famous_namesake(cands: list[tuple[GazEntry, bool]], top: int, container: Resolution | None,
                     near: _Near) -> int:
    """The famous reading of a name (a metropolis or national capital) over a far smaller
    namesake that only the story's country favours: "London" in a US story is still
    London, England unless the text puts it somewhere ("London, Ohio", an Ohio story,
    places nearby). Why: a country share is weak evidence against a 100-fold prior."""
    e = cands[top][0]
    famous = max(range(len(cands)), key=lambda k: (cands[k][1], cands[k][0].prior + (W_CAPITAL if cands[k][0].capital else 0)))
    f = cands[famous][0]
    if famous == top or not cands[famous][1] or f.feature != "city" or not (f.prior >= FAMOUS_PRIOR or f.capital):
        return top
    if e.prior > f.prior - FAMOUS_GAP or container is not None or _local_evidence(e, near):
        return top
    return famous


def _local_evidence(e: GazEntry, near: _Near) -> bool:
    """Does the story put a reading in its own area: the same first-level region as its
    confident places, one of them within 200 km, or another name's reading in its cell?"""
    others, regions, cells, key = near
    if e.admin1 and regions.get((e.country, norm_name(e.admin1))):
        return True
    if any(km(e.lat, e.lon, o.lat, o.lon) < 200 for o in others):
        return True
    return e.feature in _LOCAL and _support(e, cells, key) > 0


def _story_bonus(e: GazEntry, context: dict[str, float], near: _Near | None) -> float:
    """What the rest of the story adds to a reading: its country's share of the story,
    the same region as, near to, or in the same area as the story's other places. Not
    capped: a cap that keeps a US story's "London" in England (a measured option) costs
    more local news towns than it saves."""
    s = 0.0
    if e.country is not None and context:
        s += W_CONTEXT * context.get(e.country, 0.0) + (W_PRESENT if e.country in context else 0.0)
    if near is not None:
        others, regions, cells, key = near
        if e.feature in _LOCAL:
            s += W_COLOC * min(_support(e, cells, key), 2)
        if e.admin1 and e.feature in ("city", "admin2", "admin1") and regions.get((e.country, norm_name(e.admin1))):
            s += W_REGION  # same region as the story's other places (Atlanta → Georgia, US)
        s += _proximity(e, others)
    return s


class _Near(NamedTuple):
    """Second-pass evidence for one name: the other confident places, their regions, and
    the grid cells every name's plausible readings fall in (``_cells``)."""

    others: list[GazEntry]
    regions: Counter
    cells: dict[tuple[int, int], frozenset[str]]
    key: str


def _cells(keys: list[str], cands: list[list[tuple[GazEntry, bool]]]) -> dict[tuple[int, int], frozenset[str]]:
    """1°×1° cell → names with a plausible local reading there (each name's ``COLOC_TOP``
    most important readings). Why: two ambiguous names that each have a reading in the
    same spot ("Edmonton" and "Enfield", both in north London) most likely mean that spot."""
    out: dict[tuple[int, int], set[str]] = {}
    done: set[str] = set()
    for key, c in zip(keys, cands, strict=True):
        if key in done:
            continue
        done.add(key)
        local = sorted((e for e, _ in c if e.feature in _LOCAL), key=lambda e: -e.prior)[:COLOC_TOP]
        for e in local:
            out.setdefault((math.floor(e.lat), math.floor(e.lon)), set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


def _support(e: GazEntry, cells: dict[tuple[int, int], frozenset[str]], key: str) -> int:
    """How many other names have a plausible reading in ``e``'s cell or a neighbouring one."""
    la, lo = math.floor(e.lat), math.floor(e.lon)
    names: set[str] = set()
    for dla in (-1, 0, 1):
        for dlo in (-1, 0, 1):
            names |= cells.get((la + dla, lo + dlo), frozenset())
    names.discard(key)
    return len(names)


def _derived(gaz: Gazetteer, text: str) -> list[tuple[GazEntry, bool]]:
    e = derived_demonym(gaz, text)
    return [] if e is None else [(e, True)]


def _vote(cands: list[tuple[GazEntry, bool]]) -> str | None:
    """The country a name points at when its readings agree (or one dominates)."""
    if not cands:
        return None
    best = max(cands, key=lambda ep: ep[0].prior + (0 if ep[1] else -1.5))[0]
    countries = {e.country for e, _ in cands if e.prior >= best.prior - 1.0}
    return best.country if best.country and len(countries) == 1 else None


def _contexts(keys: list[str], votes: list[str | None], demonyms: Counter[str]) -> list[dict[str, float]]:
    """Each name's view of the story's countries: the shares of the *other* names' votes
    (and demonyms). A name must not vote for itself, however often it is repeated:
    "London" four times must not outvote "Canada" three times."""
    total: Counter[str] = Counter()
    for iso3, n in demonyms.items():
        total[iso3] += W_DEMONYM * n
    own: dict[str, Counter[str]] = {}
    for key, v in zip(keys, votes, strict=True):
        if v:
            total[v] += 1.0
            own.setdefault(key, Counter())[v] += 1.0
    return [_shares(total, own.get(k)) for k in keys]


def _shares(total: Counter[str], own: Counter[str] | None) -> dict[str, float]:
    votes = +(total - own) if own else +total
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
    return W_NEAR if best < 200 else W_NEARISH if best < 800 else 0.0
