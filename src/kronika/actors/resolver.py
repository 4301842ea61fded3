"""The actor resolver: every actor mention in a parsed document, resolved and explained.

Order of evidence (the issue's a–d):

1. the document itself — titles and appositives ("Russian Foreign Minister Sergey Lavrov",
   "Lavrov, Russia's foreign minister"), possessives ("Japan's Abe"), "of"-phrases ("the
   president of Armenia"), later mentions by surname, "the minister", he/she;
2. the knowledge base, with the role valid at the article's date;
3. what the corpus taught (``LearnedIndex``);
4. user dictionaries, which are layered into the knowledge base and take precedence there.

Capitals and seats of power are actors only when they act (subject, possessor, agent);
"in Tokyo" is left to the geo stage.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace

from kronika.actors.coref import PLACE_TAGS, ROLE_QUALIFIERS, References, _code, m_text, same_force
from kronika.actors.dictionary import ActorDictionary, ActorEntry, country_of, sector_of
from kronika.actors.kb import (
    AGENT,
    COUNTRY,
    DEMONYM,
    METONYM,
    NAMED,
    PHOENIX,
    KnowledgeBase,
    Lex,
    load_knowledge_base,
)
from kronika.actors.learned import LearnedIndex
from kronika.actors.localise import FROM_CONTEXT, NO_COUNTRY, localise
from kronika.actors.matching import (
    Match,
    acts,
    find_matches,
    governing_prep,
    name_tokens,
    np_head,
    repeated_names,
    span_text,
)
from kronika.config import Settings
from kronika.model import ActorMention, ParsedDoc, PlaceMention, TimeExpr, Token
from kronika.resources import word_set

WORDS = "actors/words.yaml"  # the English words the resolver reads (data, with the reasons)
# Offices that lead a country.
HEAD_ROLES = word_set(WORDS, "head_roles")
# A country or capital governed by one of these is (usually) a place, not an agent; not the
# geo stage's list of where events happen ("sanctions on Iran": Iran is a target).
PLACE_NOT_AGENT_PREPS = word_set("english/prepositions.yaml", "place_not_agent")
# A role word's country follows one of these ("the foreign minister of Japan").
ROLE_COUNTRY_PREPS = word_set("english/prepositions.yaml", "role_country")
# The Phoenix files' last revision: an open-ended Phoenix tenure is unchecked after it.
PHOENIX_UNTIL = dt.date(2015, 2, 28)
# Role words for weapons (agents.yaml): "Israeli missiles" is Israel's military, "missiles" alone nobody.
WEAPONS = word_set(WORDS, "weapons")
NEW_PLACE_WORDS = word_set(WORDS, "new_place_words")  # "New Mexico" is no Mexico


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the words around a mention say: countries, sector, role, organisation."""

    countries: tuple[str, ...] = ()
    sector: str | None = None
    starts: tuple[int, ...] = ()  # token where each country's cue starts (same order)
    role: str | None = None
    igo: str | None = None
    how: str = ""
    first: int | None = None  # leftmost cue token (for the mention's extent)

    @property
    def country(self) -> str | None:
        return self.countries[0] if self.countries else None


@dataclass(frozen=True, slots=True)
class Reading:
    """A resolved person: who, where from, in which role, and why we think so."""

    entity: str
    country: str | None
    sector: str | None
    role: str | None
    how: str
    confidence: float
    code: str | None = None  # an organisation's own code ("IGOUNO") when it has no country


class _Work:
    """Per-document working state for one ``__call__`` (never stored on the resolver)."""

    def __init__(self, doc: ParsedDoc, kb: KnowledgeBase, times: tuple[TimeExpr, ...]) -> None:
        self.doc = doc
        self.day = doc.article.date
        self.matches = _outside_longer_places(doc, find_matches(doc, kb))
        self.by_head: dict[int, list[Match]] = {}
        self.at_token: dict[int, Match] = {}
        for m in self.matches:
            self.by_head.setdefault(np_head(doc, m.last), []).append(m)
            for i in range(m.start, m.end):
                self.at_token[i] = m
        self.time_tokens = {i for t in times for i in _tokens_of(doc, t.start, t.end)}
        self.consumed: set[int] = set()  # match starts used as cues of another mention
        self.persons: list[ActorMention] = []
        # groups named with their country in their own phrase ("British soldiers", "Romania's
        # troops", "African Union troops"), in text order: what "the troops" refers back to
        self.named_forces: list[ActorMention] = []
        self._kids: dict[int, list[Token]] = {}
        for t in doc.tokens:
            if t.head != t.i:
                self._kids.setdefault(t.head, []).append(t)
        self.titles: dict[tuple[int, int], Evidence] = {}
        self.main_country = _main_country(self.matches)
        self.lede_country = _lede_country(doc, self.matches)
        self.countries = frozenset(x.country for m in self.matches for x in m.lex if x.country)
        self.places = _PlaceIndex(doc, self.matches)

    def kids(self, i: int) -> list[Token]:
        """Syntactic children of token ``i`` (precomputed: ``ParsedDoc.children`` scans)."""
        return self._kids.get(i, [])


def _outside_longer_places(doc: ParsedDoc, matches: list[Match]) -> list[Match]:
    """Drop the country reading of a country name that a naming word makes a new place ("New
    Jersey", "New Mexico", "New South Wales": ``new_place_words`` before it, in one place
    entity of the parser). Such a name is not that country, and as a cue it made "New Jersey
    police" Jersey's. The longer names that are countries ("Papua New Guinea") are knowledge-base
    phrases and match whole. A first version dropped the reading after any capitalised word of
    the same place entity (keeping compass words: "Southern Lebanon"); it cost 5 of 160 GSR
    sources, so only the naming words are kept."""
    out: list[Match] = []
    toks = doc.tokens
    for m in matches:
        first = toks[m.start]
        before = toks[m.start - 1] if m.start > 0 else None
        inside = before is not None and before.text.lower() in NEW_PLACE_WORDS and before.text[:1].isupper() \
            and first.ent_iob == "I" and first.ent_type in ("GPE", "LOC")
        if inside and m.get(COUNTRY) is not None:
            rest = tuple(x for x in m.lex if x.tag != COUNTRY)
            if not rest:
                continue
            m = Match(m.start, m.end, rest)
        out.append(m)
    return out


