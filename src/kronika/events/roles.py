"""Who is the source and who the target of a predicate: a learned argument-role model.

Why: on news the coder was never tuned on, most missed events had a candidate on the right
sentence whose *sides* were wrong — the gold source was a mention of the sentence that the
syntax rules did not bind ("…, Turkey's foreign minister told reporters", passives, chains of
clauses), or the rules bound the wrong one. Those rules were written against a few sentences;
a model trained on marked sources and targets (PLV's ``<s>``/``<t>`` spans, the silver
sentences' sources and targets) learns the dependency geometry instead.

Every actor mention of a candidate's sentence is scored SOURCE / TARGET / NONE from how it
hangs from the predicate (the dependency path through their lowest common ancestor, with
preposition words), where it stands (before/after, distance, clauses between), what it is
(person, country, organisation, place), and what the syntax rules said of it. The decision
keeps the rules' source and fills a missing one; it replaces the rules' target when the model's
mention is more probable than every mention the rules chose (``pick``, ``FLOOR``).

The same probabilities say how sure the sides are (``sides_score``): a record's confidence is
the chance that the *record* is right, its sides included, not just its type.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from kronika.events.candidates import Candidate
from kronika.events.classifier import EventModel
from kronika.events.syntax import DocView
from kronika.model import ActorMention

SOURCE, TARGET, NO_ROLE = "SOURCE", "TARGET", "NONE"
MAX_LEG = 4  # dependency steps kept on each leg of a path; longer legs read as "far"
# Steps walked up from each token to find the lowest common ancestor: bounds the cost on
# pathological parses (a 10,000-token chain); real sentences' legs are far shorter.
MAX_WALK = 24
# Tokens either side of a predicate searched for its sides: a news sentence is rarely longer,
# and the bound keeps a pathological one (10,000 tokens, hundreds of events) linear.
ROLE_WINDOW = 60


def sentence_mentions(view: DocView, si: int, near: int | None = None) -> list[ActorMention]:
    """The distinct actor mentions of sentence ``si``, in text order; with ``near`` (a
    predicate token), only those within ``ROLE_WINDOW`` tokens of it."""
    s = view.doc.sentences[si]
    lo, hi = s.token_start, s.token_end
    if near is not None:
        lo, hi = max(lo, near - ROLE_WINDOW), min(hi, near + ROLE_WINDOW + 1)
    seen: dict[int, ActorMention] = {}
    for i in range(lo, hi):
        m = view.actor_at.get(i)
        if m is not None:
            seen.setdefault(id(m), m)
    return sorted(seen.values(), key=lambda m: m.start)


def _chain(view: DocView, start: int) -> dict[int, int]:
    """``start`` and its ancestors, each with its number of steps up (at most ``MAX_WALK``)."""
    out = {start: 0}
    cur = start
    for k in range(1, MAX_WALK + 1):
        head = view.tokens[cur].head
        if head == cur or head in out:
            break
        out[head] = k
        cur = head
    return out


def _leg(view: DocView, start: int, stop: int) -> tuple[list[str], int]:
    """Dependency labels from ``start`` up to (not including) ``stop``; prepositions carry
    their word ("pobj<against"). Returns the labels and the number of verbs crossed."""
    out: list[str] = []
    verbs = 0
    cur = start
    while cur != stop:
        t = view.tokens[cur]
        if t.head == cur:
            break
        out.append(f"pobj<{view.lemmas[t.head]}" if t.dep == "pobj" else t.dep)
        cur = t.head
        if cur != stop and view.verbal[cur]:
            verbs += 1
    return out, verbs


def _path(view: DocView, m_tok: int, p: int, up_p: dict[int, int]) -> tuple[str, str, int, bool]:
    """The mention→LCA and predicate→LCA legs (each at most ``MAX_LEG`` labels), the verbs
    crossed, and whether the lowest common ancestor was found within ``MAX_WALK`` steps of
    both (``up_p``: the predicate's ``_chain``; a sentence parse can also be a forest)."""
    lca = next((i for i in _chain(view, m_tok) if i in up_p), None)
    if lca is None:
        return "far", "far", 0, False
    a, va = _leg(view, m_tok, lca)
    b, vb = _leg(view, p, lca)
    la = ">".join(a[:MAX_LEG]) + (">far" if len(a) > MAX_LEG else "")
    lb = ">".join(b[:MAX_LEG]) + (">far" if len(b) > MAX_LEG else "")
    return la or "self", lb or "self", va + vb, True


def _bucket(n: int) -> str:
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


def role_features(view: DocView, c: Candidate, m: ActorMention, order: int,
                  up_p: dict[int, int] | None = None,
                  sides: tuple[frozenset[ActorMention], frozenset[ActorMention]] | None = None) -> list[str]:
    """Features of mention ``m`` as a side of candidate ``c`` (``order``: the mention's rank
    in its sentence; ``up_p``, ``sides``: the predicate's ancestor chain and the parse's
    sides as sets, when a caller scoring many mentions computed them once)."""
    p = c.trigger
    if sides is None:
        sides = (frozenset(c.source), frozenset(c.target))
    lem = view.lemmas[p]
    up, down, verbs, tree = _path(view, m.head_token, p, _chain(view, p) if up_p is None else up_p)
    first_up = up.split(">", 1)[0]
    syn = "source" if m in sides[0] else "target" if m in sides[1] else "none"
    before = m.end <= view.tokens[p].start
    dist = abs(m.head_token - p)
    out = [
        f"rp={up}|{down}", f"rup={up}", f"rdown={down}", f"rfirst={first_up}", f"rlem={lem}|{first_up}",
        f"rdir={'before' if before else 'after'}", f"rdist={_bucket(dist)}", f"rverbs={_bucket(verbs)}",
        f"rkind={m.kind}", f"rsyn={syn}", f"rsynf={syn}|{c.frame}", f"rframe={c.frame}|{first_up}",
        f"rorder={min(order, 3)}", f"rdirkind={'b' if before else 'a'}|{m.kind}",
        f"rsector={m.sector or '-'}",
    ]
    mine = {x.country for x in sides[0] if x.country}
    if m.country and m not in sides[0]:
        out.append(f"rsamesrc={'yes' if m.country in mine else 'no' if mine else 'nosrc'}")
    out.append(f"rcountry={'yes' if m.country else 'no'}")
    out.append(f"rlemp={lem}|{up}|{down}")
    out.append(f"rmdep={view.tokens[m.head_token].dep}")
    if not tree:
        out.append("rtree=no")
    if c.lex is not None:
        out.append(f"rtype={c.lex.type}|{first_up}")
    if down == "self":
        out.append(f"runder={up}")  # the mention hangs below the predicate itself
    return out


@dataclass(frozen=True)
class RoleChoice:
    """The sides after the role model, and whether it changed either."""

    source: tuple[ActorMention, ...]
    target: tuple[ActorMention, ...]
    changed: bool
    score: float | None = None  # ``sides_score`` of the chosen sides; None without mentions


# How each side is revised, chosen on the training data's held-out folds (the card reports
# both): a source the rules found stands (the model only fills a missing one); a target the
# model prefers with higher probability than the rules' replaces it.
FILL_ONLY = {SOURCE: True, TARGET: False}
# A mention is the model's candidate for a role when the model labels it that role or, for a
# target, when its TARGET probability reaches this floor although NONE is more probable:
# events have targets more often than a per-mention argmax says. Chosen on the held-out
# folds: targets right 0.754 at argmax, 0.770 / 0.775 / 0.776 / 0.772 at floors 0.2 / 0.15 /
# 0.1 / 0.05 (sources unchanged).
FLOOR = {SOURCE: None, TARGET: 0.1}


def role_rows(view: DocView, c: Candidate) -> tuple[list[ActorMention], list[list[str]]]:
    """The mentions of ``c``'s sentence and a feature row for each."""
    ments = sentence_mentions(view, c.sentence, c.trigger)
    up_p = _chain(view, c.trigger)
    sides = (frozenset(c.source), frozenset(c.target))
    at = view.tokens[c.trigger].start
    after = [m for m in ments if m.end > at]
    before = [m for m in ments if m.end <= at][::-1]  # nearest first
    rank = {id(m): f"{tag}{min(k, 2)}" for tag, side in (("b", before), ("a", after)) for k, m in enumerate(side)}
    return ments, [[*role_features(view, c, m, k, up_p, sides), f"rnear={rank[id(m)]}"] for k, m in enumerate(ments)]


def choose_sides(model: EventModel, view: DocView, c: Candidate) -> RoleChoice:
    """The candidate's sides, revised by the role model (see the module docstring)."""
    return choose_sides_many(model, view, [c])[0]


def choose_sides_many(model: EventModel, view: DocView, cands: Sequence[Candidate],
                      barred: Sequence[Callable[[ActorMention], bool]] | None = None) -> list[RoleChoice]:
    """``choose_sides`` of each candidate, with one model call for all their mentions' rows
    (a document's events at once: per-candidate calls were mostly numpy overhead). Each row's
    probabilities do not depend on the other rows, so the choices are the same.
    ``barred``: per candidate, the mentions that cannot be its target (a venue, ``coder``);
    when the model's target is one, the parse's target stands: the model has said the event
    is aimed at where it happened, so its next guess is no better informed."""
    built = [role_rows(view, c) for c in cands]
    rows = [r for _, rs in built for r in rs]
    probs = model.predict_proba(rows) if rows else np.zeros((0, len(model.labels)))
    out: list[RoleChoice] = []
    at = 0
    for c, (ments, _) in zip(cands, built, strict=True):
        no = barred[len(out)] if barred is not None else None
        out.append(_choose(model, view, c, ments, probs[at:at + len(ments)],
                           [no(m) for m in ments] if no is not None else None))
        at += len(ments)
    return out


def _choose(model: EventModel, view: DocView, c: Candidate, ments: list[ActorMention],
            probs: np.ndarray, barred: list[bool] | None = None) -> RoleChoice:
    if not ments:
        return RoleChoice(c.source, c.target, False)
    rule_src, rule_tgt = frozenset(c.source), frozenset(c.target)
    pick_s = pick(probs, model.labels, [m in rule_src for m in ments], SOURCE, has_rules=bool(c.source))
    src = c.source if pick_s is None else view.whole(ments[pick_s])
    chosen = frozenset(src)
    taken = [m in chosen for m in ments]
    pick_t = pick(probs, model.labels, [m in rule_tgt for m in ments], TARGET, taken, has_rules=bool(c.target))
    if pick_t is not None and barred and barred[pick_t]:
        pick_t = None  # the model's target is where it happened: no party (not the next best guess)
    tgt = c.target if pick_t is None else view.whole(ments[pick_t])
    score = sides_score(probs, model.labels, [m in chosen for m in ments], [m in frozenset(tgt) for m in ments])
    return RoleChoice(src, tgt, src != c.source or tgt != c.target, score)


def sides_score(probs: np.ndarray, labels: Sequence[str], source: Sequence[bool], target: Sequence[bool]) -> float:
    """How sure the model is of the chosen sides: per side, the highest probability of that role
    among the mentions chosen for it, or, for a side with no mention of the sentence (none, or
    one from the context), the chance that no mention of the sentence has that role; the product
    of both. Why: an event with the right type and a wrong target is a wrong record. On held-out
    training folds this score ranks right sides (both) above wrong ones with AUC 0.75, and the
    trainer maps it to a probability (``sides_map`` in the role model's card)."""
    out = 1.0
    for role, chosen in ((SOURCE, source), (TARGET, target)):
        if role not in labels:
            continue
        col = list(labels).index(role)
        on = [float(probs[r, col]) for r in range(len(probs)) if chosen[r]]
        # a target's rivals exclude the source's mentions: one mention is never both sides
        free = [float(probs[r, col]) for r in range(len(probs)) if not (role == TARGET and source[r])]
        out *= max(on) if on else 1.0 - max(free, default=0.0)
    return out


def pick(probs: np.ndarray, labels: Sequence[str], ruled: Sequence[bool], role: str,
         taken: Sequence[bool] = (), has_rules: bool | None = None) -> int | None:
    """The row to take as ``role`` in place of the rules' side, or None to keep the rules'.

    The model's candidate is the mention it labels ``role`` most probably, or whose ``role``
    probability reaches ``FLOOR`` (a mention already on the other side is skipped). It replaces the rules' side only when the rules found
    none, or (where the role is not fill-only) when it is more probable than every mention
    the rules chose. ``has_rules``: the rules found a side (perhaps outside the sentence);
    default: one of ``ruled``."""
    if role not in labels:
        return None
    col = list(labels).index(role)
    best, best_p = None, -1.0
    for r in range(len(probs)):
        if taken and taken[r]:
            continue
        floor = FLOOR[role]
        if (int(probs[r].argmax()) == col or (floor is not None and probs[r, col] >= floor)) and probs[r, col] > best_p:
            best, best_p = r, float(probs[r, col])
    if best is None or ruled[best]:
        return None
    if any(ruled) or has_rules:
        if FILL_ONLY[role] or not any(ruled):
            return None
        if best_p <= max(float(probs[r, col]) for r in range(len(probs)) if ruled[r]):
            return None
    return best
