"""One actor lookup for every door: the CLI, the HTTP API and the dashboard (through the API).

Why one function: an analyst types "Japan", "JPN", "Japanese", "Tokyo" or "Kono" and
expects the same answer wherever they type it. Stored events name their actors by
country code, actor code, entity and mention text, so before this lookup "JPN" found ten
Japan–Russia events and "Japan" none (only events whose *mention text* was "Japan"). Here a
value is read against the actor knowledge base (``kronika.actors``, the same data the
extraction resolves mentions with) and becomes the store terms it stands for:

* a country (code, name, demonym: "JPN", "Japan", "Japanese", "Russians") → its ISO code,
  so all three give exactly the same events;
* a capital or seat of power ("Tokyo", "the Kremlin") → the government's actor code
  (``JPNGOV``), as news writes "Tokyo protested";
* an organisation ("NATO", "UN") → its CAMEO code and canonical name;
* a person, by full name or surname ("Taro Kono", "Kono") → the entity names of every
  knowledge-base person so named, plus the text as typed;
* a CAMEO actor or sector code ("RUSGOV", "IGONAT", "CVL") → itself;
* anything else is kept as typed (a name from a user dictionary or the corpus).

A value that neither the knowledge base nor the store knows is refused with a coded
``QueryError`` naming the nearest known names (``K514``; ``K515`` for a three-letter code
that is no country), never answered with a silent empty list.
"""

from __future__ import annotations

import difflib
import functools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kronika.errors import QueryError

if TYPE_CHECKING:
    from kronika.actors.kb import KnowledgeBase
    from kronika.store import Store

UNKNOWN_ACTOR = "K514"
UNKNOWN_COUNTRY = "K515"
_CODE = re.compile(r"[A-Za-z]{3}(?:[A-Za-z]{3})*")
_ORG_PREFIXES = ("IGO", "NGO", "IMG")
_SUGGESTIONS = 5


@dataclass(frozen=True)
class ActorMatch:
    """What an actor filter value stands for: ``terms`` are matched against the stored
    country, actor, entity and text columns (any of them, case-insensitively)."""

    value: str
    kind: str  # country | government | organisation | person | code | name
    label: str
    terms: tuple[str, ...]


