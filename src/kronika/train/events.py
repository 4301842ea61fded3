"""Training the event classifier: labelled sentences → candidates → features → model.

Why through the real pipeline: the model must learn from the candidates and features it will
see at coding time, so every training sentence goes through the same parser, time tagger,
actor resolver and candidate proposer as an article being coded. Labels attach to candidates:

* sentence-complete data: a candidate whose trigger lies in the gold trigger and whose source
  fits the gold source (same span or same country) takes the gold type; every other candidate
  is NONE;
* pair-labelled data: the candidate binding the marked source and target takes the label (the
  marked spans are added as actor mentions where the actor stage found none); when no
  predicate binds the pair, the lowest verb governing both does (``pair_candidate``).

``cross_validate`` gives held-out predictions by document-grouped folds; the temperature and
the decision threshold are fitted on those, never on the evaluation sets.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from kronika.actors import ActorResolver
from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.evaluate.events import GoldActor, gold_actor_mentions
from kronika.events import EventCoder
from kronika.events.candidates import Candidate, pair_candidate
from kronika.events.classifier import (
    NONE,
    EventModel,
    Recipe,
    augment,
    emission,
    expected_calibration_error,
    fit_linear,
    fit_temperature,
    reliability_table,
    softmax,
)
from kronika.events.roles import NO_ROLE, SOURCE, TARGET, pick, role_rows, sides_score
from kronika.events.sides import main_parties, with_places
from kronika.events.syntax import DocView
from kronika.geo import EventLocator, Geoparser
from kronika.model import SYMMETRIC_TYPES, ActorMention, Article, Event, ParsedDoc
from kronika.nlp import SpacyParser
from kronika.time import TimeTagger
from kronika.train.sources import GoldEvent, LabelledDoc

SYMMETRIC = frozenset({"CONSULT", "AGREE", "COOPERATE"})
YIELD_TYPES = ("RETREAT", "CONCEDE")  # PLOVER 0.5b1 YIELD: RETREAT when the predicate reads so


@dataclass(frozen=True, slots=True)
class Example:
    """One candidate with its features and label (NONE: no event)."""

    features: tuple[str, ...]
    label: str
    group: str  # the document: folds never split one
    pair: bool = False  # the labelled candidate of a pair-labelled sentence
    trigger: str = ""  # the predicate's lemma (for nouns seen as triggers)
    noun: bool = False
    weak: bool = False  # from a document-level label
    mode: str | None = None  # the PLOVER mode, where the source labels modes
    has_mode: bool = False  # the source labels modes (None then means "no mode")
    domain: str = "news"  # the kind of text it comes from (``LabelledDoc.domain``)


@dataclass
class Corpus:
    """Examples, plus per pair-labelled sentence its end-to-end candidates (system actors
    only) for the end-to-end score."""

    examples: list[Example] = field(default_factory=list)
    e2e: dict[str, tuple[str, list[tuple[str, ...]]]] = field(default_factory=dict)  # group → (gold, rows)
    roles: list[RoleExample] = field(default_factory=list)  # mentions of labelled predicates


@dataclass(frozen=True, slots=True)
class Analysed:
    """A labelled document through the stages before the coder."""

    doc: ParsedDoc
    labelled: LabelledDoc
    offsets: list[int]  # where each labelled sentence starts in the joined text
    mentions: tuple[ActorMention, ...]  # actors and uncovered places


@dataclass(frozen=True, slots=True)
class RoleExample:
    """One actor mention of a labelled predicate's sentence: SOURCE, TARGET or NONE of it."""

    features: tuple[str, ...]
    label: str
    group: str  # the document (folds never split one)
    predicate: str  # which labelled predicate (document, token, frame): the unit role scores count


