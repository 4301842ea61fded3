"""The data model shared by every stage: frozen dataclasses, character spans, no spaCy.

Why plain dataclasses: stages stay testable alone (a unit test builds a ``ParsedDoc`` by
hand instead of loading a model), results pickle cheaply to Dask workers, and no stage
depends on another stage's internals, only on these records.

Flow::

    Article ──nlp──► ParsedDoc ──time──► TimeExpr*
                        │      ──actors──► ActorMention*
                        │      ──geo──► PlaceMention*
                        └──────events──► Event*      (all bundled in an ``Analysis``)

Offsets are character offsets into ``Article.text`` (the text after any date header).
Token indices are positions in ``ParsedDoc.tokens``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

EventStatus = Literal["occurred", "planned", "denied", "hypothetical"]
STATUSES: tuple[str, ...] = ("occurred", "planned", "denied", "hypothetical")

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT", "ACCUSE",
    "REQUEST", "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT",
)
# Earlier names of PLOVER 2021 types: PLOVER 0.5b1 (and Kronika before it followed the 2021
# table) wrote DEMAND for REQUEST. Every type filter accepts them; stores are migrated
# (``0007_plover_2021_request``) and imports of old exports renamed.
TYPE_ALIASES: dict[str, str] = {"DEMAND": "REQUEST"}
SYMMETRIC_TYPES: frozenset[str] = frozenset({"CONSULT", "AGREE", "COOPERATE"})


def plover_type(name: str) -> str:
    """The PLOVER 2021 name of an event type given it or an earlier alias ("demand" → "REQUEST")."""
    key = name.strip().upper()
    return TYPE_ALIASES.get(key, key)


def type_names(names: str | list[str] | tuple[str, ...]) -> list[str]:
    """Every stored name the types ``names`` (one, or several separated by commas; aliases
    accepted) may have: their 2021 names plus the old names of those, sorted.

    Old names are kept so that a store written before the rename and opened read-only
    (hence not migrated) still answers a REQUEST filter with its DEMAND events."""
    items = names.split(",") if isinstance(names, str) else names
    wanted = {plover_type(n) for n in items if n.strip()}
    return sorted(wanted | {old for old, new in TYPE_ALIASES.items() if new in wanted})


def stable_hash(*parts: str, length: int = 16) -> str:
    """Content hash used for every stable id (articles, events): same input, same id."""
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


# --------------------------------------------------------------------------- ingest


@dataclass(frozen=True, slots=True)
class Article:
    """One dated news article as ingest delivers it.

    ``id`` is derived from the content (date + normalised text), so the same article read
    from two files, or twice, gets the same id: re-ingest is a no-op.
    """

    id: str
    text: str
    date: dt.date
    doc_id: str | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # "path:line" the record came from, for error reports

    @staticmethod
    def make_id(text: str, date: dt.date) -> str:
        norm = " ".join(text.split())
        return stable_hash(date.isoformat(), norm)

    @classmethod
    def create(cls, text: str, date: dt.date, **meta: str | None) -> Article:
        return cls(id=cls.make_id(text, date), text=text, date=date, **meta)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class IngestProblem:
    """A record that could not be read: where it was and why. Never fatal to a batch."""

    origin: str  # file path, with ":line" or "#record" where known
    reason: str
    code: str = "K101"


# --------------------------------------------------------------------------- nlp


class Token(NamedTuple):
    """One token of the parse. ``head`` is the token index of its syntactic head (itself
    for a root); ``morph`` is spaCy's UD feature string ("Tense=Past|VerbForm=Fin").

    A named tuple rather than a frozen dataclass, unlike the other records: a document
    has thousands of tokens, and a frozen dataclass pays one ``object.__setattr__`` per
    field (~5 µs a token, half the conversion out of spaCy); a tuple is built in C.
    Immutable and picklable all the same."""

    i: int
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    sent: int
    morph: str = ""
    ent_type: str = ""
    ent_iob: str = "O"
    ws: str = " "  # trailing whitespace ("" or the whitespace that follows)

    def morph_value(self, feature: str) -> str | None:
        for part in self.morph.split("|"):
            key, _, value = part.partition("=")
            if key == feature:
                return value
        return None


_TOKEN_START = operator.itemgetter(2)  # Token.start, read in C by ``bisect``


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int  # character offsets
    end: int
    token_start: int  # token indices, end exclusive
    token_end: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A named-entity span from the NER model. Labels are hints, not facts: the small
    model mislabels (persons as ORG), so later stages check them against their own data."""

    start: int
    end: int
    label: str
    token_start: int
    token_end: int
    text: str


