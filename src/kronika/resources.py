"""Access to the packaged knowledge files under ``kronika/data/`` (and user additions).

Every stage loads its lexicons through here, once, in its constructor. Closed-class word
lists that plain functions consult (prepositions, feature words, role words) are module
constants read through ``word_set``/``word_map``/``word_table``: cached per file and list,
so a file several stages share is parsed once, and frozen, so no module holds mutable
state. Files are human-editable YAML or TSV and carry a ``version`` where they are versioned.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from kronika.errors import ConfigError


def data_path(relpath: str) -> Path:
    """Filesystem path of a packaged data file (``"time/en.yaml"``)."""
    return Path(str(resources.files("kronika") / "data" / relpath))


def read_text(relpath: str | Path) -> str:
    path = Path(relpath) if Path(relpath).is_absolute() else data_path(str(relpath))
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read data file {path}: {exc}", code="K010") from exc


def load_yaml(relpath: str | Path) -> Any:
    text = read_text(relpath)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"data file {relpath} is not valid YAML: {exc}", code="K011") from exc


def iter_tsv(relpath: str | Path) -> Iterator[dict[str, str]]:
    """Rows of a TSV with a header line; lines starting with ``#`` are comments."""
    text = read_text(relpath)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        yield {k: (v or "").strip() for k, v in row.items() if k is not None}


@functools.cache
def _parsed(relpath: str) -> Any:
    """One packaged YAML file, parsed once per process (only ``word_*`` read it; they hand
    out frozen copies, never this object)."""
    return load_yaml(relpath)


def _entry(relpath: str, name: str) -> Any:
    data = _parsed(relpath)
    if not isinstance(data, dict) or name not in data:
        raise ConfigError(f"data file {relpath} has no list {name!r}", code="K011")
    return data[name]


def _words(relpath: str, name: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ConfigError(f"data file {relpath}: {name!r} is not a list of words", code="K011")
    return value


@functools.cache
def word_set(relpath: str, name: str) -> frozenset[str]:
    """The word list ``name`` of the YAML file ``relpath`` (``"english/prepositions.yaml"``)."""
    return frozenset(_words(relpath, name, _entry(relpath, name)))


@functools.cache
def word_map(relpath: str, name: str) -> Mapping[str, str]:
    """The word → value mapping ``name`` of ``relpath`` (read-only)."""
    value = _entry(relpath, name)
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f"data file {relpath}: {name!r} is not a mapping of words to words", code="K011")
    return MappingProxyType(dict(value))


@functools.cache
def word_table(relpath: str, name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The ordered mapping ``name`` of ``relpath`` whose values are word lists, as pairs in
    file order (where the order is the order rules are tried)."""
    value = _entry(relpath, name)
    if not isinstance(value, dict):
        raise ConfigError(f"data file {relpath}: {name!r} is not a mapping of words to lists", code="K011")
    return tuple((str(k), tuple(_words(relpath, f"{name}.{k}", v))) for k, v in value.items())


@functools.cache
def word_list(relpath: str, name: str) -> tuple[str, ...]:
    """The word list ``name`` of ``relpath`` in file order (where the order is the order
    rules try them, or entries carry their own spaces: ``" prefecture"``)."""
    return tuple(_words(relpath, name, _entry(relpath, name)))


@functools.cache
def word_groups(relpath: str, name: str) -> tuple[frozenset[str], ...]:
    """The list of word lists ``name`` of ``relpath`` (groups of words that mean one thing)."""
    value = _entry(relpath, name)
    if not isinstance(value, list):
        raise ConfigError(f"data file {relpath}: {name!r} is not a list of word lists", code="K011")
    return tuple(frozenset(_words(relpath, f"{name}[{i}]", g)) for i, g in enumerate(value))