class ExampleBuilder:
    """Runs labelled documents through the stages the coder sees and labels the candidates."""

    def __init__(self, settings: Settings, unbound: bool = False) -> None:
        self.unbound = unbound  # propose predicates with no side bound (``Recipe.unbound``)
        s = settings.replace(events_coder="rules")
        self.parser = SpacyParser(s)
        self.tagger = TimeTagger(s)
        self.actors = ActorResolver(s)
        self._settings = s
        self._resolvers: dict[tuple[Path, ...], ActorResolver] = {}  # per set of actor dictionaries
        self.geo = Geoparser(s)
        self.coder = EventCoder(s, locator=EventLocator)

    def build(self, docs: Sequence[LabelledDoc], nouns: frozenset[str] = frozenset(),
              progress: Callable[[int], None] | None = None) -> Corpus:
        """Label every document's candidates: type examples, and role rows of the predicates
        whose sides the data marks."""
        corpus = Corpus()
        for item in self.analyse(docs, progress):
            self.label(item, nouns, corpus)
        return corpus

    def analyse(self, docs: Sequence[LabelledDoc], progress: Callable[[int], None] | None = None) -> list[Analysed]:
        """Parse each document and resolve its actors and places (the stages before the coder)."""
        articles, spans = [], {}
        for d in docs:
            text, offs = _join(d)
            articles.append(Article.create(text, d.date, doc_id=d.id))
            spans[d.id] = (d, offs)
        out = []
        for n, doc in enumerate(self.parser.parse_many(articles), 1):
            d, offs = spans[doc.article.doc_id or ""]
            times = self.tagger(doc)
            resolver = self._resolver(d.dictionaries)
            mentions = resolver(doc, times)
            places = self.geo(doc, mentions)
            out.append(Analysed(doc, d, offs, with_places(resolver.localise(doc, mentions, places), places)))
            if progress is not None:
                progress(n)
        return out

    def label(self, item: Analysed, nouns: frozenset[str], corpus: Corpus) -> None:
        doc, d, offs, mentions = item.doc, item.labelled, item.offsets, item.mentions
        if d.weak:
            self._weak(doc, d, mentions, nouns, corpus)
            return
        if not d.complete:
            self._pair(doc, d, mentions, nouns, corpus)
            return
        view = DocView(doc, mentions)
        parties = main_parties(mentions)
        for sent in doc.sentences:
            for c, feats in self.coder.candidates(view, sent.index, parties, nouns, self.unbound):
                k = _sentence_at(offs, view.tokens[c.trigger].start)
                gold = d.sentences[k].events if 0 <= k < len(d.sentences) else ()
                label: str | None = NONE
                mode = None
                own = next((ev for ev in gold if ev.trigger and _trigger_ok(view, c, ev, offs[k], d.sentences[k].text)),
                           None)
                if own is not None:  # the gold sides of this predicate teach the role model
                    _roles(view, c, d.id, corpus, lambda m, e=own: _fits((m,), e.source, e.source_country),
                           lambda m, e=own: _fits((m,), e.target, e.target_country))
                for ev in gold:
                    if not _trigger_ok(view, c, ev, offs[k], d.sentences[k].text):
                        continue
                    if _sides_ok(view, c, ev):
                        label = _label_type(ev.type, feats)
                        mode = ev.mode
                        break
                    if ev.trigger and not c.source:
                        # the event's own predicate, its actor missed: no lesson either way, unless
                        # unbound predicates are proposed (the role model then fills the source)
                        label = _label_type(ev.type, feats) if self.unbound else None
                        mode = ev.mode
                if label is not None:
                    corpus.examples.append(replace(_example(view, c, feats, label, d), mode=mode,
                                                   has_mode=label != NONE))

    def lemma(self, word: str) -> str:
        """The parser's lemma of a word read alone (trigger words of the training data)."""
        doc = self.parser.parse(Article.create(word, dt.date(2000, 1, 1)))
        return doc.tokens[-1].lemma.lower() if doc.tokens else word

    def _resolver(self, dictionaries: tuple[Path, ...]) -> ActorResolver:
        if not dictionaries:
            return self.actors
        if dictionaries not in self._resolvers:
            from kronika.actors import load_petrarch_dictionaries

            self._resolvers[dictionaries] = ActorResolver(
                self._settings, dictionaries=(load_petrarch_dictionaries(dictionaries),))
        return self._resolvers[dictionaries]

    def _weak(self, doc: ParsedDoc, d: LabelledDoc, mentions: tuple[ActorMention, ...], nouns: frozenset[str],
              corpus: Corpus) -> None:
        """A document label: the first sentence's candidates that the lexicon, the CAMEO verbs
        or the rules read as that type are (weak) examples of it; the rest are unknown."""
        label = d.sentences[0].events[0].type
        view = DocView(doc, mentions)
        agree = {f"{k}={label}" for k in ("lex", "cameo", "cameopat", "rule")}
        for c, feats in self.coder.candidates(view, 0, main_parties(mentions), nouns, self.unbound) if doc.sentences else ():
            if agree.intersection(feats) and c.source:
                mode = (d.sentences[0].events[0].mode or "").lower() or None
                corpus.examples.append(replace(_example(view, c, feats, label, d), weak=True, mode=mode,
                                               has_mode=mode is not None))

    def _pair(self, doc: ParsedDoc, d: LabelledDoc, mentions: tuple[ActorMention, ...], nouns: frozenset[str],
              corpus: Corpus) -> None:
        ev = d.sentences[0].events[0] if d.sentences[0].events else None
        sysview = DocView(doc, mentions)
        rows = [f for s in doc.sentences for _, f in self.coder.candidates(sysview, s.index, main_parties(mentions), nouns, self.unbound)]
        corpus.e2e[d.id] = (ev.type if ev else NONE, [tuple(r) for r in rows])
        if ev is None:
            return
        src = _span_mention(doc, ev.source, mentions)
        tgt = _span_mention(doc, ev.target, mentions)
        extra = tuple(m for m in (src, tgt) if m is not None and m not in mentions)
        view = DocView(doc, tuple(sorted(mentions + extra, key=lambda m: m.start)))
        parties = main_parties(mentions)
        best: tuple[Candidate, list[str]] | None = None
        for s in doc.sentences:
            for c, feats in self.coder.candidates(view, s.index, parties, nouns, self.unbound):
                if _binds(c.source, src) and (tgt is None or _binds(c.target, tgt)) or \
                        ev.type in SYMMETRIC and _binds(c.target, src) and _binds(c.source, tgt):
                    if best is None or c.frame == "verb" and best[0].frame != "verb":
                        best = (c, feats)
        if best is None and src is not None:
            pc = pair_candidate(view, (src,), (tgt,) if tgt is not None else ())
            if pc is not None:
                best = (pc, self.coder.features(view, pc))
        if best is not None:
            c, feats = best
            ex = _example(view, c, feats, _label_type(ev.type, feats), d)
            corpus.examples.append(replace(ex, pair=True))
        if src is not None:
            self._pair_roles(view, doc, src, tgt, parties, nouns, d.id, corpus)

    def _pair_roles(self, view: DocView, doc: ParsedDoc, src: ActorMention, tgt: ActorMention | None,
                    parties: tuple[str, ...], nouns: frozenset[str], group: str, corpus: Corpus) -> None:
        """Role rows of a marked pair. The predicate is the lowest verb governing both marks,
        chosen without looking at what the syntax bound (choosing the candidate that binds the
        marks would teach the role model to copy the syntax); its sides are the proposer's."""
        pc = pair_candidate(view, (src,), (tgt,) if tgt is not None else ())
        if pc is None:
            return
        same = [c for s in doc.sentences for c, _ in self.coder.candidates(view, s.index, parties, nouns, self.unbound)
                if c.trigger == pc.trigger]
        c = same[0] if same else replace(pc, source=(), target=(), frame="verb" if view.verbal[pc.trigger] else "noun")
        _roles(view, c, group, corpus, lambda m: _binds((m,), src), lambda m: _binds((m,), tgt))


