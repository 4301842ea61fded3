"""When and where an event happened: the time and place its predicate governs.

Why by dependency attachment: a sentence often holds several dates ("On Friday X and Y will
meet ... the next meeting ... at the end of next month"); each belongs to the predicate it
attaches to. A time reaches a predicate when its anchor token hangs below the predicate
without crossing another clause (a verb) or another event word, except verbs of realisation
("which will take place on ...") that only restate the event.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from kronika.events.lexicon import Lexicon
from kronika.events.syntax import DocView, is_verb
from kronika.model import EventDate, EventPlace, PlaceMention, TimeExpr
from kronika.nlp.dateline import Dateline, find_dateline

_ISO = re.compile(r"^(\d{4})(-(\d{2}|W\d{2}|Q\d|H\d|SU|SP|FA|WI))?(-(\d{2}))?")


def date_value(value: str) -> str | None:
    """The calendar part of a TIMEX3 value at the precision it has ("2019-06-01T10:00" →
    "2019-06-01", "2019-06" → "2019-06"); None for values that are not dates."""
    m = _ISO.match(value or "")
    if not m:
        return None
    year, month, day = m.group(1), m.group(3), m.group(5)
    if month and month.isdigit():
        return f"{year}-{month}-{day}" if day else f"{year}-{month}"
    if month and month.startswith("W") and month[1:].isdigit():  # "WI" is winter, not a week
        return _week_month(int(year), int(month[1:])) or year
    return year


def _week_month(year: int, week: int) -> str | None:
    """An ISO week's month when all seven of its days fall in it ("next week" said on
    15 November 2022: 2022-W47, 21–27 November → "2022-11"); the record's date is a calendar
    date, and a week inside one month is known to the month. A week across two months (or a
    week number the year does not have) is known to the year only."""
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    sunday = monday + dt.timedelta(days=6)
    return monday.strftime("%Y-%m") if (monday.year, monday.month) == (sunday.year, sunday.month) else None


def calendar_date(t: TimeExpr) -> str | None:
    """The date an expression gives an event: its own value, or for a duration with a
    signal ("three days later") the day it points to; a UTC time ("0730 GMT") keeps its clock
    and ``Z``."""
    if t.date is None and t.type == "TIME" and t.value.endswith("Z") and date_value(t.value):
        return t.value  # a time given in UTC/GMT fixes the instant: the record keeps it, with its Z
    return t.date or (date_value(t.value) if t.type in ("DATE", "TIME") else None)


_NEXT_WORD = re.compile(r"\s*\w+")


def date_text(view: DocView, t: TimeExpr) -> str:
    """The words that fixed the date: a signalled duration shows its signal ("Three days
    later"), since the duration alone does not say which way it counts."""
    if t.date is None or t.type != "DURATION":
        return t.text
    m = _NEXT_WORD.match(view.doc.text, t.end)
    return view.doc.text[t.start : m.end()] if m else t.text


def _governs(view: DocView, anchor: int, p: int, lex: Lexicon, blockers: frozenset[int]) -> int | None:
    """Distance from ``anchor`` up to predicate ``p`` when ``p`` governs it, else None."""
    if anchor == p:
        return 0
    path = view.path_to(anchor, p)
    if path is None:
        return None
    realize = lex.words.get("realization_verbs", frozenset())
    for j in path:
        t = view.tokens[j]
        if j in blockers:
            return None
        if is_verb(t) and t.lemma.lower() not in realize:
            return None
        if t.dep in ("ccomp", "advcl") and is_verb(t):
            return None
    return len(path) + 1


def governing_item(view: DocView, anchors: list[tuple[int, object]], preds: list[int],
                   lex: Lexicon, blockers: frozenset[int]) -> object | None:
    """The item whose anchor the nearest of ``preds`` governs (closest attachment wins)."""
    best: tuple[int, object] | None = None
    for p in preds:
        for anchor, item in anchors:
            d = _governs(view, anchor, p, lex, blockers - {p})
            if d is not None and (best is None or d < best[0]):
                best = (d, item)
        if best is not None:
            return best[1]
    return None


def _relational(view: DocView, anchor: int | None, lex: Lexicon) -> bool:
    """Is the time at ``anchor`` the object of a preposition that relates to it rather than
    places at it ("ahead of Friday's summit", "before Tuesday", "after the 1990 war",
    "before a ceasefire on Friday")?"""
    if anchor is None:
        return False
    tok = view.tokens[anchor]
    if tok.dep in ("poss", "compound", "nmod", "amod") and tok.head != tok.i:
        tok = view.tokens[tok.head]  # "Friday's summit": the noun the day dates
    if tok.dep != "pobj" or tok.head == tok.i:
        return False
    prep = view.tokens[tok.head]
    signals = lex.words.get("relational_signals", frozenset())
    if prep.text.lower() in signals:
        return True
    if prep.head == prep.i:
        return False
    above = view.tokens[prep.head]
    if above.text.lower() in signals:
        return True  # "ahead of"
    # "before a ceasefire on Friday": the day dates a noun that the preposition relates to
    return above.pos == "NOUN" and above.dep == "pobj" and above.head != above.i \
        and view.tokens[above.head].text.lower() in signals


def _conjunct_heads(view: DocView, preds: list[int]) -> list[int]:
    """The verbs the predicates are conjoined to ("fired ... and detained": ``fired`` for
    ``detained``), up a chain of conjuncts. Only a later conjunct inherits: the first one's
    time is its own, and a later conjunct's own time ("and on Tuesday released them") dates
    that conjunct alone."""
    out: list[int] = []
    for p in preds:
        t = view.tokens[p]
        while t.dep == "conj" and t.head != t.i and is_verb(view.tokens[t.head]):
            t = view.tokens[t.head]
            out.append(t.i)
    return out


def _purpose_heads(view: DocView, preds: list[int]) -> list[int]:
    """The verbs whose purpose the predicates are ("took to the streets on Sunday to demand":
    ``took`` for ``demand``): a to-infinitive hanging from a verb as its adverbial clause or
    complement."""
    if not preds or not view.verbal[preds[0]]:
        return []  # an event noun inside a purpose clause ("to justify its attack") is not that purpose
    p = preds[0]
    t = view.tokens[p]
    if t.dep in ("advcl", "xcomp") and t.head != t.i and is_verb(view.tokens[t.head]) and any(
            view.tokens[k].tag == "TO" for k in view.kids[p]):
        return [t.head]
    return []


def _in_content_clause(view: DocView, anchor: int, preds: list[int]) -> bool:
    """Is the time inside a clause that is the content of a predicate ("denied that it had used
    chemical weapons in April 2018")? It dates what was denied or said, not the denial."""
    for p in preds:
        for c in view.kids[p]:
            if view.tokens[c].dep == "ccomp" and view.verbal[c] and view.within(anchor, c):
                return True
    return False


def _dateline(view: DocView) -> Dateline | None:
    return view.recall(("dateline",), lambda: find_dateline(view.doc.text))


def story_times(view: DocView, times: tuple[TimeExpr, ...]) -> tuple[TimeExpr, ...]:
    """The article's times less its dateline's ("KYIV, 12 March 2022 (Reuters) -"): that is
    the day of the report (``report_date``), not the time of an act the story tells; the
    parser often hangs it on the first clause's verb, nearer than the "on Monday" that dates
    the act."""
    line = _dateline(view)
    return times if line is None else tuple(t for t in times if t.start >= line.end)


def report_date(view: DocView, times: tuple[TimeExpr, ...]) -> EventDate:
    """The date an act with no time of its own falls back to: the dateline's, when the story
    opens with a dated one (a wire story filed the day before its feed's date), else the
    article's. Either way ``origin`` is ``document``: no words of the act's own dated it.
    ``times``: the whole article's (the dateline may be a sentence of its own)."""
    line = _dateline(view)
    if line is not None:
        for t in times:
            if t.end <= line.end and (value := calendar_date(t)):
                return EventDate(value, t.text, "document")
    return EventDate(view.doc.article.date.isoformat(), None, "document")


def event_date(view: DocView, times: tuple[TimeExpr, ...], preds: list[int], sentence: int,
               lex: Lexicon, blockers: frozenset[int], purpose: bool = False,
               report: EventDate | None = None) -> EventDate:
    """Governing timex, else the sentence's nearest DATE, else ``report`` (the article's
    ``report_date``, computed once per document; default: the article's date). A time
    behind a relational preposition ("ahead of Friday's summit") dates neither. ``purpose``:
    an event that happened may take the time of the verb it is the purpose of ("took to the
    streets on Sunday to demand …"); one that is planned or hypothetical may not ("threatened
    on Tuesday to launch an offensive": the offensive is not Tuesday's)."""
    usable = [t for t in story_times(view, times) if t.sentence == sentence and calendar_date(t)
              and not _relational(view, t.anchor_token, lex)]
    anchored = [(t.anchor_token, t) for t in usable if t.anchor_token is not None]
    hit = governing_item(view, anchored, preds, lex, blockers)
    if hit is None:
        # A conjoined predicate with no time of its own shares its first conjunct's: "police
        # fired tear gas on Monday and detained 40 people" dates the detentions Monday too.
        heads = _conjunct_heads(view, preds)
        hit = governing_item(view, anchored, heads, lex, blockers.difference(heads)) if heads else None
    if hit is None and purpose:
        heads = _purpose_heads(view, preds)
        hit = governing_item(view, anchored, heads, lex, blockers.difference(heads)) if heads else None
    if isinstance(hit, TimeExpr):
        return EventDate(calendar_date(hit) or "", date_text(view, hit), "text")
    p = preds[0]
    in_sent = [t for t in anchored if t[1].type != "TIME"]
    owned_elsewhere = [t for t in in_sent if any(_governs(view, t[0], b, lex, frozenset()) is not None
                                                 for b in blockers if b not in preds)]
    free = [t for t in in_sent if t not in owned_elsewhere and not _in_content_clause(view, t[0], preds)]
    if free:
        anchor, t = min(free, key=lambda a: abs(a[0] - p))
        return EventDate(calendar_date(t) or "", date_text(view, t), "text")
    return report or EventDate(view.doc.article.date.isoformat(), None, "document")


def narrative_date(view: DocView, times: tuple[TimeExpr, ...], sentence: int, lex: Lexicon,
                   pred: int) -> EventDate | None:
    """The narrative time an act in a sentence with no date at all inherits: the first
    calendar date of the previous sentence, when the act's predicate is a past tense or
    participle ("On Tuesday police raided the office. They arrested three men."), the date is
    not after the article's (a date ahead is a plan, not the time of what is told next) and no
    relational preposition holds it ("ahead of Friday's summit" dates nothing). None otherwise,
    and None when the act's own sentence names any date or time, even one it is only relative
    to ("shelled the city before a ceasefire on Wednesday").

    Chosen on TimeBank/AQUAINT event–time links (``scripts/timebank_event_dates.py``; no event
    evaluation set): of 347 OCCURRENCE events whose sentence gives them no date, 226 were
    dated right by the article's date alone; this rule makes 23 more right and 5 wrong (244).
    Taking the previous sentence's last date instead gave +24 / −12, any tense +32 / −20; a
    date two sentences back or a reported statement is, there, more often the article's day.
    A present perfect ("have arrested") counts as past: leaving it out made one fewer right."""
    if sentence <= 0 or view.tokens[pred].tag not in ("VBD", "VBN"):
        return None
    times = story_times(view, times)
    if any(t.sentence == sentence and t.type in ("DATE", "TIME") for t in times):
        return None  # the sentence places the event itself, if only relative to a day ("before Wednesday")
    today = view.doc.article.date.isoformat()
    prior = [t for t in times if t.sentence == sentence - 1 and t.type in ("DATE", "TIME") and calendar_date(t)
             and not _relational(view, t.anchor_token, lex)]
    if not prior:
        return None
    first = min(prior, key=lambda t: t.start)
    value = calendar_date(first) or ""
    if value[:10] > today[: len(value[:10])]:
        return None
    return EventDate(value, date_text(view, first), "text")


def own_place(view: DocView, places: tuple[PlaceMention, ...], preds: list[int], lex: Lexicon,
              blockers: frozenset[int]) -> PlaceMention | None:
    """A place attached to the predicate by a locative preposition ("in Tokyo")."""
    anchors = []
    sentence = view.tokens[preds[0]].sent
    for pl in places:
        if pl.sentence != sentence:
            continue
        prep = view.tokens[pl.head_token].head
        if view.tokens[pl.head_token].dep == "pobj" and view.lemma(prep) in ("in", "at", "near"):
            anchors.append((pl.head_token, pl))
    hit = governing_item(view, anchors, preds, lex, blockers)
    return hit if isinstance(hit, PlaceMention) else None


def to_event_place(pl: PlaceMention | None, sentence: int) -> EventPlace | None:
    """The record's place; ``sentence``: the event's, so that a place named elsewhere in the
    article (a dateline, an earlier sentence) is marked ``origin: context``."""
    if pl is None:
        return None
    origin = "text" if pl.sentence == sentence else "context"
    return EventPlace(name=english_name(pl.name), geonameid=pl.geonameid, lat=pl.lat, lon=pl.lon,
                      country=pl.country, origin=origin)


def narrative_place(places: tuple[PlaceMention, ...], told: list[PlaceMention], sentence: int,
                    parties: set[str], aimed_at: set[str] = frozenset()) -> PlaceMention | None:
    """The place an act with no place of its own happened at, by the story's continuity: the
    place where the latest earlier sentence's act was located by its own text (``told``, in
    text order). As the narrative date does for time, and as GDELT's ActionGeo and ACLED place
    an event the article tells without repeating where: "Police raided the offices in Tunis.
    They arrested three men." None when the act's own sentence names a place below the level
    of a country (the sentence has its own geography, bound or not), when no earlier act was
    located, or when the place lies outside the countries of the act's sides (``parties``; an
    act between other countries happened elsewhere), or outside a country the act is aimed at
    as a state (``aimed_at``: "sent 1,550 troops to Afghanistan to join the strikes" after a
    sentence in Canberra happened in Afghanistan). An act whose sides have no country keeps
    the story's place."""
    if any(p.sentence == sentence and p.feature != "country" for p in places):
        return None
    prior = [p for p in told if p.sentence < sentence]
    if not prior:
        return None
    last = prior[-1]
    if parties and last.country not in parties:
        return None
    if aimed_at and last.country not in aimed_at:
        return None
    return last


def english_name(name: str) -> str:
    """A gazetteer name as English news spells it: diacritics and transliteration marks
    dropped ("‘Afrīn" → "Afrin", "Ālbū Kamāl" → "Albu Kamal"), as GDELT's place names are;
    the geonameid keeps the exact place."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    folded = "".join(c for c in folded if c.isascii() or c.isalnum())
    return " ".join(folded.split()) or name
