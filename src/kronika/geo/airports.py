"""Airports as gazetteer places: the names news uses for them, from ``airportsdata``.

Why: stories name airports ("Heathrow", "O'Hare International Airport", "Ottawa /
Macdonald-Cartier International Airport") far more often than the villages that share
their names (Heathrow, Florida); without the airport as a candidate the village wins.
Only airports with an IATA code (about 7,900, the ones with scheduled traffic) are
loaded: the 28,000 strips and heliports of the full table would add namesakes, not news.

Names indexed per airport (``airport_names``): the full name and each " / " part of it,
the name without its city ("Heathrow Airport"), and the bare distinctive part without
the generic words ("Heathrow", "O'Hare"). The bare part is left out when it is only the
city's name ("Denver International Airport" never makes "Denver" an airport) and, at
build time, when a town of 30,000+ already has that name (``Gazetteer._load_airports``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kronika.resources import word_set

# Trailing words that say "airport" rather than name one ("International Airport"), and
# words that leave a remainder naming no airport on its own ("Area Municipal Airport",
# "Republic"): data in geo/names.yaml, with the reasons.
_GENERIC = word_set("geo/names.yaml", "airport_generic")
_NOT_A_NAME = _GENERIC | word_set("geo/names.yaml", "airport_not_a_name")
_WORD = re.compile(r"[\w'\u2019.&-]+")
# Priors (log10-population units): a named international airport ranks with a town of
# ~100,000, others with one of ~30,000; a village namesake (Heathrow, Fla.) ranks lower.
# A bare name ("Heathrow", "O'Hare": only big cities' airports have one) ranks with a
# town of 100,000, on an entry of its own.
PRIOR_INTERNATIONAL, PRIOR_AIRPORT, PRIOR_BARE = 5.0, 4.5, 5.0


def _strip_generic(name: str) -> str:
    """"Chicago O'Hare International Airport" → "Chicago O'Hare"."""
    words = _WORD.findall(name)
    while words and words[-1].lower().strip(".") in _GENERIC:
        words.pop()
    return " ".join(words)


def _without_city(name: str, city: str) -> str:
    """"London Heathrow Airport" → "Heathrow Airport" (also "City-X", "City/X")."""
    if city and name.lower().startswith(city.lower()) and len(name) > len(city) + 1:
        rest = name[len(city):].lstrip(" -/")
        first = rest.split(" ", 1)[0].lower()
        return rest if rest[:1].isupper() and first not in _NOT_A_NAME else ""
    return ""


def airport_names(name: str, city: str) -> tuple[list[str], list[str]]:
    """(full names, bare names) of one airport; bare names may clash with towns and are
    checked by the caller. Both lists are free of the bare city name itself."""
    parts = [name] + [p.strip() for p in name.split(" / ") if p.strip() and p.strip() != name]
    full: list[str] = []
    bare: list[str] = []
    for part in parts:
        for form in (part, _without_city(part, city)):
            core = _strip_generic(form)
            if not core or form.lower() == city.lower():
                continue  # "International Airport" alone names no airport
            full.append(form)
            if core != form and core.lower() != city.lower() and not core.isdigit() and \
                    not all(w.lower() in _NOT_A_NAME for w in core.split()):
                (full if form == part and city and core.startswith(city + " ") else bare).append(core)
    return _unique(full), [b for b in _unique(bare) if b not in full]


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    return [n for n in names if not (n.lower() in seen or seen.add(n.lower()))]


def iter_airports() -> Iterator[dict]:
    """Rows of ``airportsdata``'s IATA table; nothing when the package is absent."""
    try:
        import airportsdata
    except ImportError:
        return
    yield from airportsdata.load("IATA").values()


def airport_prior(name: str) -> float:
    low = name.lower()
    return PRIOR_INTERNATIONAL if "international" in low or "intl" in low else PRIOR_AIRPORT