def _roles(view: DocView, c: Candidate, group: str, corpus: Corpus, is_source: Callable[[ActorMention], bool],
           is_target: Callable[[ActorMention], bool]) -> None:
    predicate = f"{group}:{c.trigger}:{c.frame}"
    ments, rows = role_rows(view, c)
    for m, row in zip(ments, rows, strict=True):
        label = SOURCE if is_source(m) else TARGET if is_target(m) else NO_ROLE
        corpus.roles.append(RoleExample(tuple(row), label, group, predicate))


def _join(d: LabelledDoc) -> tuple[str, list[int]]:
    offs, parts, at = [], [], 0
    for s in d.sentences:
        offs.append(at)
        parts.append(s.text)
        at += len(s.text) + 1
    return " ".join(parts), offs


def _sentence_at(offs: list[int], char: int) -> int:
    k = -1
    for i, o in enumerate(offs):
        if o <= char:
            k = i
    return k


def record_sides_match(e: Event, g: GoldEvent) -> bool:
    """Whether record ``e`` has gold event ``g``'s sides, the way the shared scorer reads them:
    each gold side's country is among the record's (a gold side with no country matches
    anything; either order for symmetric types). The held-out news scripts score by it."""
    src = {r.country for r in e.source if r.country}
    tgt = {r.country for r in e.target if r.country}

    def ok(have: set[str], want: str | None) -> bool:
        return want is None or want in have

    direct = ok(src, g.source_country) and ok(tgt, g.target_country)
    return direct or (g.type in SYMMETRIC_TYPES and ok(tgt, g.source_country) and ok(src, g.target_country))


def _trigger_ok(view: DocView, c: Candidate, ev: GoldEvent, base: int, text: str) -> bool:
    if not ev.trigger:
        return True
    at = text.lower().find(ev.trigger.lower())
    if at < 0:
        return False
    lo, hi = base + at, base + at + len(ev.trigger)
    return any(lo <= view.tokens[i].start < hi for i in (c.trigger, *c.anchors))


def _fits(side: tuple[ActorMention, ...], text: str | None, country: str | None) -> bool:
    if not side:
        return False
    if country and any(m.country == country for m in side):
        return True
    if text:
        t = text.lower()
        return any(m.text.lower() in t or t in m.text.lower() for m in side)
    return False


def _sides_ok(view: DocView, c: Candidate, ev: GoldEvent) -> bool:
    if ev.source is None and ev.source_country is None:
        return True
    ok = _fits(c.source, ev.source, ev.source_country)
    if not ok and ev.type in SYMMETRIC:
        ok = _fits(c.target, ev.source, ev.source_country)
    if ok and not ev.trigger and (ev.target or ev.target_country):
        # no trigger to tell the predicate: the target must fit too ("said" shares the source)
        ok = _fits(c.target, ev.target, ev.target_country) or \
            ev.type in SYMMETRIC and _fits(c.source, ev.target, ev.target_country)
    return ok


def _label_type(label: str, feats: Sequence[str]) -> str:
    if label != "YIELD":
        return label
    said = {f.split("=", 1)[1] for f in feats if f.startswith(("lex=", "cameo=", "cameopat="))}
    return "RETREAT" if "RETREAT" in said else "CONCEDE"


def _example(view: DocView, c: Candidate, feats: Sequence[str], label: str, d: LabelledDoc) -> Example:
    return Example(tuple(feats), label, d.id, trigger=view.lemmas[c.trigger], noun=c.frame == "noun",
                   domain=d.domain)


def _span_mention(doc: ParsedDoc, text: str | None, mentions: tuple[ActorMention, ...]) -> ActorMention | None:
    """The system mention inside a marked span, else the span itself as a mention."""
    if not text:
        return None
    start = doc.text.find(text)
    if start < 0:
        return None
    end = start + len(text)
    inside = [m for m in mentions if m.start < end and m.end > start]
    if inside:
        return inside[0]
    marked = gold_actor_mentions(doc, (GoldActor(text, None, "marked"),))
    return marked[0] if marked else None


def _binds(side: tuple[ActorMention, ...], m: ActorMention | None) -> bool:
    return m is not None and any(x.start < m.end and x.end > m.start for x in side)


# ---------------------------------------------------------------------- fitting and scoring


