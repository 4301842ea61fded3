"""One place that turns raw fields into an ``Article`` or an ``IngestProblem``.

Why shared: every reader (seed, plain text, JSONL, CSV, HTML, feeds, TimeML) ends in the
same checks (a usable date, non-empty text, not over the size limit), so they say the same
thing in the same words with the same code whatever the input format was, and the same
text and date always give the same article id.

Problem codes (``IngestProblem.code``)::

    K101  malformed record (bad JSON line, CSV row, a field of the wrong type)
    K102  TimeML file without <TEXT> or a usable DCT (``kronika/timeml.py``)
    K103  missing, relative or impossible date
    K104  empty text, or an empty file (nothing but whitespace)
    K105  article too long (over ``Settings.max_article_chars``)
    K106  undecodable bytes or binary junk
    K107  unreadable file, unsupported format, broken gzip, failed download
    K108  a feed or HTML page that is not well-formed or has no main text
    K109  a symlink in a walked folder that leads outside it (skipped unless
          ``Settings.allow_outside_symlinks``)
"""

from __future__ import annotations

from kronika.config import Settings
from kronika.ingest.dates import read_date
from kronika.model import Article, IngestProblem

K_MALFORMED = "K101"
K_DATE = "K103"
K_EMPTY = "K104"
K_TOO_LONG = "K105"
K_DECODE = "K106"
K_FILE = "K107"
K_MARKUP = "K108"
K_OUTSIDE = "K109"

_META = ("doc_id", "title", "url", "source")


def make_article(
    text: object,
    date: object,
    settings: Settings,
    *,
    origin: str,
    **meta: object,
) -> Article | IngestProblem:
    """Validate one record's fields; the article, or a problem naming ``origin`` and why.

    ``meta`` holds ``doc_id``/``title``/``url``/``source``; numbers become strings, blank
    strings become None.
    """
    if text is None:
        return IngestProblem(origin, "missing text", K_EMPTY)
    if not isinstance(text, str):
        return IngestProblem(origin, f"text must be a string, got {type(text).__name__}", K_MALFORMED)
    text = text.replace("\x00", "")
    if not text.strip():
        return IngestProblem(origin, "empty text", K_EMPTY)
    limit = settings.max_article_chars
    if len(text) > limit:
        return IngestProblem(origin, f"article too long: {len(text)} chars > limit {limit}", K_TOO_LONG)
    when = read_date(date)
    if when.date is None:
        return IngestProblem(origin, when.reason or "missing date", K_DATE)
    clean = {k: _meta_value(meta.get(k)) for k in _META}
    return Article.create(text, when.date, origin=origin, **clean)


def checked(article: Article, settings: Settings) -> Article | IngestProblem:
    """Apply the shared checks to an Article another reader built (TimeML)."""
    origin = article.origin or "?"
    return make_article(
        article.text, article.date, settings, origin=origin, doc_id=article.doc_id,
        title=article.title, url=article.url, source=article.source,
    )


def _meta_value(value: object) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        s = str(value).strip()
        return s or None
    return None
