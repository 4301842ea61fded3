"""Geoparsing evaluation on GeoWebNews, TR-News and LGL XML (Gritta et al. 2018/2019).

Two figures, as the literature reports them:

* **toponym recognition**: span precision/recall/F1 of the places the geo stage finds in
  the article text (after Kronika's own spaCy parse), strict (same offsets) and relaxed
  (overlapping). GeoWebNews gold counts every annotated toponym except generic
  expressions, non-toponyms, demonyms, languages and homonyms (which Kronika does not
  treat as places); TR-News/LGL gold counts every toponym (their demonyms included).
* **resolution given gold toponyms**: each gold span with coordinates is resolved with
  the document's other gold toponyms as context (and, as the geo stage reads them from
  tokens, a container after a comma and a feature word next to the name: "New York Gov."); accuracy within 161 km, mean and median
  error in km, and AUC of the error curve (area under log(1+error) over the sorted
  toponyms, normalised by log(20039 km): lower is better). A name the gazetteer does not
  hold ("Frenchmen Street") is put at the document's focus place (the resolved town at
  the centre of its resolved places, see ``focus_place``), as geoparsers do; the count
  of such fallbacks is reported.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import statistics
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kronika.geo.gazetteer import GazEntry, km
from kronika.geo.parser import Geoparser
from kronika.geo.resolve import FEATURE_WORDS, Resolution, Resolver, Toponym
from kronika.model import Article

if TYPE_CHECKING:
    from kronika.nlp import SpacyParser

MAX_KM = 20039.0
# GeoWebNews types that are not places in Kronika's sense (see module docstring).
GWN_NOT_PLACES = frozenset({
    "Non_Toponym", "Literal_Expression", "Non_Lit_Expression", "Demonym", "Language", "Homonym",
})
# Resolved features that can anchor a document's focus, and the distance cap of its medoid.
_LOCAL = frozenset({"city", "admin2", "admin1", "island"})
FOCUS_CAP_KM = 1000.0
LOCAL_CHARS, LOCAL_KM = 300, 300.0
_WORD = re.compile(r"[A-Z][\w'\u2019-]*(?: [A-Z][\w'\u2019-]*)?")
_NEXT_WORD = re.compile(r" ([A-Za-z]+\.?)")
_OF_BEFORE = re.compile(r"\b([A-Za-z]+) of (?:the )?$")


@dataclass(frozen=True, slots=True)
class GoldToponym:
    start: int
    end: int
    text: str
    lat: float | None
    lon: float | None
    kind: str = ""  # GeoWebNews type, "" elsewhere
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    doc_id: str
    text: str
    date: str | None
    toponyms: tuple[GoldToponym, ...]


@dataclass(frozen=True, slots=True)
class ResolutionScore:
    n: int
    accuracy_161: float
    mean_km: float
    median_km: float
    auc: float
    fallbacks: int
    errors: tuple[str, ...] = field(default=(), compare=False)

    def summary(self) -> str:
        return (
            f"resolution given gold toponyms: n {self.n}  acc@161km {self.accuracy_161:.4f}  "
            f"mean {self.mean_km:.1f} km  median {self.median_km:.1f} km  AUC {self.auc:.4f}  "
            f"(focus fallbacks {self.fallbacks})"
        )


@dataclass(frozen=True, slots=True)
class SpanScore:
    n_gold: int
    n_system: int
    strict: tuple[float, float, float]
    relaxed: tuple[float, float, float]

    def summary(self) -> str:
        sp, sr, sf = self.strict
        rp, rr, rf = self.relaxed
        return (
            f"toponym spans: gold {self.n_gold} system {self.n_system}  "
            f"strict P {sp:.4f} R {sr:.4f} F1 {sf:.4f}  relaxed P {rp:.4f} R {rr:.4f} F1 {rf:.4f}"
        )


# --------------------------------------------------------------------------- readers


def read_gold(path: Path | str) -> list[GoldArticle]:
    """Read GeoWebNews (``extractedName``/``latitude``) or TR-News/LGL (``phrase``/``gaztag``)."""
    root = ET.parse(str(path)).getroot()
    out = []
    for n, art in enumerate(root.iter("article")):
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or art.get("file") or str(n)
        date = (art.findtext("dltime") or "").strip() or None
        tops = tuple(_toponym(t) for t in art.iter("toponym"))
        out.append(GoldArticle(doc_id, text, date, tuple(t for t in tops if t is not None)))
    return out


def _toponym(t: ET.Element) -> GoldToponym | None:
    try:
        start, end = int(t.findtext("start") or ""), int(t.findtext("end") or "")
    except ValueError:
        return None
    name = t.findtext("extractedName") or t.findtext("phrase") or ""
    lat, lon = t.findtext("latitude"), t.findtext("longitude")
    gid = t.findtext("geonamesID")
    tag = t.find("gaztag")
    if tag is not None:
        lat, lon, gid = tag.findtext("lat"), tag.findtext("lon"), tag.get("geonameid")
    return GoldToponym(start, end, name.strip(), _float(lat), _float(lon), t.findtext("type") or "",
                       int(gid) if gid and gid.strip().isdigit() else None)


def _float(v: str | None) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except ValueError:
        return None


def is_place(t: GoldToponym) -> bool:
    return t.kind not in GWN_NOT_PLACES


# --------------------------------------------------------------------------- resolution


def resolve_gold(resolver: Resolver, article: GoldArticle) -> list[tuple[GoldToponym, GazEntry | None, bool]]:
    """Resolve an article's gold toponyms together: (gold, entry, was_fallback)."""
    gold = [t for t in article.toponyms if t.lat is not None and t.lon is not None]
    ordered = sorted(gold, key=lambda t: t.start)
    tops = [Toponym(t.text, text_hint(article.text, t.start, t.end), _container(ordered, i, article.text))
            for i, t in enumerate(ordered)]
    demonyms = demonym_counts(resolver, article.text)
    res = resolver.resolve(tops, demonyms)
    focus = focus_place(res)
    return [(g, _local_focus(ordered, res, i, focus), True) if _use_focus(r) else (g, r.entry, False)
            for i, (g, r) in enumerate(zip(ordered, res, strict=True))]


