"""Who is on each side of an event: the conventions that turn mentions into dyads.

Kept apart from the coder because both the rule coder and the learned decision apply them, and
each is a convention of event data rather than a grammar rule: a symmetric event between two
countries named on one side ("X and Y met") has both sides; a target is never the source
itself; an implicit target is the article's other main party; a place stands for its country.
"""

from __future__ import annotations

from collections import Counter

from kronika.events.syntax import DocView, is_verb
from kronika.model import SYMMETRIC_TYPES, ActorMention, PlaceMention
from kronika.nlp.phrases import clause_head, phrase_preposition

Sides = tuple[ActorMention, ...]


def distinct_target(source: Sides, target: list[ActorMention]) -> Sides:
    """Targets other than the source: the source itself, or its own country named as a
    whole by a state source ("Moscow ... a threat to Russia"), is dropped."""
    out = []
    for m in dict.fromkeys(target):
        same = any(m is s or (m.code and m.code == s.code and (m.entity or m.text) == (s.entity or s.text))
                   or (m.kind == "country" and s.kind in ("country", "metonym") and m.country == s.country)
                   or (m.code == s.code and who((m,)) == who((s,)))  # "Mr Kennedy" … "Kennedy"
                   for s in source)
        if not same:
            out.append(m)
    return tuple(out)


def reciprocal(ptype: str, source: Sides, target: Sides) -> tuple[Sides, Sides]:
    """"X and Y met": a symmetric event whose one side holds two countries has both sides."""
    if ptype not in SYMMETRIC_TYPES or len(source) < 2:
        return tuple(source), tuple(target)
    first = source[0].country
    rest = tuple(m for m in source if m.country != first)
    if first and rest:
        return tuple(m for m in source if m.country == first), rest + tuple(m for m in target if m not in rest)
    if not target and len({m.code or m.text for m in source}) >= 2:  # two parties of one country
        return (source[0],), tuple(m for m in source[1:] if (m.code or m.text) != (source[0].code or source[0].text))
    return tuple(source), tuple(target)


def mutual(source: Sides) -> list[tuple[Sides, Sides]]:
    """"X and Y accused each other": one (source, target) pair per party of the subject, aimed
    at the others. Parties are told apart by country (else code, else text); a subject of one
    party has nothing to split."""
    groups: dict[str, list[ActorMention]] = {}
    for m in source:
        groups.setdefault(m.country or m.code or m.text, []).append(m)
    if len(groups) < 2:
        return []
    return [(tuple(g), tuple(m for k2, g2 in groups.items() if k2 != k for m in g2)) for k, g in groups.items()]


def with_places(actors: tuple[ActorMention, ...], places: tuple[PlaceMention, ...]) -> tuple[ActorMention, ...]:
    """Actors plus the places no actor mention covers, as mentions of their country: the
    place attacked, shelled or entered is, in event data, its country (ICEWS, PLOVER)."""
    taken = [(m.start, m.end) for m in actors]
    extra = [ActorMention(p.start, p.end, p.text, p.sentence, p.head_token, p.country, p.country,
                          None, entity=p.name, kind="place", how=f"place: {p.name}")
             for p in places if p.country and not any(a < p.end and p.start < b for a, b in taken)]
    return tuple(sorted((*actors, *extra), key=lambda m: m.start)) if extra else actors


def main_parties(actors: tuple[ActorMention, ...]) -> tuple[str, ...]:
    """The article's two most-mentioned countries (each at least twice), most frequent first."""
    counts = Counter(m.country for m in actors if m.country)
    top = [c for c, n in counts.most_common(2) if n >= 2]
    return tuple(top) if len(top) == 2 else ()


def party_mentions(view: DocView, parties: tuple[str, ...]) -> list[ActorMention]:
    """A mention standing for each main party: its first named mention in the text (a record's
    side quotes its text, and "it" says nothing of who acted)."""
    out: list[ActorMention] = []
    for country in parties:
        m = next((m for m in view.named if m.country == country), None)
        if m is not None:
            out.append(m)
    return out


def other_party(view: DocView, side: Sides, parties: tuple[str, ...]) -> Sides:
    """The article's other main party than ``side``'s country (implicit targets)."""
    mine = {m.country for m in side}
    if len(parties) != 2 or not mine & set(parties):
        return ()
    other = [c for c in parties if c not in mine]
    if len(other) != 1:
        return ()
    return tuple(party_mentions(view, [other[0]]))


def foreign_first(source: Sides, target: Sides) -> Sides:
    """A target that names other countries than the source's drops the source's own country
    ("ministers of Japan and Russia met": Russia is the other side, not Japan too)."""
    mine = {m.country for m in source if m.country}
    other = tuple(m for m in target if not (m.country and m.country in mine))
    return other if other and len(other) < len(target) and any(m.country for m in other) else target


def countries(side: Sides) -> frozenset[str]:
    return frozenset(m.country or m.code or m.text for m in side)


def who(side: Sides) -> frozenset[str]:
    """Who a side is, finer than its country: the entity, else the mention's last word."""
    return frozenset((m.entity or m.text.split()[-1]).lower() for m in side if m.text)


def most_specific(view: DocView, place: PlaceMention, places: tuple[PlaceMention, ...]) -> PlaceMention:
    """A country named inside a phrase that also names a place within it ("the enclave in
    Syria known as Afrin", "a village in Syria's Idlib province") gives way to that place: the
    event happened there, and the place carries its country anyway."""
    if place.feature != "country":
        return place
    t = view.tokens[place.head_token]
    noun = view.tokens[t.head].head if t.dep == "pobj" else t.head  # the phrase the country sits in
    if noun == t.i or view.tokens[noun].pos not in ("NOUN", "PROPN"):
        return place
    inner = [p for p in places if p is not place and p.sentence == place.sentence and p.feature != "country"
             and p.country == place.country and view.within(p.head_token, noun)]
    return min(inner, key=lambda p: abs(p.head_token - place.head_token)) if inner else place




def venue(view: DocView, m: ActorMention, preps: frozenset[str]) -> int | None:
    """The preposition (token index) of the phrase in which place mention ``m`` (a place no
    actor covers) says where something happened ("met in Brussels", "in the city of Aleppo",
    "near Kirkuk and Mosul"), or None."""
    if m.kind != "place":
        return None
    prep = phrase_preposition(view.tokens, view.tokens[m.head_token], preps)
    return prep.i if prep is not None else None


def clause_of(view: DocView, i: int) -> int:
    """The nearest verb at or above token ``i``: the clause it belongs to."""
    return clause_head(view.tokens, i, is_verb)