def trigger_nouns(docs: Sequence[LabelledDoc], lemma: Callable[[str], str], min_share: float = 0.0) -> frozenset[str]:
    """Lemmas of the last word of the triggers in sentence-complete data: event nouns the
    proposer should offer even where the lexicon does not list them.

    ``min_share``: keep a word only when at least this share of its occurrences in that data
    are the last word of a trigger. Why: annotators' triggers end in words like "president"
    ("former president") or "government"; proposed everywhere, such a word turns every
    mention of an actor into a candidate. A word an annotator marked once in a hundred uses
    is not an event noun; "airstrike", marked in most of its uses, is."""
    ends = Counter(ev.trigger.lower().split()[-1] for d in docs for s in d.sentences for ev in s.events
                   if ev.trigger and ev.trigger.split())
    if min_share > 0:
        # the words a trigger's last word is read from, counted the same way
        seen = Counter(w for d in docs for s in d.sentences for w in s.text.lower().split() if w in ends)
        ends = Counter({w: n for w, n in ends.items() if n >= min_share * max(seen[w], n)})
    return frozenset(lemma(w) for w in sorted(ends))


def folds(groups: Sequence[str], k: int, seed: int) -> list[int]:
    """A fold number per example; one document's examples share a fold."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    which = {g: i % k for i, g in enumerate(names)}
    return [which[g] for g in groups]


def heldout_scores(corpus: Corpus, recipe: Recipe, k: int = 5) -> tuple[np.ndarray, list[str], list[int]]:
    """Raw held-out scores of every example (columns: the full label set) and fold ids."""
    ex = corpus.examples
    labels = sorted({e.label for e in ex})
    fold = folds([e.group for e in ex], k, recipe.seed)
    scores = np.zeros((len(ex), len(labels)))
    for f in range(k):
        train = [e for e, g in zip(ex, fold, strict=True) if g != f]
        m = _fit(train, recipe)
        idx = [i for i, g in enumerate(fold) if g == f]
        s = m.scores([ex[i].features for i in idx])
        for j, lab in enumerate(m.labels):
            scores[idx, labels.index(lab)] = s[:, j]
        missing = [j for j, lab in enumerate(labels) if lab not in m.labels]
        scores[np.ix_(idx, missing)] = -1e9
    return scores, labels, fold


def _fit(examples: Sequence[Example], recipe: Recipe) -> EventModel:
    """The type model. ``recipe.news_weight`` weighs the sentence-complete news candidates (the
    kind of text the coder reads); ``recipe.adapt`` names the domain coding reads as, and turns
    on feature augmentation (Daumé III 2007, "Frustratingly easy domain adaptation"): every
    feature also appears prefixed with its example's domain, so a weight shared by all sources
    and a correction per source are learned together, and coding reads the shared weights plus
    the ``adapt`` domain's corrections."""
    weights = [recipe.weak_weight if e.weak else recipe.news_weight if _in_domain(e) else 1.0 for e in examples]
    rows = [e.features for e in examples]
    if recipe.adapt:
        rows = [augment(e.features, e.domain) for e in examples]
    model = fit_linear(rows, [e.label for e in examples], recipe, weights)
    return replace(model, domain=recipe.adapt)


def _in_domain(e: Example) -> bool:
    return e.domain == "news" and not e.pair and not e.weak


def best_threshold(probs: np.ndarray, labels: list[str], gold: Sequence[str]) -> tuple[float, float]:
    """The probability threshold maximising candidate-level event F1 (sentence-complete data)."""
    none = labels.index(NONE) if NONE in labels else -1
    masked = probs.copy()
    if none >= 0:
        masked[:, none] = -1
    pred = masked.argmax(axis=1)
    conf = masked.max(axis=1)
    best = (0.5, 0.0)
    n_gold = sum(g != NONE for g in gold)
    for t in np.linspace(0.1, 0.9, 81):
        keep = conf >= t
        tp = sum(1 for i in np.flatnonzero(keep) if labels[pred[i]] == gold[i])
        p = tp / keep.sum() if keep.sum() else 0.0
        r = tp / n_gold if n_gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best[1]:
            best = (float(t), f1)
    return best


def train_model(corpus: Corpus, recipe: Recipe, *, sources: list[dict[str, Any]], k: int = 5) -> EventModel:
    """Fit on everything; temperature and threshold from k-fold held-out predictions; the card
    records the recipe, the data and the held-out scores."""

    ex = corpus.examples
    scores, labels, fold = heldout_scores(corpus, recipe, k)
    gold = [labels.index(e.label) for e in ex]
    complete = [i for i, e in enumerate(ex) if not e.pair and not e.weak]
    # Calibrate on the candidates coding will see (sentence-complete data, NONE included).
    fit_on = complete or list(range(len(ex)))
    temp = fit_temperature(scores[fit_on], [gold[i] for i in fit_on])
    probs = softmax(scores / temp)
    if recipe.decision == "threshold":
        threshold, f1 = best_threshold(probs[complete], labels, [ex[i].label for i in complete]) if complete else (0.5, 0.0)
    else:
        threshold, f1 = 0.0, float("nan")
    report = cv_report(corpus, probs, labels, fold, threshold, recipe.decision, recipe.none_margin)
    conf_map = confidence_map(corpus, probs, labels, threshold, recipe.decision, recipe.none_margin)
    if conf_map:
        mapped = [_interpolate(b["confidence"], conf_map) for b in report["reliability"]]
        report["confidence_map_reliability"] = [dict(b, confidence=round(m, 3))
                                                for b, m in zip(report["reliability"], mapped, strict=True)]
    model = _fit(ex, recipe)
    nouns = frozenset(e.trigger for e in ex if e.noun and e.label != NONE)
    meta = {
        "name": "kronika-events-linear", "version": dt.date.today().strftime("%Y.%m.%d"),
        "recipe": recipe.to_dict(), "sources": sources, "examples": len(ex),
        "label_counts": dict(Counter(e.label for e in ex).most_common()),
        "cross_validation": dict(report, folds=k),
    }
    if recipe.decision == "threshold":
        meta["cross_validation"]["candidate_f1_at_threshold"] = round(f1, 4)
    if conf_map:
        meta["confidence_map"] = conf_map
    modes = fit_modes(ex, recipe)
    if modes is not None:
        meta["modes"] = sorted(modes.labels)
    roles, role_report = fit_roles(corpus, recipe, k)
    if roles is not None:
        meta["roles"] = dict(role_report, rows=len(corpus.roles), folds=k)
    final = replace(model, temperature=temp, threshold=threshold, nouns=nouns, decision=recipe.decision,
                    none_margin=recipe.none_margin, min_confidence=recipe.min_confidence,
                    unbound=recipe.unbound, meta=meta, modes=modes, roles=roles)
    # The version names the model, not only the day: two models trained on one day (a retrain
    # after a data or code change, or another NONE margin) must not write one component id.
    meta["version"] = f"{meta['version']}+{weights_digest(final)}"
    if roles is not None:
        final = replace(final, roles=replace(roles, meta={"name": "kronika-event-roles", "version": meta["version"],
                                                          **meta["roles"]}))
    return final


