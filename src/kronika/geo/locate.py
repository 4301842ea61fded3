"""Where did an event happen? The place the text attaches to its predicate, or none.

Why this order: GDELT-style "any place in the sentence" puts pins in the wrong place (the
place a minister comes *from*, the country a claim is *about*). So:

1. a place in a locative prepositional phrase ("in", "at", "near", "on" …) of the
   trigger's own clause: "met Thursday in Tokyo", "strikes on Idlib", "will take place …
   in Osaka";
2. else a place in a locative phrase of a clause that governs the trigger's clause
   ("In Tokyo, Kono said the two sides agreed …"); a place in a locative phrase of a
   sibling clause ("… plans to set up the system in Akita") belongs to that other
   predicate and is not used; cities and regions before countries;
3. else the article's dateline ("TOKYO, May 30 (Reuters) —"), when there is one;
4. else None: a null is honest, a guess is a wrong pin.
"""

from __future__ import annotations

from kronika.model import ParsedDoc, PlaceMention, Token
from kronika.nlp.dateline import find_dateline
from kronika.nlp.phrases import clause_head, phrase_preposition
from kronika.resources import word_set

# A place in a phrase headed by one of these is where its clause's predicate happened; not the
# actor stage's list of places that are no agents ("from", "via" say where, not what happened).
EVENT_PLACE_PREPS = word_set("english/prepositions.yaml", "event_place")
_SPECIFIC = {"city": 0, "building": 0, "street": 0, "admin2": 1, "admin1": 1, "island": 1,
             "region": 2, "peninsula": 2, "sea": 2, "strait": 2, "gulf": 2, "country": 3}


def event_location(doc: ParsedDoc, places: tuple[PlaceMention, ...] | list[PlaceMention],
                   trigger_token: int | None) -> PlaceMention | None:
    """The place where the event whose predicate is ``trigger_token`` happened, or None."""
    return EventLocator(doc, places)(trigger_token)


class EventLocator:
    """``event_location`` for many predicates of one document: each place's locative
    preposition and clause are found once, not once per predicate (an article with thousands
    of places and predicates in one sentence would otherwise take minutes)."""

    def __init__(self, doc: ParsedDoc, places: tuple[PlaceMention, ...] | list[PlaceMention]) -> None:
        self.doc = doc
        located = [p for p in places if p.lat is not None]
        self._any = bool(located)
        self._dateline = dateline_place(doc, located)
        # sentence → (place, its locative preposition, the clause that preposition sits in)
        self._prepped: dict[int, list[tuple[PlaceMention, Token, int]]] = {}
        for p in located:
            prep = _locative_prep(doc, p)
            if prep is not None:
                self._prepped.setdefault(p.sentence, []).append((p, prep, _clause_head(doc, prep.head)))

    def __call__(self, trigger_token: int | None) -> PlaceMention | None:
        doc = self.doc
        if trigger_token is None or not 0 <= trigger_token < len(doc.tokens) or not self._any:
            return self._dateline
        cands = self._prepped.get(doc.tokens[trigger_token].sent, [])
        clause = _clause_head(doc, trigger_token)
        attached = [p for p, prep, c in cands if c == clause or prep.head == trigger_token]
        if attached:
            return _best(attached, doc, trigger_token)
        if cands:
            above = {t.i for t in doc.ancestors(clause)}
            scoping = [p for p, _, c in cands if c in above]
            if scoping:
                return _best(scoping, doc, trigger_token)
        return self._dateline


def dateline_place(doc: ParsedDoc, places: list[PlaceMention]) -> PlaceMention | None:
    """The place named by a "CITY, Month day (Agency) —" dateline opening the article."""
    line = find_dateline(doc.text)
    if line is None:
        return None
    lo, hi = line.place_start, line.place_end
    inside = [p for p in places if lo <= p.start and p.end <= hi]
    return min(inside, key=lambda p: p.start) if inside else None


def _head_of(doc: ParsedDoc, p: PlaceMention) -> Token:
    """The token of the place span whose syntactic head lies outside the span."""
    first = doc.token_at(p.start)
    last = doc.token_at(max(p.start, p.end - 1))
    if first is None or last is None:
        return doc.tokens[p.head_token]
    for k in range(first, last + 1):
        t = doc.tokens[k]
        if not first <= t.head <= last or t.head == k:
            return t
    return doc.tokens[last]


def _locative_prep(doc: ParsedDoc, p: PlaceMention) -> Token | None:
    """The locative preposition governing the place ("in" of "in Tokyo"), if any."""
    return phrase_preposition(doc.tokens, _head_of(doc, p), EVENT_PLACE_PREPS)


def _clause_head(doc: ParsedDoc, i: int) -> int:
    """The nearest verb at or above token ``i``: the clause the token belongs to."""
    return clause_head(doc.tokens, i, _is_verb)


def _is_verb(t: Token) -> bool:
    return t.pos in ("VERB", "AUX")


def _best(cands: list[PlaceMention], doc: ParsedDoc, trigger: int) -> PlaceMention:
    return min(cands, key=lambda p: (_SPECIFIC.get(p.feature, 2), abs(p.head_token - trigger)))
