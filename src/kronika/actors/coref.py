"""References back, for the actor resolver: pronouns ("he", "it", "they"), nominals ("the
minister", "the group", "the two countries") and counterparts ("his Turkish counterpart").

A mixin of ``ActorResolver`` (``resolver.py``): each method reads the per-document working
state and the mentions found so far, and returns new mentions whose ``how`` names what they
point back to. The rules were chosen by the antecedent accuracy on
``tests/fixtures/coref_wikinews.jsonl`` (``kronika evaluate actors --coref``; docs/actors.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kronika.actors.kb import COUNTRY, DEMONYM, METONYM
from kronika.actors.matching import Match, np_head, span_text
from kronika.model import ActorMention, ParsedDoc, Token
from kronika.resources import word_map, word_set

if TYPE_CHECKING:
    from kronika.actors.resolver import _Work

PLACE_TAGS = (COUNTRY, DEMONYM, METONYM)
# The words each reference-back pass looks for (data, with the reasons: actors/words.yaml).
PRONOUNS = word_set("actors/words.yaml", "pronouns")
ROLE_QUALIFIERS = word_set("actors/words.yaml", "role_qualifiers")  # "deputy minister" is another office
# "the group": singular nouns that refer back to the last organisation named.
GROUP_NOUNS = word_set("actors/words.yaml", "group_nouns")
# "the country", "the nation": singular nouns that refer back to one country.
COUNTRY_NOUNS = word_set("actors/words.yaml", "country_nouns")
# How far back (sentences) "the country" looks for a country named before it.
COUNTRY_WINDOW = 2
# "the two countries", "both sides": plural nouns that refer back to a pair of countries.
PLURAL_HEADS = word_set("actors/words.yaml", "plural_heads")
# Role words that, with "the" and no country, point back to a person already named.
COREF_HEADS = word_set("actors/words.yaml", "coref_heads")
# Sectors of armed and security forces: an unqualified role word of one ("the troops") refers
# back to the last group of its sector named with a country ("British soldiers").
FORCE_SECTORS = word_set("actors/words.yaml", "force_sectors")
# Each third-person pronoun's agreement: male, female (a person), thing, plural.
AGREEMENT = word_map("actors/words.yaml", "pronoun_agreement")
SUBJECT = frozenset({"nsubj", "nsubjpass"})
# The pronoun positions the agreement pass reads: subjects and possessors ("his", "its"). Not
# objects: "called it a mistake", "all of them" point to things and sets more often than to
# an actor named before, and event records took them as targets (docs/actors.md).
PRONOUN_DEPS = SUBJECT | {"poss"}


def same_force(named: Sequence[ActorMention], sector: str | None, start: int) -> ActorMention | None:
    """The force an unqualified role word refers back to: the last group of the same armed
    sector (``FORCE_SECTORS``) named before character ``start`` with its country or
    organisation in its own phrase (``named``: "British soldiers", "Romania's troops",
    "African Union troops"; not "troops in Iraq", where the country is where they are). Why
    before the sentence's only country: in the silver training news that country is as often
    the victims' or the place's ("the troops beating Iraqi teenagers", "soldiers there
    arrested a Palestinian") as the force's own. Governments, parties and civilians are left
    to the context rules: "the government" is usually the article's own."""
    if sector not in FORCE_SECTORS:
        return None
    return next((m for m in reversed(named) if m.start < start and m.sector == sector), None)


class References:
    """The reference-back passes of ``ActorResolver`` (it provides ``kb`` and ``_evidence``)."""

    def _nominal_coref(self, w: _Work, m: Match, definite: bool, role: str | None) -> ActorMention | None:
        """"the minister" → the last person named with a matching role ("the deputy
        president" only matches a deputy president)."""
        word = m_text(w.doc, m).lower()
        if not definite or word not in COREF_HEADS:
            return None
        want = (role or word).lower()
        qualified = want.split()[0] in ROLE_QUALIFIERS
        for p in reversed(w.persons):
            have = (p.role or "").lower()
            if p.start >= w.doc.tokens[m.start].start or not have:
                continue
            if have == want or (not qualified and have.split()[-1] == word.split()[-1]
                                and have.split()[0] not in ROLE_QUALIFIERS):
                return p
        return None

    def _plural_refs(self, w: _Work) -> list[ActorMention]:
        """"the two countries", "both sides": one mention for each of the last two
        countries named before (a compound actor, as PLOVER codes it)."""
        doc = w.doc
        out: list[ActorMention] = []
        for t in doc.tokens:
            if t.lemma.lower() not in PLURAL_HEADS or t.tag != "NNS":
                continue
            kids = w.kids(t.i)
            if not any(k.text.lower() in ("two", "both") for k in kids):
                continue
            if any(k.dep in ("compound", "amod", "nmod") and k.text.lower() not in ("two", "both") for k in kids):
                continue  # "two opposition party leaders" are not the two countries
            pair = self._pair_of_countries(w, t)
            if pair is None:
                continue
            lo = min([k.i for k in kids if k.dep in ("det", "nummod", "predet", "amod")] + [t.i])
            s, e, text = span_text(doc, lo, t.i + 1)
            out += [ActorMention(start=s, end=e, text=text, sentence=t.sent, head_token=t.i,
                                 code=_code(c, "GOV"), country=c, sector="GOV", kind="country",
                                 entity=self.kb.country_name(c),
                                 how=f"plural reference: {text} = {pair[0]} and {pair[1]}", confidence=0.6)
                    for c in pair]
        return out

    @staticmethod
    def _pair_of_countries(w: _Work, t: Token) -> tuple[str, str] | None:
        """The people of the same sentence if they are from two countries ("both Kono and
        Lavrov said the two countries…"), else the two countries named most often so far."""
        here = list(dict.fromkeys(p.country for p in w.persons if p.sentence == t.sent and p.country))
        if len(here) == 2:
            return here[0], here[1]
        counts: dict[str, int] = {}
        for m in w.matches:
            lex = m.get(*PLACE_TAGS)
            if w.doc.tokens[m.start].start < t.start and lex is not None and lex.country:
                counts[lex.country] = counts.get(lex.country, 0) + 1
        top = sorted(counts, key=lambda c: -counts[c])[:2]
        return (top[0], top[1]) if len(top) == 2 else None

    # ------------------------------------------------------------------ pronouns

    def _pronouns(self, w: _Work, so_far: list[ActorMention]) -> list[ActorMention]:
        """"he"/"she" as a subject → a person named within four sentences (``_antecedent``);
        then "it"/"they" as subjects (``_it_they``); then the pronouns left, by agreement
        (``_agreeing``)."""
        doc = w.doc
        people = sorted((m for m in so_far if m.kind == "person" and m.entity), key=lambda m: m.start)
        out: list[ActorMention] = []
        for t in doc.tokens:
            if t.text.lower() not in PRONOUNS or t.dep not in ("nsubj", "nsubjpass"):
                continue
            found = self._antecedent(w, t, people)
            if found is None or not found[0].country:
                continue
            p, why = found
            out.append(ActorMention(
                start=t.start, end=t.end, text=t.text, sentence=t.sent, head_token=t.i, code=p.code,
                country=p.country, sector=p.sector, entity=p.entity, role=p.role, kind="person",
                how=f"pronoun: {t.text} → {p.entity} (sentence {p.sentence}; {why})", confidence=0.5,
            ))
        out += self._it_they(w, so_far)
        return out + self._agreeing(w, so_far, out)

    @staticmethod
    def _antecedent(w: _Work, t: Token, people: list[ActorMention]) -> tuple[ActorMention, str] | None:
        """Who "he"/"she" at ``t`` is, among the people named before it within four
        sentences: the only one; else the subject of the verb that governs the pronoun's
        clause ("Kono said he would …"); else the last person who was a subject, in this
        sentence or the one before (salience: subjects stay the topic); else the last person
        named there; else the last person named up to four sentences back (a quotation or
        background paragraph between a name and its "he": two sentences were too few). Chosen
        by the antecedent accuracy on the two coreference sets (docs/actors.md)."""
        doc = w.doc
        prior = [p for p in people if p.start < t.start and t.sent - p.sentence <= 4]
        if not prior:
            return None
        if len({p.entity for p in prior}) == 1:
            return prior[-1], "the only person named"
        clause = doc.tokens[t.head]
        if clause.dep in ("ccomp", "xcomp", "advcl", "conj") and clause.head != clause.i:
            subj = next((k for k in w.kids(clause.head) if k.dep in ("nsubj", "nsubjpass") and k.i < t.i), None)
            if subj is not None:
                hit = [p for p in prior if p.head_token in (subj.i, np_head(doc, subj.i))]
                if hit:
                    return hit[-1], f"subject of '{doc.tokens[clause.head].text}'"
        subjects = [p for p in prior if t.sent - p.sentence <= 1
                    and doc.tokens[p.head_token].dep in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[-1], "the last person named as a subject"
        recent = [p for p in prior if t.sent - p.sentence <= 1]
        if recent:
            return recent[-1], "the last person named"
        return prior[-1], "the last person named, up to four sentences back"

    # ------------------------------------------------------------------ agreement

    def _agreeing(self, w: _Work, so_far: list[ActorMention], resolved: list[ActorMention]) -> list[ActorMention]:
        """The pronouns the rules above leave (possessives "his", "her", "its", "their", and
        subjects with no antecedent there, "it" included): the last actor named before the
        pronoun, in its sentence or the two before, that agrees with it in number
        (``_agrees``). A pronoun resolved here is an antecedent for the next ones ("he …
        his"). Chosen on both coreference sets (docs/actors.md): preferring subjects or the
        subject of the pronoun's own clause lost a mention on the dev set, gender from titles
        changed nothing, a window of one sentence before lost one on the held-out set."""
        doc = w.doc
        done = {m.head_token for m in resolved}
        cands = sorted((m for m in (*so_far, *resolved) if m.country or (m.code or "").startswith("IGO")),
                       key=lambda m: m.start)
        out: list[ActorMention] = []
        named: dict[int, str] = {}  # a pronoun resolved here → the words of the actor it stands for
        for t in doc.tokens:
            feat = AGREEMENT.get(t.text.lower())
            if feat is None or t.i in done or t.dep not in PRONOUN_DEPS or t.head == t.i:
                continue
            prior = [c for c in cands if c.end <= t.start and t.sent - c.sentence <= 2 and _agrees(w, c, feat)]
            if not prior:
                continue
            a = prior[-1]
            what = a.entity or named.get(a.head_token, a.text)
            new = ActorMention(
                start=t.start, end=t.end, text=t.text, sentence=t.sent, head_token=t.i, code=a.code,
                country=a.country, sector=a.sector, entity=a.entity, role=a.role, kind=a.kind,
                how=f"pronoun: {t.text} → {what} (sentence {a.sentence}; the last actor named that agrees in number)",
                confidence=0.5, antecedent=a.start,
            )
            out.append(new)
            named[t.i] = what
            cands.append(new)  # in text order: every candidate so far starts before the next pronoun
        return out

    def _counterparts(self, w: _Work) -> list[ActorMention]:
        """"his Turkish counterpart": the person of that country holding the role of the
        last person named before it in the sentence (the knowledge base says who, when it
        knows the office-holders of that country)."""
        doc = w.doc
        out: list[ActorMention] = []
        for t in doc.tokens:
            if t.lemma.lower() != "counterpart":
                continue
            before = set(w.consumed)
            ev = self._evidence(w, t.i)
            prior = [p for p in w.persons if p.sentence == t.sent and p.start < t.start and p.role]
            if len(ev.countries) != 1 or not prior or ev.countries[0] == prior[-1].country:
                w.consumed = before  # not a counterpart we can name: its cues stay free
                continue
            p = prior[-1]
            country, role = ev.countries[0], p.role or ""
            who = self.kb.holder(country, role, w.day)
            held = who.role_at(w.day) if who else None
            role = (held.role if held else None) or role  # the holder's own title ("Chancellor")
            lo = min([k.i for k in w.kids(t.i) if k.dep in ("poss", "det")] + [ev.first if ev.first is not None else t.i])
            s, e, text = span_text(doc, lo, t.i + 1)
            how = f"counterpart of {p.entity} ({role})" + (
                f": {who.name}, {role} of {country} on {w.day} (kb)" if who else f" in {country}, holder not in the KB")
            out.append(ActorMention(
                start=s, end=e, text=text, sentence=t.sent, head_token=t.i, code=_code(country, p.sector or "GOV"),
                country=country, sector=p.sector or "GOV", entity=who.name if who else None, role=role, kind="person",
                how=how, confidence=0.8 if who else 0.7,
            ))
        return out

    def _the_group(self, w: _Work, so_far: list[ActorMention]) -> list[ActorMention]:
        """"the group", "the organisation", "the movement" (definite, singular, nothing
        else modifying it) → the last organisation named within three sentences."""
        doc = w.doc
        taken = {m.head_token for m in so_far}
        orgs = sorted((m for m in so_far if m.kind == "organisation"), key=lambda m: m.start)
        out: list[ActorMention] = []
        for t in doc.tokens:
            if t.lemma.lower() not in GROUP_NOUNS or t.tag != "NN" or t.i in taken:
                continue
            kids = w.kids(t.i)
            if not any(k.dep == "det" and k.text.lower() == "the" for k in kids):
                continue
            if any(k.dep in ("amod", "compound", "nmod", "poss", "nummod") for k in kids):
                continue
            if any(k.dep == "prep" and k.text.lower() == "of" for k in kids):
                continue  # "the group of experts"
            prior = [m for m in orgs if m.end <= t.start and t.sent - m.sentence <= 3]
            if not prior:
                continue
            a = prior[-1]
            det = min(k.i for k in kids if k.dep == "det")
            st, en, text = span_text(doc, det, t.i + 1)
            out.append(ActorMention(
                start=st, end=en, text=text, sentence=t.sent, head_token=t.i, code=a.code,
                country=a.country, sector=a.sector, entity=a.entity, role=None, kind="organisation",
                how=f"nominal coreference: {text} → {a.text} (sentence {a.sentence})", confidence=0.6,
                antecedent=a.start,
            ))
        return out

    def country_anaphor(self, w: _Work, i: int) -> tuple[str, int, str] | None:
        """Whether token ``i`` is "the country" / "the nation" (singular, "the", nothing else
        modifying it) and which country it is: the country of its clause's subject, when it is
        not inside that subject ("Australian officials impounded boats off the country's
        coast"); else a country named before it, in its sentence or the two before
        ("… Zambia. The policy was announced by the country's Minister of Agriculture"): the
        first one named in the latest sentence that names one (news names its actor first).
        Returns the country, the token of its "the", and why."""
        doc = w.doc
        t = doc.tokens[i]
        if t.lemma.lower() not in COUNTRY_NOUNS or t.tag != "NN":
            return None
        kids = w.kids(i)
        det = [k.i for k in kids if k.dep == "det" and k.text.lower() == "the"]
        if not det or any(k.dep in ("amod", "compound", "nmod", "poss", "nummod", "prep") for k in kids):
            return None
        subj = self._clause_subject_country(w, i)
        if subj is not None:
            return subj, det[0], "the country of its clause's subject"
        # sentence → the first country named in it before the anaphor: by its name or capital,
        # else by a demonym ("Australian officials")
        named: dict[int, str] = {}
        by_people: dict[int, str] = {}
        for m in w.matches:
            s = doc.tokens[m.start].sent
            if m.end > det[0] or t.sent - s > COUNTRY_WINDOW:
                continue
            if (lex := m.get(COUNTRY, METONYM)) is not None and lex.country:
                named.setdefault(s, lex.country)
            elif (lex := m.get(DEMONYM)) is not None and lex.country:
                by_people.setdefault(s, lex.country)
        sents = set(named) | set(by_people)
        if not sents:
            return None
        s = max(sents)
        where = "its sentence" if s == t.sent else "an earlier sentence"
        return named.get(s) or by_people[s], det[0], f"the first country named in {where}"

    def _clause_subject_country(self, w: _Work, i: int) -> str | None:
        """The country cue of the subject of the clause ``i`` stands in, unless ``i`` is inside it."""
        doc = w.doc
        cur = i
        inside: set[int] = {i}
        while doc.tokens[cur].head != cur and doc.tokens[cur].pos not in ("VERB", "AUX"):
            cur = doc.tokens[cur].head
            inside.add(cur)
        subj = next((k for k in w.kids(cur) if k.dep in SUBJECT), None)
        if subj is None or subj.i in inside:
            return None
        hit = self._country_at(w, np_head(doc, subj.i))  # type: ignore[attr-defined]
        return hit[1].country if hit is not None else None

    def _it_they(self, w: _Work, so_far: list[ActorMention]) -> list[ActorMention]:
        """"Turkey said it would …", "the rebels said they …": "it"/"they" as the subject
        of a clause governed by a verb whose subject is an actor (a country, capital,
        organisation or group; "they" also a pair) is that actor; else "they" is the last
        plural group (or organisation) named as a subject in this sentence or the one
        before (coreference set: 0.70 → 0.80; the same fallback for "it" gained nothing)."""
        doc = w.doc
        by_head: dict[int, list[ActorMention]] = {}
        for m in so_far:
            if m.kind != "person" and (m.country or m.code):
                by_head.setdefault(m.head_token, []).append(m)
        out: list[ActorMention] = []
        for t in doc.tokens:
            word = t.text.lower()
            if word not in ("it", "they") or t.dep not in ("nsubj", "nsubjpass") or t.head == t.i:
                continue
            clause = doc.tokens[t.head]
            subj = None
            if clause.dep in ("ccomp", "xcomp", "advcl", "conj") and clause.head != clause.i:
                subj = next((k for k in w.kids(clause.head) if k.dep in ("nsubj", "nsubjpass")), None)
            ants: list[ActorMention] = []
            why = ""
            if subj is not None and subj.i < t.i:
                heads = [subj.i] + ([k.i for k in w.kids(subj.i) if k.dep == "conj"] if word == "they" else [])
                ants = [m for h in heads for m in by_head.get(np_head(doc, h), by_head.get(h, []))[:1]]
                why = f"subject of '{doc.tokens[clause.head].text}'"
                if word == "it" and (len(ants) != 1 or ants[0].kind == "group" and doc.tokens[subj.i].tag == "NNS"):
                    ants = []
            if not ants and word == "they":  # the last plural group that was a subject, here or just before
                groups = [m for m in so_far if m.kind in ("group", "organisation") and m.country and m.start < t.start
                          and t.sent - m.sentence <= 1 and doc.tokens[m.head_token].dep in ("nsubj", "nsubjpass")
                          and (m.kind == "organisation" or doc.tokens[m.head_token].tag == "NNS")]
                ants, why = groups[-1:], "the last group named as a subject"
            for a in ants:
                out.append(ActorMention(
                    start=t.start, end=t.end, text=t.text, sentence=t.sent, head_token=t.i, code=a.code,
                    country=a.country, sector=a.sector, entity=a.entity, role=a.role, kind=a.kind,
                    how=f"pronoun: {t.text} → {a.text} ({why})", confidence=0.6, antecedent=a.start,
                ))
        return out


def _agrees(w: _Work, c: ActorMention, feat: str) -> bool:
    """Number agreement: he/she forms → a person; it/its → a country, capital or
    organisation named by a noun, or a body with a singular head ("the government"), never
    a person; they/their → an organisation or a group (collective bodies take "they" in
    news English: "the government said they …")."""
    tag = w.doc.tokens[c.head_token].tag
    if feat in ("male", "female"):
        return c.kind == "person" and bool(c.entity)
    if feat == "thing":
        return c.kind in ("country", "metonym", "organisation") and tag in ("NNP", "NN") \
            or c.kind == "group" and tag == "NN"
    return c.kind in ("organisation", "group")


def _code(country: str | None, sector: str | None) -> str | None:
    if country and sector:
        return f"{country}{sector}"
    return country or sector


def m_text(doc: ParsedDoc, m: Match) -> str:
    return span_text(doc, m.start, m.end)[2]
