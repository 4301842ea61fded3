"""Features of an event candidate: named functions of the parse, the lexicon and the CAMEO verbs.

Why these: a PLOVER type is mostly told by the predicate and what hangs from it (particle,
preposition, object: "call for", "carry out an attack", "held talks"), by how the actors are
bound (subject, by-agent, with-phrase, possessor), by cues of negation and modality, and by the
words of the clause ("unacceptable" inside what a minister said). The shipped lexicon and the
CAMEO 2.0 verb dictionary contribute their reading of the predicate as features, so the model
learns how far to trust them. Every feature is a string; the classifier weighs them.
"""

from __future__ import annotations

from kronika.events.candidates import Candidate
from kronika.events.lexicon import Lexicon
from kronika.events.syntax import OBJ, DocView

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "PROPN", "ADV"})
MAX_PATH = 4


def candidate_features(view: DocView, c: Candidate, lex: Lexicon, cameo: tuple[str | None, str | None]) -> list[str]:
    """The feature strings of one candidate (``cameo``: the PLOVER types of the CAMEO verb
    dictionary's base code for the predicate and of its longest matching pattern)."""
    t = view.tokens[c.trigger]
    lem = view.lemmas[c.trigger]
    f = [f"frame={c.frame}", f"lem={lem}", f"pos={t.pos}", f"lem|frame={lem}|{c.frame}", f"how={c.how}",
         f"dep={t.dep}", f"tag={t.tag}"]
    f += _lexicon(c, lex, cameo, lem)
    f += _dependents(view, c, lem)
    f += _governor(view, c)
    f += _modality(view, c.trigger, lex)
    f += _sides(view, c)
    f += _clause_words(view, c)
    return f


def _lexicon(c: Candidate, lex: Lexicon, cameo: tuple[str | None, str | None], lem: str) -> list[str]:
    out = []
    if c.lex is not None:
        out += [f"lex={c.lex.type}", f"lexmode={c.lex.type}|{c.lex.mode}", f"lexcameo={c.lex.cameo[:2]}"]
    else:
        out.append("lex=none")
    out += [f"cameo={cameo[0] or 'none'}", f"cameopat={cameo[1] or 'none'}"]
    if lem in lex.evaluative:
        out.append(f"evaluative={lex.evaluative[lem].type}")
    return out


def _dependents(view: DocView, c: Candidate, lem: str) -> list[str]:
    out = []
    for k in view.kids[c.trigger]:
        kt = view.tokens[k]
        kl = view.lemmas[k]
        if kt.dep in ("prt", "prep", "agent"):
            out += [f"kid={kt.dep}:{kl}", f"lem|kid={lem}|{kl}"]
        elif kt.dep in OBJ or kt.dep in ("attr", "nsubjpass", "acomp"):
            out += [f"obj={kl}", f"lem|obj={lem}|{kl}"]
            out += [f"objmod={view.lemmas[m]}" for m in view.dep_kids(k, {"compound", "amod"})]
        elif kt.dep in ("xcomp", "ccomp"):
            out += [f"{kt.dep}={kl}", f"lem|{kt.dep}={lem}|{kl}"]
        elif kt.dep in ("neg",):
            out.append("neg")
    if c.obj is not None:
        out.append(f"light={lem}|{view.lemmas[c.obj]}")
    return out


def _governor(view: DocView, c: Candidate) -> list[str]:
    """The predicate's head: "refused to meet", "agreed to withdraw", "accused X of attacking"."""
    t = view.tokens[c.trigger]
    if t.head == t.i:
        return ["root"]
    h = view.tokens[t.head]
    hl = view.lemmas[t.head]
    out = [f"head={hl}", f"head|dep={hl}|{t.dep}"]
    if t.dep in ("pobj", "pcomp") and h.head != h.i:
        out.append(f"head2={view.lemmas[h.head]}|{hl}")
    return out


def _modality(view: DocView, p: int, lex: Lexicon) -> list[str]:
    out = []
    planned = lex.words.get("planned_aux", frozenset())
    hypo = lex.words.get("hypothetical_aux", frozenset())
    for a in view.dep_kids(p, {"aux", "auxpass", "neg"}):
        al = view.lemmas[a]
        if view.tokens[a].dep == "neg":
            out.append("neg")
        elif al in planned:
            out.append("aux=planned")
        elif al in hypo:
            out.append(f"aux={al}")
    return out


def _role(view: DocView, m_tok: int, p: int) -> str:
    """How an actor's head token hangs from the predicate: up to MAX_PATH dependency labels."""
    path: list[str] = []
    cur = m_tok
    for _ in range(MAX_PATH):
        t = view.tokens[cur]
        if cur == p or t.head == cur:
            break
        label = t.dep if t.dep != "pobj" else f"pobj:{view.lemmas[t.head]}"
        path.append(label)
        cur = t.head
    if cur != p:
        path.append("far")
    return ">".join(path[-2:]) or "self"


def _side_feats(view: DocView, side: tuple, p: int, name: str, lem: str) -> list[str]:
    if not side:
        return [f"{name}=none", f"{name}none|{lem}"]
    m = side[0]
    role = _role(view, m.head_token, p)
    out = [f"{name}=yes", f"{name}role={role}", f"{name}role|lem={role}|{lem}",
           f"{name}kind={m.kind}", f"{name}sector={m.sector or '-'}"]
    if len(side) > 1:
        out.append(f"{name}=many")
    return out


def _sides(view: DocView, c: Candidate) -> list[str]:
    lem = view.lemmas[c.trigger]
    out = _side_feats(view, c.source, c.trigger, "src", lem) + _side_feats(view, c.target, c.trigger, "tgt", lem)
    sc = {m.country for m in c.source if m.country}
    tc = {m.country for m in c.target if m.country}
    if sc and tc:
        out.append("same_country" if sc & tc else "two_countries")
    return out


def _clause_words(view: DocView, c: Candidate) -> list[str]:
    """Content words of the predicate's own clause (not crossing into another clause), and of
    the sentence: the context that tells "struck a deal" from "struck a village"."""
    local = view.local_subtree(c.trigger)
    words = {view.lemmas[j] for j in local if view.tokens[j].pos in CONTENT_POS and j != c.trigger}
    out = [f"cw={w}" for w in sorted(words)]
    out += [f for w, f in _sentence_words(view, c.sentence) if w not in words]
    return out


def _sentence_words(view: DocView, si: int) -> list[tuple[str, str]]:
    """The sentence's content lemmas in order, each with its feature (read once per sentence,
    not once per candidate)."""
    def read() -> list[tuple[str, str]]:
        s = view.doc.sentences[si]
        sent = {view.lemmas[j] for j in range(s.token_start, s.token_end) if view.tokens[j].pos in CONTENT_POS}
        return [(w, f"sw={w}") for w in sorted(sent)]

    return view.recall(("sentence_words", si), read)
