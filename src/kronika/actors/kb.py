"""The actor knowledge base: packaged data files compiled once into lookup dictionaries.

Sources (each file's header names its own):

* ``pycountry`` — every ISO 3166-1 country, official and common names;
* ``data/actors/countries.yaml`` — short forms, demonyms, capitals and seats of power;
* ``data/actors/organisations.yaml`` — IGOs and alliances, and well-known non-state groups;
* ``data/actors/agents.yaml`` — CAMEO sector codes and the role words that signal them;
* ``data/actors/leaders.tsv`` — heads of state and government, foreign and defence
  ministers of the G20 and the UN Security Council permanent members, 2000 to date;
* ``data/actors/phoenix.tsv`` — the Phoenix (PETRARCH 2) dictionaries converted by
  ``scripts/convert_phoenix_actors.py``: ~18,000 office-holders of every country with dated
  CAMEO codes (mostly to 2014), IGOs and their officials, NGOs, ~1,000 non-state armed
  groups. Everything above wins over it: a phrase another source already has is not
  added, and a person leaders.tsv also lists is one entry, with leaders.tsv's tenures and
  Phoenix's only on dates leaders.tsv does not cover (``_merge_phoenix``);
* user dictionaries (``settings.user_dictionaries``) in the format of ``dictionary.py``,
  which take precedence over the packaged data.

Everything is compiled into plain dicts keyed by normalised surface forms, so resolving a
document costs a handful of dict look-ups per token (no per-token regex loops).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import pycountry

from kronika.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    Tenure,
    country_of,
    is_actor_dictionary,
    load_dictionary,
    parse_dictionary,
    sector_of,
)
from kronika.resources import iter_tsv, load_yaml, word_groups

# Lexicon tags: what a matched phrase is.
COUNTRY, DEMONYM, METONYM, NAMED, AGENT = "country", "demonym", "metonym", "named", "agent"
MAX_TOKENS = 8
# One office under the titles countries give it (leaders.tsv's role column): data.
SAME_OFFICE = word_groups("actors/words.yaml", "same_office")
# The source of the Phoenix rows: a weaker source (no role titles, mostly ending in 2014).
PHOENIX = "kb:phoenix.tsv"


def norm(text: str) -> str:
    """Normal form of a surface string for look-ups: lower case, straight quotes, one space."""
    t = token_key(text.replace("_", " "))
    t = " ".join(t.split())
    return t[4:] if t.startswith("the ") else t


_DOUBLED = re.compile(r"([a-z])\1")


def spelling_key(key: str) -> str:
    """A ``norm`` key with the spellings that romanisations of one name differ by folded:
    doubled letters, "ou" for "u", a final "eh" or "ah" for "a" ("Haniyeh" = "Haniya",
    "Mahmoud" = "Mahmud", "Mohammed" = "Mohamed"). News and the Phoenix files romanise
    Arabic, Persian and Pashto names differently; only full names are compared this way."""
    words = []
    for w in key.split():
        w = _DOUBLED.sub(r"\1", w).replace("ou", "u")
        words.append(w[:-2] + "a" if len(w) > 3 and w.endswith(("eh", "ah")) else w)
    return " ".join(words)


def token_key(text: str) -> str:
    """Lower case with straight quotes and without accents ("Déby" = "Deby", "Erdoğan" =
    "Erdogan": the Phoenix files are plain ASCII): the per-token part of ``norm``."""
    t = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    if t.isascii():
        return t
    for _ in range(3):  # folding and lower-casing can each undo the other ("㎊" → "pF"): until stable
        folded = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c)).lower()
        folded = folded.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d")
        if folded == t:
            break
        t = folded
    return t


@dataclass(frozen=True, slots=True)
class Lex:
    """One reading of a matched phrase.

    ``caps``: an acronym that matches only in capitals ("WHO", not "Who"). A curated
    acronym of four letters or more matches in title case too: the Guardian, BBC and
    others write acronyms spoken as words so ("Nato", "Isis", "Unicef", "Farc"); a Phoenix
    one (uncurated) stays capitals-only."""

    tag: str
    actor: ActorEntry | None = None
    agent: AgentEntry | None = None
    plural: bool = False  # "Palestinians": the people, not the adjective
    caps: bool = False  # an acronym ("GIA", "WHO"): matches only in capitals

    @property
    def country(self) -> str | None:
        return self.actor.country if self.actor else None


class KnowledgeBase:
    """Compiled look-ups over all actor data. Built once; read-only afterwards."""

    def __init__(self, dictionaries: Iterable[ActorDictionary] = (), user: Iterable[ActorDictionary] = ()):
        self.phrases: dict[str, tuple[Lex, ...]] = {}
        self.surnames: dict[str, tuple[ActorEntry, ...]] = {}
        # Full names of people by ``spelling_key``: the fallback when a name is written
        # otherwise than the KB romanises it.
        self.spellings: dict[str, tuple[ActorEntry, ...]] = {}
        # Surnames from curated sources (not Phoenix): enough to take a capitalised common
        # noun for a name ("Guterres said"); a Phoenix surname needs NER to call it a name.
        self.curated_surnames: set[str] = set()
        self.countries: dict[str, ActorEntry] = {}
        self.igo_names: dict[str, str] = {}
        self.sources: list[str] = []
        for d in dictionaries:
            self._add_dictionary(d, override=False)
        for d in user:
            self._add_dictionary(d, override=True)
        # Titled office-holders by (country, role): who is "his Turkish counterpart".
        self.holders: dict[tuple[str, str], list[ActorEntry]] = {}
        for lexes in self.phrases.values():
            for x in lexes:
                if x.actor is not None and x.actor.kind == "person" and x.actor.country:
                    for t in x.actor.roles:
                        if t.role:
                            held = self.holders.setdefault((x.actor.country, t.role.lower()), [])
                            if x.actor not in held:
                                held.append(x.actor)
        # Every prefix of every phrase that ends where a token can end: lets the matcher stop
        # extending a span early.
        self.prefixes: frozenset[str] = frozenset(p for k in self.phrases for p in _token_prefixes(k))
        # The same for role words only: the one kind of phrase a lower-case token may start.
        self.agent_prefixes: frozenset[str] = frozenset(
            p for k, lex in self.phrases.items() if any(x.tag == AGENT for x in lex) for p in _token_prefixes(k))

    # ------------------------------------------------------------------ build

    def add(self, phrase: str, lex: Lex, *, override: bool = False, weak: bool = False) -> None:
        """Add one reading of ``phrase``; a ``weak`` one (Phoenix) only where no other
        source has the phrase."""
        key = norm(phrase)
        if not key:
            return
        old = self.phrases.get(key, ())
        if weak and any(o.actor is None or o.actor.source != PHOENIX for o in old):
            return
        if override:
            old = tuple(o for o in old if o.tag != lex.tag)
        if lex not in old:
            self.phrases[key] = (lex, *old) if override else (*old, lex)

    def _add_dictionary(self, d: ActorDictionary, *, override: bool) -> None:
        self.sources.extend(d.sources)
        for a in d.actors:
            tag = {"country": COUNTRY, "metonym": METONYM, "demonym": DEMONYM}.get(a.kind, NAMED)
            weak = a.source == PHOENIX
            for form in (a.name, *a.aliases):
                if a.kind == "person" and " " not in form.strip() and a.source.startswith("kb:"):
                    continue  # a bare surname is ambiguous: it goes to the surname index only
                caps = _acronym(form) and (weak or _letters(form) < 4)
                self.add(form, Lex(tag, actor=a, caps=caps), override=override, weak=weak)
            if a.kind == "person":
                self._index_surname(a, override=override)
                self._index_spelling(a)
            if a.kind == "country" and a.country and a.country not in self.countries:
                self.countries[a.country] = a
        for g in d.agents:
            for form in (g.phrase, *g.plural):
                self.add(form, Lex(AGENT, agent=g), override=override)

    def _index_surname(self, a: ActorEntry, *, override: bool) -> None:
        forms = {a.name.split()[-1]} | {x for x in a.aliases if " " not in x}
        for f in forms:
            key = norm(f)
            if a.source != PHOENIX:
                self.curated_surnames.add(key)
            old = self.surnames.get(key, ())
            if a not in old:
                self.surnames[key] = (a, *old) if override else (*old, a)

    def _index_spelling(self, a: ActorEntry) -> None:
        for form in {a.name, *a.aliases}:
            if " " in form.strip():
                key = spelling_key(norm(form))
                old = self.spellings.get(key, ())
                if a not in old:
                    self.spellings[key] = (*old, a)

    # ------------------------------------------------------------------ look-ups

    def lookup(self, phrase: str) -> tuple[Lex, ...]:
        return self.phrases.get(norm(phrase), ())

    def people_spelled(self, name: str) -> tuple[ActorEntry, ...]:
        """KB people whose full name is ``name`` up to romanisation (``spelling_key``)."""
        return self.spellings.get(spelling_key(norm(name)), ())

    def people_named(self, surname: str, day: dt.date) -> tuple[ActorEntry, ...]:
        """KB people with this surname (or single-word alias), those in office on ``day``
        first."""
        cands = self.surnames.get(norm(surname), ())
        return tuple(sorted(cands, key=lambda a: a.role_at(day) is None))

    def holder(self, country: str, role: str, day: dt.date) -> ActorEntry | None:
        """Who held ``role`` (a title, "Foreign Minister") in ``country`` on ``day``; the
        same office under another country's title counts ("Foreign Secretary")."""
        titles = next((g for g in SAME_OFFICE if role.lower() in g), frozenset({role.lower()}))
        for title in titles:
            for e in self.holders.get((country, title), ()):
                t = e.role_at(day)
                if t is not None and (t.role or "").lower() == title:
                    return e
        return None

    def country_name(self, iso3: str | None) -> str | None:
        e = self.countries.get(iso3 or "")
        return e.name if e else None


