"""The learned decision: a calibrated linear model over candidate features.

Why a linear model over sparse features: with about two thousand labelled candidates, a
multinomial logistic regression (scikit-learn) over named, human-readable features measured
better than anything with more parameters, trains in seconds on a CPU, and its weights are
plain arrays: they ship as ``weights.npz`` (loaded with ``allow_pickle=False``, so loading a
model never executes code) beside ``meta.json`` (labels, feature names, temperature,
threshold, training data, scores: the model card). Inference needs only numpy.

Calibration is its own step (temperature scaling, fitted on cross-validated predictions), so
``confidence`` in a record is a probability of being right.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kronika.errors import ConfigError

NONE = "NONE"
WEIGHTS = "weights.npz"
META = "meta.json"


@dataclass(frozen=True)
class EventModel:
    """Weights and card of a trained event classifier (``fit`` makes one, ``load`` reads one)."""

    labels: tuple[str, ...]
    vocab: dict[str, int]
    weights: np.ndarray  # (n_features, n_labels)
    bias: np.ndarray  # (n_labels,)
    temperature: float = 1.0
    threshold: float = 0.5
    nouns: frozenset[str] = frozenset()  # event nouns seen as triggers in training
    decision: str = "argmax"  # or "threshold" (see decide)
    none_margin: float = 0.0  # log-odds NONE must lead by to suppress an event (see decide)
    min_confidence: float = 0.0  # a record less likely right than this is not emitted (coder)
    modes: EventModel | None = None  # the mode model (labels TYPE:mode), saved in ``mode/``
    roles: EventModel | None = None  # the argument-role model (``events.roles``), saved in ``roles/``
    domain: str = ""  # feature augmentation: rows are read as this domain's text (``augment``)
    unbound: bool = False  # trained on candidates with no side bound (``candidates.propose``)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "0"))

    def scores(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        """Raw scores (n_rows, n_labels) of feature-string rows: the bias plus the weights of
        each row's known features, each counted once. One gather and one segmented sum for
        all rows (a per-row numpy call cost more than the lookups on real documents)."""
        out = np.tile(self.bias, (len(rows), 1)).astype(np.float64)
        if self.domain:
            rows = [augment(r, self.domain) for r in rows]
        get = self.vocab.get
        idx: list[int] = []
        starts: list[int] = []
        owners: list[int] = []
        for r, feats in enumerate(rows):
            known = set(map(get, feats))  # each feature once; None: not in the vocabulary
            known.discard(None)
            if known:
                starts.append(len(idx))
                owners.append(r)
                idx.extend(known)
        if idx:
            out[owners] += np.add.reduceat(self.weights[idx], starts, axis=0)
        return out

    def predict_proba(self, rows: Sequence[Sequence[str]]) -> np.ndarray:
        return softmax(self.scores(rows) / self.temperature)

    def decide(self, rows: Sequence[Sequence[str]]) -> list[tuple[str, float, bool]]:
        """Per row: the most probable event type (never NONE), its probability, and whether
        to emit it (``emission``)."""
        if not rows:
            return []
        probs = self.predict_proba(rows)
        best, conf, emit = emission(probs, self.labels, self.threshold, self.decision, self.none_margin)
        return [(self.labels[b], float(c), bool(e)) for b, c, e in zip(best, conf, emit, strict=True)]

    def modes_of(self, items: Sequence[tuple[Sequence[str], str]]) -> list[tuple[str | None, float] | None]:
        """Per (features, type): the most probable mode of an event of that type (None: no
        mode) and its probability, or None when the model knows no mode of that type. One call
        of the mode model for all items (rows are scored independently)."""
        if self.modes is None or not items:
            return [None] * len(items)
        modes = self.modes
        cols = {ptype: [i for i, lab in enumerate(modes.labels) if lab.split(":", 1)[0] == ptype]
                for ptype in {ptype for _, ptype in items}}
        asked = [k for k, (_, ptype) in enumerate(items) if cols[ptype]]
        out: list[tuple[str | None, float] | None] = [None] * len(items)
        if not asked:
            return out
        rows = modes.predict_proba([[*items[k][0], f"type={items[k][1]}"] for k in asked])
        for k, row in zip(asked, rows, strict=True):
            these = cols[items[k][1]]
            probs = row[these]
            best = int(probs.argmax())
            mode = modes.labels[these[best]].split(":", 1)[1]
            out[k] = (None if mode == "-" else mode), float(probs[best] / probs.sum())
        return out

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.modes is not None:
            self.modes.save(folder / "mode")
        if self.roles is not None:
            self.roles.save(folder / "roles")
        names = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(folder / WEIGHTS, weights=self.weights.astype(np.float32),
                            bias=self.bias.astype(np.float32))
        meta = dict(self.meta, labels=list(self.labels), temperature=self.temperature,
                    threshold=self.threshold, decision=self.decision, none_margin=self.none_margin,
                    min_confidence=self.min_confidence, nouns=sorted(self.nouns),
                    domain=self.domain, unbound=self.unbound,
                    features=names)
        (folder / META).write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> EventModel:
        try:
            meta = json.loads((folder / META).read_text(encoding="utf-8"))
            with np.load(folder / WEIGHTS, allow_pickle=False) as arrays:
                weights, bias = arrays["weights"], arrays["bias"]
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"cannot load the event model in {folder}: {exc}; retrain it with "
                              "`kronika train events`", code="K013") from exc
        names = meta.pop("features")
        if weights.shape != (len(names), len(meta["labels"])):
            raise ConfigError(f"event model in {folder}: weights {weights.shape} do not fit "
                              f"{len(names)} features x {len(meta['labels'])} labels", code="K013")
        modes = cls.load(folder / "mode") if (folder / "mode" / META).is_file() else None
        roles = cls.load(folder / "roles") if (folder / "roles" / META).is_file() else None
        return cls(labels=tuple(meta.pop("labels")), vocab={n: i for i, n in enumerate(names)}, modes=modes,
                   roles=roles,
                   weights=weights.astype(np.float64), bias=bias.astype(np.float64),
                   temperature=float(meta.pop("temperature")), threshold=float(meta.pop("threshold")),
                   nouns=frozenset(meta.pop("nouns", ())), decision=str(meta.pop("decision", "threshold")),
                   none_margin=float(meta.pop("none_margin", 0.0)),
                   min_confidence=float(meta.pop("min_confidence", 0.0)), domain=str(meta.pop("domain", "")),
                   unbound=bool(meta.pop("unbound", False)), meta=meta)


def emission(probs: np.ndarray, labels: Sequence[str], threshold: float, decision: str,
             margin: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The one emission rule that coding, the card's held-out figures and the confidence map
    share: per row the most probable type other than NONE, its probability, and whether it is
    emitted. ``decision == "argmax"``: when its log-probability plus ``margin`` reaches NONE's
    (margin 0 is the Bayes decision; a positive margin emits candidates NONE leads by less than
    that many nats, chosen on training folds because the in-domain folds favour it) and it
    reaches ``threshold`` (a floor, 0 by default); ``"threshold"``: when it reaches
    ``threshold`` alone."""
    none = list(labels).index(NONE) if NONE in labels else -1
    masked = probs.copy()
    if none >= 0:
        masked[:, none] = -1.0
    best = masked.argmax(axis=1)
    conf = masked.max(axis=1)
    emit = conf >= threshold
    if none >= 0 and decision == "argmax":
        emit &= conf * np.exp(margin) >= probs[:, none]
    return best, conf, emit