def weights_digest(model: EventModel) -> str:
    """Eight hex digits of a hash of what decides a model's records: its feature names and
    weights as saved (float32), its mode and role models' too, and its coding settings (NONE
    margin, threshold, temperature, confidence floor and map, event nouns). The same training
    data, code and recipe give the same digest on any machine that reproduces the weights."""
    import hashlib

    h = hashlib.sha256()
    h.update(json.dumps({"decision": model.decision, "none_margin": model.none_margin,
                         "threshold": round(model.threshold, 6), "temperature": round(model.temperature, 6),
                         "min_confidence": model.min_confidence, "unbound": model.unbound,
                         "domain": model.domain, "nouns": sorted(model.nouns),
                         "confidence_map": model.meta.get("confidence_map")}, sort_keys=True).encode("utf-8"))
    for m in (model, model.modes, model.roles):
        if m is None:
            h.update(b"-")
            continue
        h.update("\n".join(sorted(m.vocab, key=m.vocab.__getitem__)).encode("utf-8"))
        h.update("\n".join(m.labels).encode("utf-8"))
        h.update(np.ascontiguousarray(m.weights, dtype=np.float32).tobytes())
        h.update(np.ascontiguousarray(m.bias, dtype=np.float32).tobytes())
    return h.hexdigest()[:8]


def _emitted(corpus: Corpus, probs: np.ndarray, labels: list[str], threshold: float,
             decision: str, margin: float = 0.0) -> tuple[list[float], list[bool]]:
    """Held-out confidence and correctness of what coding would emit on sentence-complete data."""
    ex = corpus.examples
    best, conf, emit = emission(probs, labels, threshold, decision, margin)
    keep = [i for i, e in enumerate(ex) if emit[i] and not e.pair and not e.weak]
    return [float(conf[i]) for i in keep], [labels[best[i]] == ex[i].label for i in keep]


def confidence_map(corpus: Corpus, probs: np.ndarray, labels: list[str], threshold: float,
                   decision: str, margin: float = 0.0, points: int = 8) -> list[list[float]]:
    """Probability → chance that an emitted event is right, fitted by isotonic regression on
    the held-out emitted candidates (a second calibration step: the temperature calibrates all
    candidates, most of them easy NONEs; this one the events a user sees)."""
    from sklearn.isotonic import IsotonicRegression

    conf, right = _emitted(corpus, probs, labels, threshold, decision, margin)
    if len(conf) < 20:
        return []
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(conf, [float(r) for r in right])
    xs = np.quantile(conf, np.linspace(0, 1, points))
    return [[round(float(x), 4), round(float(y), 4)] for x, y in zip(xs, iso.predict(xs), strict=True)]


def _interpolate(x: float, pts: list[list[float]]) -> float:
    return float(np.interp(x, [p[0] for p in pts], [p[1] for p in pts]))


def fit_modes(ex: Sequence[Example], recipe: Recipe) -> EventModel | None:
    """The mode model: over positives whose source labels modes, ``TYPE:mode`` (``TYPE:-`` for
    none) from the candidate's features and its type; coding reads it among its type's modes."""
    rows = [(*e.features, f"type={e.label}") for e in ex if e.has_mode and e.label != NONE]
    labels = [f"{e.label}:{e.mode or '-'}" for e in ex if e.has_mode and e.label != NONE]
    if len(set(labels)) < 2:
        return None
    weights = [recipe.weak_weight if e.weak else 1.0 for e in ex if e.has_mode and e.label != NONE]
    return fit_linear(rows, labels, replace(recipe, min_count=1), weights)


