"""Toponym recognition: which spans of a parsed article name places.

Why not NER alone: the small spaCy model misses or mislabels places ("Hokkaido" as ORG,
"Southern Kurils" as NORP). So Kronika matches capitalised token sequences against the
gazetteer index (longest match first, dictionary lookups only) and uses NER labels as
evidence: inside a GPE/LOC/FAC entity any gazetteer name counts; inside a longer
PERSON/ORG name only a country or region counts ("Texas" in "Texas A&M University", not
"Washington" in "Washington Post"); a name that is a whole PERSON entity counts only as a
country or region ("Bush" is not the town of Būsh), and so does a name the actor stage
reads as part of a person's longer name in the article ("Rodriguez" after "Eduardo
Rodriguez", even where NER calls it GPE: not the Philippine town); a bare capitalised name counts when it
is a strong place name (a country, region, feature, or a city of 100,000+) or a
neighbouring word says it is a place ("the prefectures of Akita and
Yamaguchi", "Idlib province"). Demonyms ("Japanese") are never places, nor is a short
capital code before a number ("AK 47s" is a rifle, not Alaska).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kronika.geo.gazetteer import GazEntry, Gazetteer, norm_name
from kronika.geo.resolve import FEATURE_WORDS, lookup_forms
from kronika.model import ActorMention, ParsedDoc, Token

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_JOINERS = frozenset({"and", ",", "or", "&"})
_MAX_SPAN = 6
_AIRPORT_WORD = re.compile(r"\b(?:Airport|Airfield|Aerodrome|Air Base)\b")


@dataclass(frozen=True, slots=True)
class Span:
    """A recognised toponym: token range (end exclusive), feature hint, NER support."""

    token_start: int
    token_end: int
    hint: str | None
    from_ner: bool


def _capitalised(t: Token) -> bool:
    return t.text[:1].isupper()


def feature_hints(doc: ParsedDoc) -> dict[int, str]:
    """Token index → feature asked for by a neighbouring word: a feature word before
    "of" hints every name in the coordination after it ("the prefectures of Akita and
    Yamaguchi"); a feature word right after a name hints that name ("Idlib province")."""
    hints: dict[int, str] = {}
    toks = doc.tokens
    for t in toks:
        feature = FEATURE_WORDS.get(t.text.lower())
        if feature is None:
            continue
        if t.i + 1 < len(toks) and toks[t.i + 1].text.lower() == "of":
            j = t.i + 2
            while j < len(toks) and toks[j].sent == t.sent and (_capitalised(toks[j]) or toks[j].text.lower() in _JOINERS):
                if _capitalised(toks[j]):
                    hints.setdefault(j, feature)
                j += 1
        if t.i > 0 and _capitalised(toks[t.i - 1]):
            hints.setdefault(t.i - 1, feature)
    return hints


def recognise(doc: ParsedDoc, gaz: Gazetteer, actors: tuple[ActorMention, ...] = ()) -> list[Span]:
    """Place spans in document order, metonyms (an actor of kind "metonym") excluded."""
    ent_of: dict[int, tuple[int, int, str]] = {}
    for e in doc.entities:
        for i in range(e.token_start, e.token_end):
            ent_of[i] = (e.token_start, e.token_end, e.label)
    hints = feature_hints(doc)
    metonyms = [(a.start, a.end) for a in actors if a.kind == "metonym"]
    person_parts = [(a.start, a.end) for a in actors if a.kind == "person" and _part_of_name(a)]
    spans: list[Span] = []
    toks = doc.tokens
    i = 0
    while i < len(toks):
        span = _match_at(doc, gaz, i, ent_of, hints, person_parts) \
            if _capitalised(toks[i]) and gaz.may_start_name(toks[i].text) else None
        if span is None:
            i += 1
            continue
        start, end = toks[span.token_start].start, toks[span.token_end - 1].end
        if not any(a < end and start < b for a, b in metonyms):
            spans.append(span)
        i = span.token_end
    return spans + _unmatched_ner(doc, gaz, spans, metonyms)


def _model_number(toks: list[Token], text: str, j: int) -> bool:
    """An all-capital code of one to three letters followed by a number, bare or after a
    hyphen, names a model ("AK 47s", "AK-47", "F-16"), not the place the code abbreviates; a
    year after it ("NY 2019") does not, nor does a country's code ("the US 2020 election")."""
    if not (text.isalpha() and text.isupper() and len(text) <= 3) or j >= len(toks):
        return False
    nxt = toks[j].text
    if nxt in ("-", "–") and j + 1 < len(toks):
        nxt = toks[j + 1].text
    return nxt[:1].isdigit() and re.fullmatch(r"(?:1[89]|20)\d\d", nxt) is None


def _part_of_name(a: ActorMention) -> bool:
    """The mention names a person by part of a longer name the article gives ("Rodriguez" for
    "Eduardo Rodriguez"): the actor stage has already tied it to that person."""
    words = (a.entity or "").split()
    return len(words) > 1 and a.text in words


def _match_at(doc: ParsedDoc, gaz: Gazetteer, i: int, ent_of: dict[int, tuple[int, int, str]],
              hints: dict[int, str], person_parts: list[tuple[int, int]] = ()) -> Span | None:
    toks = doc.tokens
    sent = toks[i].sent
    longest = min(gaz.max_tokens, _MAX_SPAN)
    # Widen from one token while the key can still grow into a name (a key only gains
    # characters as the span widens), then try the names found, longest first.
    names: list[tuple[int, str, str]] = []
    for n in range(1, longest + 1):
        j = i + n
        if j > len(toks) or toks[j - 1].sent != sent:
            break
        text = doc.text[toks[i].start : toks[j - 1].end]
        key = norm_name(text)
        if toks[j - 1].text[:1].isalnum() and gaz.has(key, text):
            names.append((j, text, key))
        if key and not gaz.extends_name(key) and not gaz.may_extend_abbreviation(text):
            break
    for j, text, key in reversed(names):
        if key.startswith("the "):
            continue  # "The Hague" is matched from "The"; "the Balkans" from "Balkans"
        hint = next((hints[k] for k in range(i, j) if k in hints), None)
        if _model_number(toks, text, j) and not any(e.feature == "country" for e, _ in lookup_forms(gaz, text)):
            continue  # "AK 47s", "AK-47", "F-16": a weapon or model, not Alaska or Fiji's code
        start, end = toks[i].start, toks[j - 1].end
        person = any(a <= start and end <= b for a, b in person_parts)
        if _accept(doc, gaz, text, i, j, ent_of, hint, person):
            return Span(i, j, hint, ent_of.get(i, (0, 0, ""))[2] in PLACE_LABELS)
    return None


def _accept(doc: ParsedDoc, gaz: Gazetteer, text: str, i: int, j: int,
            ent_of: dict[int, tuple[int, int, str]], hint: str | None, person: bool = False) -> bool:
    if gaz.demonym_entry(text) is not None:
        return False  # "Japanese", "Canadian": people, never places
    if hint is not None:
        return True
    ent = ent_of.get(i)
    inside = ent is not None and ent[0] <= i and j <= ent[1]
    if person:  # a person's surname or given name ("Rodriguez"), whatever NER says
        return any(_curated_region(e) for e, _ in lookup_forms(gaz, text, codes=False))
    if inside and ent is not None and ent[2] in PLACE_LABELS:
        return True
    cands = lookup_forms(gaz, text, codes=False)
    region = any(_curated_region(e) for e, _ in cands)
    if _AIRPORT_WORD.search(text) and any(e.feature == "airport" for e, _ in cands):
        return True  # "Heathrow Airport"; a bare "Heathrow" is judged like any other name
    if inside and ent is not None and (ent[0], ent[1]) != (i, j):
        # part of a longer name: "Texas" in "Texas A&M University" is still a place,
        # "Washington" in "Washington Post" (a city name inside an ORG) is not
        return region
    if inside and ent is not None and ent[2] == "PERSON":
        return region  # "Paterson", "Bush": people, unless the name is a country/region
    if not (region or any(primary and e.prior >= 5.0 for e, primary in cands)):
        return False
    return ent is not None or any(doc.tokens[k].pos == "PROPN" for k in range(i, j))


def _curated_region(e: GazEntry) -> bool:
    """Countries and the curated extras (regions, seas, disputed areas, US states …);
    not regions derived from town tables, whose names include "Mary" and "Vladimir"."""
    return e.feature not in ("city", "admin1", "admin2", "airport") or (e.feature == "admin1" and e.geonameid is not None)


def _unmatched_ner(doc: ParsedDoc, gaz: Gazetteer, spans: list[Span],
                   metonyms: list[tuple[int, int]]) -> list[Span]:
    """GPE/LOC/FAC entities the gazetteer pass did not cover (kept for recall; the
    resolver may still place them by a known part, or leave them without coordinates)."""
    covered = {k for s in spans for k in range(s.token_start, s.token_end)}
    out = []
    for e in doc.entities:
        if e.label not in PLACE_LABELS or any(k in covered for k in range(e.token_start, e.token_end)):
            continue
        if any(a < e.end and e.start < b for a, b in metonyms) or gaz.demonym_entry(e.text):
            continue
        ts = e.token_start + (1 if doc.tokens[e.token_start].text.lower() == "the" else 0)
        if ts < e.token_end and _capitalised(doc.tokens[ts]):
            out.append(Span(ts, e.token_end, None, True))
    return out
