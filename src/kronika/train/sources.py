"""Readers of labelled event data: what ``kronika train events`` learns from.

Two shapes of labels, each in its own reader:

* **sentence-complete** (``wikinews_silver.jsonl`` and a user's JSON lines with an ``events``
  list): every event of the sentence is listed (``type``, ``source``/``target`` text or null,
  ``trigger`` text), so every other candidate of the sentence is a NONE example: the
  negatives a coder needs to stay precise. Sentences of one ``doc`` are read as one article
  (their actors and times resolve in context).
* **pair-labelled** (PLV ``*.tsv`` with ``marked_sentence``/``gold_root``, and user JSON lines
  with ``text``, ``source``, ``target``, ``type``): one label for one marked source/target pair;
  other candidates of the sentence are unknown and not used.

Labels may come from any ontology (a user's own label set trains a coder for it); PLOVER 0.5b1
names are mapped to PLOVER 2021 (``YIELD`` splits into CONCEDE/RETREAT by the predicate's
lexicon reading, in ``train.events``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from kronika.errors import ConfigError
from kronika.model import plover_type

DEFAULT_DATE = dt.date(2018, 1, 1)  # PLV sentences carry no date (2017-2018 wire news)


@dataclass(frozen=True, slots=True)
class GoldEvent:
    type: str
    source: str | None  # text of the source span
    target: str | None
    trigger: str | None = None
    mode: str | None = None
    source_country: str | None = None
    target_country: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledSentence:
    text: str
    events: tuple[GoldEvent, ...]


@dataclass(frozen=True, slots=True)
class LabelledDoc:
    """Sentences of one article; ``complete``: every event is listed (others are NONE)."""

    id: str
    date: dt.date
    sentences: tuple[LabelledSentence, ...]
    complete: bool
    origin: str
    weak: bool = False  # a document-level label only (synthetic stories)
    dictionaries: tuple[Path, ...] = ()  # actor dictionaries the sentence's actors need (PETRARCH)
    domain: str = "news"  # the kind of text: news (articles), wire (single wire sentences), synthetic


def _type(name: str) -> str:
    return plover_type(str(name).strip().upper())


def _side(raw: object) -> tuple[str | None, str | None]:
    if isinstance(raw, dict):
        return raw.get("text"), raw.get("country")
    return (str(raw) if raw else None), None


def _event(raw: dict, where: str) -> GoldEvent:
    if not raw.get("type"):
        raise ConfigError(f"{where}: an event without a type", code="K014")
    src, sc = _side(raw.get("source"))
    tgt, tc = _side(raw.get("target"))
    return GoldEvent(_type(raw["type"]), src, tgt, raw.get("trigger"), raw.get("mode"), sc, tc)


def _date(raw: object, where: str) -> dt.date:
    if not raw:
        return DEFAULT_DATE
    try:
        return dt.date.fromisoformat(str(raw)[:10])
    except ValueError as exc:
        raise ConfigError(f"{where}: bad date {raw!r}", code="K014") from exc


def read_jsonl(path: Path) -> list[LabelledDoc]:
    """Sentence-complete lines (``doc``, ``i``, ``text``, ``events``) grouped by ``doc``, and
    pair-labelled lines (``text``, ``source``, ``target``, ``type``), one doc each."""
    grouped: dict[str, list[tuple[int, dict]]] = {}
    pairs: list[LabelledDoc] = []
    dates: dict[str, dt.date] = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"{where}: not JSON ({exc})", code="K014") from exc
            if not isinstance(raw, dict) or not raw.get("text"):
                raise ConfigError(f"{where}: a labelled line needs `text`", code="K014")
            if "events" in raw:
                doc = str(raw.get("doc") or f"{path.name}:{n}")
                grouped.setdefault(doc, []).append((int(raw.get("i", n)), raw))
                dates[doc] = _date(raw.get("date"), where)
            elif "type" in raw:
                ev = _event(raw, where)
                sent = LabelledSentence(raw["text"], (ev,) if ev.type != "NONE" else ())
                pairs.append(LabelledDoc(str(raw.get("id") or f"{path.name}:{n}"), _date(raw.get("date"), where),
                                         (sent,), complete=ev.type == "NONE", origin=where,
                                         domain=str(raw.get("domain") or "wire")))
            else:
                raise ConfigError(f"{where}: a labelled line needs `events` or `type`", code="K014")
    docs = [LabelledDoc(doc, dates[doc], tuple(
        LabelledSentence(r["text"], tuple(_event(e, f"{path}:{doc}") for e in r["events"] or ()))
        for _, r in sorted(items, key=lambda x: x[0])), complete=True, origin=f"{path}:{doc}",
        domain=str(items[0][1].get("domain") or "news"))
        for doc, items in grouped.items()]
    return docs + pairs


def read_plv(path: Path) -> list[LabelledDoc]:
    """The PLV split (TSV: ``sentence``, ``source``, ``target``, ``gold_root``)."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh, delimiter="\t"), 2):
            if not row.get("sentence") or not row.get("gold_root"):
                raise ConfigError(f"{path}:{n}: a PLV row needs `sentence` and `gold_root`", code="K014")
            ev = GoldEvent(_type(row["gold_root"]), row.get("source") or None, row.get("target") or None)
            out.append(LabelledDoc(f"plv:{row.get('sentence_id') or n}", DEFAULT_DATE,
                                   (LabelledSentence(row["sentence"], (ev,)),), complete=False,
                                   origin=f"{path}:{n}", domain="wire"))
    return out