class _PlaceIndex:
    """Country cues (country, demonym, seat) per sentence, for the "nearest country in the
    sentence" fallback. Matches are non-overlapping and in text order, so starts and ends
    are both sorted: a query is two bisections and a skip over one run of the excluded
    country, not a scan of every match (a 10,000-token sentence has thousands)."""

    def __init__(self, doc: ParsedDoc, matches: list[Match]) -> None:
        self._by_sent: dict[int, tuple[list[int], list[int], list[str], list[int], list[int], dict[str, int]]] = {}
        for m in matches:
            lex = m.get(*PLACE_TAGS)
            if lex is None or not lex.country:
                continue
            starts, ends, countries, run_lo, run_hi, counts = self._by_sent.setdefault(
                doc.tokens[m.start].sent, ([], [], [], [], [], {}))
            k = len(starts)
            same = k > 0 and countries[-1] == lex.country
            starts.append(m.start)
            ends.append(m.end)
            countries.append(lex.country)
            run_lo.append(run_lo[-1] if same else k)  # first index of this run of one country
            counts[lex.country] = counts.get(lex.country, 0) + 1
        for starts, _e, countries, _lo, run_hi, _c in self._by_sent.values():
            run_hi.extend([0] * len(starts))  # last index of each run of one country
            for k in range(len(starts) - 1, -1, -1):
                same = k + 1 < len(starts) and countries[k + 1] == countries[k]
                run_hi[k] = run_hi[k + 1] if same else k

    def nearest(self, sent: int, a: int, b: int, exclude: str | None, sole: bool) -> str | None:
        """The country of the nearest cue outside tokens [a, b) (a cue straddling ``a``
        first, then the closer of the last one before and the first one after; a tie goes
        to the earlier); ``None`` when there is none, or, with ``sole``, when the sentence
        names more than one country."""
        entry = self._by_sent.get(sent)
        if entry is None:
            return None
        starts, ends, countries, run_lo, run_hi, counts = entry
        lo, hi = bisect_left(starts, a), bisect_left(starts, b)  # [lo, hi): cues inside the span
        if sole and self._several(countries, counts, lo, hi, exclude):
            return None
        before = lo - 1
        if before >= 0 and countries[before] == exclude:
            before = run_lo[before] - 1
        if before >= 0 and ends[before] > a:  # the one cue that straddles the span's start
            return countries[before]
        after = hi
        if after < len(starts) and countries[after] == exclude:
            after = run_hi[after] + 1
        d_before = a - ends[before] if before >= 0 else None
        d_after = starts[after] - b if after < len(starts) else None
        if d_before is None and d_after is None:
            return None
        if d_after is None or (d_before is not None and d_before <= d_after):
            return countries[before]
        return countries[after]

    @staticmethod
    def _several(countries: list[str], counts: dict[str, int], lo: int, hi: int, exclude: str | None) -> bool:
        """Whether cues outside [lo, hi) name more than one country (other than ``exclude``)."""
        inside: dict[str, int] = {}
        for k in range(lo, hi):
            inside[countries[k]] = inside.get(countries[k], 0) + 1
        seen = 0
        for c, n in counts.items():
            if c != exclude and n > inside.get(c, 0):
                seen += 1
                if seen > 1:
                    return True
        return False


def _leads(entry: ActorEntry, day: dt.date) -> bool:
    t = entry.role_at(day)
    return t is not None and (t.role or "").lower() in HEAD_ROLES


def _main_country(matches: list[Match]) -> str | None:
    """The country an article is about: named in at least half of its country cues (and
    at least twice); used only as a last, low-confidence resort."""
    counts: dict[str, int] = {}
    for m in matches:
        lex = m.get(*PLACE_TAGS)
        if lex is not None and lex.country:
            counts[lex.country] = counts.get(lex.country, 0) + 1
    if not counts:
        return None
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] >= 2 and 2 * counts[best] >= sum(counts.values()) else None


def _lede_country(doc: ParsedDoc, matches: list[Match]) -> str | None:
    """The country of the first sentence that names one (a country, demonym or seat of
    government), when it names only that one ("Japan and Russia held talks" sets no scene).
    News sets its scene in the lede, so an unqualified "police", "protesters" or "the
    government" in a sentence that names no single country belongs there. Measured on the
    silver training sentences (both WikiNews files: 320 role-word sides with a gold country
    and no cue of their own): the sentence's only country, else the article's most named
    one, was right for 225; with this lede country between the two, for 277 (the lede
    country itself: 159 of 161). The first country named, used before the sentence's own,
    was right for 284 but cost two mentions of the coreference held-out set (docs/actors.md)."""
    first: int | None = None
    found: set[str] = set()
    for m in matches:
        lex = m.get(*PLACE_TAGS)
        if lex is None or not lex.country:
            continue
        sent = doc.tokens[m.start].sent
        if first is None:
            first = sent
        elif sent != first:
            break
        found.add(lex.country)
    return found.pop() if len(found) == 1 else None


def _tokens_of(doc: ParsedDoc, start: int, end: int) -> range:
    a, b = doc.token_at(start), doc.token_at(max(start, end - 1))
    return range(a, b + 1) if a is not None and b is not None else range(0)


