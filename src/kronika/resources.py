"""Access to the packaged knowledge files under ``kronika/data/`` (and user additions).

Every stage loads its lexicons through here, once, in its constructor; nothing is cached
at module level. Files are human-editable YAML or TSV and carry a ``version`` where they
are versioned.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
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