@dataclass(frozen=True, slots=True)
class ParsedDoc:
    article: Article
    tokens: tuple[Token, ...]
    sentences: tuple[Sentence, ...]
    entities: tuple[Entity, ...]

    @property
    def text(self) -> str:
        return self.article.text

    def sentence_tokens(self, index: int) -> tuple[Token, ...]:
        s = self.sentences[index]
        return self.tokens[s.token_start : s.token_end]

    def sentence_of_char(self, char: int) -> int:
        """Index of the sentence holding character offset ``char`` (last one if past end)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].start <= char:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def token_at(self, char: int) -> int | None:
        """Index of the token covering character offset ``char`` (a bisection in C: every
        stage asks this for each expression, mention and place)."""
        i = bisect.bisect_right(self.tokens, char, key=_TOKEN_START) - 1
        return i if i >= 0 and char < self.tokens[i].end else None

    def children(self, i: int) -> list[Token]:
        s = self.sentences[self.tokens[i].sent]
        return [t for t in self.tokens[s.token_start : s.token_end] if t.head == i and t.i != i]

    def ancestors(self, i: int) -> list[Token]:
        out: list[Token] = []
        seen = {i}
        cur = self.tokens[i]
        while cur.head != cur.i and cur.head not in seen:
            seen.add(cur.head)
            cur = self.tokens[cur.head]
            out.append(cur)
        return out


# --------------------------------------------------------------------------- time


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A TIMEX3 expression. ``value`` follows the TIMEX3 value grammar ("2019-05-30",
    "2019-06", "P3M", "PRESENT_REF", "XXXX-WI" …); ``anchor_token`` is the token index of
    the expression's syntactic head, so events can find the time that governs them.
    ``date`` is the calendar date a duration points to when a signal follows it: TimeML
    tags "three days later" as the DURATION "three days" (``later`` is a SIGNAL), yet an
    event in that sentence happened three days after the last mentioned day; None when
    the text gave no day to count from (the DCT is not the narrative's reference)."""

    start: int
    end: int
    text: str
    sentence: int
    type: Literal["DATE", "TIME", "DURATION", "SET"]
    value: str
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None
    anchor_token: int | None = None
    rule: str = ""  # the pattern that produced it, for explanations
    date: str | None = None