class ActorResolver(References):
    """Resolve actor mentions; build once (loads the knowledge base), call per document.
    The reference-back passes (pronouns, "the group", counterparts) are in ``coref.py``."""

    name = "actors.rules"

    def __init__(
        self,
        settings: Settings,
        learned: LearnedIndex | None = None,
        dictionaries: Iterable[ActorDictionary] = (),
    ) -> None:
        self.settings = settings
        self.kb = load_knowledge_base(settings.user_dictionaries, dictionaries)
        self.learned = learned or LearnedIndex()

    def __call__(self, doc: ParsedDoc, times: tuple[TimeExpr, ...] = ()) -> tuple[ActorMention, ...]:
        w = _Work(doc, self.kb, times)
        out: list[ActorMention] = []
        out += self._people(w)
        out += self._named(w)
        plural = self._plural_refs(w)
        out += plural
        out += self._groups(w, out)
        out += self._counterparts(w)
        out += self._places_as_actors(w)
        out += self._the_group(w, out)
        out += self._pronouns(w, out)
        out.sort(key=lambda m: (m.start, -m.end))
        return tuple(_igo_country(m) for m in out)

    def localise(self, doc: ParsedDoc, actors: tuple[ActorMention, ...],
                 places: tuple[PlaceMention, ...]) -> tuple[ActorMention, ...]:
        """The second pass, once the geo stage has resolved the document's places: a role word
        coded from context takes the country of a place its phrase names (``localise.py``)."""
        return localise(doc, actors, places)

    # ------------------------------------------------------------------ evidence

    def _country_at(self, w: _Work, i: int) -> tuple[Match, Lex] | None:
        m = w.at_token.get(i)
        if m is None:
            for cand in w.by_head.get(i, ()):
                if cand.get(*PLACE_TAGS):
                    m = cand
        lex = m.get(*PLACE_TAGS) if m else None
        return (m, lex) if m and lex and lex.country else None

    def _evidence(self, w: _Work, head: int, before: int | None = None) -> Evidence:
        """Title-like cues inside the noun phrase headed by ``head`` (left of ``before``),
        its possessor and its "of/in/from" complement."""
        doc = w.doc
        countries: list[str] = []
        starts: list[int] = []
        sector = role = igo = mod_sector = org_sector = None
        first: int | None = None
        after: list[str] = []  # countries of an of/in/from complement
        is_name = doc.tokens[head].pos == "PROPN"
        for m in w.by_head.get(head, ()):
            if before is not None and m.end > before:
                continue
            if (lex := m.get(*PLACE_TAGS)) and lex.country:
                countries.append(lex.country)
                starts.append(m.start)
            elif (lex := m.get(AGENT)) and (m.last == head or is_name) and lex.agent:
                sector, role = _qualified(doc, m.start, lex.agent.sector, lex.agent.role or role)
            elif (lex := m.get(AGENT)) and lex.agent and lex.agent.sector not in ("GOV", "MIL"):
                mod_sector = mod_sector or lex.agent.sector  # "opposition party leaders"
            elif (lex := m.get(NAMED)) and lex.actor and (lex.actor.code or "").startswith(("IGO", "NGO")):
                igo = lex.actor.code
                if (office := self._office_word(w, m)) is not None:  # "UN envoy", one KB phrase
                    sector, role = office
            else:
                continue
            w.consumed.add(m.start)
            first = m.start if first is None else min(first, m.start)
        for child in w.kids(head):
            if child.dep == "poss" and (hit := self._country_at(w, child.i)):
                countries.append(hit[1].country or "")
                starts.append(-1)
                first = hit[0].start if first is None else min(first, hit[0].start)
            elif child.text.lower() == "led" and child.i >= 2 and doc.tokens[child.i - 1].text == "-" \
                    and (hit := self._country_at(w, child.i - 2)):  # "Vietnamese-led forces" are Vietnam's
                countries.append(hit[1].country or "")
                starts.append(hit[0].start)
                first = hit[0].start if first is None else min(first, hit[0].start)
                w.consumed.add(hit[0].start)
            elif child.dep == "poss" and (ref := self.country_anaphor(w, child.i)) is not None:
                countries.append(ref[0])  # "the country's foreign ministry"
                starts.append(-1)
                first = ref[1] if first is None else min(first, ref[1])
            elif child.dep == "poss" and (org := self._igo_at(w, child.i)) is not None:
                igo = igo or org[1]  # "Nato's secretary general"
                first = org[0].start if first is None else min(first, org[0].start)
                w.consumed.add(org[0].start)
            elif child.dep == "poss" and (group := self._group_at(w, child.i)) is not None:
                # "Hezbollah's leader", "the Taliban's spokesman": the group's country and sector
                countries.append(group[1])
                starts.append(-1)
                org_sector = org_sector or group[2]
                first = group[0].start if first is None else min(first, group[0].start)
                w.consumed.add(group[0].start)
            elif child.dep == "prep" and child.text.lower() in ROLE_COUNTRY_PREPS:
                after.extend(self._prep_countries(w, child.i))
                if igo is None and (org := self._prep_igo(w, child.i)) is not None:
                    igo = org  # "the secretary-general of the United Nations" is the UN's
        if not countries:
            # "the foreign ministers of Japan and Russia": the phrase's own words name no
            # country, the complement does. Where they do, a complement says where, not whose:
            # "Israeli troops in southern Lebanon" are Israel's.
            countries += after
            starts += [-1] * len(after)
        if mod_sector and sector == "GOV":
            sector = mod_sector  # a generic role head ("leaders", "spokesman") takes its modifier's sector
        if org_sector and sector in (None, "GOV"):
            sector = org_sector  # a group's leader or spokesman is the group's, not a government's
        seen: dict[str, int] = {}
        for c, st in zip(countries, starts, strict=True):
            seen.setdefault(c, st)
        return Evidence(tuple(seen), sector, tuple(seen.values()), role, igo, "", first)

    @staticmethod
    def _named_at(w: _Work, i: int) -> tuple[Match, ActorEntry] | None:
        """The match at token ``i`` and the named actor it reads, if any."""
        m = w.at_token.get(i)
        lex = m.get(NAMED) if m else None
        return (m, lex.actor) if m is not None and lex is not None and lex.actor is not None else None

    @classmethod
    def _group_at(cls, w: _Work, i: int) -> tuple[Match, str, str] | None:
        """A non-state organisation with a home country named at token ``i`` ("Hezbollah" =
        LBNREB): its match, country and sector."""
        hit = cls._named_at(w, i)
        if hit is None:
            return None
        m, actor = hit
        code = actor.code or ""
        if actor.kind != "organisation" or not actor.country or code[:3] != actor.country:
            return None
        sector = sector_of(code)
        return (m, actor.country, sector) if sector else None

    @classmethod
    def _igo_at(cls, w: _Work, i: int) -> tuple[Match, str] | None:
        """The organisation with no home country named at token ``i``, intergovernmental or
        international non-governmental ("Nato", "Amnesty International"): its match and code."""
        hit = cls._named_at(w, i)
        code = hit[1].code if hit is not None else None
        return (hit[0], code) if hit is not None and code and code.startswith(("IGO", "NGO")) else None

    def _office_word(self, w: _Work, m: Match) -> tuple[str, str | None] | None:
        """The role word a multi-word organisation phrase ends in ("UN envoy", "UN
        secretary general"): its sector and role. A sector word with no role that ends the
        organisation's own name is no office: "Union" in "the European Union" is no trade
        union (LAB); "UN Envoy", a name of its own, still names an envoy."""
        doc = w.doc
        for k in range(m.start + 1, m.end):
            key = " ".join(doc.tokens[j].text.lower() for j in range(k, m.end))
            agent = next((x.agent for x in self.kb.lookup(key) if x.tag == AGENT and x.agent), None)
            if agent is not None:
                if agent.role is None and self._own_name(doc, m):
                    return None
                return "IGO" if agent.sector == "GOV" else agent.sector, agent.role
        return None

    @staticmethod
    def _own_name(doc: ParsedDoc, m: Match) -> bool:
        """Whether the phrase of ``m`` is the name (or an alias) of the organisation it names."""
        named = m.get(NAMED)
        if named is None or named.actor is None:
            return False
        phrase = " ".join(doc.tokens[j].text.lower() for j in range(m.start, m.end))
        return phrase in {n.lower() for n in (named.actor.name, *named.actor.aliases)}

    def _prep_igo(self, w: _Work, prep: int) -> str | None:
        """The organisation with no home country a preposition's object names ("of the
        United Nations", "of Nato"), if any."""
        for obj in w.kids(prep):
            if obj.dep == "pobj" and (org := self._igo_at(w, obj.i)) is not None:
                return org[1]
        return None

    def _prep_countries(self, w: _Work, prep: int) -> list[str]:
        out: list[str] = []
        for obj in w.kids(prep):
            if obj.dep != "pobj":
                continue
            for tok in (obj, *(c for c in w.kids(obj.i) if c.dep == "conj")):
                if hit := self._country_at(w, tok.i):
                    out.append(hit[1].country or "")
        return out

    # ------------------------------------------------------------------ people

    def _people(self, w: _Work) -> list[ActorMention]:
        doc = w.doc
        covered = set(w.at_token)
        runs = name_tokens(doc, covered, w.time_tokens)
        runs += repeated_names(doc, runs, covered | w.time_tokens)
        runs += self._known_surnames(w, runs, covered)
        runs += [(m.start, m.end) for m in w.matches if (x := m.get(NAMED)) and x.actor and x.actor.kind == "person"]
        runs.sort()
        strong: dict[str, Reading] = {}
        first_pass = [(r, self._read_person(w, r, strong)) for r in runs]
        for (_a, b), reading in first_pass:
            if reading and reading.how.startswith(("title", "appositive")):
                for key in {reading.entity.lower(), reading.entity.split()[-1].lower(),
                            doc.tokens[b - 1].text.lower()}:
                    strong.setdefault(key, reading)
        for (a, b), reading in first_pass:  # family name first ("Ban Ki-moon" … "Ban"): weaker
            if not reading or not reading.how.startswith(("title", "appositive", "kb:")):
                continue
            person = [i for i in range(a, b) if doc.tokens[i].ent_type == "PERSON"]
            if len(person) > 1 and doc.tokens[person[0]].text[:1].isupper():
                strong.setdefault(doc.tokens[person[0]].text.lower(), reading)
        out: list[ActorMention] = []
        for (a, b), early in first_pass:
            own = early is not None and early.how.startswith(("title", "appositive"))
            reading = early if own else self._read_person(w, (a, b), strong)
            if reading is None:
                continue
            ev = self._evidence(w, b - 1, a) if np_head(doc, b - 1) == b - 1 else Evidence()
            lo = min(a, ev.first) if ev.first is not None else a
            s, e, text = span_text(doc, lo, b)
            out.append(ActorMention(
                start=s, end=e, text=text, sentence=doc.tokens[a].sent, head_token=b - 1,
                code=reading.code or _code(reading.country, reading.sector), country=reading.country,
                sector=reading.sector, entity=reading.entity, role=reading.role, kind="person",
                how=reading.how, confidence=reading.confidence,
            ))
        out = [_igo_country(m) for m in out]
        w.persons = out
        return out

    def _known_surnames(self, w: _Work, runs: list[tuple[int, int]], covered: set[int]) -> list[tuple[int, int]]:
        """Capitalised words the tagger took for common nouns ("Guterres said") that are
        surnames the knowledge base or the corpus knows."""
        taken = {i for a, b in runs for i in range(a, b)} | covered | w.time_tokens
        out: list[tuple[int, int]] = []
        for t in w.doc.tokens:
            if t.i in taken or t.pos not in ("NOUN", "X", "ADJ") or not t.text[:1].isupper():
                continue
            key = t.text.lower()
            if key in self.kb.curated_surnames or key in self.learned.by_surname:
                out.append((t.i, t.i + 1))
        return out

    def _read_person(self, w: _Work, run: tuple[int, int], strong: dict[str, Reading]) -> Reading | None:
        """Who the name at ``run`` is, from the strongest evidence available."""
        doc = w.doc
        a, b = run
        name = span_text(doc, a, b)[2]
        last = doc.tokens[b - 1]
        heads_np = np_head(doc, b - 1) == b - 1
        if heads_np and run not in w.titles:
            w.titles[run] = self._title(w, a, b)
        ev = w.titles.get(run, Evidence())
        known = self._known(w, name, strong, ev.role)
        is_person = last.ent_type == "PERSON" or ev.role or ev.igo or known
        if not is_person:
            return None
        if ev.country and (ev.role or ev.sector):
            entity = known.entity if known and known.country == ev.country else name
            return Reading(entity, ev.country, ev.sector, ev.role, ev.how, 0.95)
        if ev.igo and ev.role:
            # The text names the office ("Nato's secretary general, Jens Stoltenberg") on the
            # article's date; a KB row says what the person was when the KB was written.
            entity = known.entity if known else name
            sector = sector_of(ev.igo) if ev.sector in (None, "GOV") else ev.sector  # an organisation's official
            return Reading(entity, None, sector, ev.role, ev.how, 0.95, ev.igo)
        if known:
            sector = ev.sector or known.sector
            role = ev.role or known.role
            how = f"{ev.how}; {known.how}" if ev.how and ev.how not in known.how else known.how
            return replace(known, sector=sector, role=role, how=how)
        if ev.igo:
            return Reading(name, None, ev.sector or "IGO", ev.role, ev.how, 0.8, ev.igo)
        if ev.country:
            return Reading(name, ev.country, None, None, ev.how, 0.7)
        if ev.role or ev.sector:  # "opposition leader Nika Melia": a sector without a title
            ctx = self._context_country(w, a, b, sole=True)
            how = ev.how + (f"; context: {ctx} is the only country in the sentence" if ctx else "")
            if ctx is None and w.main_country:
                ctx = w.main_country
                how = ev.how + f"; context: {ctx} is the article's main country"
            return Reading(name, ctx, ev.sector, ev.role, how, 0.4 if ctx else 0.5)
        if w.main_country:  # a person nothing else places: the country the article is about (weak)
            return Reading(name, w.main_country, None, None,
                           f"person name (NER); context: {w.main_country} is the article's main country", 0.3)
        return Reading(name, None, None, None, "person name (NER), nothing known", 0.3)

    def _title(self, w: _Work, a: int, b: int) -> Evidence:
        """Title before the name, or an appositive role phrase around it."""
        doc = w.doc
        head = b - 1
        ev = self._evidence(w, head, a)
        if ev.first is not None or ev.countries:
            lo = ev.first if ev.first is not None else a
            return replace(ev, how=f"title: {span_text(doc, lo, b)[2]}")
        tok = doc.tokens[head]
        partners = [c.i for c in w.kids(head) if c.dep == "appos"]
        if tok.dep == "appos" and tok.head != tok.i:
            partners.append(tok.head)
            up = doc.tokens[tok.head]  # "the UN envoy for Syria, Geir Pedersen": parsed as Syria's appositive
            if up.dep == "pobj" and doc.tokens[up.head].dep == "prep" and doc.tokens[up.head].head != up.head:
                partners.append(doc.tokens[up.head].head)
        for p in partners:
            app = self._evidence(w, p)
            if app.role or app.sector or app.igo:  # "the UN envoy for Syria, Geir Pedersen"
                lo = app.first if app.first is not None else p
                text = span_text(doc, min(lo, p), p + 1)[2]
                return replace(app, how=f"appositive: {text}")
        return ev

    def _known(self, w: _Work, name: str, strong: dict[str, Reading], title: str | None = None) -> Reading | None:
        """The document's own introduction of this name, else the KB, else the corpus."""
        key = name.lower()
        surname = name.split()[-1].lower()
        doc_hit = strong.get(key) or strong.get(surname)
        if doc_hit and doc_hit.entity.lower() != key:
            return replace(doc_hit, how=f"surname of {doc_hit.entity} ({doc_hit.how})",
                           confidence=min(doc_hit.confidence, 0.9))
        if doc_hit:
            return doc_hit
        entry = self._kb_person(name, w.day, w.countries) or self._titled_person(name, w.day, title)
        if entry is not None:
            return self._kb_reading(entry, w.day)
        learned = self.learned.lookup(name, w.day)
        if learned is not None:
            role_ok = learned.role_valid(w.day)
            return Reading(learned.entity, learned.country, learned.sector if role_ok else None,
                           learned.role if role_ok else None, learned.describe(), 0.7)
        return None

    def _kb_person(self, name: str, day: dt.date, countries: frozenset[str]) -> ActorEntry | None:
        return kb_person(self.kb, name, day, countries)[0]

    def _titled_person(self, name: str, day: dt.date, title: str | None) -> ActorEntry | None:
        """"President Obama" in a text dated before his term: the title matches a role the
        KB knows for that surname; taken when all such people share a country (the one
        in office nearest the date)."""
        if not title or " " in name.strip():
            return None
        want = title.lower()
        cands = [c for c in self.kb.people_named(name, day) if any((t.role or "").lower() == want for t in c.roles)]
        if not cands or len({c.country for c in cands}) != 1:
            return None

        def distance(c: ActorEntry) -> int:
            return min(abs(((t.start or day) - day).days) + abs(((t.end or day) - day).days) for t in c.roles)

        return min(cands, key=distance)

    @staticmethod
    def _kb_reading(entry: ActorEntry, day: dt.date) -> Reading:
        t = entry.role_at(day)
        if t is not None:
            how = f"kb: {t.role or t.code} {entry.country} {t.span()} ({t.source or entry.source})"
            country = country_of(t.code) if t.code else entry.country
            confidence = 0.9
            if (t.source or entry.source) == PHOENIX and t.end is None and day > PHOENIX_UNTIL:
                confidence = 0.6  # "in office" when the Phoenix files were last revised, not since
                how += f"; open-ended in Phoenix, whose rows stop in {PHOENIX_UNTIL.year}: not checked on {day}"
            return Reading(entry.name, country, sector_of(t.code) or entry.sector, t.role, how, confidence,
                           None if country else t.code)
        past = entry.last_role_before(day)
        if past is not None and past.role is None:  # an untitled (Phoenix) code: name the last titled office
            titled = [t for t in entry.roles if t.role and t.end is not None and t.end < day]
            past = max(titled, key=lambda t: t.end or dt.date.min) if titled else past
        if past is not None:
            how = f"kb: former {past.role or past.code} {entry.country} {past.span()} ({past.source or entry.source})"
            return Reading(entry.name, entry.country, "ELI", f"former {past.role}" if past.role else None, how, 0.8)
        sector = entry.sector if not entry.roles else None
        how = f"kb: {entry.name} ({entry.country}), no role on {day.isoformat()} ({entry.source})"
        return Reading(entry.name, entry.country, sector, None, how, 0.6 if entry.roles else 0.8)

    def _context_country(
        self, w: _Work, a: int, b: int, exclude: str | None = None, sole: bool = False
    ) -> str | None:
        """The nearest country named in the same sentence (a weak last resort); with
        ``sole``, only when the sentence names one country."""
        return w.places.nearest(w.doc.tokens[a].sent, a, b, exclude, sole)

    # ------------------------------------------------------------------ organisations

    def _named(self, w: _Work) -> list[ActorMention]:
        """Organisations and IGOs from the knowledge base (persons are done already)."""
        out: list[ActorMention] = []
        doc = w.doc
        longer = self._long_names(w)
        for m in w.matches:
            lex = m.get(NAMED)
            if lex is None or lex.actor is None or lex.actor.kind == "person" or m.start in w.consumed:
                continue
            head = np_head(doc, m.last)
            a = lex.actor
            short = ""
            word = doc.tokens[m.start].text
            if m.end - m.start == 1 and a.source == PHOENIX and word[:1].isupper() \
                    and (full := longer.get(word.lower())) is not None and full is not a:
                # "the Tigers" after "the Liberation Tigers of Tamil Eelam": the article's own
                # organisation, not the dictionary's other group of that one-word name
                a, short = full, f"; short form of {full.name}, named in the article"
            sector, role, lo = a.sector, None, m.start
            if head != m.last:
                ev = self._evidence(w, head)
                if ev.sector:
                    sector, role = ev.sector, ev.role
                    if sector == "GOV" and (a.code or "").startswith("IGO"):
                        sector = "IGO"  # "EU foreign ministers": the organisation's officials
                    lo, m_end = m.start, head + 1
                else:
                    m_end = m.end
            else:
                m_end = m.end
                if (a.code or "").startswith("IGO") and (office := self._office_word(w, m)) is not None:
                    sector, role = office  # "UN envoy": the organisation's official
            s, e, text = span_text(doc, lo, m_end)
            code = a.code or _code(a.country, sector)
            if a.kind != "country" and code and code.startswith("IGO") and sector is None:
                sector = "IGO"
            country, how, conf = a.country if not (code or "").startswith("IGO") else None, "", 0.9
            if country is None and (code or "").startswith("IMG"):
                country, how = self._where_it_acts(w, m)
                conf = 0.7 if country else conf
            out.append(ActorMention(
                start=s, end=e, text=text, sentence=doc.tokens[m.start].sent, head_token=m_end - 1,
                code=code, country=country,
                sector=sector, entity=a.name, role=role, kind="organisation",
                how=f"kb: {a.name} = {code} ({a.source}){how}{short}", confidence=conf,
            ))
            w.consumed.add(m.start)
        return out

    @staticmethod
    def _long_names(w: _Work) -> dict[str, ActorEntry]:
        """Each capitalised word of an organisation the article names in two words or more →
        that organisation (the first named wins): what a one-word short form refers to."""
        out: dict[str, ActorEntry] = {}
        for x in w.matches:
            lex = x.get(NAMED)
            if lex is None or lex.actor is None or lex.actor.kind != "organisation" or x.end - x.start < 2:
                continue
            for j in range(x.start, x.end):
                word = w.doc.tokens[j].text
                if word[:1].isupper():
                    out.setdefault(word.lower(), lex.actor)
        return out

    def _where_it_acts(self, w: _Work, m: Match) -> tuple[str | None, str]:
        """An international armed group (IMG…: Islamic State, al-Qaeda) is coded, as CAMEO
        codes armed groups, by the country where it acts: the only country its sentence
        names, else the article's main country; else none."""
        doc, sent = w.doc, w.doc.tokens[m.start].sent
        named = set()
        for x in w.matches:
            lex = x.get(*PLACE_TAGS)
            if lex is None or not lex.country or doc.tokens[x.start].sent != sent:
                continue
            if x.end < len(doc.tokens) and doc.tokens[x.end].text == "-":
                continue  # "US-backed", "Russian-led": who backs or leads, not where
            named.add(lex.country)
        if len(named) == 1:
            ctx = named.pop()
            return ctx, f"; acting in {ctx}, the only country in the sentence"
        if w.main_country:
            return w.main_country, f"; acting in {w.main_country}, the article's main country"
        return None, ""

    # ------------------------------------------------------------------ groups

    def _groups(self, w: _Work, so_far: list[ActorMention]) -> list[ActorMention]:
        """Role-word phrases: "the Russian military", "Sudanese rebels", "the minister"."""
        doc = w.doc
        taken = {m.head_token for m in so_far}  # persons, organisations, plural references
        out: list[ActorMention] = []
        for m in w.matches:
            lex = m.get(AGENT)
            if lex is None or lex.agent is None or np_head(doc, m.last) != m.last or m.last in taken:
                continue
            if doc.tokens[m.last].pos not in ("NOUN", "PROPN"):
                continue
            ev = self._evidence(w, m.last)
            if lex.agent.phrase in WEAPONS and not ev.countries and not ev.igo:
                continue  # "fired missiles": a weapon is an actor only with its owner named
            out += self._group_mentions(w, m, ev)
        return out

    def _group_mentions(self, w: _Work, m: Match, ev: Evidence) -> list[ActorMention]:
        doc = w.doc
        agent = m.get(AGENT).agent  # type: ignore[union-attr]
        lo = min(m.start, ev.first) if ev.first is not None else m.start
        det = [c.i for c in w.kids(m.last) if c.dep == "det" and c.text.lower() == "the" and c.i < lo]
        lo = det[0] if det else lo
        s, e, text = span_text(doc, lo, m.end)
        sector, role = _qualified(doc, m.start, agent.sector, agent.role)
        if sector == "GOV" and ev.sector not in (None, "GOV"):
            sector = ev.sector  # "opposition party leaders" are the opposition's
        base = dict(start=s, end=e, text=text, sentence=doc.tokens[m.start].sent,
                    head_token=m.last, sector=sector, role=role, kind="group")
        if ev.igo:  # an organisation's officials: its sector (IGO, NGO), the role word's role
            base["sector"] = sector_of(ev.igo) if sector == "GOV" else sector
            igo = ActorMention(**base, code=ev.igo, country=None, how=f"role word '{m_text(doc, m)}' of {ev.igo}",
                               confidence=0.8)
            if ev.first is not None and ev.first < m.start:
                w.named_forces.append(igo)
            return [igo]
        if ev.countries:
            cued = [self._with_cue(w, base, c, st, m, (sector, n > 0))
                    for n, (c, st) in enumerate(zip(ev.countries, ev.starts, strict=True))]
            w.named_forces += [x for x, st in zip(cued, ev.starts, strict=True) if 0 <= st < m.start]
            return cued
        ref = self._nominal_coref(w, m, bool(det), role)
        if ref is not None:
            return [ActorMention(**{**base, "role": ref.role or role, "kind": "person"},
                                 code=ref.code, country=ref.country, entity=ref.entity,
                                 how=f"nominal coreference: {text} → {ref.entity}", confidence=0.6)]
        owned = any(c.dep == "poss" for c in w.kids(m.last))  # "its navy", "Ford's commander"
        back = None if owned or role else same_force(w.named_forces, sector, s)
        if back is not None:
            return [ActorMention(**base, code=back.code if back.country is None else _code(back.country, sector),
                                 country=back.country,
                                 how=f"role word '{m_text(doc, m)}'; refers back to {back.text} ({back.country or back.code})",
                                 confidence=0.6)]
        ctx = self._context_country(w, m.start, m.end, sole=True)
        where = "the only country in the sentence"
        if ctx is None and w.lede_country:
            ctx, where = w.lede_country, "the country of the article's first sentence that names one"
        if ctx is None and w.main_country:
            ctx, where = w.main_country, "the article's main country"
        if ctx is not None:
            return [ActorMention(**base, code=_code(ctx, sector), country=ctx,
                                 how=f"role word '{m_text(doc, m)}'{FROM_CONTEXT}{ctx} is {where}", confidence=0.3)]
        return [ActorMention(**base, code=sector, country=None,
                             how=f"role word '{m_text(doc, m)}'{NO_COUNTRY}", confidence=0.5)]

    def _with_cue(
        self, w: _Work, base: dict, country: str, cue: int, m: Match, how_many: tuple[str, bool]
    ) -> ActorMention:
        """One mention per country of a compound phrase ("U.S. and Russian negotiators"):
        each later one starts at its own cue, so the spans tell the countries apart."""
        doc = w.doc
        sector, later = how_many
        country, how = self._ethnic(w, country, cue)
        if later and cue >= 0 and cue != m.start:
            s, e, text = span_text(doc, cue, m.end)
            base = {**base, "start": s, "end": e, "text": text}
        return ActorMention(**base, code=_code(country, sector), country=country,
                            how=how or f"role word '{m_text(doc, m)}' with country cue {country}", confidence=0.9)

    def _ethnic(self, w: _Work, country: str, cue: int) -> tuple[str, str]:
        """"ethnic Albanians in Macedonia": an ethnic group is coded by the country it lives
        in (CAMEO), the nearest other country named in the sentence, if any."""
        if cue < 1 or w.doc.tokens[cue - 1].text.lower() != "ethnic":
            return country, ""
        home = self._context_country(w, cue, cue + 1, exclude=country)
        if home is None:
            return country, ""
        return home, f"ethnic group ({country}) coded by the country of residence: {home} in the sentence"

    # ------------------------------------------------------------------ countries, capitals

    def _places_as_actors(self, w: _Work) -> list[ActorMention]:
        """Country names, demonyms and acting capitals not already part of a mention."""
        doc = w.doc
        out: list[ActorMention] = []
        for m in w.matches:
            lex = m.get(*PLACE_TAGS)
            if lex is None or lex.actor is None or m.start in w.consumed:
                continue
            head = np_head(doc, m.last)
            mention = self._place_actor(w, m, lex, head)
            if mention is not None:
                out.append(mention)
        return out

    def _place_actor(self, w: _Work, m: Match, lex: Lex, head: int) -> ActorMention | None:
        doc = w.doc
        a = lex.actor
        assert a is not None
        s, e, text = span_text(doc, m.start, m.end)
        base = dict(start=s, end=e, text=text, sentence=doc.tokens[m.start].sent, head_token=m.last,
                    entity=self.kb.country_name(a.country) or a.name)
        if lex.tag == METONYM:
            if head != m.last or not acts(doc, m.last):
                return None  # a place ("in Tokyo"), left to the geo stage
            if any(c.dep == "compound" and c.pos == "PROPN" and not m.start <= c.i < m.end for c in w.kids(m.last)):
                return None  # the end of a longer name ("Air Berlin", "Spartak Moscow"), not the government
            return ActorMention(**base, code=a.code or f"{a.country}GOV", country=a.country, sector=a.sector or "GOV",
                                kind="metonym", how=f"metonymy: {a.name} acting for the {a.country} government",
                                confidence=0.85)
        nxt = doc.tokens[m.end] if m.end < len(doc.tokens) else None
        if lex.tag == DEMONYM and (doc.tokens[m.last].ent_type == "LANGUAGE" or (nxt is not None and nxt.text == "-")):
            return None  # "Japanese-language", "Russian-held": a modifier of a modifier
        if lex.tag == DEMONYM and head != m.last:
            return ActorMention(**base, code=a.country, country=a.country, kind="country",
                                how=f"demonym modifying '{doc.tokens[head].text}'", confidence=0.6)
        prep = governing_prep(doc, m.last)
        locative = prep in PLACE_NOT_AGENT_PREPS
        how = "country name" if lex.tag == COUNTRY else "demonym"
        if lex.tag == DEMONYM:
            home, ethnic = self._ethnic(w, a.country or "", m.start)
            if ethnic:
                return ActorMention(**base, code=home, country=home, kind="group", how=ethnic, confidence=0.6)
        return ActorMention(**base, code=a.country, country=a.country, kind="country",
                            how=how + (f" (place: '{prep} {text}')" if locative else ""),
                            confidence=0.5 if locative else 0.9)