# ---------------------------------------------------------------------- loading


def _country_dictionary() -> ActorDictionary:
    """pycountry's ISO list plus our short forms, demonyms, capitals and seats of power."""
    extra = load_yaml("actors/countries.yaml")["countries"]
    actors: list[ActorEntry] = []
    for c in pycountry.countries:
        iso3 = c.alpha_3
        more = extra.get(iso3) or {}
        official = getattr(c, "official_name", None)
        common = getattr(c, "common_name", None)
        names = [n for n in (common, c.name, official) if n]
        short = more.get("names") or []
        canonical = (short or names)[0]
        aliases = tuple(dict.fromkeys(n for n in names + short if n != canonical))
        actors.append(ActorEntry(canonical, "country", iso3, iso3, None, aliases, (), "kb:pycountry"))
        for dem in more.get("demonyms") or ():
            plural = _plural(dem)
            actors.append(ActorEntry(dem, "demonym", iso3, iso3, None,
                                     (plural,) if plural else (), (), "kb:countries.yaml"))
        for cap in more.get("capitals") or ():
            actors.append(ActorEntry(cap, "metonym", iso3, f"{iso3}GOV", "GOV", (), (), "kb:countries.yaml"))
        for seat in more.get("seats") or ():
            actors.append(ActorEntry(seat, "metonym", iso3, f"{iso3}GOV", "GOV", (), (), "kb:countries.yaml"))
    return ActorDictionary(tuple(actors), (), ("kb:countries",))


