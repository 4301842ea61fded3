"""Role words whose phrase names a place below the country: "New Jersey police", "Istanbul
prosecutors", "Gaza health officials", "the mayor of Kharkiv".

Why a second pass, after the geo stage: the actor stage knows countries, demonyms and
capitals, not the world's states, provinces and cities; the gazetteer does, and the geo stage
resolves those names in context. Without this pass such a role word took its country from
the context (the article's lede country, the only country of its sentence): in an article on
Russia's war, "Kharkiv police" were Russia's police and "the mayor of Kharkiv" Russia's
government. Here a group mention whose country came only from context, or that has none,
takes the country of a place its own phrase names: a modifier of its head word ("New Jersey
police"), or the object of an of/in/from complement ("the mayor of Kharkiv", "police in
Kharkiv"). A country the phrase itself names ("Russian forces") is never replaced.

A country's name can name a place elsewhere: "Georgia" in a story on a US election is the
state, "Jamaica" in one on New York's buses is the Queens neighbourhood. The actor stage reads
the country; the geo stage, with the story's places around it, reads the place. Where the
geo stage reads a country name as a place below the country level inside another country,
the mention takes that country, and so does every role word or person whose country came only
from it (a cue, "Police in Georgia", or the context, "protesters" in that sentence, the
article's main country), unless the article names the first country in some other way too.

It is a function of the two stages' records (``ActorMention``, ``PlaceMention``), called by
every path that runs both stages: the pipeline, the training reader and the evaluations.
"""

from __future__ import annotations

from dataclasses import replace

import pycountry

from kronika.actors.coref import _code
from kronika.model import ActorMention, ParsedDoc, PlaceMention
from kronika.resources import word_set

# How the resolver's ``how`` says a role word's country came from the article rather than its
# phrase, or that it has none (``ActorResolver._group_mentions`` writes them with these
# constants); only those role words are localised.
FROM_CONTEXT = "; context: "
NO_COUNTRY = ", no country evidence"
COUNTRY_NAME = "country name"  # a country's own name ("Georgia"), as the resolver writes it
COUNTRY_CUE = "with country cue"  # a role word coded by a country named in its phrase
REFERENCES = ("pronoun: ", "nominal coreference: ")  # a reference back, coded by what it refers to
# Dependency labels of a place word that modifies the role word itself.
MODIFIER_DEPS = frozenset({"compound", "nmod", "amod", "poss"})
ROLE_PLACE_PREPS = word_set("english/prepositions.yaml", "role_country")
CONFIDENCE = 0.7  # below a country cue's 0.9: the gazetteer's reading of the place may be wrong
# The geo stage's confidence a place needs to decide a role word's country. Chosen on the silver
# training sentences: of the 12 role words the pass moved there, the two wrong ones were
# misread places ("a new mayor in City Hall" read as Schwäbisch Hall, 0.44; "Shiloh" as the
# one in the USA, 0.23); the right ones were read at 0.51 and above.
MIN_PLACE_CONFIDENCE = 0.5
# A country's name read as a place elsewhere needs far surer a reading: the gazetteer's prior
# favours the country, so a lower reading is mostly the resolver's error. Chosen on the 4,075
# WikiNews politics articles (the demo corpus): of the 34 country names it read so at 0.5 or
# above, every one at 0.8 or above was right (8: "Atlanta, Georgia", Jamaica in Queens …) and
# 21 of the 26 below were wrong ("Jimmy Wales" as Wales, Massachusetts, 0.79; "the Greenland
# ice sheet", 0.78; Georgia in the 2008 war, 0.67; Malta, Palau, Trinidad as towns).
MIN_MISREAD_CONFIDENCE = 0.8


