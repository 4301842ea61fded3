"""Scoring the event coder against gold: PLOVER GSR records, PETRARCH validation XML, and
Kronika's own ``events.json`` gold.

Why three readers: each gold set tests something different. The PLOVER gold-standard records
test the type (one event per sentence, PLOVER 0.5b1 labels mapped to 2021 through
``data/events/plover_versions.yaml``); PETRARCH records test CAMEO root codes and dyads; the
Kronika gold tests whole records (date, status) on real articles, with the same matching rules
as ``shared/eval/score_events.py``.

For PLOVER and PETRARCH records the sentence is coded as a one-sentence article. Actors come
either from the gold markup (``actors="gold"``: the coder is scored alone, given the actors) or
from the pipeline's actor stage (``actors="system"``).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.errors import ConfigError
from kronika.model import PLOVER_TYPES, SYMMETRIC_TYPES, ActorMention, Article, Event, ParsedDoc, plover_type
from kronika.resources import iter_tsv, load_yaml

NONE = "NONE"
TAIL = 0.03  # calibration slope beyond the fitted scores (see fit_calibration)
NON_STATE = frozenset({"IGO", "NGO", "MNC", "UNO", "IMG", "REB", "INS"})


@dataclass(frozen=True, slots=True)
class GoldActor:
    text: str
    code: str | None
    role: str  # "source", "target" or "both"


@dataclass(frozen=True, slots=True)
class GoldRecord:
    """One gold sentence with its expected event."""

    id: str
    text: str
    date: dt.date
    type: str  # PLOVER 2021 type, or the CAMEO code for PETRARCH records
    mode: str | None
    sources: frozenset[str]  # countries (or codes) on each side
    targets: frozenset[str]
    actors: tuple[GoldActor, ...] = ()
    cameo: tuple[str, ...] = ()  # CAMEO codes (PETRARCH)


def country_of(code: str | None) -> str | None:
    """The country part of a CAMEO-style actor code ("RUSGOV" → "RUS"); None for IGOs."""
    if not code or len(code) < 3 or not code[:3].isalpha() or code[:3].upper() in NON_STATE:
        return None
    return code[:3].upper()


# ---------------------------------------------------------------------- readers


def load_version_map(relpath: str = "events/plover_versions.yaml") -> dict[str, dict[str, str]]:
    return {k.upper(): v for k, v in (load_yaml(relpath) or {}).get("types", {}).items()}


def map_type(label: str, mode: str | None, table: dict[str, dict[str, str]]) -> tuple[str, str | None]:
    """A PLOVER 0.5b1 type and mode in PLOVER 2021 terms."""
    entry = table.get(label.upper())
    if entry is None:
        return label.upper(), mode or None
    new_mode = mode if entry.get("mode") == "keep" else entry.get("mode")
    return entry["type"], new_mode or None


_MARK = re.compile(r"\((SRC/TAR|SRC|TAR):\s*((?:[^()]|\([^()]*\))*?)\s*\)")  # one level of (...) inside


def _gsr_actors(rec: dict[str, Any], iso: dict[str, str]) -> tuple[GoldActor, ...]:
    """The record's marked actors with their codes; CAMEO country prefixes become ISO 3166
    alpha-3 as Kronika writes them ("JAPGOV" → "JPNGOV", via ``iso``)."""
    codes: dict[str, str] = {}
    for key in ("source", "target"):
        value = rec.get(key)
        if isinstance(value, list):
            for a in value:
                code = str(a.get("code", ""))
                code = iso.get(code[:3], code[:3]) + code[3:] if len(code) >= 3 else code
                codes.setdefault(str(a.get("actorText", "")), code)
    roles = {"SRC": "source", "TAR": "target", "SRC/TAR": "both"}
    out = []
    for m in _MARK.finditer((rec.get("textInfo") or {}).get("markup", "")):
        text = m.group(2).strip()
        if text:
            out.append(GoldActor(text, codes.get(text), roles[m.group(1)]))
    return tuple(out)


def load_plover_gsr(path: Path) -> list[GoldRecord]:
    """PLOVER gold-standard records (JSON list); the DOCUMENT header record is skipped."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"cannot read PLOVER gold {path}: {exc}", code="K020") from exc
    table = load_version_map()
    iso = {r["cameo"]: r["iso3"] for r in iter_tsv("actors/cameo_countries.tsv")}  # JAP → JPN
    out = []
    for rec in data:
        if not rec.get("text") or rec.get("event") == "DOCUMENT":
            continue
        ptype, mode = map_type(str(rec["event"]), rec.get("mode") or None, table)
        actors = _gsr_actors(rec, iso)
        src = {country_of(a.code) or (a.code or "") for a in actors if a.role in ("source", "both")}
        tgt = {country_of(a.code) or (a.code or "") for a in actors if a.role in ("target", "both")}
        date = dt.date.fromisoformat(rec.get("date") or "2000-01-01")
        out.append(GoldRecord(str(rec["id"]), rec["text"].strip(), date, ptype, mode,
                              frozenset(src - {""}), frozenset(tgt - {""}), actors))
    return out