# --------------------------------------------------------------------------- actors


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A resolved mention of an actor.

    ``code`` is the CAMEO-style actor code (country + sector, "RUSGOV", or "IGO..." for
    organisations). ``kind``: person, country, organisation, group, metonym (a capital
    standing for its government). ``how`` says which evidence decided, for
    ``kronika actors show`` and for users who must trust the record.
    """

    start: int
    end: int
    text: str
    sentence: int
    head_token: int
    code: str | None
    country: str | None
    sector: str | None = None
    entity: str | None = None
    role: str | None = None
    kind: str = "person"
    how: str = ""
    confidence: float = 1.0
    # A reference back ("they", "the group"): where the mention it stands for starts (its
    # ``start``), so a later pass that recodes that mention recodes the reference too.
    antecedent: int | None = None


# --------------------------------------------------------------------------- geo


@dataclass(frozen=True, slots=True)
class PlaceMention:
    start: int
    end: int
    text: str
    sentence: int
    head_token: int
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-3
    feature: str = "place"  # city, country, admin1, island, region, sea, ...
    admin1: str | None = None
    confidence: float = 1.0


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class ActorRef:
    """One side of an event, as the record contract prints it."""

    text: str
    actor: str | None
    country: str | None
    sector: str | None = None
    entity: str | None = None
    role: str | None = None

    def to_json(self) -> dict[str, str | None]:
        return {
            "text": self.text, "actor": self.actor, "country": self.country,
            "sector": self.sector, "entity": self.entity, "role": self.role,
        }


@dataclass(frozen=True, slots=True)
class EventDate:
    value: str
    text: str | None
    origin: Literal["text", "document"]


@dataclass(frozen=True, slots=True)
class EventPlace:
    """Where an event happened. ``origin`` says how it is known, as ``EventDate.origin`` does
    for the date: ``text`` when the event's own sentence names the place, ``context`` when it
    comes from elsewhere in the article (a dateline, the place the story's earlier acts were
    told at, an earlier mention of the same event)."""

    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    origin: str = "text"


@dataclass(frozen=True, slots=True)
class Event:
    event_id: str
    article_id: str
    doc_id: str | None
    sentence: int
    evidence: str
    evidence_start: int
    evidence_end: int
    type: str
    mode: str | None
    contexts: tuple[str, ...]
    status: str
    cameo: str | None
    quad_class: str | None
    source: tuple[ActorRef, ...]
    target: tuple[ActorRef, ...]
    date: EventDate
    location: EventPlace | None
    confidence: float
    trigger: str = ""  # the predicate words
    trigger_start: int = -1
    component: str = ""  # which coder and version produced it

    @staticmethod
    def make_id(article_id: str, sentence: int, trigger_start: int, type_: str) -> str:
        return stable_hash(article_id, str(sentence), str(trigger_start), type_)

    def to_json(self) -> dict[str, object]:
        """The event record contract of DESIGN.md (what outside checks read)."""

        def side(refs: tuple[ActorRef, ...]) -> object:
            if not refs:
                return None
            if len(refs) == 1:
                return refs[0].to_json()
            return [r.to_json() for r in refs]

        return event_contract(
            event_id=self.event_id, article_id=self.article_id, doc_id=self.doc_id,
            sentence=self.sentence, evidence=self.evidence, type=self.type, mode=self.mode,
            contexts=self.contexts, status=self.status, cameo=self.cameo, quad_class=self.quad_class,
            source=side(self.source), target=side(self.target), date=self.date,
            location=self.location, confidence=self.confidence,
        )


def event_contract(
    *,
    event_id: str,
    article_id: str,
    doc_id: str | None,
    sentence: int,
    evidence: str,
    type: str,  # noqa: A002 - the contract's field name
    mode: str | None,
    contexts: Iterable[str] | None,
    status: str,
    cameo: str | None,
    quad_class: str | None,
    source: object,
    target: object,
    date: EventDate,
    location: EventPlace | None,
    confidence: float | None,
    classes: Mapping[str, object] | None = None,
) -> dict[str, object]:
    """The one builder of the event record contract (DESIGN.md), field order included.

    Why one: ``Event.to_json`` (extraction output) and ``kronika.query.records`` (stored
    events) must give the same record for the same event. ``source``/``target`` come as
    the contract's sides (``None``, one actor object or a list). ``classes``: derived
    classifications a reader adds beside ``quad_class`` (the query layer's penta class and
    Goldstein score); the contract itself has none."""
    record: dict[str, object] = {
        "event_id": event_id,
        "article_id": article_id,
        "doc_id": doc_id,
        "sentence": sentence,
        "evidence": evidence,
        "type": type,
        "mode": mode,
        "contexts": list(contexts or ()),
        "status": status,
        "cameo": cameo,
        "quad_class": quad_class,
    }
    if classes:
        record.update(classes)
    record.update({
        "source": source,
        "target": target,
        "date": {"value": date.value, "text": date.text, "origin": date.origin},
        "location": None if location is None else {
            "name": location.name, "geonameid": location.geonameid, "lat": location.lat,
            "lon": location.lon, "country": location.country, "origin": location.origin,
        },
        "confidence": None if confidence is None else round(confidence, 3),
    })
    return record


# --------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the pipeline learned about one article."""

    doc: ParsedDoc
    times: tuple[TimeExpr, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    events: tuple[Event, ...] = ()
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def article(self) -> Article:
        return self.doc.article
