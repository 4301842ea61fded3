"""Actor dictionaries: the records the knowledge base is made of, and the user format.

One format serves the packaged knowledge, user dictionaries (``settings.user_dictionaries``)
and what the PETRARCH importer writes, so a user can read, edit and extend any of them::

    format: kronika-actors
    version: 1
    actors:
      - name: Sergey Lavrov            # canonical name
        aliases: [Sergei Lavrov]       # other surface forms (matched case-insensitively)
        kind: person                   # person, country, organisation, group, metonym
        country: RUS                   # ISO 3166-1 alpha-3 (or any 3-letter code)
        code: RUSGOV                   # default code when no dated role applies
        roles:                         # dated roles; start/end inclusive, either may be open
          - {code: RUSGOV, role: Foreign Minister, start: 2004-03-09, end: null}
    agents:                            # role words: generic nouns that signal a sector
      - {phrase: foreign minister, sector: GOV, role: Foreign Minister}
      - {phrase: rebels, sector: REB}

Why frozen records with explicit tenures: a person is coded by the role valid at the
article's date (Kono was foreign minister in 2019 and defence minister in 2020), and the
``how`` of every mention must be able to name the evidence, including its dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kronika.errors import ConfigError

FORMAT = "kronika-actors"


@dataclass(frozen=True, slots=True)
class Tenure:
    """One dated role: ``code`` held as ``role`` from ``start`` to ``end`` (inclusive)."""

    code: str
    role: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    source: str | None = None  # set where it differs from its entry's (a Phoenix tenure merged into a leaders.tsv person)

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def span(self) -> str:
        a = self.start.isoformat() if self.start else ""
        b = self.end.isoformat() if self.end else ""
        return f"{a}..{b}"


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A named actor: a person, country, organisation, or a metonym (capital, seat of power)."""

    name: str
    kind: str
    country: str | None = None
    code: str | None = None
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Tenure, ...] = ()
    source: str = "kb"

    def role_at(self, day: dt.date) -> Tenure | None:
        """The role valid on ``day``; the latest-starting one when several overlap."""
        valid = [t for t in self.roles if t.covers(day)]
        if not valid:
            return None
        return max(valid, key=lambda t: t.start or dt.date.min)

    def last_role_before(self, day: dt.date) -> Tenure | None:
        past = [t for t in self.roles if t.end is not None and t.end < day]
        return max(past, key=lambda t: t.end or dt.date.min) if past else None


@dataclass(frozen=True, slots=True)
class AgentEntry:
    """A role word ("foreign minister", "troops") and the sector it signals.

    ``prefix`` is set for PETRARCH agents written ``[NGO~]`` (the code goes before the
    country) rather than ``[~GOV]``."""

    phrase: str
    sector: str
    role: str | None = None
    plural: tuple[str, ...] = ()
    prefix: bool = False
    source: str = "kb"


@dataclass(frozen=True, slots=True)
class ActorDictionary:
    """A set of actor and agent entries, as read from one or more files."""

    actors: tuple[ActorEntry, ...] = ()
    agents: tuple[AgentEntry, ...] = ()
    sources: tuple[str, ...] = field(default=())

    def merged(self, other: ActorDictionary) -> ActorDictionary:
        return ActorDictionary(
            self.actors + other.actors, self.agents + other.agents, self.sources + other.sources
        )

    def to_yaml(self) -> str:
        """Serialise in the user-dictionary format (what ``load_dictionary`` reads)."""
        return yaml.safe_dump(dump_dictionary(self), sort_keys=False, allow_unicode=True, width=100)


def sector_of(code: Any) -> str | None:
    """CAMEO: "RUSGOV" → GOV; organisation codes ("IGOUNO", "NGOAMN") are their own sector;
    an international militarised group ("IMGMUSISI") is an armed group, REB."""
    if not code:
        return None
    c = str(code)
    if c[:3] in ("IGO", "NGO"):
        return c[:3]
    if c[:3] == "IMG":
        return "REB"
    return c[3:6] or None


