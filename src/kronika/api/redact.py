"""No filesystem path leaves the server: error texts are cut down to file *names*.

Why: an error from DuckDB or the store names the file it failed on
(``cannot open /srv/data/kronika.duckdb ...``), and an HTTP client has no business
learning where the server keeps its data or how its disks are laid out. Every error body
the API sends goes through ``public_text``; the full message goes to the server log.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath, PureWindowsPath

# An absolute POSIX path ("/srv/x/kronika.duckdb") not preceded by a character that makes
# it part of a word or a URL ("http://host/x", "a/b"), or a Windows one ("C:\\data\\x").
_POSIX = re.compile(r"(?<![\w.:/~%-])/(?:[^\s\"'`<>|;,()\[\]{}]+)")
_WINDOWS = re.compile(r"(?<![\w])[A-Za-z]:\\[^\s\"'`<>|;,()\[\]{}]*")


def _name_posix(match: re.Match[str]) -> str:
    return PurePosixPath(match.group(0)).name or "…"


def _name_windows(match: re.Match[str]) -> str:
    return PureWindowsPath(match.group(0)).name or "…"


def public_text(text: str, *known: Path | str | None) -> str:
    """``text`` with every absolute path replaced by its last component. ``known`` paths
    (the store's) are replaced first, whatever characters they hold."""
    for path in known:
        if path is None:
            continue
        variants = {str(path), str(Path(path).absolute())}
        try:
            variants.add(str(Path(path).resolve()))
        except OSError:  # pragma: no cover - a loop of links
            pass
        for variant in sorted(variants, key=len, reverse=True):
            if Path(variant).name and variant != Path(variant).name:
                text = text.replace(variant, Path(variant).name)
    text = _POSIX.sub(_name_posix, text)
    return _WINDOWS.sub(_name_windows, text)