def text_hint(text: str, start: int, end: int) -> str | None:
    """The feature a neighbouring word asks for, as the geo stage reads it from tokens
    (``recognize.feature_hints``): the word right after the name ("Idlib province", "New
    York Gov.") or a feature word before "of" ("the state of New York")."""
    after = _NEXT_WORD.match(text, end)
    word = after.group(1).lower() if after else ""
    hint = FEATURE_WORDS.get(word) or FEATURE_WORDS.get(word.rstrip("."))
    if hint is None:
        before = _OF_BEFORE.search(text, max(0, start - 30), start)
        hint = FEATURE_WORDS.get(before.group(1).lower()) if before else None
    return hint


def _local_focus(ordered: Sequence[GoldToponym], res: Sequence[Resolution | None], i: int,
                 focus: GazEntry | None) -> GazEntry | None:
    """The resolved town written closest before or after an unresolved name (within
    ``LOCAL_CHARS``), when it lies within ``LOCAL_KM`` of the focus: local features sit
    next to their town ("on Frenchmen Street in the Marigny, New Orleans"), but a town
    far from the story's centre is more likely a misresolved homonym. Else the focus."""
    if focus is None:
        return None
    best: tuple[int, GazEntry] | None = None
    for j, r in enumerate(res):
        if r is None or _use_focus(r) or r.entry.feature not in ("city", "admin2"):
            continue
        d = abs(ordered[j].start - ordered[i].start)
        if d <= LOCAL_CHARS and (best is None or d < best[0]) and \
                km(r.entry.lat, r.entry.lon, focus.lat, focus.lon) <= LOCAL_KM:
            best = (d, r.entry)
    return best[1] if best else focus


def _use_focus(r: Resolution | None) -> bool:
    """Unresolved, or resolved only by a town inside a longer name ("Liverpool Academy",
    "Disney Springs"): such facilities are mostly in the story's own town, not the one
    they are named after. (A region inside a name, "University of California", stays.)"""
    return r is None or (r.how == "partial" and r.entry.feature == "city")


def _container(ordered: Sequence[GoldToponym], i: int, text: str) -> int | None:
    """"Paris, Texas": the next toponym written right after a comma is the container."""
    if i + 1 < len(ordered):
        gap = text[ordered[i].end : ordered[i + 1].start]
        if gap.strip() == ",":
            return i + 1
    return None


