"""Named queries over a ``Store``, returning plain rows (dicts) shared by the CLI, the HTTP
API and the dashboard. Every user value is a bound SQL parameter.
"""

from kronika.query.aggregates import (
    QUAD_CLASSES,
    actor_network,
    dyad_coarse,
    dyad_report,
    dyad_series,
    summary,
    volume,
)
from kronika.query.clusters import get_cluster, list_clusters
from kronika.query.errors import NotFoundError
from kronika.query.events import (
    article_view,
    count_clusters,
    count_events,
    count_located,
    events_page,
    find_events,
    get_event,
    iter_event_records,
    map_page,
    map_points,
    timeline,
    timeline_page,
)
from kronika.query.filters import EventFilter
from kronika.query.intensity import PENTA_CLASSES, intensity
from kronika.query.lookup import ActorMatch, default_lookup

__all__ = [
    "PENTA_CLASSES", "QUAD_CLASSES", "ActorMatch", "EventFilter", "NotFoundError", "actor_network",
    "article_view", "count_clusters", "count_events", "count_located", "default_lookup", "dyad_coarse",
    "dyad_report", "dyad_series", "events_page", "find_events", "get_cluster", "get_event",
    "intensity", "iter_event_records", "list_clusters", "map_page", "map_points", "summary",
    "timeline", "timeline_page", "volume",
]