def country_of(code: Any) -> str | None:
    """"RUSGOV" → RUS; organisation codes (IGO…, NGO…, IMG…) have no country."""
    c = str(code or "")[:3]
    return None if not c or c in ("IGO", "NGO", "IMG") else c


def _date(value: Any, where: str) -> dt.date | None:
    if value in (None, "", "null"):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{where}: bad date {value!r} (want YYYY-MM-DD)", code="K012") from exc


def _tenure(raw: Mapping[str, Any], where: str) -> Tenure:
    return Tenure(
        code=str(raw["code"]),
        role=raw.get("role"),
        start=_date(raw.get("start"), where),
        end=_date(raw.get("end"), where),
    )


def parse_dictionary(data: Mapping[str, Any], source: str) -> ActorDictionary:
    """Build an ``ActorDictionary`` from the parsed YAML mapping of one file."""
    actors: list[ActorEntry] = []
    for n, raw in enumerate(data.get("actors") or ()):
        where = f"{source} actors[{n}]"
        try:
            code = raw.get("code")
            country = raw["country"] if "country" in raw else (str(code)[:3] if code else None)
            actors.append(ActorEntry(
                name=str(raw["name"]),
                kind=str(raw.get("kind", "person")),
                country=country,
                code=code,
                sector=raw.get("sector") or sector_of(code),
                aliases=tuple(str(a) for a in raw.get("aliases") or ()),
                roles=tuple(_tenure(r, where) for r in raw.get("roles") or ()),
                source=source,
            ))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{where}: malformed actor entry ({exc})", code="K012") from exc
    agents: list[AgentEntry] = []
    for n, raw in enumerate(data.get("agents") or ()):
        try:
            agents.append(AgentEntry(
                phrase=str(raw["phrase"]), sector=str(raw["sector"]), role=raw.get("role"),
                plural=tuple(str(p) for p in raw.get("plural") or ()),
                prefix=bool(raw.get("prefix", False)), source=source,
            ))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ConfigError(f"{source} agents[{n}]: malformed agent entry ({exc})", code="K012") from exc
    return ActorDictionary(tuple(actors), tuple(agents), (source,))


def load_dictionary(path: Path | str) -> ActorDictionary:
    """Read one user dictionary file (YAML in the format above)."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read actor dictionary {p}: {exc}", code="K012") from exc
    if not isinstance(data, Mapping):
        raise ConfigError(f"actor dictionary {p} must be a YAML mapping", code="K012")
    return parse_dictionary(data, f"user:{p.name}")


def is_actor_dictionary(path: Path) -> bool:
    """Whether a file in ``settings.user_dictionaries`` is meant for this stage: its name
    starts with ``actors`` or it declares ``format: kronika-actors``."""
    if path.name.lower().startswith("actors"):
        return True
    if path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except OSError:
        return False
    return f"format: {FORMAT}" in head


def dump_dictionary(d: ActorDictionary) -> dict[str, Any]:
    def tenure(t: Tenure) -> dict[str, Any]:
        return {"code": t.code, "role": t.role,
                "start": t.start.isoformat() if t.start else None,
                "end": t.end.isoformat() if t.end else None}

    actors: list[dict[str, Any]] = []
    for a in d.actors:
        row: dict[str, Any] = {"name": a.name, "kind": a.kind}
        for key in ("country", "code", "sector"):
            if getattr(a, key):
                row[key] = getattr(a, key)
        if a.aliases:
            row["aliases"] = list(a.aliases)
        if a.roles:
            row["roles"] = [tenure(t) for t in a.roles]
        actors.append(row)
    agents = [
        {k: v for k, v in (("phrase", g.phrase), ("sector", g.sector), ("role", g.role),
                           ("plural", list(g.plural)), ("prefix", g.prefix)) if v}
        for g in d.agents
    ]
    return {"format": FORMAT, "version": 1, "sources": list(d.sources),
            "actors": actors, "agents": agents}


def merge_all(parts: Iterable[ActorDictionary]) -> ActorDictionary:
    out = ActorDictionary()
    for p in parts:
        out = out.merged(p)
    return out
