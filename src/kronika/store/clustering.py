"""Cross-article event clustering: the same happening reported by many articles.

A cluster stands for one happening, so every member must agree with every other member
(complete linkage), not merely with one neighbour: chains of "close enough" pairs are
how a cluster "reported by 7 articles" came to hold nine unrelated attacks spread over
seven months (issue 20). An event joins a cluster only when, against every member:

* **type and dyad** agree: the same ``cluster_key`` (type plus the country pair,
  unordered for CONSULT/AGREE/COOPERATE; see ``rows.cluster_key``), and on each side
  the same actor code or one that only adds detail to the other ("USA" and "USAMIL"
  agree, "USAMIL" and "USALEG" do not; an unknown code agrees with any);
* **status** is compatible: equal, or one ``planned`` and the other ``occurred`` on
  overlapping dates (a meeting announced for Thursday and the meeting held on Thursday
  are one happening); ``denied`` and ``hypothetical`` mentions join only their own kind;
* **dates** fit one window: from the earliest first day to the latest last day of the
  cluster, the new event included, at most ``window_days`` days
  (``Settings.cluster_window_days``). So a coarse date ("2005", "2005-06") that covers
  more than the window founds a cluster of its own instead of absorbing a year of
  reports, and an event dated only by its article (origin ``document``) never joins
  anything further away than the window either;
* **places** are within ``distance_km`` (``Settings.cluster_distance_km``, great-circle)
  of every located member, or unknown;
* **dates stated**: two mentions join only when both dates come from the text (origin
  ``text``), or they are one sentence coded twice. An event the text does not date falls
  back to its article's date (origin ``document``): that is when it was *reported*, not
  when it happened, so "same type, same countries, same day" says nothing. In the hand
  audit of the demo store (``docs/audits/clusters-50.tsv``) such pairs, two undated
  attacks in one article or "US forces attacked" in reports of consecutive days, were
  mostly different happenings. A document-date fallback therefore never joins another
  sentence at all, let alone across more than the window.

Assignment is incremental and never rewrites stored rows: each new event joins the
smallest-id compatible cluster, stored or formed earlier in the same batch, else founds a
cluster named after its own ``event_id``. Events without a key or a date are clusters of
one. ``recluster`` redoes a whole store under a rule (stores built with other settings).
The hand audit behind these rules: ``docs/audits/clusters-50.tsv``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.model import SYMMETRIC_TYPES
from kronika.store.rows import EVENT_COLUMNS, Row

_IX = {name: i for i, (name, _) in enumerate(EVENT_COLUMNS)}
_EARTH_KM = 6371.0088  # mean Earth radius (IUGG)
# Pairs of different statuses that may still be one happening (announced, then held).
_STATUS_PAIRS = frozenset({frozenset({"planned", "occurred"})})


@dataclass(frozen=True, slots=True)
class ClusterRule:
    """How close two reports must be to count as one happening (see the module doc)."""

    window_days: int = 1
    distance_km: float = 50.0

    def __post_init__(self) -> None:
        if self.window_days < 0 or not math.isfinite(self.distance_km) or self.distance_km < 0:
            raise ConfigError(
                f"cluster_window_days and cluster_distance_km must be >= 0, got "
                f"{self.window_days} and {self.distance_km}", code="K002")

    @classmethod
    def from_settings(cls, settings: Settings) -> ClusterRule:
        """The rule of ``settings`` (``cluster_window_days``, ``cluster_distance_km``)."""
        return cls(settings.cluster_window_days, settings.cluster_distance_km)


DEFAULT_RULE = ClusterRule()


def shift(day: dt.date, days: int) -> dt.date:
    """``day`` moved by ``days``, saturating at the ends of the calendar (0001-01-01 and
    9999-12-31) instead of raising ``OverflowError``: an event on the first or last
    representable day must not sink the batch it is in."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


@dataclass(frozen=True, slots=True)
class Item:
    """What clustering needs of one event."""

    event_id: str
    key: str
    start: dt.date
    end: dt.date
    status: str | None = None
    point: tuple[float, float] | None = None  # (lat, lon)
    geonameid: int | None = None
    article_id: str = ""
    sentence: int = -1
    dated: bool = False  # the date comes from the text (origin "text"), not the article date
    source_actor: str | None = None
    target_actor: str | None = None