_SENTENCE = re.compile(r"<Sentence\b([^>]*)>(.*?)</Sentence>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CODING = re.compile(r"<EventCoding\b([^>]*)/?>")
_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


def iter_petrarch(path: Path) -> Iterable[tuple[str, str, dt.date, list[dict[str, str]]]]:
    """Every valid PETRARCH record as (id, text, date, codings): each coding's attributes
    (``sourcecode``, ``targetcode``, ``eventcode``). Training reads all codings of a sentence."""
    try:
        raw = Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise ConfigError(f"cannot read PETRARCH records {path}: {exc}", code="K020") from exc
    for m in _SENTENCE.finditer(raw):
        attrs = dict(_ATTR.findall(m.group(1)))
        text_m = _TEXT.search(m.group(2))
        codings = [dict(_ATTR.findall(c)) for c in _CODING.findall(m.group(2))]
        codings = [c for c in codings if c.get("eventcode")]
        if attrs.get("valid") == "false" or attrs.get("evaluate") == "false" or not text_m or not codings:
            continue
        try:
            date = dt.datetime.strptime((attrs.get("date") or "20000101")[:8], "%Y%m%d").date()
        except ValueError:
            date = dt.date(2000, 1, 1)
        yield str(attrs.get("id")), " ".join(html.unescape(text_m.group(1)).split()), date, codings


def load_petrarch(path: Path) -> list[GoldRecord]:
    """PETRARCH validation records: ``<Sentence>`` with ``<EventCoding>`` and ``<Text>``.

    Read block by block (``iter_petrarch``: the files are not always well-formed XML);
    records marked ``valid="false"``/``evaluate="false"`` are skipped. The type is the CAMEO
    root of the first coding."""
    out = []
    for rid, text, date, codings in iter_petrarch(path):
        c = codings[0]
        out.append(GoldRecord(
            rid, text, date, c["eventcode"][:2], None,
            frozenset({c.get("sourcecode", "")[:3]}) - {""}, frozenset({c.get("targetcode", "")[:3]}) - {""},
            (), tuple(x["eventcode"] for x in codings)))
    return out


def gold_actor_mentions(doc: ParsedDoc, actors: Iterable[GoldActor]) -> tuple[ActorMention, ...]:
    """The gold markup's actor spans as mentions, found left to right in the text."""
    out = []
    cursor = 0
    for a in actors:
        start = doc.text.find(a.text, cursor)
        if start < 0:
            start = doc.text.find(a.text)
        if start < 0:
            continue
        end = start + len(a.text)
        cursor = end
        toks = [t for t in doc.tokens if t.start < end and t.end > start]
        if not toks:
            continue
        ids = {t.i for t in toks}
        head = next((t.i for t in toks if t.head not in ids or t.head == t.i), toks[-1].i)
        code = a.code or None
        country = country_of(code)
        out.append(ActorMention(start, end, a.text, doc.sentence_of_char(start), head, code, country,
                                (code or "")[3:6] or None, kind="group", how="gold"))
    return tuple(sorted(out, key=lambda m: m.start))


# ---------------------------------------------------------------------- scoring


@dataclass
class EventScores:
    """Type accuracy, macro-F1, confusion, dyad accuracy, status counts, reliability."""

    n: int = 0
    type_correct: int = 0
    any_correct: int = 0
    source_correct: int = 0
    target_correct: int = 0
    target_total: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    status: Counter[str] = field(default_factory=Counter)
    reliability: list[tuple[float, bool]] = field(default_factory=list)

    @property
    def type_accuracy(self) -> float:
        return self.type_correct / self.n if self.n else 0.0

    def macro_f1(self) -> float:
        labels = sorted({g for g, _ in self.confusion} - {NONE})
        f1s = []
        for lab in labels:
            tp = self.confusion[(lab, lab)]
            fp = sum(v for (g, s), v in self.confusion.items() if s == lab and g != lab)
            fn = sum(v for (g, s), v in self.confusion.items() if g == lab and s != lab)
            p = tp / (tp + fp) if tp + fp else 0.0
            r = tp / (tp + fn) if tp + fn else 0.0
            f1s.append(2 * p * r / (p + r) if p + r else 0.0)
        return sum(f1s) / len(f1s) if f1s else 0.0

    def reliability_table(self, bins: int = 5) -> list[tuple[str, int, float, float]]:
        """(confidence bin, events, mean confidence, observed accuracy) per bin."""
        rows = []
        for b in range(bins):
            lo, hi = b / bins, (b + 1) / bins
            items = [(c, ok) for c, ok in self.reliability if lo <= c < hi or (b == bins - 1 and c == 1.0)]
            if items:
                rows.append((f"{lo:.1f}-{hi:.1f}", len(items), sum(c for c, _ in items) / len(items),
                             sum(ok for _, ok in items) / len(items)))
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "records": self.n,
            "type_accuracy": round(self.type_accuracy, 4),
            "any_event_type_recall": round(self.any_correct / self.n, 4) if self.n else 0.0,
            "macro_f1": round(self.macro_f1(), 4),
            "source_country_accuracy": round(self.source_correct / self.n, 4) if self.n else 0.0,
            "target_country_accuracy": round(self.target_correct / self.target_total, 4)
            if self.target_total else None,
            "status": dict(self.status),
            "confusion": {f"{g}->{s}": v for (g, s), v in sorted(self.confusion.items())},
            "reliability": [
                {"bin": b, "events": n, "mean_confidence": round(c, 3), "accuracy": round(a, 3)}
                for b, n, c, a in self.reliability_table()
            ],
        }


