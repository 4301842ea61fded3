"""The actor knowledge base: packaged data files compiled once into lookup dictionaries.

Sources (each file's header names its own):

* ``pycountry`` — every ISO 3166-1 country, official and common names;
* ``data/actors/countries.yaml`` — short forms, demonyms, capitals and seats of power;
* ``data/actors/organisations.yaml`` — IGOs and alliances, and well-known non-state groups;
* ``data/actors/agents.yaml`` — CAMEO sector codes and the role words that signal them;
* ``data/actors/leaders.tsv`` — heads of state and government, foreign and defence
  ministers of the G20 and the UN Security Council permanent members, 2000 to date;
* user dictionaries (``settings.user_dictionaries``) in the format of ``dictionary.py``,
  which take precedence over the packaged data.

Everything is compiled into plain dicts keyed by normalised surface forms, so resolving a
document costs a handful of dict look-ups per token (no per-token regex loops).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pycountry

from kronika.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    Tenure,
    is_actor_dictionary,
    load_dictionary,
    parse_dictionary,
)
from kronika.resources import iter_tsv, load_yaml

# Lexicon tags: what a matched phrase is.
COUNTRY, DEMONYM, METONYM, NAMED, AGENT = "country", "demonym", "metonym", "named", "agent"
MAX_TOKENS = 8


def norm(text: str) -> str:
    """Normal form of a surface string for look-ups: lower case, straight quotes, one space."""
    t = token_key(text.replace("_", " "))
    t = " ".join(t.split())
    return t[4:] if t.startswith("the ") else t


def token_key(text: str) -> str:
    """Lower case with straight quotes: the per-token part of ``norm``."""
    return text.replace("\u2019", "'").replace("\u2018", "'").lower()


@dataclass(frozen=True, slots=True)
class Lex:
    """One reading of a matched phrase."""

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
        self.countries: dict[str, ActorEntry] = {}
        self.igo_names: dict[str, str] = {}
        self.sources: list[str] = []
        for d in dictionaries:
            self._add_dictionary(d, override=False)
        for d in user:
            self._add_dictionary(d, override=True)
        # Every prefix of every phrase: lets the matcher stop extending a span early.
        self.prefixes: frozenset[str] = frozenset(k[:i] for k in self.phrases for i in range(1, len(k) + 1))
        # The same for role words only: the one kind of phrase a lower-case token may start.
        self.agent_prefixes: frozenset[str] = frozenset(
            k[:i] for k, lex in self.phrases.items() if any(x.tag == AGENT for x in lex) for i in range(1, len(k) + 1))

    # ------------------------------------------------------------------ build

    def add(self, phrase: str, lex: Lex, *, override: bool = False) -> None:
        key = norm(phrase)
        if not key:
            return
        old = self.phrases.get(key, ())
        if override:
            old = tuple(o for o in old if o.tag != lex.tag)
        if lex not in old:
            self.phrases[key] = (lex, *old) if override else (*old, lex)

    def _add_dictionary(self, d: ActorDictionary, *, override: bool) -> None:
        self.sources.extend(d.sources)
        for a in d.actors:
            tag = {"country": COUNTRY, "metonym": METONYM, "demonym": DEMONYM}.get(a.kind, NAMED)
            for form in (a.name, *a.aliases):
                if a.kind == "person" and " " not in form.strip() and a.source.startswith("kb:"):
                    continue  # a bare surname is ambiguous: it goes to the surname index only
                self.add(form, Lex(tag, actor=a, caps=_acronym(form)), override=override)
            if a.kind == "person":
                self._index_surname(a, override=override)
            if a.kind == "country" and a.country and a.country not in self.countries:
                self.countries[a.country] = a
        for g in d.agents:
            for form in (g.phrase, *g.plural):
                self.add(form, Lex(AGENT, agent=g), override=override)

    def _index_surname(self, a: ActorEntry, *, override: bool) -> None:
        forms = {a.name.split()[-1]} | {x for x in a.aliases if " " not in x}
        for f in forms:
            key = norm(f)
            old = self.surnames.get(key, ())
            if a not in old:
                self.surnames[key] = (a, *old) if override else (*old, a)

    # ------------------------------------------------------------------ look-ups

    def lookup(self, phrase: str) -> tuple[Lex, ...]:
        return self.phrases.get(norm(phrase), ())

    def people_named(self, surname: str, day: dt.date) -> tuple[ActorEntry, ...]:
        """KB people with this surname (or single-word alias), those in office on ``day``
        first."""
        cands = self.surnames.get(norm(surname), ())
        return tuple(sorted(cands, key=lambda a: a.role_at(day) is None))

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


def load_knowledge_base(user_paths: Iterable[Path] = (), extra: Iterable[ActorDictionary] = ()) -> KnowledgeBase:
    """The packaged knowledge plus user dictionaries (files meant for this stage only)."""
    packaged = [
        _country_dictionary(),
        parse_dictionary(load_yaml("actors/organisations.yaml"), "kb:organisations.yaml"),
        parse_dictionary(load_yaml("actors/agents.yaml"), "kb:agents.yaml"),
        _leaders_dictionary(),
    ]
    user = [load_dictionary(p) for p in user_paths if is_actor_dictionary(Path(p))]
    return KnowledgeBase(packaged, [*user, *extra])
