"""Event candidates from the parse: every predicate that binds an actor, with its sides.

Why a separate proposer: the rule coder decided *and* proposed; its predicates and precision
guards fit the sentences they were written against. Here the same syntax machinery (subject /
passive agent, objects, target prepositions, possessors, reported speech, coordination) only
proposes: every verb of a sentence, every event noun the lexicon or the trained model knows,
and every reported-speech frame becomes a ``Candidate`` with the sides the parse gives it. A
learned classifier (``events.classifier``) then decides type or none.

A candidate carries what the rule lexicon would have said of its predicate (``lex``), so the
lexicon is one feature among others, not the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kronika.events.lexicon import Sense
from kronika.events.syntax import DocView
from kronika.model import ActorMention

if TYPE_CHECKING:  # the rule coder owns the syntax rules the proposer reuses
    from kronika.events.coder import EventCoder

Sides = tuple[ActorMention, ...]
# Sides of a noun the lexicon does not know are read as for a one-sided act ("protests by X").
NEUTRAL = Sense("PROTEST", None, "140", conf=0.5)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A predicate and the actors the parse binds to it, before any decision."""

    sentence: int
    trigger: int  # token index of the predicate word
    anchors: tuple[int, ...]  # tokens a time or place may attach to
    source: Sides
    target: Sides
    frame: str  # verb, noun, speech, response, modal-demand, pair
    how: str = ""  # which syntactic rule found the source
    lex: Sense | None = None  # the rule lexicon's reading of the predicate, if any
    obj: int | None = None  # the object of a light-verb construction
    revised: bool = False  # the role model changed the sides the parse gave (``events.roles``)


def propose(coder: EventCoder, view: DocView, si: int, parties: tuple[str, ...],
            nouns: frozenset[str] = frozenset(), unbound: bool = False) -> list[Candidate]:
    """All candidates of sentence ``si``. ``nouns``: event nouns the trained model saw as
    triggers (proposed even where the shipped lexicon does not list them). ``unbound``: also
    propose a verb or event noun the syntax binds no actor to, when its sentence names one (the
    role model then chooses its sides among the sentence's mentions): "four arrests have been
    made", "many have been tortured", "they were trying to hit the ships"."""
    s = view.doc.sentences[si]
    lex = coder.lex
    acting = unbound and any(i in view.actor_at for i in range(s.token_start, s.token_end))
    out: list[Candidate] = []
    verbs: dict[int, tuple[Sense, int | None]] = {}
    for i in range(s.token_start, s.token_end):
        if not view.verbal[i]:
            continue
        light = coder._light(view, i)
        sense = light[0] if light else _first(lex.verbs.get(view.lemmas[i], ()), view, i)
        obj = light[1] if light else None
        if sense is not None:
            verbs[i] = (sense, obj)
        source, target, how = coder._verb_sides(view, i, obj, parties)
        if not source and view.lemma(i) in lex.words.get("self_retreat_verbs", ()) \
                and not view.dep_kids(i, {"agent"}):
            patients = tuple(m for c in view.dep_kids(i, {"nsubjpass"}) for m in view.np_actors(c))
            source, target, how = patients, tuple(m for m in target if m not in patients), "passive-retreat"
        if not source and not target:
            if not acting or view.tokens[i].pos != "VERB":
                continue
            how = "unbound"
        anchors = (i,) if obj is None else (i, obj)
        out.append(Candidate(si, i, anchors, tuple(source), tuple(target), "verb", how, sense, obj))
    consumed = {obj for _, obj in verbs.values() if obj is not None}
    for i in range(s.token_start, s.token_end):
        t = view.tokens[i]
        if t.pos not in ("NOUN", "PROPN") or i in consumed:
            continue
        senses = lex.nouns.get(view.lemmas[i], ())
        if not senses and view.lemmas[i] not in nouns:
            continue
        sense = _first(senses, view, i)
        d = coder._noun_event(view, i, sense or NEUTRAL, parties)
        if d is None:
            if acting:
                out.append(Candidate(si, i, (i,), (), (), "noun", "unbound", sense))
            continue
        out.append(Candidate(si, i, d.anchors, d.source, d.target, "noun", d.rule, sense))
    speech_set = lex.words.get("speech_verbs", frozenset())
    speech = [v for v in range(s.token_start, s.token_end) if view.verbal[v] and view.lemmas[v] in speech_set]
    demands, _ = coder._modal_demands(view, si, speech)
    for d in demands + coder._speech_events(view, speech, parties, [], [], {}):
        out.append(Candidate(si, d.trigger, d.anchors, d.source, d.target, d.rule, d.rule, d.sense))
    return out


def _first(senses: tuple[Sense, ...], view: DocView, i: int) -> Sense | None:
    from kronika.events.coder import _pick  # the rule coder's sense choice (objects, particles)

    return _pick(senses, view, i)


def pair_candidate(view: DocView, source: Sides, target: Sides) -> Candidate | None:
    """A candidate for a given source/target pair the parse did not bind to one predicate
    (pair-given evaluation and training on marked pairs): the predicate is the lowest verb
    that governs both, else the source's governing verb."""
    if not source:
        return None
    a = source[0].head_token
    b = target[0].head_token if target else a
    up_a = [a, *(t.i for t in view.doc.ancestors(a))]
    up_b = {b, *(t.i for t in view.doc.ancestors(b))}
    common = [i for i in up_a if i in up_b]
    for i in common + up_a:
        if view.verbal[i]:
            return Candidate(view.tokens[i].sent, i, (i,), source, target, "pair", "pair")
    top = common[0] if common else a
    return Candidate(view.tokens[top].sent, top, (top,), source, target, "pair", "pair")