@dataclass(slots=True)
class Cluster:
    """A cluster so far: its members (what a newcomer must agree with) and date extent."""

    cluster_id: str
    key: str
    start: dt.date
    end: dt.date
    members: list[Item] = field(default_factory=list)

    def add(self, item: Item) -> None:
        self.start, self.end = min(self.start, item.start), max(self.end, item.end)
        self.members.append(item)


def _point(lat: float | None, lon: float | None) -> tuple[float, float] | None:
    return (float(lat), float(lon)) if lat is not None and lon is not None else None


def make_item(r: Sequence[Any]) -> Item | None:
    """An ``Item`` from the values named by ``_ITEM_COLUMNS``, None when it cannot be clustered."""
    (eid, key, status, start, end, lat, lon, gid, art, sent, origin, src, tgt) = r
    if key is None or start is None or end is None:
        return None
    return Item(str(eid), str(key), start, end, status, _point(lat, lon), gid, str(art), int(sent),
                origin == "text", src, tgt)


_ITEM_COLUMNS = ("event_id", "cluster_key", "status", "date_start", "date_end", "location_lat",
                 "location_lon", "location_geonameid", "article_id", "sentence", "date_origin",
                 "source_actor", "target_actor")
_ITEM_SQL = ", ".join(f"e.{c}" for c in _ITEM_COLUMNS)


def item_of(row: Row) -> Item | None:
    """The clustering view of an ``events`` row, None when it cannot be clustered."""
    return make_item([row[_IX[c]] for c in _ITEM_COLUMNS])


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points (haversine)."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * _EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def statuses_compatible(a: str | None, b: str | None) -> bool:
    """Equal, or announced-then-held (``planned``/``occurred``)."""
    return a == b or frozenset({a, b}) in _STATUS_PAIRS


def codes_agree(a: str | None, b: str | None) -> bool:
    """Actor codes of one side: equal, one refining the other ("USA" ⊂ "USAMIL"), or unknown."""
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _sides_agree(a: Item, b: Item) -> bool:
    same = codes_agree(a.source_actor, b.source_actor) and codes_agree(a.target_actor, b.target_actor)
    if same or a.key.split("|", 1)[0] not in SYMMETRIC_TYPES:
        return same
    return codes_agree(a.source_actor, b.target_actor) and codes_agree(a.target_actor, b.source_actor)


def agree(a: Item, b: Item, rule: ClusterRule) -> bool:
    """Could ``a`` and ``b`` be reports of one happening (apart from the date window)?"""
    if a.status != b.status:
        if not statuses_compatible(a.status, b.status):
            return False
        if a.start > b.end or b.start > a.end:  # a plan and its outcome share their date
            return False
    if not (a.dated and b.dated) and (a.article_id, a.sentence) != (b.article_id, b.sentence):
        return False
    if not _sides_agree(a, b):
        return False
    if a.point is not None and b.point is not None:
        return km(a.point, b.point) <= rule.distance_km
    if a.point is None and b.point is None and a.geonameid is not None and b.geonameid is not None:
        return a.geonameid == b.geonameid
    return True


def fits(item: Item, cluster: Cluster, rule: ClusterRule) -> bool:
    """May ``item`` join ``cluster`` without any pair of members disagreeing?"""
    if item.key != cluster.key:
        return False
    if (max(item.end, cluster.end) - min(item.start, cluster.start)).days > rule.window_days:
        return False
    return all(agree(item, m, rule) for m in cluster.members)


def compatible(a: Item, b: Item, rule: ClusterRule = DEFAULT_RULE) -> bool:
    """Could ``a`` and ``b`` form one cluster?"""
    solo = Cluster(a.event_id, a.key, a.start, a.end)
    solo.add(a)
    return fits(b, solo, rule)


_STORED_CANDIDATES = """
WITH n AS (
    SELECT unnest($1::VARCHAR[]) AS key, unnest($2::DATE[]) AS ws, unnest($3::DATE[]) AS we
)
SELECT DISTINCT e.cluster_id
FROM n JOIN events e ON e.cluster_key = n.key
WHERE e.cluster_id IS NOT NULL
  AND e.date_start <= $4 AND e.date_end >= $5  -- constant bounds: zone maps skip old row groups
  AND e.date_start <= n.we AND e.date_end >= n.ws
"""