def _side(refs: Iterable[Any], petrarch: bool) -> set[str]:
    out = set()
    for r in refs:
        code = r.actor if petrarch else (r.country or country_of(r.actor) or r.actor)
        if code:
            out.add(code[:3])
    return out


def _event_type(ev: Event, petrarch: bool) -> str:
    return (ev.cameo or NONE)[:2] if petrarch else ev.type


def _sides_ok(ev: Event, rec: GoldRecord, petrarch: bool) -> tuple[bool, bool]:
    src, tgt = _side(ev.source, petrarch), _side(ev.target, petrarch)
    if rec.type in SYMMETRIC_TYPES or rec.sources & rec.targets:
        both = src | tgt
        return (not rec.sources or bool(rec.sources & both)), (not rec.targets or bool(rec.targets & both))
    return (not rec.sources or bool(rec.sources & src)), (not rec.targets or bool(rec.targets & tgt))


def score_records(records: list[GoldRecord], code: Callable[[GoldRecord], tuple[Event, ...]],
                  *, petrarch: bool = False) -> EventScores:
    """Code each gold sentence and compare its top event (the most confident) to the gold."""
    sc = EventScores()
    for rec in records:
        events = code(rec)
        sc.n += 1
        top = max(events, key=lambda e: e.confidence) if events else None
        got = _event_type(top, petrarch) if top else NONE
        sc.confusion[(rec.type, got)] += 1
        if got == rec.type:
            sc.type_correct += 1
        if any(_event_type(e, petrarch) == rec.type for e in events):
            sc.any_correct += 1
        if top is not None:
            s_ok, t_ok = _sides_ok(top, rec, petrarch)
            sc.source_correct += s_ok and bool(top.source)
            if rec.targets:
                sc.target_total += 1
                sc.target_correct += t_ok and bool(top.target)
        elif rec.targets:
            sc.target_total += 1
        for e in events:
            sc.status[e.status] += 1
            ok = _event_type(e, petrarch) == rec.type and _sides_ok(e, rec, petrarch)[0]
            sc.reliability.append((e.confidence, ok))
    return sc


def halves(records: list[GoldRecord]) -> tuple[list[GoldRecord], list[GoldRecord]]:
    """Even- and odd-indexed records: tune or fit on one half, report the other."""
    return records[0::2], records[1::2]