def _igo_country(m: ActorMention) -> ActorMention:
    """An intergovernmental organisation, or one of its officials, has the country "IGO"
    (the actor code says which: IGOUNO, IGOEUR, IGONAT …), so that country-level dyads and
    series count the UN or the EU as one side; NGOs and international armed groups
    (NGO…, IMG…) keep no country."""
    if m.country is None and (m.code or "").startswith("IGO"):
        return replace(m, country="IGO")
    return m


def _qualified(doc: ParsedDoc, start: int, sector: str, role: str | None) -> tuple[str, str | None]:
    """"deputy president", "former foreign minister": the word before a role word
    qualifies it; a former office-holder is an elite (CAMEO ELI), not the government."""
    if start == 0 or doc.tokens[start - 1].sent != doc.tokens[start].sent:
        return sector, role
    word = doc.tokens[start - 1].text.lower().rstrip("-")
    if word not in ROLE_QUALIFIERS:
        return sector, role
    if role and not role.lower().startswith(word):
        role = f"{word.capitalize()} {role}"
    return ("ELI" if word in ("former", "ex") else sector), role




def kb_person(kb: KnowledgeBase, name: str, day: dt.date, countries: frozenset[str]) -> tuple[ActorEntry | None, str]:
    """The KB person a name means on ``day``, and why (``kronika actors explain`` shows it).

    A full name as the KB has it (two entries with one name: the one in office); or a bare
    surname, taken only when the date picks one holder and the person's country is named
    in the article (``countries``: "Smith said" is not Australia's minister unless the
    story is about Australia) or the person leads a state on that date ("Putin said"); with
    nobody of that name in office, a sole former office-holder from a curated table (not
    Phoenix, whose rows mostly stop in 2014: too weak for a bare surname)."""
    full = [x.actor for x in kb.lookup(name) if x.tag == NAMED and x.actor and x.actor.kind == "person"]
    if full:
        pick = min(full, key=lambda x: x.role_at(day) is None)
        why = "full name" + (f"; {len(full)} entries, the one in office on {day}" if len(full) > 1 else "")
        return pick, why
    if " " in name.strip():
        spelled = kb.people_spelled(name)
        if spelled and len({a.name for a in spelled}) == 1:
            pick = min(spelled, key=lambda x: x.role_at(day) is None)
            return pick, f"full name, spelled {pick.name!r} in the KB"
        return None, "no person with this full name"
    cands = tuple(c for c in kb.people_named(name, day)
                  if c.country is None or c.country in countries or _leads(c, day))
    in_office = [c for c in cands if c.role_at(day)]
    if len(in_office) == 1:
        return in_office[0], f"surname: the only one in office on {day} whose country is named or who leads a state"
    if len(cands) == 1:
        return cands[0], "surname: the only one whose country is named or who leads a state"
    if not in_office:
        former = [c for c in cands if c.last_role_before(day) and c.source != PHOENIX]
        if len(former) == 1:
            return former[0], f"surname: nobody in office on {day}; the sole former office-holder (curated)"
    if not cands:
        return None, "surname: nobody whose country is named in the article or who leads a state"
    return None, f"surname: ambiguous ({len(in_office)} in office of {len(cands)} candidates)"