def augment(features: Sequence[str], domain: str) -> tuple[str, ...]:
    """The features, their copies marked with the text's domain (``news|lemma=strike``) and the
    domain's own bias (``news|*``: how often the domain's candidates are events at all; pair
    labelled wire sentences are all events): feature augmentation for domain adaptation
    (``EventModel.domain``)."""
    return (*features, f"{domain}|*", *(f"{domain}|{f}" for f in features))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Recipe:
    """Hyper-parameters of one training run (all of them: the run is reproducible from this)."""

    c: float = 0.5  # inverse L2 strength of the logistic regression
    min_count: int = 2  # features seen fewer times are dropped
    none_weight: float = 1.0  # weight of NONE examples
    weak_weight: float = 0.3  # weight of examples from document-level labels
    max_iter: int = 2000
    seed: int = 13
    decision: str = "argmax"  # "argmax": emit a type that beats NONE; "threshold": tune a cut-off
    cv_repeats: int = 1  # cross-validations run (fold seeds seed, seed+1, ...) for the card's mean and sd
    noun_min_share: float = 0.0  # a trigger word becomes an event noun when it is a trigger this often
    none_margin: float = 0.0  # nats by which NONE must lead to suppress a type (decision argmax)
    min_confidence: float = 0.0  # records whose confidence is below this are not emitted
    news_weight: float = 1.0  # weight of sentence-complete news candidates (the coder's own kind of text)
    adapt: str = ""  # domain coding reads as; non-empty: feature augmentation by domain (train.events._fit)
    unbound: bool = False  # propose predicates no side is bound to (``candidates.propose``)

    def to_dict(self) -> dict[str, Any]:
        return {"decision": self.decision, "c": self.c, "min_count": self.min_count, "none_weight": self.none_weight, "weak_weight": self.weak_weight,
                "max_iter": self.max_iter, "seed": self.seed, "cv_repeats": self.cv_repeats,
                "noun_min_share": self.noun_min_share, "none_margin": self.none_margin,
                "min_confidence": self.min_confidence,
                "news_weight": self.news_weight, "adapt": self.adapt, "unbound": self.unbound}