class ActorLookup:
    """Reads filter values against a ``KnowledgeBase``. Built once per process
    (``default_lookup``); read-only afterwards."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self._names: dict[str, str] | None = None
        # CAMEO sector codes the role words signal (GOV, MIL, CVL …): a sector alone is an
        # actor code too (events whose actor has no country, "civilians").
        self.sectors = frozenset(x.agent.sector for lexes in kb.phrases.values() for x in lexes
                                 if x.agent is not None and x.agent.sector)

    def resolve(self, value: str) -> ActorMatch:
        """The knowledge base's reading of ``value`` (no store needed; unknown values are
        kept as typed, kind ``name``)."""
        text = value.strip()
        upper = text.upper()
        if text == upper and upper in self.kb.countries:  # "JPN"; lower case goes by name first
            return ActorMatch(value, "country", self._country_label(upper), (upper,))
        found = self._phrase(text)
        if found is not None:
            return found
        if upper in self.kb.countries:  # "jpn"
            return ActorMatch(value, "country", self._country_label(upper), (upper,))
        if upper in self.sectors:
            return ActorMatch(value, "code", upper, (upper,))
        if _CODE.fullmatch(text) and len(text) > 3 and (upper[:3] in self.kb.countries or upper[:3] in _ORG_PREFIXES):
            return ActorMatch(value, "code", upper, (upper,))
        people = self.kb.surnames.get(_norm(text), ())
        if people:
            names = tuple(dict.fromkeys(p.name for p in people))
            return ActorMatch(value, "person", " / ".join(names), (*names, text))
        return ActorMatch(value, "name", text, (text,))

    def _phrase(self, text: str) -> ActorMatch | None:
        kinds: list[str] = []
        labels: list[str] = []
        terms: list[str] = []
        for lex in self.kb.lookup(text):
            a = lex.actor
            if a is None:
                continue  # a role word ("police"): a sector, not an actor
            if a.kind in ("country", "demonym") and a.country:
                kinds.append("country")
                labels.append(self._country_label(a.country))
                terms.append(a.country)
            elif a.kind == "metonym" and a.code:
                kinds.append("government")
                labels.append(f"{a.name} ({a.code})")
                terms.append(a.code)
            elif a.kind == "person":
                kinds.append("person")
                labels.append(a.name)
                terms.extend((a.name, text))
            else:
                kinds.append("organisation")
                labels.append(f"{a.name} ({a.code})" if a.code else a.name)
                terms.extend(t for t in (a.code, a.name) if t)
        if not terms:
            return None
        return ActorMatch(text, kinds[0], " / ".join(dict.fromkeys(labels)), tuple(dict.fromkeys(terms)))

    def _country_label(self, iso3: str) -> str:
        name = self.kb.country_name(iso3)
        return f"{name} ({iso3})" if name else iso3

    def nearest(self, value: str, extra: Iterable[str] = ()) -> list[str]:
        """Known names closest to ``value``: knowledge-base countries, demonyms, capitals,
        organisations and curated people, and ``extra`` (names the store holds)."""
        names = dict(self._vocabulary())
        for x in extra:  # the knowledge base's spelling first ("Japan (JPN)", not the stored "japan")
            if x:
                names.setdefault(_norm(x), x)
        key = _norm(value)
        close = difflib.get_close_matches(key, list(names), n=_SUGGESTIONS, cutoff=0.6)
        if len(key) <= 3:  # a code: compare codes too ("JPX" → JPN)
            codes = {c.lower(): c for c in self.kb.countries}
            close = difflib.get_close_matches(key, list(codes), n=_SUGGESTIONS, cutoff=0.6) + close
            return list(dict.fromkeys(self._country_label(codes[c]) if c in codes else names[c] for c in close))[:_SUGGESTIONS]
        return list(dict.fromkeys(names[c] for c in close))

    def _vocabulary(self) -> dict[str, str]:
        """Normalised key → display name of every curated (non-Phoenix) actor phrase."""
        if self._names is None:
            from kronika.actors.kb import PHOENIX

            names: dict[str, str] = {}
            for key, lexes in self.kb.phrases.items():
                for x in lexes:
                    if x.actor is not None and x.actor.source != PHOENIX:
                        code = x.actor.country if x.actor.kind in ("country", "demonym") else x.actor.code
                        names[key] = f"{x.actor.name} ({code})" if code else x.actor.name
                        break
            self._names = names
        return self._names


def _norm(text: str) -> str:
    from kronika.actors.kb import norm

    return norm(text)


_LOADING = threading.Lock()  # one load, however many request threads ask first


def default_lookup() -> ActorLookup:
    """The lookup over the packaged knowledge base, loaded once per process (about 1 s):
    the one explicit cache of the query layer. User dictionaries' names are found through
    the store, where their events name them. The API loads it before it takes a store
    (``api.read``), so no request holds the store while it loads."""
    with _LOADING:
        return _load()


@functools.cache
def _load() -> ActorLookup:
    from kronika.actors.kb import load_knowledge_base

    return ActorLookup(load_knowledge_base())


def resolve_values(values: Iterable[str], lookup: ActorLookup | None = None) -> dict[str, ActorMatch]:
    """Each actor filter value's reading (the knowledge base only)."""
    lk = lookup or default_lookup()
    return {v: lk.resolve(v) for v in dict.fromkeys(values)}


def check_known(store: Store, matches: dict[str, ActorMatch], forms: dict[str, frozenset] | None,
                lookup: ActorLookup | None = None) -> None:
    """Refuse a value nothing knows: not in the knowledge base and named nowhere in the
    store (``forms`` from ``Store.actor_key_forms`` over every term; None = the store has no
    key directory, so nothing can be refused)."""
    if forms is None:
        return
    for value, m in matches.items():
        if m.kind != "name" or any(forms.get(t) for t in m.terms):
            continue
        lk = lookup or default_lookup()
        near = lk.nearest(value, _store_names(store, value))
        hint = f"; nearest: {', '.join(near)}" if near else ""
        if _CODE.fullmatch(value.strip()) and len(value.strip()) == 3:
            raise QueryError(f"unknown country code {value!r}: not an ISO 3166-1 alpha-3 code nor a name "
                             f"in the store{hint}", code=UNKNOWN_COUNTRY)
        raise QueryError(f"unknown actor {value!r}: no country, organisation or person of that name in the "
                         f"knowledge base, and no stored event names it{hint}", code=UNKNOWN_ACTOR)


def _store_names(store: Store, value: str) -> list[str]:
    """Stored entity and mention names closest to ``value`` (DuckDB's Jaro-Winkler over the
    small actor-key directory, not over the events)."""
    try:
        rows = store.fetch_tuples(
            "SELECT key FROM (SELECT DISTINCT key FROM actor_keys WHERE form IN ('entity', 'text', 'member')) "
            "ORDER BY jaro_winkler_similarity(key, lower(?)) DESC, key LIMIT 5", [value])
    except Exception:  # noqa: BLE001 - suggestions are a courtesy; the refusal stands without them
        return []
    return [r[0] for r in rows]
