"""Incremental ingest at a fixed cadence (``kronika watch DIR|FEED_URL --every 15m``).

Each round ingests only what is new: in a folder, files whose (size, mtime) changed since
the last round are read again; a feed is re-read whole. Either way articles already stored
are skipped by their content id, so a round, a restart or an overlapping feed window never
stores anything twice. GDELT publishes every 15 minutes; that is the default cadence.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.ingest.dispatch import leaves_root
from kronika.pipeline import Pipeline
from kronika.run import IngestReport, Runner
from kronika.store.access import SharedWriter

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """'15m' → 900.0; '30s', '2h', '1d', or plain seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m:
        raise ConfigError(f"--every must look like 30s, 15m, 2h or 1d, got {text!r}", code="K006")
    seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    if seconds <= 0:
        raise ConfigError("--every must be positive", code="K006")
    return seconds


@dataclass
class Watcher:
    """Remembers what it has read so each round touches only new or changed files."""

    target: str
    settings: Settings
    seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def changed_paths(self) -> list[Path | str]:
        if re.match(r"https?://", self.target):
            return [self.target]
        root = Path(self.target)
        if not root.exists():
            raise ConfigError(f"watch target {root} does not exist", code="K007")
        out: list[Path | str] = []
        for p in _files(root, self.settings):
            st = p.stat()
            sig = (st.st_size, st.st_mtime_ns)
            if self.seen.get(p) != sig:
                self.seen[p] = sig
                out.append(p)
        return out

    def round(self, runner: Runner) -> IngestReport:
        """One polling pass: the run layer's loop over what changed since the last one."""
        paths = self.changed_paths()
        if not paths:
            return IngestReport()
        return runner.ingest_paths(paths)


def watch(
    target: str,
    settings: Settings,
    *,
    every: float,
    rounds: int | None = None,
    on_round: Callable[[int, IngestReport], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    pipeline: Pipeline | None = None,
) -> None:
    """Run rounds forever (or ``rounds`` times); the models load once, and each round
    codes with the learned snapshot the rounds before it left (the runner refreshes it).
    ``pipeline``: use this one as given instead (tests)."""
    store = SharedWriter.from_settings(settings)  # holds the file only while it commits a batch
    runner = Runner(settings, store, pipeline=pipeline)
    runner.pipeline()  # models load (and the store is opened: a damaged one is K401) before round 1
    watcher = Watcher(target, settings)
    n = 0
    while rounds is None or n < rounds:
        started = time.monotonic()
        report = watcher.round(runner)
        n += 1
        if on_round is not None:
            on_round(n, report)
        if rounds is not None and n >= rounds:
            break
        sleep(max(0.0, every - (time.monotonic() - started)))


def _files(root: Path, settings: Settings) -> Iterator[Path]:
    """Files under ``root``, never leaving it: a symlink leading outside is skipped unless
    ``settings.allow_outside_symlinks`` (``ingest.dispatch.walk`` reports it)."""
    if root.is_file():
        yield root
        return
    for p in sorted(root.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts):
            if settings.allow_outside_symlinks or not leaves_root(root, p):
                yield p
