"""Measure actor codes on the PETRARCH validation records, with a PETRARCH dictionary set as the KB.

Issue 18 item 5 (c). Each ``<Sentence>`` of a PETRARCH records file (read by
``kronika.evaluate.events.iter_petrarch``, the reader ``train.sources.read_petrarch`` uses; the
caller passes its records in, since ``evaluate`` already depends on ``actors``) carries one or more ``<EventCoding>`` with a ``sourcecode`` and a ``targetcode``: CAMEO actor
codes such as ``USAGOV``, ``ARN`` (a made-up country of the suite) or ``IGOCOPITP``. For every
coded event and side, the gold code is looked up among the actor mentions Kronika's actor stage
resolves on that sentence (the records give no spans, so "on the sentence" is all that is asked):

* **country**: the first three letters, CAMEO codes that differ from ISO mapped
  (``data/actors/cameo_countries.tsv``); a mention counts by its ``country`` or the first three
  letters of its code (``IGO``, ``NGO``, ``IMG`` are the "country" slot of such codes, as in CAMEO);
* **code**: country and primary sector, the first six letters (``USAGOV`` vs ``USAMIL``; the
  suite's tertiary codes, ``ARNGOVFRM``, are cut to ``ARNGOV``); a gold code of three letters
  asks for a mention coded with the country alone.

The KB is a set of PETRARCH dictionary files layered over the packaged knowledge with the
resolver's ``dictionaries`` argument (how ``kronika evaluate events`` runs these records; the
``user_dictionaries`` setting takes Kronika-format YAML only, which ``kronika actors
import-petrarch`` writes). A gold code whose country no code of that KB carries (Arnor, Gondor:
they exist only in the suite's own dictionaries), or whose country the suite gives to a place
the KB does not know under that code (``ERI`` is Eriador there, Eritrea in Phoenix), cannot be
found by any resolver; such codes are counted apart (``unresolvable``) and left out of the
accuracies. Codes that name no actor
(``---``, ``+++``, ``---GOV``: PETRARCH's discards and unknown countries) are not gold actors.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kronika.actors.dictionary import ActorDictionary
from kronika.actors.evaluate import cameo_to_iso
from kronika.actors.petrarch import load_petrarch_dictionaries
from kronika.errors import ConfigError
from kronika.model import ActorMention, ParsedDoc

SIDES = ("source", "target")
# An actor code: three letters of country (or IGO/NGO/IMG …) and optional sector triples.
_ACTOR_CODE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3})*$")


@dataclass(frozen=True, slots=True)
class PetrarchGold:
    """One side of one coded event: ``code`` as written, ``key`` its six-letter comparable form."""

    record: str
    side: str
    code: str
    key: str
    text: str
    date: dt.date

    @property
    def country(self) -> str:
        return self.key[:3]


@dataclass(frozen=True, slots=True)
class GoldSet:
    """What a records file holds: the gold actors, and what was not an actor code."""

    path: str
    records: int
    events: int
    actors: tuple[PetrarchGold, ...]
    skipped: int  # sides with no actor code (empty, ``---``, ``+++``, ``---GOV`` …)


@dataclass(frozen=True, slots=True)
class KnownCodes:
    """What a KB can produce at all: the countries its codes carry, its full codes, and the
    sectors its agents add to a country (``[~GOV]``) or put before one (``[NGO~]``)."""

    countries: frozenset[str]
    codes: frozenset[str]
    sectors: frozenset[str]
    prefixes: frozenset[str]

    def knows_country(self, key: str) -> bool:
        return key[:3] in self.countries

    def knows_code(self, key: str) -> bool:
        if len(key) <= 3:
            return key in self.countries
        head, tail = key[:3], key[3:6]
        return (key in self.codes or (head in self.countries and tail in self.sectors)
                or (head in self.prefixes and tail in self.countries))


@dataclass(frozen=True, slots=True)
class Tally:
    right: int
    n: int

    @property
    def accuracy(self) -> float | None:
        return round(self.right / self.n, 4) if self.n else None

    def to_json(self) -> dict[str, Any]:
        return {"accuracy": self.accuracy, "right": self.right, "n": self.n}


@dataclass(frozen=True, slots=True)
class CodeOutcome:
    gold: PetrarchGold
    found: tuple[str, ...]  # the comparable codes of the mentions on the sentence
    countries: tuple[str, ...]  # their countries
    country_known: bool
    code_known: bool

    @property
    def country_ok(self) -> bool:
        return self.gold.country in self.countries

    @property
    def code_ok(self) -> bool:
        return self.gold.key in self.found


@dataclass(frozen=True, slots=True)
class PetrarchScore:
    """One records file scored with one KB."""

    kb: str
    gold: GoldSet
    outcomes: tuple[CodeOutcome, ...]
    problems: int  # malformed dictionary codes skipped while loading the KB

    def tally(self, level: str, side: str | None = None) -> Tally:
        """``level``: "country" or "code"; over the gold codes the KB can produce at that level."""
        mine = [o for o in self.outcomes if side is None or o.gold.side == side]
        if level == "country":
            known = [o for o in mine if o.country_known]
            return Tally(sum(o.country_ok for o in known), len(known))
        known = [o for o in mine if o.code_known]
        return Tally(sum(o.code_ok for o in known), len(known))

    def unresolvable(self, level: str) -> Counter[str]:
        """Gold codes the KB cannot produce at ``level``, with how often each occurs."""
        attr = "country_known" if level == "country" else "code_known"
        return Counter(o.gold.code for o in self.outcomes if not getattr(o, attr))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"gold_actors": len(self.outcomes), "dictionary_problems": self.problems}
        for level in ("country", "code"):
            block: dict[str, Any] = {"all": self.tally(level).to_json()}
            for side in SIDES:
                block[side] = self.tally(level, side).to_json()
            missing = self.unresolvable(level)
            block["unresolvable"] = {"n": sum(missing.values()), "codes": dict(missing.most_common(12))}
            out[level] = block
        return out


# ---------------------------------------------------------------------- codes


def comparable(code: str, table: Mapping[str, str]) -> str:
    """``ROMGOVFRM`` → ``ROUGOV``: CAMEO country mapped to ISO, cut to country + primary sector."""
    code = code.strip().upper()
    return table.get(code[:3], code[:3]) + code[3:6]


def mention_keys(m: ActorMention, table: Mapping[str, str]) -> tuple[str | None, str | None]:
    """A mention's (country, comparable code). A code without a country is a bare sector
    ("GOV" for "the government" with no country named) and is no country."""
    code = (m.code or "").upper()
    country = table.get(m.country, m.country) if m.country else None
    if code and (m.country or len(code) > 3):
        head = comparable(code, table)
        return country or head[:3], head
    return country, None


Record = tuple[str, str, dt.date, list[dict[str, str]]]  # iter_petrarch's (id, text, date, codings)


def gold_actors(records: Iterable[Record], source: str = "", table: Mapping[str, str] | None = None) -> GoldSet:
    """Every side of every coded event of a records file (``iter_petrarch``) as gold actors.
    A compound code (``FRO/BIL/SAM``, the suite's code for "the Shire") is one actor, compared
    by its first part, as Kronika's PETRARCH reader codes such a dictionary entry."""
    table = cameo_to_iso() if table is None else table
    actors: list[PetrarchGold] = []
    n = events = skipped = 0
    for rid, text, date, codings in records:
        n += 1
        for c in codings:
            events += 1
            for side in SIDES:
                code = (c.get(f"{side}code") or "").strip().upper()
                first = code.split("/")[0]
                if not _ACTOR_CODE.match(first):
                    skipped += 1
                    continue
                actors.append(PetrarchGold(rid, side, code, comparable(first, table), text, date))
    return GoldSet(source, n, events, tuple(actors), skipped)


# ---------------------------------------------------------------------- the KB


def phoenix_files(folder: Path | str) -> tuple[Path, ...]:
    """The Phoenix actor dictionaries and agents file in ``folder`` (``Phoenix.*.actors.txt``,
    ``Phoenix.agents.txt``)."""
    folder = Path(folder)
    files = sorted(folder.glob("Phoenix.*.actors.txt")) + sorted(folder.glob("Phoenix.agents.txt"))
    if not any(p.name.endswith(".actors.txt") for p in files):
        raise ConfigError(f"no Phoenix.*.actors.txt in {folder} (the Phoenix dictionaries)", code="K013")
    return tuple(files)


def actor_files(paths: Iterable[Path]) -> tuple[Path, ...]:
    """The actor and agent files among a suite's dictionaries (``petrarch_dictionaries``, which
    also lists the verbs file), as ``train.sources.read_petrarch`` takes them."""
    return tuple(p for p in paths if "verbs" not in p.name.lower())


def load_kb(paths: Iterable[Path | str]) -> tuple[ActorDictionary, tuple[str, ...]]:
    """PETRARCH actor and agent files as one dictionary, with Kronika's PETRARCH reader,
    and the malformed code blocks it skipped (as the Phoenix converter does: one bad date
    must not take 27,000 entries' KB away)."""
    problems: list[str] = []
    return load_petrarch_dictionaries(paths, problems), tuple(problems)


def _country_names(d: ActorDictionary, table: Mapping[str, str]) -> dict[str, set[str]]:
    """Country code → the names (and aliases) of ``d``'s entries coded with that country alone."""
    out: dict[str, set[str]] = {}
    for a in d.actors:
        if a.code and len(a.code) == 3 and _ACTOR_CODE.match(a.code.upper()):
            out.setdefault(comparable(a.code, table), set()).update(n.lower() for n in (a.name, *a.aliases))
    return out


def known_codes(d: ActorDictionary, table: Mapping[str, str] | None = None,
                suite: ActorDictionary | None = None) -> KnownCodes:
    """Everything ``d`` can code: each entry's default and dated codes, and its agents' sectors.

    ``suite``: the records' own dictionaries. A country code they give to names ``d`` does
    not give it (``ERIADOR [ERI]`` where Phoenix has ``ERITREA [ERI]``) is the suite's made-up
    country under a real code: no entry of ``d`` can name it, so it counts as not codable."""
    table = cameo_to_iso() if table is None else table
    codes = {comparable(c, table) for a in d.actors
             for c in (a.code, *(t.code for t in a.roles)) if c and _ACTOR_CODE.match(c.upper())}
    if suite is not None:
        mine = _country_names(d, table)
        borrowed = {c for c, names in _country_names(suite, table).items() if not names & mine.get(c, set())}
        codes = {c for c in codes if c[:3] not in borrowed}
    return KnownCodes(
        countries=frozenset(c[:3] for c in codes),
        codes=frozenset(codes),
        sectors=frozenset(g.sector[:3] for g in d.agents if not g.prefix),
        prefixes=frozenset(g.sector[:3] for g in d.agents if g.prefix),
    )


# ---------------------------------------------------------------------- scoring


def score_gold(
    gold: GoldSet,
    mentions: Mapping[tuple[str, dt.date], Sequence[ActorMention]],
    known: KnownCodes,
    kb: str,
    problems: int = 0,
    table: Mapping[str, str] | None = None,
) -> PetrarchScore:
    """Score gold actors against the mentions resolved on each (sentence, date)."""
    table = cameo_to_iso() if table is None else table
    keys = {k: [mention_keys(m, table) for m in ms] for k, ms in mentions.items()}
    outcomes = []
    for g in gold.actors:
        pairs = keys.get((g.text, g.date), [])
        outcomes.append(CodeOutcome(
            g, tuple(dict.fromkeys(c for _, c in pairs if c)), tuple(dict.fromkeys(c for c, _ in pairs if c)),
            known.knows_country(g.key), known.knows_code(g.key)))
    return PetrarchScore(kb, gold, tuple(outcomes), problems)


def score_petrarch(
    records: Iterable[Record],
    parse_many: Callable[[list[tuple[str, dt.date]]], list[ParsedDoc]],
    resolvers: Mapping[str, tuple[Callable[[ParsedDoc], tuple[ActorMention, ...]], KnownCodes, int]],
    source: str = "",
) -> list[PetrarchScore]:
    """A records file scored with each KB: ``resolvers`` maps a KB's name to (resolve, what the
    KB can code, dictionary problems). Each sentence is parsed once, with its record's date.
    ``source``: the file's name, for the report."""
    table = cameo_to_iso()
    gold = gold_actors(records, source, table)
    texts = list(dict.fromkeys((g.text, g.date) for g in gold.actors))
    docs = dict(zip(texts, parse_many(texts), strict=True))
    return [score_gold(gold, {k: resolve(d) for k, d in docs.items()}, known, name, problems, table)
            for name, (resolve, known, problems) in resolvers.items()]