def _token_prefixes(key: str) -> list[str]:
    """Prefixes of ``key`` that end at a possible token boundary: the whole key, or a
    point with a non-alphanumeric character on either side ("al", "al-", "al-nusra" of
    "al-nusra front"; not "al-nu"). The matcher only ever asks for joined whole tokens, and
    the tokenizer does not split a run of letters and digits inside a name, so the others
    were never asked for (they were nine in ten of the set)."""
    n = len(key)
    return [key[:i] for i in range(1, n + 1) if i == n or not (key[i - 1].isalnum() and key[i].isalnum())]


def _letters(form: str) -> int:
    return sum(c.isalpha() for c in form)


def _acronym(form: str) -> bool:
    letters = [c for c in form if c.isalpha()]
    return 1 < len(letters) <= 6 and all(c.isupper() for c in letters)


def _plural(demonym: str) -> str | None:
    """"Iraqi" → "Iraqis", "Russian" → "Russians"; not "Chinese", "Swiss", "Dutch"."""
    low = demonym.lower()
    if low.endswith(("ese", "ss", "sh", "ch", "s")):
        return None
    return demonym + "s"


def _leaders_dictionary() -> ActorDictionary:
    """One person entry per (name, country); an organisation's rows (country column
    "IGOEUR") join the same person's national entry when there is one, so the role held on
    a date decides whether "von der Leyen" is Germany's minister or the EU's president."""
    by_name: dict[tuple[str, str], list[Tenure]] = {}
    aliases: dict[tuple[str, str], set[str]] = {}
    rows = list(iter_tsv("actors/leaders.tsv"))
    national = {row["name"]: row["country"] for row in rows if not row["country"].startswith("IGO")}
    for row in rows:
        owner = row["country"]
        igo = owner.startswith("IGO")
        key = (row["name"], national.get(row["name"], owner) if igo else owner)
        start = dt.date.fromisoformat(row["start"]) if row["start"] else None
        end = dt.date.fromisoformat(row["end"]) if row["end"] else None
        by_name.setdefault(key, []).append(Tenure(owner if igo else f"{owner}GOV", row["role"], start, end))
        aliases.setdefault(key, set()).update(a for a in row.get("aliases", "").split("|") if a)
    actors = tuple(_person(name, owner, aliases[(name, owner)], ts) for (name, owner), ts in by_name.items())
    return ActorDictionary(actors, (), ("kb:leaders.tsv",))