def localise(doc: ParsedDoc, actors: tuple[ActorMention, ...], places: tuple[PlaceMention, ...]) -> tuple[ActorMention, ...]:
    """``actors`` with each context-coded role word moved to the country of a place its phrase
    names (see the module docstring); unchanged when there is none."""
    if not places or not actors:
        return actors
    actors = _misread_countries(actors, places)
    taken = [(m.start, m.end) for m in actors if m.kind != "group"]
    by_head: dict[int, list[PlaceMention]] = {}
    for p in places:
        usable = p.country and p.feature != "country" and p.confidence >= MIN_PLACE_CONFIDENCE
        if usable and not any(a < p.end and p.start < b for a, b in taken):
            for owner in _owners(doc, p.head_token):
                by_head.setdefault(owner, []).append(p)
    if not by_head:
        return actors
    out = []
    moved: dict[int, ActorMention] = {}  # a recoded mention's original start → the mention now
    for m in actors:
        ante = moved.get(m.antecedent) if m.antecedent is not None else None
        found = by_head.get(m.head_token) if m.kind == "group" and _from_context(m) else None
        if ante is not None and ante.country != m.country:  # "Kharkiv police said they …"
            moved[m.start] = m = replace(m, country=ante.country, code=_code(ante.country, m.sector),
                                         how=f"{m.how}; its antecedent's country from a place: {ante.country}")
        elif found and len({p.country for p in found}) == 1:
            p = found[0]
            start = min(m.start, p.start)
            own = m.how.split(FROM_CONTEXT)[0].split(NO_COUNTRY)[0]
            moved[m.start] = m = replace(
                m, start=start, text=doc.text[start:m.end] if start < m.start else m.text, country=p.country,
                code=_code(p.country, m.sector), how=f"{own}; place in its phrase: {p.name} ({p.feature}, {p.country})",
                confidence=CONFIDENCE)
        out.append(m)
    return tuple(out)


def _misread_countries(actors: tuple[ActorMention, ...], places: tuple[PlaceMention, ...]) -> tuple[ActorMention, ...]:
    """Country names the geo stage reads as a place inside another country, and the mentions
    whose country came only from them, moved to that country (module docstring)."""
    place_at = {(p.start, p.end): p for p in places}
    misread: dict[str, set[str]] = {}  # country read → countries of the places it named
    for m in actors:
        p = place_at.get((m.start, m.end))
        if m.kind == "country" and m.how.startswith(COUNTRY_NAME) and _iso(m.country) and p is not None \
                and p.feature != "country" and p.country and p.country != m.country \
                and p.confidence >= MIN_MISREAD_CONFIDENCE:
            misread.setdefault(m.country, set()).add(p.country)
    if not misread:
        return actors
    # a country also named otherwise (another country name, a demonym, a KB person) stays
    kept = {m.country for m in actors if m.country in misread and not _derived(m)
            and not _names_place_in(m, place_at, misread[m.country])}
    moves = {c: next(iter(to)) for c, to in misread.items() if c not in kept and len(to) == 1}
    if not moves:
        return actors
    out = []
    for m in actors:
        to = moves.get(m.country or "")
        if to is not None and (_derived(m) or m.how.startswith(COUNTRY_NAME)):
            p = place_at.get((m.start, m.end))
            why = f"{p.name} ({p.feature}, {to})" if p is not None else f"a place in {to}, not the country"
            m = replace(m, country=to, code=_code(to, m.sector), confidence=min(m.confidence, CONFIDENCE),
                        how=f"{m.how}; the geo stage reads {m.country} here as {why}")
        out.append(m)
    return tuple(out)


def _names_place_in(m: ActorMention, place_at: dict[tuple[int, int], PlaceMention], countries: set[str]) -> bool:
    """A country-name mention the geo stage read as a place in one of ``countries``."""
    p = place_at.get((m.start, m.end))
    return m.how.startswith(COUNTRY_NAME) and p is not None and p.country in countries


def _iso(country: str | None) -> bool:
    """An ISO 3166 country: the gazetteer knows it as a country too, so the geo stage chose the
    other reading. A country of a user's dictionary (PETRARCH's invented "Bree") is not one,
    and the gazetteer's namesake (Bree, Belgium) does not overrule it."""
    return bool(country) and pycountry.countries.get(alpha_3=country) is not None


def _derived(m: ActorMention) -> bool:
    """The mention's country came from a country cue, the article or the mention it refers
    back to, not from its own words."""
    return _from_context(m) or COUNTRY_CUE in m.how or m.antecedent is not None or m.how.startswith(REFERENCES)


def _from_context(m: ActorMention) -> bool:
    return FROM_CONTEXT in m.how or m.how.endswith(NO_COUNTRY)


def _owners(doc: ParsedDoc, head: int) -> tuple[int, ...]:
    """The token a place word (its head token) qualifies: the word it modifies, or the head
    of the of/in/from phrase it is the object of."""
    t = doc.tokens[head]
    if t.head == head:
        return ()
    if t.dep in MODIFIER_DEPS:
        return (t.head,)
    prep = doc.tokens[t.head]
    if t.dep == "pobj" and prep.text.lower() in ROLE_PLACE_PREPS and prep.head != prep.i:
        return (prep.head,)
    return ()
