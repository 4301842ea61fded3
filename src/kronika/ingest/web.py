"""Web inputs: saved HTML pages, RSS/Atom feeds, and feed/page URLs the user names.

Why libraries: main-text extraction (dropping menus, footers, comments) is a research
problem trafilatura solves well; feeds come in a dozen dialects feedparser already knows.
Why the date order for pages: an explicit ``article:published_time``-style meta tag is the
publisher's own statement, htmldate's metadata heuristics come next, a date in the file
name last; free-text date guessing is switched off, since a wrong document date shifts
every event date of the article.

The network is touched only for an ``http(s)://`` argument the user passes, with the
standard library; nothing is fetched while reading files.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
import urllib.error
import urllib.request
import xml.sax
from collections.abc import Iterator
from html.parser import HTMLParser

from kronika.config import Settings
from kronika.ingest.dates import date_from_filename, read_date
from kronika.ingest.records import K_DATE, K_FILE, K_MARKUP, make_article
from kronika.model import Article, IngestProblem

Record = Article | IngestProblem

_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
# Meta names/properties that state when the article was published, most explicit first.
_DATE_META = (
    "article:published_time", "og:published_time", "datepublished", "publishdate", "pubdate",
    "dc.date.issued", "dcterms.created", "dc.date", "date",
)
_FEED_SNIFF = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body)\b", re.I)
MAX_FETCH_BYTES = 50_000_000
# Script/style bodies up to their end tag or, in a page cut short, to the end of the file:
# browsers never show either, but a parser that meets an unterminated <script> at EOF may
# hand its body on as text.
_CODE_BLOCK = re.compile(rb"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.I | re.S)


def sniff_markup(data: bytes) -> str | None:
    """"feed", "html" or None, from the first bytes of a document."""
    head = data[:4096]
    if _FEED_SNIFF.search(head):
        return "feed"
    if _HTML_SNIFF.search(head):
        return "html"
    return None


# --------------------------------------------------------------------------- HTML


def read_html(
    page: str | bytes, settings: Settings, *, origin: str, name: str | None = None, url: str | None = None,
) -> Record:
    """One article from a saved or fetched HTML page (main text, title, date, url)."""
    import trafilatura  # heavy import; only pages need it

    raw = page.encode("utf-8") if isinstance(page, str) else page
    page = _CODE_BLOCK.sub(b"", raw)
    try:
        doc = trafilatura.bare_extraction(
            page, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted bytes
        return IngestProblem(origin, f"unreadable HTML page: {type(exc).__name__}: {exc}", K_MARKUP)
    text = getattr(doc, "text", None) if doc is not None else None
    if not text or not text.strip():
        return IngestProblem(origin, "no main text found in the HTML page", K_MARKUP)
    title = getattr(doc, "title", None)
    text = _drop_headline(text, title)
    head = page if isinstance(page, str) else page[:200_000].decode("utf-8", "replace")
    date: object = _meta_date(head) or getattr(doc, "date", None) or (date_from_filename(name) if name else None)
    if date is None:
        return IngestProblem(
            origin, "missing date: the page has no published-date metadata and the file name no date", K_DATE,
        )
    return make_article(
        text, date, settings, origin=origin, doc_id=name or url, title=title,
        url=getattr(doc, "url", None) or url, source=getattr(doc, "sitename", None),
    )


def _drop_headline(text: str, title: str | None) -> str:
    """trafilatura keeps the <h1> as the first line; the headline is metadata (``title``),
    and left in the text it runs into the first sentence for the parser."""
    first, sep, rest = text.partition("\n")
    if title and sep and " ".join(first.split()).casefold() == " ".join(title.split()).casefold():
        return rest.lstrip("\n")
    return text


def _meta_date(head: str) -> str | None:
    """The publisher's own date from ``<meta property|name|itemprop=… content=…>``."""
    found: dict[str, str] = {}
    for tag in _META_TAG.findall(head):
        attrs = {k.lower(): (a or b or c) for k, a, b, c in _ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key in _DATE_META and attrs.get("content") and read_date(attrs["content"]).date:
            found.setdefault(key, attrs["content"])
    for key in _DATE_META:
        if key in found:
            return found[key]
    return None


# --------------------------------------------------------------------------- feeds


def read_feed(data: bytes, settings: Settings, *, label: str) -> Iterator[Record]:
    """One article per RSS/Atom item; origin ``label#N`` (the item's number)."""
    import feedparser  # only feeds need it

    try:
        feed = feedparser.parse(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - a third-party parser on untrusted bytes
        yield IngestProblem(label, f"not a well-formed RSS/Atom feed: {type(exc).__name__}: {exc}", K_MARKUP)
        return
    exc = feed.get("bozo_exception")
    broken = bool(feed.get("bozo")) and isinstance(exc, xml.sax.SAXException)
    if not feed.entries:
        if broken or not feed.get("version"):
            reason = f"not a well-formed RSS/Atom feed: {exc}" if exc else "not an RSS/Atom feed"
            yield IngestProblem(label, reason, K_MARKUP)
        return
    if broken:
        yield IngestProblem(label, f"feed is not well-formed XML ({exc}); "
                                   f"{len(feed.entries)} item(s) recovered", K_MARKUP)
    source = feed.feed.get("title") or None
    for n, entry in enumerate(feed.entries, start=1):
        yield _feed_item(entry, settings, origin=f"{label}#{n}", source=source)


def _feed_item(entry: dict, settings: Settings, *, origin: str, source: str | None) -> Record:
    body = ""
    for part in entry.get("content") or ():
        body = part.get("value") or ""
        if body.strip():
            break
    if not body.strip():
        body = entry.get("summary") or entry.get("description") or ""
    date: object = None
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            date = _struct_date(parsed)
            break
        if entry.get(key):
            date = entry[key]
            break
    return make_article(
        html_to_text(body), date, settings, origin=origin, doc_id=entry.get("id") or entry.get("link"),
        title=html_to_text(entry.get("title") or "") or None, url=entry.get("link"), source=source,
    )


def _struct_date(t: time.struct_time) -> dt.date | None:
    try:
        return dt.date(t.tm_year, t.tm_mon, t.tm_mday)
    except ValueError:
        return None


class _TextOnly(HTMLParser):
    """Collects text, with a line break at block elements; drops scripts and styles."""

    _BLOCK = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "blockquote", "section", "article", "ul", "ol", "table", "pre", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary): tags gone, entities decoded,
    paragraphs on their own lines, runs of spaces collapsed."""
    if "<" not in fragment:
        return html.unescape(fragment).strip()
    parser = _TextOnly()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


# --------------------------------------------------------------------------- URLs


def read_url(url: str, settings: Settings) -> Iterator[Record]:
    """Fetch a feed or page the user named on the command line (standard library only)."""
    timeout = settings.ingest.fetch_timeout_s
    req = urllib.request.Request(url, headers={"User-Agent": "kronika (+https://github.com/kronika)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - user-given URL
            data = resp.read(MAX_FETCH_BYTES + 1)
            ctype = resp.headers.get("Content-Type", "")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        yield IngestProblem(url, f"cannot fetch: {exc}", K_FILE)
        return
    if len(data) > MAX_FETCH_BYTES:
        yield IngestProblem(url, f"download larger than {MAX_FETCH_BYTES} bytes", K_FILE)
        return
    kind = sniff_markup(data) or ("feed" if re.search(r"xml|rss|atom", ctype) else "html")
    if kind == "feed":
        yield from read_feed(data, settings, label=url)
    else:
        yield read_html(data, settings, origin=url, url=url)