def _person(name: str, owner: str, aliases: set[str], tenures: list[Tenure]) -> ActorEntry:
    roles = tuple(sorted(tenures, key=lambda t: t.start or dt.date.min))
    if owner.startswith("IGO"):
        return ActorEntry(name, "person", None, owner, "IGO", tuple(sorted(aliases)), roles, "kb:leaders.tsv")
    return ActorEntry(name, "person", owner, f"{owner}GOV", "GOV", tuple(sorted(aliases)), roles, "kb:leaders.tsv")


def _phoenix_entry(row: dict[str, str]) -> ActorEntry:
    roles = tuple(_tenure(r) for r in row["roles"].split("|") if r)
    code = row["code"] or (roles[0].code if roles else None)
    countries = [country_of(t.code) for t in roles] or [country_of(code)]
    known = [c for c in countries if c]
    country = max(known, key=known.count) if known and not (code or "").startswith(("IGO", "NGO", "IMG")) else None
    if row["kind"] == "person" and roles and all((t.code or "").startswith("IGO") for t in roles):
        country = None
    aliases = tuple(a for a in row["aliases"].split("|") if a)
    words = row["name"].split()
    if row["kind"] == "person" and len(words) == 3 and all(len(x) >= 4 and x.isalpha() for x in words):
        aliases += (f"{words[0]} {words[2]}",)  # "Carlos Saul Menem" is "Carlos Menem" in the news
    return ActorEntry(row["name"], row["kind"], country, code, sector_of(code), aliases, roles, PHOENIX)


