"""Ingest: files, folders, streams and feeds → dated ``Article`` records.

Public API::

    iter_records(paths, settings) → Iterator[Article | IngestProblem]

Formats: the seed format (``date YYYY-MM-DD`` then the text), plain text with a date
header or a dated file name, JSON lines / JSON arrays, CSV/TSV (fields ``text``, ``date``,
optional ``title``, ``url``, ``source``, ``id``), HTML pages (trafilatura), RSS/Atom feeds
(feedparser), TimeML (``kronika/timeml.py``), any of them gzipped, ``-`` for stdin and
``http(s)://`` URLs of feeds or pages. Bad records become ``IngestProblem``s (codes in
``ingest/records.py``) and reading goes on; article ids depend only on text and date, so
the same article read from any format gets the same id.
"""

from __future__ import annotations

from kronika.errors import IngestError
from kronika.ingest.dates import date_from_filename, parse_date, read_date
from kronika.ingest.decode import decode_bytes
from kronika.ingest.dispatch import iter_records, read_file, walk
from kronika.model import Article, IngestProblem

__all__ = [
    "Article", "IngestError", "IngestProblem", "date_from_filename", "decode_bytes", "iter_records",
    "parse_date", "read_date", "read_file", "walk",
]