def fit_calibration(pairs: list[tuple[float, bool]], bins: int = 3, prior: float = 1.0) -> list[tuple[float, float]]:
    """Score → probability points by isotonic regression over equal-count score bins.

    ``pairs`` are (raw score, event right). The bins' (mean score, observed accuracy) are made
    non-decreasing by pooling adjacent violators, so the piecewise-linear map the coder reads
    (``events.coder.calibrate``) is monotone; outside the observed scores it barely rises. Each
    bin's accuracy is shrunk toward the overall one by ``prior`` pseudo-events, so a small bin
    that happened to be all right does not promise certainty.
    """
    items = sorted(pairs)
    if not items:
        return [(0.0, 0.0), (1.0, 1.0)]
    size = max(1, -(-len(items) // bins))
    blocks: list[list[float]] = []  # [score sum, right, count]; equal scores stay in one bin
    for c, ok in items:
        if not blocks or (blocks[-1][2] >= size and c > blocks[-1][3]):
            blocks.append([0.0, 0.0, 0.0, c])
        b = blocks[-1]
        b[0], b[1], b[2], b[3] = b[0] + c, b[1] + ok, b[2] + 1, c
    base = sum(ok for _, ok in items) / len(items)

    def rate(b: list[float]) -> float:  # shrunk toward the overall rate (small bins)
        return (b[1] + prior * base) / (b[2] + prior)

    pooled: list[list[float]] = []
    for b in blocks:
        pooled.append(b)
        while len(pooled) > 1 and rate(pooled[-2]) > rate(pooled[-1]):
            last = pooled.pop()
            pooled[-1] = [pooled[-1][0] + last[0], pooled[-1][1] + last[1], pooled[-1][2] + last[2], last[3]]
    pts = [(round(b[0] / b[2], 3), round(rate(b), 3)) for b in pooled]
    # A slight slope beyond the fitted scores keeps their order (the most confident event of a
    # sentence stays its top event) without claiming more than the bins show.
    return [(0.0, round(max(0.0, pts[0][1] - TAIL), 3)), *pts, (1.0, round(min(1.0, pts[-1][1] + TAIL), 3))]


def calibration_report(records: list[GoldRecord], raw: dict[str, tuple[Event, ...]], *,
                       bins: int = 3) -> dict[str, Any]:
    """Fit the calibration on the even-indexed records' raw scores and report the
    reliability of the fitted map on the odd-indexed ones (held out) and in-sample."""
    from kronika.events.coder import calibrate

    fit_on, held_out = halves(records)

    def pairs(recs: list[GoldRecord]) -> list[tuple[float, bool]]:
        return score_records(recs, lambda r: raw.get(r.id, ())).reliability

    points = fit_calibration(pairs(fit_on), bins)

    def table(recs: list[GoldRecord]) -> list[dict[str, Any]]:
        sc = EventScores(reliability=[(calibrate(c, tuple(points)), ok) for c, ok in pairs(recs)])
        return [{"bin": b, "events": n, "mean_confidence": round(c, 3), "accuracy": round(a, 3)}
                for b, n, c, a in sc.reliability_table()]

    return {"fit_records": len(fit_on), "held_out_records": len(held_out), "points": points,
            "reliability_held_out": table(held_out), "reliability_in_sample": table(fit_on)}


def sentence_article(rec: GoldRecord) -> Article:
    return Article.create(rec.text, rec.date, doc_id=rec.id)


def confusion_rows(sc: EventScores) -> list[list[str]]:
    """The confusion matrix as rows of strings (gold down, system across)."""
    labels = [t for t in (*PLOVER_TYPES, NONE) if any(t in k for k in sc.confusion)]
    extra = sorted({x for k in sc.confusion for x in k} - set(labels))
    labels += extra
    rows = [["gold\\sys", *[lab[:5] for lab in labels]]]
    for g in labels:
        if any(k[0] == g for k in sc.confusion):
            rows.append([g, *[str(sc.confusion[(g, s)] or ".") for s in labels]])
    return rows


# ---------------------------------------------------------------------- Kronika gold


def _words(text: str | None) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", (text or "").lower()))


def _countries(side: Any) -> set[str]:
    if side is None:
        return set()
    if isinstance(side, list):
        return set().union(*(_countries(s) for s in side)) if side else set()
    if isinstance(side, dict):
        return {side["country"]} if side.get("country") else set()
    return {side} if isinstance(side, str) else set()


def kronika_match(ev: dict[str, Any], gold: dict[str, Any]) -> bool:
    """``shared/eval/score_events.py``'s matching rule, for the same figures in-process."""
    if plover_type(str(ev.get("type"))) != plover_type(str(gold["type"])):
        return False
    src, tgt = _countries(ev.get("source")), _countries(ev.get("target"))
    gs, gt = gold.get("source"), gold.get("target")

    def ok(have: set[str], want: str | None) -> bool:
        return want is None or want in have

    if not ((ok(src, gs) and ok(tgt, gt)) or (gold["type"] in SYMMETRIC_TYPES and ok(tgt, gs) and ok(src, gt))):
        return False
    if gold.get("date") and not str((ev.get("date") or {}).get("value") or "").startswith(gold["date"]):
        return False
    if gold.get("status") and ev.get("status") != gold["status"]:
        return False
    cue = _words(gold.get("cue"))
    return not cue or len(cue & _words(ev.get("evidence"))) / len(cue) >= 0.5


def score_kronika_gold(gold: dict[str, Any], system: list[dict[str, Any]]) -> dict[str, Any]:
    """Precision, recall and per-gold matches of system event records against events.json."""
    events = gold["events"]
    found: dict[str, int] = {}
    correct = 0
    for n, ev in enumerate(system):
        hits = [g["id"] for g in events if kronika_match(ev, g)]
        correct += bool(hits)
        for h in hits:
            found.setdefault(h, n)
    required = [g for g in events if g.get("required")]
    recall = sum(g["id"] in found for g in required) / len(required) if required else 1.0
    precision = correct / len(system) if system else 0.0
    return {
        "system": len(system), "required": len(required), "precision": round(precision, 4),
        "recall": round(recall, 4), "missing": [g["id"] for g in required if g["id"] not in found],
        "status": dict(Counter(str(e.get("status")) for e in system)),
        "types": dict(Counter(str(e.get("type")) for e in system)),
    }


# ---------------------------------------------------------------------- running the coder


def code_records(records: list[GoldRecord], settings: Any, parser: Any, *, actors: str = "gold",
                 dictionaries: tuple[Path, ...] = (), places: bool = False,
                 raw_scores: bool = False) -> dict[str, tuple[Event, ...]]:
    """Code every gold sentence as a one-sentence article (parsed in one batch).

    ``actors="gold"`` takes the actors from the gold markup (the coder is scored alone);
    ``"system"`` runs the actor stage (with PETRARCH ``dictionaries`` when given, as the
    PETRARCH records need their own toy actors). Times and places come from their stages.

    Every stage is imported and built normally: a stage that fails raises here, so a broken
    stage can never drop out of a score unnoticed.
    """
    from kronika.actors import ActorResolver
    from kronika.events import EventCoder
    from kronika.events.coder import RAW_SCORES
    from kronika.events.petrarch import is_verb_dictionary
    from kronika.geo import EventLocator, Geoparser
    from kronika.time import TimeTagger

    verbs = tuple(p for p in dictionaries if is_verb_dictionary(p))
    if verbs or raw_scores:  # PETRARCH verb dictionaries and raw rule scores belong to the rule coder
        settings = settings.replace(events_coder="rules")
    coder = EventCoder(settings, calibration=RAW_SCORES if raw_scores else None, verb_dictionaries=verbs,
                        locator=EventLocator)
    tagger = TimeTagger(settings)
    geo = Geoparser(settings) if places else None
    resolver = None
    if actors == "system":
        actor_dicts = tuple(p for p in dictionaries if not is_verb_dictionary(p))
        resolver = _petrarch_resolver(settings, actor_dicts) if actor_dicts else ActorResolver(settings)
    by_id = {rec.id: rec for rec in records}
    out: dict[str, tuple[Event, ...]] = {}
    for doc in parser.parse_many(sentence_article(r) for r in records):
        rec = by_id[doc.article.doc_id or ""]
        times = tagger(doc)
        mentions = resolver(doc, times) if resolver is not None else gold_actor_mentions(doc, rec.actors)
        found = geo(doc, mentions) if geo is not None else ()
        if resolver is not None:
            mentions = resolver.localise(doc, mentions, found)
        out[rec.id] = coder(doc, times, mentions, found)
    return out


def petrarch_dictionaries(gold: Path) -> tuple[Path, ...]:
    """The actor, agent and verb dictionaries that sit beside a PETRARCH records file."""
    folder = Path(gold).parent
    return tuple(sorted(p for p in folder.glob("*.txt")
                        if re.search(r"actors|agents|verbs", p.name, re.I)))


def _petrarch_resolver(settings: Any, paths: tuple[Path, ...]) -> Any:
    """The actor stage loaded with PETRARCH dictionaries (the actors engineer's importer)."""
    from kronika.actors import ActorResolver, load_petrarch_dictionaries

    return ActorResolver(settings, dictionaries=(load_petrarch_dictionaries(paths),))


def events_from_jsonl(path: Path) -> dict[str, list[dict[str, Any]]]:
    """System event records (the JSON-lines contract) grouped by ``doc_id``."""
    grouped: dict[str, list[dict[str, Any]]] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            grouped.setdefault(str(rec.get("doc_id")), []).append(rec)
    return grouped


def gold_kind(path: Path) -> str:
    """"plover", "petrarch" or "kronika", from the file's content."""
    head = Path(path).read_text(encoding="utf-8", errors="replace")[:4096].lstrip()
    if head.startswith("<"):
        return "petrarch"
    if head.startswith("["):
        return "plover"
    if head.startswith("{"):
        return "kronika"
    raise ConfigError(f"{path}: not PLOVER JSON, PETRARCH XML or Kronika events.json", code="K020")
