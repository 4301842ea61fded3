"""Event dates against TimeBank/AQUAINT's event–time links: is an event dated by the time the
annotators linked it to?

    .venv/bin/python scripts/timebank_event_dates.py ../shared/data/timeml/TBAQ-cleaned [--no-narrative]

Why this set: the event coder dates an event by the time expression that governs its
predicate, else the sentence's free date, else narrative time or the article's date
(``events.anchoring``). TimeBank 1.2 and AQUAINT (TempEval-3 training; 256 news documents)
link events to times with TLINKs; an event ``IS_INCLUDED`` in (or ``DURING``, ``SIMULTANEOUS``
with, ``IDENTITY`` to) a DATE/TIME expression, or the document creation time, has that day as
its gold date. None of it is an event evaluation set, so the dating rules may be chosen here.

Every annotated event with such a link is dated the way the coder dates a predicate: Kronika's
own time tagger on the plain text, ``event_date`` with the event's token as the predicate and
no other predicate blocking, then, for acts (TimeML class OCCURRENCE, the coder's
``narrative_date_types``), ``narrative_date`` when the sentence gave none. An event is right
when its date starts with the gold date at the gold date's precision (the scorer's rule).
Printed per TimeML class and for the events whose sentence has no date of its own.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kronika.config import Settings
from kronika.events.anchoring import date_value, event_date, narrative_date
from kronika.events.lexicon import load_lexicon
from kronika.events.syntax import DocView
from kronika.model import Article
from kronika.nlp import SpacyParser
from kronika.time import TimeTagger

_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)\s*=\s*"([^"]*)"')
ANCHORING = {"IS_INCLUDED", "DURING", "SIMULTANEOUS", "IDENTITY"}  # event inside the time
INVERSE = {"INCLUDES", "DURING_INV", "SIMULTANEOUS", "IDENTITY"}  # time around the event
ACTS = {"OCCURRENCE"}


@dataclass
class GoldEvent:
    start: int
    cls: str
    date: str  # the gold date, at its precision
    dct: bool  # linked to the document creation time


def read(path: Path) -> tuple[str, dt.date, list[GoldEvent]] | None:
    """Plain text of <TEXT>, the creation date, and the events with a dating link."""
    raw = path.read_text(encoding="utf-8")
    dct_tag = re.search(r"<TIMEX3[^>]*functionInDocument=\"CREATION_TIME\"[^>]*>", raw)
    if dct_tag is None:
        return None
    dct_attrs = dict(_ATTR.findall(dct_tag.group(0)))
    dct_day = date_value(dct_attrs.get("value", ""))
    if dct_day is None or len(dct_day) < 10:
        return None
    m = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    body = m.group(1) if m else ""
    text: list[str] = []
    length = 0
    events: dict[str, tuple[int, str]] = {}
    timexes: dict[str, tuple[str, str]] = {dct_attrs.get("tid", "t0"): ("DCT", dct_day)}
    pos = 0
    for tag in _TAG.finditer(body):
        chunk = body[pos:tag.start()]
        text.append(chunk)
        length += len(chunk)
        pos = tag.end()
        if tag.group(1):
            continue
        attrs = dict(_ATTR.findall(tag.group(3)))
        if tag.group(2) == "EVENT" and "eid" in attrs:
            events[attrs["eid"]] = (length, attrs.get("class", ""))
        elif tag.group(2) == "TIMEX3" and "tid" in attrs:
            timexes[attrs["tid"]] = (attrs.get("type", ""), attrs.get("value", ""))
    text.append(body[pos:])
    instance = {a["eiid"]: a["eventID"] for a in (dict(_ATTR.findall(x)) for x in re.findall(r"<MAKEINSTANCE([^>]*)/?>", raw))
                if "eiid" in a and "eventID" in a}
    anchor: dict[str, str] = {}
    for link in re.findall(r"<TLINK([^>]*)/?>", raw):
        a = dict(_ATTR.findall(link))
        rel = a.get("relType", "")
        if "eventInstanceID" in a and "relatedToTime" in a and rel in ANCHORING:
            anchor.setdefault(instance.get(a["eventInstanceID"], ""), a["relatedToTime"])
        elif "timeID" in a and "relatedToEventInstance" in a and rel in INVERSE:
            anchor.setdefault(instance.get(a["relatedToEventInstance"], ""), a["timeID"])
    out = []
    for eid, (start, cls) in events.items():
        tid = anchor.get(eid)
        if tid not in timexes:
            continue
        kind, value = timexes[tid]
        day = dct_day if kind == "DCT" else (date_value(value) if kind in ("DATE", "TIME") else None)
        if day:
            out.append(GoldEvent(start, cls, day, kind == "DCT"))
    return "".join(text), dt.date.fromisoformat(dct_day), out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--no-narrative", action="store_true", help="date acts without narrative time (the article's date)")
    args = ap.parse_args()
    settings = Settings()
    parser, tagger, lex = SpacyParser(settings), TimeTagger(settings), load_lexicon()
    docs = [(p, r) for p in sorted(args.folder.rglob("*.tml")) if (r := read(p)) is not None]
    counts: Counter[tuple[str, ...]] = Counter()
    articles = [Article.create(text, day, doc_id=str(p)) for p, (text, day, _) in docs]
    for (_, (_, _, gold)), doc in zip(docs, parser.parse_many(articles), strict=True):
        times = tagger(doc)
        view = DocView(doc, ())
        for g in gold:
            tok = doc.token_at(g.start)
            if tok is None:
                continue
            si = doc.tokens[tok].sent
            date = event_date(view, times, [tok], si, lex, frozenset(), purpose=True)
            own = date.origin == "text"
            group = "act" if g.cls in ACTS else g.cls.lower() or "?"
            before = date.value.startswith(g.date)
            if not own and g.cls in ACTS and not args.no_narrative:
                date = narrative_date(view, times, si, lex, tok) or date
            right = date.value.startswith(g.date)
            if right != before:
                counts[("narrative time: changed to right" if right else "narrative time: changed to wrong", "n")] += 1
            for key in (("all",), (group,), ("no own date", group)) if not own else (("all",), (group,)):
                counts[(*key, "n")] += 1
                counts[(*key, "right")] += right
    out = [f"{len(docs)} documents; narrative time {'off' if args.no_narrative else 'on'}"]
    for key in sorted({k[:-1] for k in counts}):
        n, ok = counts[(*key, "n")], counts[(*key, "right")]
        if key[0].startswith("narrative"):
            out.append(f"  {key[0]}: {n}")
            continue
        out.append(f"  {' / '.join(key):28s} {ok:5d} / {n:5d}  {ok / n:.3f}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