def read_weak(path: Path, sentences: int = 1) -> list[LabelledDoc]:
    """Document-labelled stories (NGEC synthetic CSV: ``text``, ``label``): the lede's
    candidates whose lexicon or CAMEO reading agrees with the label become weak positives."""
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 2):
            if not row.get("text") or not row.get("label"):
                raise ConfigError(f"{path}:{n}: a story needs `text` and `label`", code="K014")
            lede = " ".join(row["text"].split("\n\n")[:sentences]).strip()
            ev = GoldEvent(_type(row["label"]), None, None, mode=row.get("mode") or None)
            out.append(LabelledDoc(f"weak:{path.name}:{n}", DEFAULT_DATE, (LabelledSentence(lede, (ev,)),),
                                   complete=False, origin=f"{path}:{n}", weak=True,
                                   domain="synthetic"))
    return out


def read_petrarch(path: Path) -> list[LabelledDoc]:
    """PETRARCH validation records (XML): every coding of a sentence, its CAMEO code read as a
    PLOVER type through the shipped table, sides as country codes. The records are complete
    (their codings are all a coder should find), and their invented actors (Arnor, Gondor)
    come from the dictionaries beside the file."""
    from kronika.evaluate.events import iter_petrarch, petrarch_dictionaries
    from kronika.events.ontology import load_cameo_table

    table = load_cameo_table()
    dicts = tuple(p for p in petrarch_dictionaries(path) if "verbs" not in p.name.lower())
    out = []
    for rid, text, date, codings in iter_petrarch(path):
        events = []
        for c in codings:
            code = c["eventcode"]
            coding = table.get(code) or table.get(code[:3]) or table.get(code[:2])
            if coding is None:
                continue
            events.append(GoldEvent(coding.type, None, None, mode=coding.mode,
                                    source_country=(c.get("sourcecode") or "")[:3] or None,
                                    target_country=(c.get("targetcode") or "")[:3] or None))
        out.append(LabelledDoc(f"petrarch:{path.name}:{rid}", date, (LabelledSentence(text, tuple(events)),),
                               complete=True, origin=f"{path}#{rid}", dictionaries=dicts,
                               domain="wire"))
    return out


def read_corrections(path: Path) -> dict[tuple[str, str], str]:
    """Label corrections (TSV: ``doc``, ``from``, ``to``, ``why``): the event of training
    document ``doc`` (``plv:<sentence_id>``, a JSON line's ``doc`` or ``id``) labelled
    ``from`` is read as ``to``.

    Why a file and not an edit of the data: third-party training sets are read as published;
    where their labels follow another convention than the one the coder is held to (PLV codes
    imposed sanctions COERCE, as the 2021 CAMEO table does; the PLOVER manual says SANCTION),
    each departure is one auditable row with its reason, and a user can drop or extend it."""
    if not path.exists():
        raise ConfigError(f"label corrections {path} do not exist", code="K014")
    out: dict[tuple[str, str], str] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t")
        for n, row in enumerate(rows, 2):
            doc, old, new = (row.get("doc") or "").strip(), _type(row.get("from") or ""), _type(row.get("to") or "")
            if not doc or not old or not new:
                raise ConfigError(f"{path}:{n}: a correction needs `doc`, `from` and `to`", code="K014")
            out[(doc, old)] = new
    return out


def apply_corrections(docs: list[LabelledDoc], corrections: dict[tuple[str, str], str]) -> tuple[list[LabelledDoc], int]:
    """``docs`` with each corrected event's type replaced, and how many events changed (a
    correction whose document or label is not there changes nothing: the count says so)."""
    if not corrections:
        return docs, 0
    changed = 0
    out = []
    for d in docs:
        sents = []
        for s in d.sentences:
            evs = []
            for e in s.events:
                new = corrections.get((d.id, e.type))
                if new is not None and new != e.type:
                    e = replace(e, type=new, mode=None)
                    changed += 1
                evs.append(e)
            sents.append(replace(s, events=tuple(evs)))
        out.append(replace(d, sentences=tuple(sents)))
    return out, changed


def read_labelled(path: Path) -> list[LabelledDoc]:
    """Any supported file: ``.tsv`` (PLV), ``.csv`` (document-labelled stories), ``.xml``
    (PETRARCH validation records) or ``.jsonl`` (sentence-complete or pair lines)."""
    if not path.exists():
        raise ConfigError(f"training data {path} does not exist", code="K014")
    if path.suffix.lower() == ".csv":
        return read_weak(path)
    if path.suffix.lower() == ".xml":
        return read_petrarch(path)
    if path.suffix.lower() == ".tsv":
        return read_plv(path)
    if path.suffix.lower() in (".jsonl", ".json"):
        return read_jsonl(path)
    raise ConfigError(f"training data {path}: expected .jsonl or .tsv", code="K014")