def demonym_counts(resolver: Resolver, text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        for w in (m.group(0), m.group(0).split(" ")[0]):
            iso3 = resolver.gaz.demonym_country(w)
            if iso3:
                out[iso3] += 1
                break
    return out


def focus_place(res: Sequence[Resolution | None]) -> GazEntry | None:
    """The document's focus: the resolved town (or county) that lies closest to all of
    its resolved local places, each counted per mention (a robust medoid: distances are
    capped at ``FOCUS_CAP_KM`` so one far-off or misresolved place cannot drag it).

    Why a medoid rather than the most mentioned place: the names a gazetteer lacks
    (streets, schools, villages) sit where the story is, and the story is where its
    places cluster; one wrongly resolved homonym is often mentioned as often as the
    true town but lies far from everything else. Without a town, the most mentioned
    region or country."""
    weights = Counter(r.entry for r in res if r and r.entry.feature in _LOCAL)
    towns = [e for e in weights if e.feature in ("city", "admin2")]
    if towns:
        return min(towns, key=lambda e: (_spread(e, weights), -weights[e]))
    anywhere = Counter(r.entry for r in res if r)
    return anywhere.most_common(1)[0][0] if anywhere else None


def _spread(e: GazEntry, weights: Counter[GazEntry]) -> float:
    return sum(n * min(km(e.lat, e.lon, o.lat, o.lon), FOCUS_CAP_KM) for o, n in weights.items())


def score_resolution(
    results: Iterable[tuple[GoldToponym, GazEntry | None, bool]], keep_errors: int = 0,
    geonames_only: bool = False,
) -> ResolutionScore:
    """Score resolved gold toponyms; ``geonames_only`` keeps those the gold links to a
    GeoNames entry (GeoWebNews also gives bare coordinates for streets and buildings)."""
    errors: list[float] = []
    notes: list[str] = []
    fallbacks = 0
    for g, e, fell in results:
        if geonames_only and g.geonameid is None:
            continue
        assert g.lat is not None and g.lon is not None
        d = MAX_KM if e is None else km(g.lat, g.lon, e.lat, e.lon)
        fallbacks += fell
        errors.append(d)
        if d > 161 and len(notes) < keep_errors:
            got = "nothing" if e is None else f"{e.name} [{e.feature}, {e.country}]"
            notes.append(f"{g.text!r}: got {got}, {d:.0f} km off")
    if not errors:
        return ResolutionScore(0, 0.0, 0.0, 0.0, 0.0, 0)
    return ResolutionScore(
        n=len(errors),
        accuracy_161=sum(d <= 161 for d in errors) / len(errors),
        mean_km=statistics.fmean(errors),
        median_km=statistics.median(errors),
        auc=auc(errors),
        fallbacks=fallbacks,
        errors=tuple(notes),
    )


def auc(errors: Sequence[float]) -> float:
    """Gritta et al.'s AUC: trapezoid area under sorted log(1+error), scaled to [0, 1]."""
    if not errors:
        return 0.0
    ys = sorted(math.log(1 + e) for e in errors)
    if len(ys) == 1:
        return ys[0] / math.log(MAX_KM)
    area = sum((ys[i] + ys[i + 1]) / 2 for i in range(len(ys) - 1))
    return area / ((len(ys) - 1) * math.log(MAX_KM))


def evaluate_resolution(resolver: Resolver, articles: Iterable[GoldArticle], keep_errors: int = 0,
                        geonames_only: bool = False) -> ResolutionScore:
    """Resolution given gold toponyms (every gold toponym with coordinates is resolved in
    its document's context; ``geonames_only`` scores the GeoNames-linked ones)."""
    pairs = [p for a in articles for p in resolve_gold(resolver, a)]
    return score_resolution(pairs, keep_errors, geonames_only)


# --------------------------------------------------------------------------- spans


Spans = list[tuple[int, int]]


def score_spans(gold: Sequence[Spans], system: Sequence[Spans]) -> SpanScore:
    """Micro P/R/F1 over documents; relaxed = overlap, each gold span matched once."""
    n_g = sum(map(len, gold))
    n_s = sum(map(len, system))
    strict = sum(len(set(g) & set(s)) for g, s in zip(gold, system, strict=True))
    relaxed_s = relaxed_g = 0
    for g, s in zip(gold, system, strict=True):
        relaxed_s += sum(any(a < d and c < b for c, d in g) for a, b in s)
        relaxed_g += sum(any(a < d and c < b for a, b in s) for c, d in g)
    return SpanScore(n_g, n_s, _prf(strict, n_s, strict, n_g), _prf(relaxed_s, n_s, relaxed_g, n_g))


def _prf(tp_s: int, n_s: int, tp_g: int, n_g: int) -> tuple[float, float, float]:
    p = tp_s / n_s if n_s else 0.0
    r = tp_g / n_g if n_g else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------- runners


def gold_article(a: GoldArticle) -> Article:
    """The gold text as a Kronika article (TR-News/LGL carry a download date; GeoWebNews
    does not, and resolution does not depend on it)."""
    try:
        date = dt.date.fromisoformat((a.date or "")[:10])
    except ValueError:
        date = dt.date(2000, 1, 1)
    return Article.create(a.text, date, doc_id=a.doc_id)


def kronika_spans(geoparser: Geoparser, parser: SpacyParser) -> Callable[[Sequence[GoldArticle]], list[Spans]]:
    """A span finder that parses the articles in one batch and runs the geo stage alone
    (no actors stage, so metonyms count as places, as GeoWebNews annotates them)."""

    def find(articles: Sequence[GoldArticle]) -> list[Spans]:
        docs = list(parser.parse_many([gold_article(a) for a in articles]))
        return [[(p.start, p.end) for p in geoparser(doc, ())] for doc in docs]

    return find


def evaluate_spans_batch(
    articles: Sequence[GoldArticle], find: Callable[[Sequence[GoldArticle]], list[Spans]],
    skip: Callable[[GoldToponym], bool] | None = None,
) -> tuple[SpanScore, SpanScore]:
    """Span P/R/F1 against every gold place, and against the gold without what ``skip``
    drops (``not_a_place(resolver)``: demonyms, which TR-News and LGL annotate and
    Kronika never emits as places). The articles are parsed once."""
    system = find(articles)
    every = [[(t.start, t.end) for t in a.toponyms if is_place(t)] for a in articles]
    kept = [[(t.start, t.end) for t in a.toponyms if is_place(t) and not (skip and skip(t))] for a in articles]
    return score_spans(every, system), score_spans(kept, system)


def not_a_place(resolver: Resolver) -> Callable[[GoldToponym], bool]:
    """Gold toponyms that are demonyms ("Turkish"): Kronika's geo stage never emits them."""
    return lambda t: resolver.gaz.demonym_entry(t.text) is not None
