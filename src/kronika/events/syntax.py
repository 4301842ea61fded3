"""Dependency-parse views the coder reads: children, actors bound to a phrase, subjects.

Why a per-document view: the ``ParsedDoc`` keeps heads only; the coder asks for children and
for "which actors does this noun phrase name" many times per sentence, so the view builds
those indexes once per call (linear in the document) and never outlives the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from kronika.events.lexicon import Lexicon
from kronika.model import ActorMention, ParsedDoc, Token
from kronika.resources import word_set

SUBJ = frozenset({"nsubj", "csubj"})
OBJ = frozenset({"dobj", "dative", "obj", "iobj"})
# Prepositions whose phrase names a predicate's target, of a verb and of an event noun (data:
# english/prepositions.yaml, with the reasons).
TARGET_PREPS = word_set("english/prepositions.yaml", "verb_target")
NOUN_TARGET_PREPS = word_set("english/prepositions.yaml", "noun_target")
XCOMP_TARGET_PREPS = word_set("english/prepositions.yaml", "xcomp_target")
VENUE_PREPS = word_set("english/prepositions.yaml", "venue")
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
PRONOUNS = word_set("english/pronouns.yaml", "personal")
# Actor mentions the coder does not take as an event's participant: a possessive pronoun
# ("his", "its", "their") that the actor stage resolved. The possessor of an event noun or of
# another party ("his captors") is a weak sign of who acted; measured on the training data's
# held-out folds, taking them cost candidate F1 0.380 -> 0.357 (docs/events.md). The actor
# stage still reports them (entities, coreference).
NOT_PARTICIPANT_TAGS = frozenset({"PRP$"})
T = TypeVar("T")


class DocView:
    """Children lists and the token → actor mention index of one parsed document."""

    def __init__(self, doc: ParsedDoc, actors: tuple[ActorMention, ...]) -> None:
        self.doc = doc
        self.tokens = doc.tokens
        kids: list[list[int]] = [[] for _ in doc.tokens]
        for t in doc.tokens:
            if t.head != t.i:
                kids[t.head].append(t.i)
        self.kids = kids
        self.deps = [t.dep for t in doc.tokens]
        self.lemmas = [t.lemma.lower() for t in doc.tokens]
        self.lower = [t.text.lower() for t in doc.tokens]  # word forms, as verb patterns read them
        self.verbal = [is_verb(t) for t in doc.tokens]
        self._intervals: tuple[list[int], list[int], list[int], list[int]] | None = None  # on first use
        # Readings of the parse that several passes ask for with the same arguments (the rule
        # coder's and the proposer's sides of one verb, a sentence's content words for each of
        # its candidates), kept for this view's life: one coder call on one document.
        self._memo: dict[tuple[object, ...], object] = {}
        self.actor_at: dict[int, ActorMention] = {}
        # every participant mention of a span: a phrase the actor stage resolved to several
        # actors ("the two countries", "both sides") holds one mention per actor (``whole``)
        self._spans: dict[tuple[int, int], tuple[ActorMention, ...]] = {}
        self.named: list[ActorMention] = []  # participants in text order, pronouns left out
        for m in sorted(actors, key=lambda a: a.end - a.start):
            first, last = doc.token_at(m.start), doc.token_at(max(m.start, m.end - 1))
            if first is None or last is None or (first == last and doc.tokens[first].tag in NOT_PARTICIPANT_TAGS):
                continue
            for i in range(first, last + 1):
                self.actor_at.setdefault(i, m)
            self._spans[(m.start, m.end)] = (*self._spans.get((m.start, m.end), ()), m)
            if not (first == last and doc.tokens[first].pos == "PRON"):
                self.named.append(m)
        self.named.sort(key=lambda m: m.start)

    def recall(self, key: tuple[object, ...], read: Callable[[], T]) -> T:
        """``read()``, computed once per ``key`` for this view's life (``_memo``)."""
        if key not in self._memo:
            self._memo[key] = read()
        return self._memo[key]  # type: ignore[return-value]

    def lemma(self, i: int) -> str:
        return self.lemmas[i]

    def dep_kids(self, i: int, deps: frozenset[str] | set[str]) -> list[int]:
        own = self.deps
        return [c for c in self.kids[i] if own[c] in deps]

    def pobjs(self, prep: int) -> list[int]:
        return [c for c in self.kids[prep] if self.tokens[c].dep in ("pobj", "pcomp")]

    def _tree(self) -> tuple[list[int], list[int], list[int], list[int]]:
        if self._intervals is None:  # built lazily: many documents never need it
            self._intervals = _tree_intervals(self.kids, [t.head for t in self.tokens])
        return self._intervals

    def within(self, j: int, i: int) -> bool:
        """Is ``j`` in the subtree of ``i`` (``i`` included)? O(1), from one tree walk: the
        coder asks this for every pair of clause and predicate, which a subtree scan would make
        quadratic on long sentences."""
        tin, tout, _, _ = self._tree()
        return tin[i] <= tin[j] and tout[j] <= tout[i]

    def edges(self, i: int) -> tuple[int, int]:
        """First and last token of the subtree of ``i``."""
        _, _, left, right = self._tree()
        return left[i], right[i]

    def local_subtree(self, i: int) -> list[int]:
        """Tokens below ``i`` reached without passing through another verb (a verb below is
        included, its own dependents are not): the phrase of ``i`` short of embedded clauses."""
        out, stack = [i], list(self.kids[i])
        while stack:
            j = stack.pop()
            out.append(j)
            if not self.verbal[j]:
                stack.extend(self.kids[j])
        return out

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.kids[j])
        return out

    def path_to(self, i: int, top: int) -> list[int] | None:
        """Tokens strictly between ``i`` and its ancestor ``top`` (None if not an ancestor)."""
        path: list[int] = []
        cur = i
        seen = {i}
        while cur != top:
            t = self.tokens[cur]
            if t.head == cur or t.head in seen:
                return None
            cur = t.head
            seen.add(cur)
            if cur != top:
                path.append(cur)
        return path

    # ---------------------------------------------------------------- actors of phrases

    def np_actors(self, i: int, depth: int = 0) -> list[ActorMention]:
        """Actors a noun phrase headed by ``i`` names: itself, its modifiers ("Japanese side",
        "Japan's plan"), "ministers of X and Y", and its conjuncts."""
        out: list[ActorMention] = []
        own = self.actor_at.get(i)
        if own is not None:
            # every actor of that phrase: "the two neighbours" is one mention per country
            out.extend(self.whole(own))
        for c in self.kids[i]:
            t = self.tokens[c]
            if t.dep in ("compound", "amod", "poss", "nmod", "npadvmod"):
                if t.dep == "compound" and depth < 3:  # "Lavrov-Kono meeting": a chain
                    out.extend(m for m in self.np_actors(c, depth + 1) if m is not own)
                    continue
                m = self.actor_at.get(c)
                if m is not None and m is not own:
                    out.append(m)
                    for cc in self.dep_kids(c, {"conj"}):  # "Hungarian and Romanian officials"
                        out.extend(self.np_actors(cc, depth + 1))
            elif t.dep == "prep" and t.lemma.lower() in ("of", "from") and own is None and depth < 2:
                for p in self.pobjs(c):
                    out.extend(self.np_actors(p, depth + 1))
            elif t.dep in ("conj", "appos") and depth < 4:
                out.extend(self.np_actors(c, depth + 1))
        return _unique(out)

    def first_actor_below(self, i: int, exclude: tuple[ActorMention, ...]) -> list[ActorMention]:
        """The first actor inside a phrase, not crossing into a clause ("rejected calls by X",
        "dismissed an appeal from X"): the fallback target of a predicate."""
        best: tuple[int, ActorMention] | None = None
        for j in self.local_subtree(i):
            m = self.actor_at.get(j)
            if m is None or m in exclude or any(m is x for x in exclude):
                continue
            if best is None or j < best[0]:
                best = (j, m)
        return list(self.whole(best[1])) if best else []

    def whole(self, m: ActorMention) -> tuple[ActorMention, ...]:
        """Every actor of the phrase ``m`` stands for: "the two neighbours" is one mention per
        country at one span, and a side that takes the phrase takes all of them."""
        same = self._spans.get((m.start, m.end), ())
        return same if m in same else (m,)

    def has_reciprocal_object(self, p: int, lex: Lexicon) -> bool:
        """Does predicate ``p`` take "each other" / "one another" as its object, directly or
        through a preposition ("accused each other", "clashed with one another")?"""
        pairs = {tuple(w.split()) for w in lex.words.get("reciprocal_pronouns", frozenset())}
        objs = self.dep_kids(p, {"dobj", "dative"})
        objs += [o for prep in self.dep_kids(p, {"prep"}) for o in self.pobjs(prep)]
        for o in objs:
            for k in self.kids[o]:
                a, b = self.tokens[k], self.tokens[o]
                if (a.text.lower(), b.text.lower()) in pairs or (b.text.lower(), a.text.lower()) in pairs:
                    return True
        return False

    def unbound_object(self, p: int) -> tuple[int, int] | None:
        """The first and last token of predicate ``p``'s object (or passive subject) when it is
        a noun phrase no actor mention covers ("police arrested two suspects", "the station
        was raided"); None otherwise."""
        for o in self.dep_kids(p, OBJ | {"nsubjpass"}):
            t = self.tokens[o]
            if t.pos not in ("NOUN", "PROPN") or o in self.actor_at:
                continue
            first, _ = self.edges(o)
            if any(i in self.actor_at for i in range(first, o + 1)):
                continue
            return first, o
        return None

    def has_between_parties(self, p: int, lex: Lexicon) -> bool:
        """Does predicate ``p``, or its subject ("fighting between X and Y escalated"), name
        the parties in a reciprocal preposition's coordinated object ("fighting between
        Georgian forces and separatist units")?"""
        preps = lex.words.get("reciprocal_preps", frozenset())
        return any(self.tokens[prep].text.lower() in preps and any(self.dep_kids(o, {"conj"}) for o in self.pobjs(prep))
                   for head in (p, *self.dep_kids(p, SUBJ)) for prep in self.dep_kids(head, {"prep"}))

    def is_generic_parties(self, i: int, lex: Lexicon) -> bool:
        """"the two countries", "both sides": a plural standing for the two main parties."""
        t = self.tokens[i]
        if self.lemma(i) not in lex.words.get("generic_parties", frozenset()):
            return False
        quant = lex.words.get("generic_quantifiers", frozenset())
        return any(self.lemma(c) in quant for c in self.kids[i]) and "Plur" in t.morph

    def speaker_of(self, i: int, lex: Lexicon) -> tuple[int, list[ActorMention]] | None:
        """The speech verb whose complement holds ``i`` and the actors of its subject."""
        speech = lex.words.get("speech_verbs", frozenset())
        prev = i
        for anc in self.doc.ancestors(i):
            if anc.lemma.lower() in speech and anc.pos in ("VERB", "AUX") and \
                    self.tokens[prev].dep in ("ccomp", "xcomp", "parataxis", "conj", "advcl"):
                return anc.i, self.subject_actors_of(anc.i)
            prev = anc.i
        return None

    def subject_actors_of(self, v: int) -> list[ActorMention]:
        """Actors of a verb's own subject; through a participle the parser took for the
        subject ("The Red Cross operating in Iraq said")."""
        subj = self.dep_kids(v, SUBJ)
        if not subj:
            return []
        found = self.np_actors(subj[0])
        if not found and is_verb(self.tokens[subj[0]]):
            inner = self.dep_kids(subj[0], SUBJ)
            found = self.np_actors(inner[0]) if inner else []
        return found

    def matrix_actors(self, p: int) -> list[ActorMention]:
        """Actors of the nearest governing clause's subject: what "it", "they", "its troops"
        in a complement clause most often refer to ("X denied that its troops attacked")."""
        for anc in self.doc.ancestors(p):
            if self.verbal[anc.i]:
                found = self.subject_actors_of(anc.i)
                if found:
                    return found
        return []

    def clause_subject(self, p: int, agents: frozenset[str] = frozenset()) -> int | None:
        """The subject token of predicate ``p``, inherited through control and coordination.

        ``agents``: lemmas of nouns that can act ("soldier"): such a noun modified by a
        participle is that participle's subject ("a video showing a soldier shooting at ...").
        """
        cur = p
        for _ in range(4):
            # Above the predicate a passive subject is the controller ("X is expected to meet").
            subj = self.dep_kids(cur, SUBJ if cur == p else SUBJ | {"nsubjpass"})
            if subj:
                return self._main_subject(subj, cur)
            t = self.tokens[cur]
            if t.dep in ("advcl", "acl") and t.tag == "VBN":  # "Although widely hailed as ...",
                return None  # "others injured in the attack": a passive participle has no agent here
            if t.dep == "advcl" and t.tag in FINITE_TAGS and not self.dep_kids(cur, {"aux"}):
                return None  # "..., after the candidate pulled out": a finite clause of its own
            if t.dep == "acl" and t.tag == "VBG" and (
                    self.lemmas[t.head] in agents or t.head in self.actor_at):
                return t.head  # "a soldier shooting at ...": the noun is the agent
            if t.dep == "relcl" and any(self.tokens[c].tag in ("WDT", "WP") for c in self.kids[cur]):
                return t.head
            if t.dep == "xcomp":
                objs = self.dep_kids(t.head, OBJ)
                if objs and self._can_act(objs[0], agents):  # object control: "urged X to leave"
                    return objs[0]
            if t.dep not in ("xcomp", "conj", "advcl", "acl", "pcomp", "acomp") or t.head == cur:
                return None
            cur = t.head
            if t.dep == "acl" and self.tokens[cur].dep == "dobj":  # "issued a statement condemning"
                cur = self.tokens[cur].head
            if t.dep == "pcomp" and not is_verb(self.tokens[cur]):  # "resorted to throwing"
                cur = self.tokens[cur].head
                objs = self.dep_kids(cur, OBJ)
                if objs:  # object control: "blamed X for conducting", "accused X of attacking"
                    return objs[0]
        return None

    def _can_act(self, i: int, agents: frozenset[str]) -> bool:
        """Whether object ``i`` can control an infinitive. Why: "urged Israel to withdraw" makes
        Israel the one who withdraws, but in "police used tear gas to disperse the crowd" or
        "the army deployed tanks to crush …" the object is an instrument and the subject
        disperses. An actor, a name, a pronoun or a noun that can act is a controller; any other
        noun leaves control to the subject."""
        t = self.tokens[i]
        return i in self.actor_at or t.pos in ("PROPN", "PRON") or self.lemmas[i] in agents

    def _main_subject(self, subjects: list[int], verb: int) -> int:
        """Of several subjects the parser attached (a dateline "Somalia On Sunday, bombers
        killed"; "X, a body linked to Y, investigated"), the one nearest before the verb
        that is not an apposition set off by a comma."""
        if len(subjects) == 1:
            return subjects[0]
        own = [s for s in subjects if s < verb and not self._set_off(s)]
        return max(own) if own else subjects[0]

    def _set_off(self, i: int) -> bool:
        """Is the phrase of ``i`` between commas (an apposition)?"""
        first, last = self.edges(i)
        closed = self.tokens[last].text == "," or (last + 1 < len(self.tokens) and self.tokens[last + 1].text == ",")
        return first > 0 and self.tokens[first - 1].text == "," and closed

    def preverbal_actors(self, p: int) -> list[ActorMention]:
        """Actors before a subjectless predicate, attached to it through a preposition only
        (a parse that made "On Friday X and Y will meet" a prepositional phrase)."""
        out: list[ActorMention] = []
        for c in self.kids[p]:
            if c < p and self.tokens[c].dep == "prep":
                for o in self.pobjs(c):
                    out.extend(self.np_actors(o))
        return _unique(out)