def _vocabulary(rows: Iterable[Sequence[str]], min_count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for feats in rows:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, n in counts.items() if n >= min_count)
    return {f: i for i, f in enumerate(kept)}


def _matrix(rows: Sequence[Sequence[str]], vocab: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices = [0], []
    for feats in rows:
        indices.extend(sorted({vocab[f] for f in feats if f in vocab}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab)))


def fit_linear(rows: Sequence[Sequence[str]], labels: Sequence[str], recipe: Recipe,
               weights: Sequence[float] | None = None) -> EventModel:
    """Fit the logistic regression (temperature 1, threshold 0.5; ``calibrate`` sets them)."""
    from sklearn.linear_model import LogisticRegression

    vocab = _vocabulary(rows, recipe.min_count)
    names = tuple(sorted(set(labels)))
    y = np.array([names.index(lab) for lab in labels])
    w = np.array(weights if weights is not None else [1.0] * len(labels), dtype=np.float64)
    w = np.where(np.array(labels) == NONE, w * recipe.none_weight, w)
    clf = LogisticRegression(C=recipe.c, max_iter=recipe.max_iter, random_state=recipe.seed)
    clf.fit(_matrix(rows, vocab), y, sample_weight=w)
    coef = clf.coef_.T
    bias = clf.intercept_
    if len(names) == 2:  # sklearn's binary case has one column: expand to two
        coef = np.hstack([-coef / 2, coef / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return EventModel(labels=names, vocab=vocab, weights=coef, bias=bias)


def fit_temperature(scores: np.ndarray, gold: Sequence[int]) -> float:
    """The temperature minimising the negative log-likelihood of held-out predictions."""
    y = np.asarray(gold)
    best, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.3), np.log(5.0), 80)):
        p = softmax(scores / t)
        nll = -float(np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))))
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def expected_calibration_error(conf: Sequence[float], right: Sequence[bool], bins: int = 10) -> float:
    """ECE: the gap between confidence and accuracy, averaged over equal-width bins."""
    c = np.asarray(conf, dtype=np.float64)
    r = np.asarray(right, dtype=np.float64)
    if not len(c):
        return 0.0
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (c > lo) & (c <= hi) if lo > 0 else (c >= lo) & (c <= hi)
        if m.any():
            total += m.sum() / len(c) * abs(c[m].mean() - r[m].mean())
    return float(total)


def reliability_table(conf: Sequence[float], right: Sequence[bool], bins: int = 5) -> list[dict[str, Any]]:
    c = np.asarray(conf, dtype=np.float64)
    r = np.asarray(right, dtype=np.float64)
    out = []
    edges = np.linspace(0, 1, bins + 1)
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (c > lo) & (c <= hi) if lo > 0 else (c >= lo) & (c <= hi)
        if m.any():
            out.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": int(m.sum()),
                        "confidence": round(float(c[m].mean()), 3), "accuracy": round(float(r[m].mean()), 3)})
    return out