def fit_roles(corpus: Corpus, recipe: Recipe, k: int = 5) -> tuple[EventModel | None, dict[str, Any]]:
    """The argument-role model on every role row, and its held-out report: per labelled
    predicate, is each side right as the rules give it and as the role model revises it?"""
    rows = corpus.roles
    if len({r.label for r in rows}) < 2:
        return None, {}
    fold = folds([r.group for r in rows], k, recipe.seed)
    probs: list[np.ndarray | None] = [None] * len(rows)
    labels: tuple[str, ...] = ()
    for f in range(k):
        train = [r for r, g in zip(rows, fold, strict=True) if g != f]
        idx = [i for i, g in enumerate(fold) if g == f]
        if not idx or len({r.label for r in train}) < 2:
            continue
        m = fit_linear([r.features for r in train], [r.label for r in train], recipe)
        labels = m.labels
        for i, p in zip(idx, m.predict_proba([rows[i].features for i in idx]), strict=True):
            probs[i] = p
    by: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if probs[i] is not None and len(probs[i]) == len(labels):
            by.setdefault(r.predicate, []).append(i)
    right: Counter[str] = Counter()
    scores: list[float] = []
    both: list[bool] = []
    for idx in by.values():
        p = np.vstack([probs[i] for i in idx])
        taken: list[bool] = []
        sides: list[list[bool]] = []
        ok = True
        for role in (SOURCE, TARGET):
            gold = {j for j, i in enumerate(idx) if rows[i].label == role}
            ruled = [f"rsyn={role.lower()}" in rows[i].features for i in idx]
            chosen = pick(p, labels, ruled, role, taken)
            mine = {j for j, r in enumerate(ruled) if r} if chosen is None else {chosen}
            taken = [j in mine for j in range(len(idx))]
            sides.append(taken)
            ok &= bool(gold & mine) if gold else not mine
            for name, side in (("rules", {j for j, r in enumerate(ruled) if r}), ("model", mine)):
                right[f"{role.lower()}_{name}"] += bool(gold & side) if gold else not side
        scores.append(sides_score(p, labels, sides[0], sides[1]))
        both.append(ok)
    n = len(by)
    report: dict[str, Any] = {f"{key}_right": round(v / n, 4) for key, v in sorted(right.items())} if n else {}
    report["predicates"] = n
    report.update(sides_calibration(scores, both, [rows[idx[0]].group for idx in by.values()], k, recipe.seed))
    return fit_linear([r.features for r in rows], [r.label for r in rows], recipe), report


def sides_calibration(scores: Sequence[float], right: Sequence[bool], groups: Sequence[str], k: int,
                      seed: int, points: int = 8) -> dict[str, Any]:
    """The role model's ``sides_score`` → the chance that both sides are right, by isotonic
    regression on the held-out predicates (``sides_map``), and how well that map holds on
    predicates it was not fitted on (``sides_ece``, cross-fitted over ``k`` folds of documents).
    Coding multiplies an event's type confidence by it: a record is right only when its type
    *and* its sides are."""
    from sklearn.isotonic import IsotonicRegression

    if len(scores) < 20 or len(set(right)) < 2:
        return {}
    x = np.asarray(scores, dtype=float)
    y = np.asarray(right, dtype=float)

    def iso(idx: Sequence[int]) -> Any:
        return IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(x[idx], y[idx])

    fold = folds(list(groups), k, seed)
    held = np.zeros(len(x))
    for f in range(k):
        train = [i for i, g in enumerate(fold) if g != f]
        test = [i for i, g in enumerate(fold) if g == f]
        if train and test:
            held[test] = iso(train).predict(x[test])
    # The map's points are equal-count bins' mean score and mean fitted chance: monotone like
    # the isotonic fit, but no end point promises 0 or 1 because of one extreme predicate.
    order = np.argsort(x, kind="stable")
    fitted = iso(list(range(len(x)))).predict(x)
    bins = [b for b in np.array_split(order, points) if len(b)]
    return {
        "both_right": round(float(y.mean()), 4),
        "sides_ece_raw": round(expected_calibration_error(list(x), list(right)), 4),
        "sides_ece": round(expected_calibration_error(list(held), list(right)), 4),
        "sides_map": [[round(float(x[b].mean()), 4), round(float(fitted[b].mean()), 4)] for b in bins],
    }


def cv_report(corpus: Corpus, probs: np.ndarray, labels: list[str], fold: list[int], threshold: float,
              decision: str = "argmax", margin: float = 0.0) -> dict[str, Any]:
    """Held-out figures: pair-given type accuracy and macro-F1, candidate P/R on complete data,
    ECE of the emitted events' confidence, and the candidate F1 at each NONE margin of
    ``MARGINS`` (the curve a recipe's ``none_margin`` is chosen on)."""
    ex = corpus.examples
    best, conf, emit = emission(probs, labels, threshold, decision, margin)
    pred = [labels[j] for j in best]
    pairs = [i for i, e in enumerate(ex) if e.pair]
    out: dict[str, Any] = {}
    if pairs:
        right = [pred[i] == ex[i].label for i in pairs]
        out["pair_given_accuracy"] = round(sum(right) / len(pairs), 4)
        out["pair_given_macro_f1"] = round(macro_f1([ex[i].label for i in pairs], [pred[i] for i in pairs]), 4)
        out["pairs"] = len(pairs)
    complete = [i for i, e in enumerate(ex) if not e.pair and not e.weak]
    n_gold = sum(1 for i in complete if ex[i].label != NONE)
    emitted = [i for i in complete if emit[i]]
    right = [pred[i] == ex[i].label for i in emitted]
    if emitted or n_gold:
        out.update(_prf(sum(right), len(emitted), n_gold))
        if decision == "argmax" and NONE in labels:
            curve = {}
            for b in MARGINS:
                _, _, em = emission(probs, labels, threshold, decision, b)
                hits = [i for i in complete if em[i]]
                curve[str(b)] = _prf(sum(pred[i] == ex[i].label for i in hits), len(hits), n_gold)["candidate_f1"]
            out["candidate_f1_by_margin"] = curve
    out["ece"] = round(expected_calibration_error([conf[i] for i in emitted], right), 4)
    out["reliability"] = reliability_table([conf[i] for i in emitted], right)
    return out


