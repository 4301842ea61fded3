"""The events stage: the PLOVER coder over the dependency parse.

``EventCoder(settings)(doc, times, actors, places) -> tuple[Event, ...]``; knowledge in
``kronika/data/events/`` (predicate lexicon, grammar cues, the CAMEO → PLOVER table).
"""

from kronika.events.coder import EventCoder
from kronika.events.ontology import quad_class
from kronika.events.sides import main_parties

__all__ = ["EventCoder", "main_parties", "quad_class"]