def _tenure(text: str) -> Tenure:
    """"JPNGOV 2006-09-26..2007-09-26" (open ends empty) → Tenure."""
    code, _, span = text.partition(" ")
    a, _, b = span.partition("..")
    return Tenure(code, None, dt.date.fromisoformat(a) if a else None, dt.date.fromisoformat(b) if b else None,
                  PHOENIX)


def _phoenix_dictionary() -> ActorDictionary:
    return ActorDictionary(tuple(_phoenix_entry(r) for r in iter_tsv("actors/phoenix.tsv")), (), (PHOENIX,))


def _merge_phoenix(leaders: ActorDictionary, phoenix: ActorDictionary) -> tuple[ActorDictionary, ActorDictionary]:
    """leaders.tsv wins where both speak: a Phoenix person with a leaders.tsv person's name
    (or alias) and country is folded into that entry, which keeps its own tenures and
    aliases and gains the Phoenix tenures on the dates none of its own covers, before its
    latest office (earlier offices: Lavrov at the UN in 2003)."""
    index: dict[tuple[str, str | None], int] = {}
    for n, a in enumerate(leaders.actors):
        for form in (a.name, *a.aliases):
            if " " in form.strip():
                index.setdefault((norm(form), a.country), n)
    extra: dict[int, list[Tenure]] = {}
    kept: list[ActorEntry] = []
    for p in phoenix.actors:
        hit = next((index[k] for f in (p.name, *p.aliases) if (k := (norm(f), p.country)) in index), None) \
            if p.kind == "person" else None
        if hit is None:
            kept.append(p)
            continue
        own = leaders.actors[hit].roles
        latest = max((o.start for o in own if o.start), default=dt.date.max)
        extra.setdefault(hit, []).extend(
            piece for t in p.roles for piece in _uncovered(t, own)
            # not after leaders.tsv's latest office began (Phoenix's open ends are stale there),
            # nor a few days' remainder of a hand-over date the two sources disagree on
            if (piece.start or dt.date.min) < latest and _days(piece) > 31)
    actors = tuple(replace(a, roles=tuple(sorted((*a.roles, *extra[n]), key=lambda t: t.start or dt.date.min)))
                   if n in extra else a for n, a in enumerate(leaders.actors))
    return replace(leaders, actors=actors), replace(phoenix, actors=tuple(kept))


def _days(t: Tenure) -> int:
    return ((t.end or dt.date.max) - (t.start or dt.date.min)).days


def _uncovered(t: Tenure, own: tuple[Tenure, ...]) -> list[Tenure]:
    """The parts of ``t`` on which none of ``own`` holds (dates inclusive)."""
    pieces = [t]
    for o in own:
        nxt: list[Tenure] = []
        for p in pieces:
            lo, hi = p.start or dt.date.min, p.end or dt.date.max
            olo, ohi = o.start or dt.date.min, o.end or dt.date.max
            if ohi < lo or hi < olo:
                nxt.append(p)
                continue
            if lo < olo:
                nxt.append(replace(p, end=olo - dt.timedelta(days=1)))
            if ohi < hi:
                nxt.append(replace(p, start=ohi + dt.timedelta(days=1)))
        pieces = nxt
    return pieces


def load_knowledge_base(user_paths: Iterable[Path] = (), extra: Iterable[ActorDictionary] = ()) -> KnowledgeBase:
    """The packaged knowledge plus user dictionaries (files meant for this stage only)."""
    leaders, phoenix = _merge_phoenix(_leaders_dictionary(), _phoenix_dictionary())
    packaged = [
        _country_dictionary(),
        parse_dictionary(load_yaml("actors/organisations.yaml"), "kb:organisations.yaml"),
        parse_dictionary(load_yaml("actors/agents.yaml"), "kb:agents.yaml"),
        leaders,
        phoenix,
    ]
    user = [load_dictionary(p) for p in user_paths if is_actor_dictionary(Path(p))]
    return KnowledgeBase(packaged, [*user, *extra])