MARGINS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)


@dataclass(frozen=True)
class MarginRule:
    """The NONE margin the card's fold curves support.

    With each fold draw's curve on the card (``candidate_f1_by_margin_draws``), the rule is
    *paired*: every margin is scored on the same folds of a draw, so for each margin take its
    per-draw difference from the best margin (best by mean) and choose the smallest margin
    whose mean difference is within one sd of those differences of zero (mean + sd >= 0).
    Without draws (a card from before 2026-12-07), the one-sd rule on the means: the smallest
    margin whose mean is within one sd of the best margin's mean.

    Why paired (eleventh session): the one-sd rule compares means whose sd is mostly the
    fold draws' shared noise, and it flipped between 0.5 and 0.75 on retrains that changed a
    handful of examples; paired differences remove the shared part and gave 0.75 on both of
    the last two cards (docs/events.md, "The margin on NONE").

    ``bar``: the best margin's mean (paired) or best mean - its sd (one-sd). ``gap``: how far
    the nearest margin lies from passing or failing (paired: |mean + sd| of its differences;
    one-sd: its mean's distance from the bar). A gap far below the draws' sd means a retrain
    may choose otherwise. ``rule``: "paired" or "one-sd"."""

    chosen: float
    bar: float
    gap: float
    rule: str = "one-sd"


def margin_rule(curve: dict[str, list[float]], draws: Sequence[dict[str, float]] | None = None) -> MarginRule:
    """``curve``: the card's ``candidate_f1_by_margin_mean_sd`` ({margin: [mean, sd]});
    ``draws``: its ``candidate_f1_by_margin_draws`` ([{margin: F1}] per fold draw), if any."""
    best = max(curve, key=lambda m: curve[m][0])
    if draws is not None and len(draws) >= 2:
        within: dict[str, float] = {}
        for m in curve:
            diffs = [d[m] - d[best] for d in draws]
            mean = sum(diffs) / len(diffs)
            sd = (sum((x - mean) ** 2 for x in diffs) / (len(diffs) - 1)) ** 0.5
            within[m] = mean + sd
        chosen = min(float(m) for m, v in within.items() if v >= -1e-12)
        gap = min((abs(v) for m, v in within.items() if m != best), default=0.0)
        return MarginRule(chosen, round(curve[best][0], 4), round(gap, 4), "paired")
    bar = curve[best][0] - curve[best][1]
    chosen = min(float(m) for m, (mean, _sd) in curve.items() if mean >= bar)
    gap = min((abs(mean - bar) for m, (mean, _sd) in curve.items() if m != best), default=0.0)
    return MarginRule(chosen, round(bar, 4), round(gap, 4))


def _prf(right: int, emitted: int, gold: int) -> dict[str, float]:
    p = right / emitted if emitted else 0.0
    r = right / gold if gold else 0.0
    return {"candidate_precision": round(p, 4), "candidate_recall": round(r, 4),
            "candidate_f1": round(2 * p * r / (p + r), 4) if p + r else 0.0}


def macro_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    f1s = []
    for lab in sorted(set(gold)):
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == lab)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if p == lab and g != lab)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == lab and p != lab)
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(f1s) / len(f1s) if f1s else 0.0


def end_to_end_hit(corpus: Corpus, recipe: Recipe, temperature: float, threshold: float, k: int = 5) -> float:
    """Pair-labelled sentences, k-fold: does some event the held-out model emits (system
    actors only, the full model's temperature and threshold) have the gold type?"""
    ex = corpus.examples
    groups = sorted(corpus.e2e)
    fold_of = dict(zip(groups, folds(groups, k, recipe.seed), strict=True))
    hits = total = 0
    for f in range(k):
        train = [e for e in ex if fold_of.get(e.group, -1) != f]
        m = replace(_fit(train, recipe), temperature=temperature, threshold=threshold, decision=recipe.decision,
                    none_margin=recipe.none_margin)
        for g in groups:
            if fold_of[g] != f:
                continue
            gold, rows = corpus.e2e[g]
            total += 1
            hits += any(t == gold and emit for t, _, emit in m.decide(rows))
    return hits / total if total else 0.0


# ---------------------------------------------------------------------- the command's library call


def load_recipe(path: Path | None = None) -> tuple[Recipe, int]:
    """The recipe (and fold count) from a YAML file; default: the shipped ``events/recipe.yaml``."""
    from kronika.resources import load_yaml

    raw = load_yaml(path.resolve()) if path is not None else load_yaml("events/recipe.yaml")
    raw = dict(raw or {})
    k = int(raw.pop("folds", 5))
    known = set(Recipe().to_dict())
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"recipe {path}: unknown keys {', '.join(sorted(unknown))}", code="K014")
    return Recipe(**{key: type(getattr(Recipe(), key))(v) for key, v in raw.items()}), k