def stored_clusters(con: duckdb.DuckDBPyConnection, items: Sequence[Item], rule: ClusterRule) -> list[Cluster]:
    """The stored clusters any of ``items`` could join (same key, a member within the
    window of the item: a necessary condition), with all their members."""
    if not items:
        return []
    w = rule.window_days
    params = [[i.key for i in items], [shift(i.start, -w) for i in items], [shift(i.end, w) for i in items],
              shift(max(i.end for i in items), w), shift(min(i.start for i in items), -w)]
    ids = [r[0] for r in con.execute(_STORED_CANDIDATES, params).fetchall()]
    if not ids:
        return []
    rows = con.execute(
        f"SELECT e.cluster_id, {_ITEM_SQL} FROM events e WHERE e.cluster_id IN (SELECT unnest($1::VARCHAR[])) "
        "ORDER BY e.cluster_id, e.event_id", [ids]).fetchall()
    clusters: dict[str, Cluster] = {}
    for cid, *values in rows:
        item = make_item(values)
        if item is None:
            continue
        c = clusters.setdefault(cid, Cluster(cid, item.key, item.start, item.end))
        c.add(item)
    return list(clusters.values())


def place_items(items: Iterable[Item | None], clusters: Iterable[Cluster], rule: ClusterRule) -> list[str | None]:
    """The cluster id of each item, in order (None for an unclusterable item): the
    smallest-id cluster it fits, which it then extends, else a new one of its own."""
    by_key: dict[str, list[Cluster]] = defaultdict(list)
    for c in clusters:
        by_key[c.key].append(c)
    out: list[str | None] = []
    for item in items:
        if item is None:
            out.append(None)
            continue
        options = [c for c in by_key[item.key] if fits(item, c, rule)]
        if options:
            chosen = min(options, key=lambda c: c.cluster_id)
        else:
            chosen = Cluster(item.event_id, item.key, item.start, item.end)
            by_key[item.key].append(chosen)
        chosen.add(item)
        out.append(chosen.cluster_id)
    return out


def assign(con: duckdb.DuckDBPyConnection, rows: Sequence[Row], rule: ClusterRule = DEFAULT_RULE) -> list[Row]:
    """Return ``rows`` with ``cluster_id`` filled (stored clusters and in-batch ones)."""
    items = [item_of(r) for r in rows]
    stored = stored_clusters(con, [i for i in items if i is not None], rule)
    cids = place_items(items, stored, rule)
    cid_ix, eid_ix = _IX["cluster_id"], _IX["event_id"]
    return [row[:cid_ix] + (cid or row[eid_ix],) + row[cid_ix + 1:] for row, cid in zip(rows, cids, strict=True)]


def recluster(con: duckdb.DuckDBPyConnection, rule: ClusterRule = DEFAULT_RULE) -> int:
    """Assign every stored event afresh under ``rule``, articles taken in date order (as
    an ingest in date order would); returns how many clusters there are now. Why: the
    rule is a setting, and a store built under another rule keeps its old clusters until
    it is redone. Run it inside a write transaction (``Store.recluster`` does)."""
    rows = con.execute(
        f"SELECT {_ITEM_SQL} FROM events e JOIN articles a ON a.id = e.article_id "
        "ORDER BY a.date, e.article_id, e.sentence, e.event_id").fetchall()
    cids = place_items([make_item(r) for r in rows], [], rule)
    ids = [str(r[0]) for r in rows]
    new = [cid or eid for eid, cid in zip(ids, cids, strict=True)]
    con.execute("CREATE OR REPLACE TEMP TABLE _recluster AS SELECT unnest($1::VARCHAR[]) AS event_id, "
                "unnest($2::VARCHAR[]) AS cluster_id", [ids, new])
    con.execute("UPDATE events SET cluster_id = r.cluster_id FROM _recluster r "
                "WHERE events.event_id = r.event_id AND events.cluster_id IS DISTINCT FROM r.cluster_id")
    con.execute("DROP TABLE _recluster")
    return len(set(new))