def _unique(items: list[ActorMention]) -> list[ActorMention]:
    seen: set[int] = set()
    out = []
    for m in items:
        if id(m) not in seen:
            seen.add(id(m))
            out.append(m)
    return out


def is_verb(t: Token) -> bool:
    return t.pos in ("VERB", "AUX") or t.tag.startswith("VB")


def _tree_intervals(kids: list[list[int]], heads: list[int]) -> tuple[list[int], list[int], list[int], list[int]]:
    """Entry/exit times of a depth-first walk, and each subtree's first and last token."""
    n = len(heads)
    tin, tout, left, right = [0] * n, [0] * n, list(range(n)), list(range(n))
    clock = 0
    order: list[int] = []  # pre-order; reversed, every child comes before its head
    for root in (i for i in range(n) if heads[i] == i or not 0 <= heads[i] < n):
        stack = [root]
        while stack:
            i = stack.pop()
            tin[i] = clock
            clock += 1
            order.append(i)
            stack.extend(kids[i])
    size = [1] * n
    for i in reversed(order):
        for c in kids[i]:
            size[i] += size[c]
            if left[c] < left[i]:
                left[i] = left[c]
            if right[c] > right[i]:
                right[i] = right[c]
    for i in range(n):
        tout[i] = tin[i] + size[i]  # j is below i iff tin[i] <= tin[j] < tin[i] + size[i]
    return tin, tout, left, right