def train_events(paths: Sequence[Path], settings: Settings, recipe: Recipe, *, folds_k: int = 5,
                 progress: Callable[[str], None] | None = None, corrections: Path | None = None,
                 roles_only: Sequence[Path] = ()) -> EventModel:
    """Read every labelled file, build candidates through the pipeline, fit and calibrate.

    Sentence-complete files are built first: their trigger nouns are proposed as candidates in
    every file (an event noun learned from one source codes in the others). ``corrections``:
    a label-corrections file (``sources.read_corrections``) applied to every file read.
    ``roles_only``: labelled files whose gold sources and targets teach the role model and
    nothing else (no type example, no trigger noun): where a file's sides are trusted more than
    its type conventions, or to grow the role model without moving the type decisions."""
    from kronika.train.sources import apply_corrections, read_corrections, read_labelled

    say = progress or (lambda _msg: None)
    docs = {p: read_labelled(p) for p in paths}
    side_docs = {p: read_labelled(p) for p in roles_only}
    fixes = read_corrections(corrections) if corrections is not None else {}
    fixed: dict[Path, int] = {}
    for p in docs:
        docs[p], fixed[p] = apply_corrections(docs[p], fixes)
    for p in side_docs:
        side_docs[p], fixed[p] = apply_corrections(side_docs[p], fixes)
    if not any(docs.values()):
        raise ConfigError("no labelled sentences in the training data", code="K014")
    builder = ExampleBuilder(settings, unbound=recipe.unbound)
    nouns = trigger_nouns([d for ds in docs.values() for d in ds if d.complete], builder.lemma, recipe.noun_min_share)
    corpus = Corpus()
    sources = []
    for p, ds in docs.items():
        part = builder.build(ds, nouns)
        corpus.examples.extend(part.examples)
        corpus.e2e.update(part.e2e)
        corpus.roles.extend(part.roles)
        sources.append({"file": p.name, "documents": len(ds), "candidates": len(part.examples),
                        **({"corrected": fixed[p]} if fixed.get(p) else {})})
        say(f"{p.name}: {len(ds)} documents, {len(part.examples)} labelled candidates")
    for p, ds in side_docs.items():
        part = builder.build(ds, nouns)
        corpus.roles.extend(part.roles)
        sources.append({"file": p.name, "documents": len(ds), "role_rows": len(part.roles), "roles_only": True,
                        **({"corrected": fixed[p]} if fixed.get(p) else {})})
        say(f"{p.name}: {len(ds)} documents, {len(part.roles)} role rows (roles only)")
    labels = {e.label for e in corpus.examples}
    if len(labels) < 2:
        raise ConfigError(f"training needs at least two labels, found {sorted(labels)}", code="K014")
    model = train_model(corpus, recipe, sources=sources, k=folds_k)
    cv = model.meta["cross_validation"]
    if corpus.e2e:
        hit = end_to_end_hit(corpus, recipe, model.temperature, model.threshold, folds_k)
        cv["pair_end_to_end_type_hit"] = round(hit, 4)
    if recipe.cv_repeats > 1:
        say(f"cross-validation repeated over {recipe.cv_repeats} fold seeds")
        cv.update(repeated_cv(corpus, recipe, model.temperature, model.threshold, folds_k, first=cv))
    return model


REPEATED = ("pair_given_accuracy", "pair_given_macro_f1", "candidate_precision", "candidate_recall",
            "candidate_f1", "pair_end_to_end_type_hit")


def repeated_cv(corpus: Corpus, recipe: Recipe, temperature: float, threshold: float, k: int,
                first: dict[str, Any]) -> dict[str, Any]:
    """The held-out figures over ``recipe.cv_repeats`` fold assignments (seeds ``seed``,
    ``seed + 1``, …): mean, standard deviation, min and max of each. Why: one assignment is
    noisy. On the shipped training data the candidate F1 of the same corpus ranged 0.338–0.385
    over five fold seeds (sd 0.019), and a change of 13 of 4,976 candidates moved it by 0.016
    at one seed and by 0.003 on the mean. A choice made on one seed's 0.01 is a coin toss; the card says how
    far apart two models must be. ``first``: the figures of the run at ``recipe.seed``."""

    runs = [first]
    for n in range(1, recipe.cv_repeats):
        r = replace(recipe, seed=recipe.seed + n)
        scores, labels, fold = heldout_scores(corpus, r, k)
        rep = cv_report(corpus, softmax(scores / temperature), labels, fold, threshold, recipe.decision,
                        recipe.none_margin)
        if corpus.e2e:
            rep["pair_end_to_end_type_hit"] = end_to_end_hit(corpus, r, temperature, threshold, k)
        runs.append(rep)
    out: dict[str, Any] = {"repeats": len(runs)}
    for key in REPEATED:
        xs = np.array([float(run[key]) for run in runs if key in run])
        if len(xs):
            out[f"{key}_mean"] = round(float(xs.mean()), 4)
            out[f"{key}_sd"] = round(float(xs.std(ddof=1)) if len(xs) > 1 else 0.0, 4)
            out[f"{key}_range"] = [round(float(xs.min()), 4), round(float(xs.max()), 4)]
    curves = [run["candidate_f1_by_margin"] for run in runs if "candidate_f1_by_margin" in run]
    if curves:
        out["candidate_f1_by_margin_mean_sd"] = {
            m: [round(float(np.mean([c[m] for c in curves])), 4),
                round(float(np.std([c[m] for c in curves], ddof=1)) if len(curves) > 1 else 0.0, 4)]
            for m in curves[0]}
        # each draw's curve: every margin is scored on the same folds of a draw, so margins can
        # also be compared paired by draw, whose differences are far less noisy than the means
        out["candidate_f1_by_margin_draws"] = [{m: round(float(c[m]), 4) for m in c} for c in curves]
    return out
