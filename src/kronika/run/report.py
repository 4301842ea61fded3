"""What one run of the ingest loop did: the report every entry point prints or returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kronika.model import IngestProblem

Progress = Callable[[int], None]  # called with the number of articles in each written batch


@dataclass(frozen=True, slots=True)
class Duplicate:
    """A record skipped because an article with the same text and date is already stored
    (or was read earlier in this run) under another document id or from another place.

    Article ids hash only text and date, so a renamed file or a JSON line with a new
    ``id`` is the same article: the reader is told which one it duplicates."""

    origin: str  # where the skipped record was read (file:line)
    article_id: str  # the article it duplicates (same id: same text and date)
    doc_id: str | None  # the skipped record's own id
    earlier: str | None  # the stored (or earlier) article's doc_id, else its origin

    @property
    def reason(self) -> str:
        where = f" ({self.earlier})" if self.earlier else ""
        return f"same text as article {self.article_id}{where}; not stored again"


@dataclass
class IngestReport:
    """What one ingest run did; printed by the CLI, returned by the library and the API."""

    articles_seen: int = 0
    articles_written: int = 0
    articles_skipped: int = 0
    events_written: int = 0
    problems: list[IngestProblem] = field(default_factory=list)
    learned_snapshot: int | None = None  # the learned-actor snapshot the job coded with
    compacted: bool = False
    # skipped records whose text was stored under another doc id or read twice in this run
    # (a plain re-ingest of the same files is only counted in ``articles_skipped``)
    duplicates: list[Duplicate] = field(default_factory=list)
