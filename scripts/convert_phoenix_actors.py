#!/usr/bin/env python3
"""Convert the Phoenix (PETRARCH 2) actor dictionaries into Kronika's packaged actor table.

    .venv/bin/python scripts/convert_phoenix_actors.py ../shared/data/petrarch/phoenix \
        [--out src/kronika/data/actors]

Reads ``Phoenix.Countries.actors.txt`` (office-holders of every country with dated CAMEO
codes, national institutions, some Syrian armed groups), ``Phoenix.International.actors.txt``
(IGOs and their officials, NGOs, multinationals) and ``Phoenix.MilNonState.actors.txt``
(non-state armed groups, from START's TOPS database) with Kronika's own PETRARCH reader
(``kronika.actors.petrarch``), and writes:

* ``phoenix.tsv`` — one row per actor: name, kind, default code, aliases, dated roles and
  the file it came from; a header names the input files and their SHA-256;
* ``PHOENIX-LICENSE.txt`` — the dictionaries' MIT licence, copied unchanged.

What is left out, and why (counts are printed): the country-level entries (their synonyms
include provinces and cities — "Helmand", "Kandahar" coded AFG — which would turn every
place into a country actor; country names come from pycountry and ``countries.yaml``),
territories and Soviet-era country codes ("GBRFLK", "USRARM"), religion codes ("HINRAD"),
multinational companies ("MNC…": not political actors here), codes that are not
organisation codes or country + CAMEO sector (``valid_code``);
stemmed variants of single words; forms with fewer than two letters. Names are
re-cased from the files' capitals ("SHINZO_ABE_" → "Shinzo Abe"; short single words stay
acronyms: "ANSF"). The output is deterministic: same inputs, same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

from kronika.actors.dictionary import ActorEntry, Tenure
from kronika.actors.petrarch import parse_petrarch_actors
from kronika.resources import iter_tsv

FILES = (
    ("countries", "Phoenix.Countries.actors.txt"),
    ("international", "Phoenix.International.actors.txt"),
    ("milnonstate", "Phoenix.MilNonState.actors.txt"),
)
LICENSE = "LICENSE.MIT.from-petrarch2.txt"
COLUMNS = ("name", "kind", "code", "aliases", "roles", "file")
_VOWELS = set("AEIOUY")
# Two-letter words of names that are not acronyms.
_PARTICLES = frozenset({
    "al", "el", "de", "da", "di", "du", "la", "le", "of", "ul", "ur", "ad", "as", "an", "at", "in",
    "on", "to", "by", "bo", "li", "lu", "ma", "mo", "na", "ng", "ho", "hu", "wu", "yu", "xi", "ye",
    "oh", "om", "ba", "bi", "ka", "ki", "ko", "ku", "ha", "he", "ja", "jo", "lo", "mi", "mu", "ne",
    "ni", "no", "nu", "pa", "po", "ra", "re", "ri", "ro", "sa", "se", "si", "so", "su", "ta", "te",
    "ti", "tu", "va", "vo", "wa", "wo", "ya", "yo", "za", "zu", "ai", "ao", "au", "ei", "ou",
})
# CAMEO sector codes (codebook 1.1b3 ch. 3 and the Phoenix additions) that may follow a
# country code; anything else there is a territory ("GBRFLK", "USRARM") or a typo.
SECTORS = frozenset({
    "GOV", "MIL", "COP", "JUD", "LEG", "OPP", "REB", "PTY", "BUS", "MED", "EDU", "CVL", "REF",
    "HLH", "NGO", "IGO", "SPY", "CRM", "ELI", "LAB", "AGR", "REL", "UAF", "INS", "RAD", "MOD",
    "SEP", "ENV", "HRI",
})
# Organisation codes that stand alone (no country): IGOs, NGOs, international militarised groups.
STANDALONE = ("IGO", "NGO", "IMG")
# Region and pseudo-country prefixes of the files (CAMEO's "INT" international, "MEA" Middle
# East, "SAS" South Asia …): an armed group there is an international militarised group
# (IMG…); anything else with such a prefix has no country Kronika can carry.
REGIONS = frozenset({
    "INT", "MEA", "SAS", "WEU", "SEA", "EAF", "LAM", "ASA", "AFR", "EEU", "EUR", "CAS", "SAM",
    "NAF", "WAF", "KKL", "KNT", "NMR", "CFR", "EIN",
})
# Words that make a name with dated codes a group rather than a person.
ORG_WORDS = frozenset({
    "army", "front", "party", "movement", "state", "brigade", "brigades", "group", "organization",
    "organisation", "council", "union", "alliance", "coalition", "forces", "force", "battalion",
    "committee", "league", "declaration", "jihad", "mujahideen", "jamaat", "harakat", "jabhat",
    "jaish", "lashkar", "hizb", "ansar", "katibat", "kataeb", "liwa", "liwaa", "militia",
    "congress", "association", "federation", "institute", "agency", "ministry", "bank", "fund",
})


def normal_code(code: str, cameo: dict[str, str]) -> str:
    """CAMEO country codes that differ from ISO ("JAP" → "JPN", "TMP" → "TLS"); a region's
    armed group → "IMG" (no country)."""
    head = code[:3]
    if head in REGIONS:
        return "IMG" + code[3:] if code[3:6] == "REB" else code
    return cameo.get(head, head) + code[3:]


def valid_code(code: str) -> bool:
    """A code Kronika can carry: an organisation code (IGO…, NGO…, IMG…) or a country
    followed by a sector; not a bare country, a territory, a religion code ("HINRAD") or a
    multinational company ("MNC…": companies are not political actors here)."""
    if code[:3] in STANDALONE:
        return len(code) >= 6
    return len(code) >= 6 and code[:3].isalpha() and code[3:6] in SECTORS


def recase(form: str) -> str:
    """"SHINZO ABE" → "Shinzo Abe"; "AL-NUSRA FRONT" → "Al-Nusra Front"; a single short
    word, a word without vowels, or a two-letter word that is no name particle is kept as
    an acronym ("ANSF", "NLD", "UN ENVOY" → "UN Envoy")."""
    words = form.split()
    out = []
    for w in words:
        letters = [c for c in w if c.isalpha()]
        short = len(letters) == 2 and w.lower() not in _PARTICLES  # "UN", "EU"; not "Al", "De"
        if (len(words) == 1 and len(letters) <= 5) or (letters and not _VOWELS & set(letters)) or "." in w or short:
            out.append(w.upper())
            continue
        parts = re.split(r"([-/])", w.lower())
        out.append("".join(p[:1].upper() + p[1:] for p in parts))
    return " ".join(out)


def split_parens(form: str) -> list[str]:
    """"ANIMAL LIBERATION FRONT (ALF)" → ["ANIMAL LIBERATION FRONT", "ALF"]."""
    inner = re.findall(r"\(([^)]*)\)", form)
    outer = " ".join(re.sub(r"\([^)]*\)", " ", form).split())
    return [f for f in (outer, *(" ".join(i.split()) for i in inner)) if f]


def _date(d) -> str:
    return d.isoformat() if d else ""


def role_text(t: Tenure) -> str:
    return f"{t.code} {_date(t.start)}..{_date(t.end)}"


def _usable(form: str) -> bool:
    return sum(c.isalpha() for c in form) >= 2


def is_group(name: str) -> bool:
    return bool(ORG_WORDS & set(name.lower().replace("-", " ").split()))


def row(entry: ActorEntry, file: str, cameo: dict[str, str]) -> dict[str, str] | None:
    """The TSV row of one parsed entry, or None when nothing in it is usable."""
    roles = [replace(t, code=normal_code(t.code, cameo)) for t in entry.roles]
    roles = [t for t in roles if valid_code(t.code)]
    code = normal_code(entry.code or "", cameo)
    code = code if valid_code(code) else ""
    if not code and not roles:
        return None
    forms = [f for raw in (entry.name, *entry.aliases) for f in split_parens(raw.upper())]
    name = recase(forms[0])
    aliases = []
    for a in forms[1:]:
        r = recase(a)
        if r != name and _usable(r) and r not in aliases:
            aliases.append(r)
    if not _usable(name):
        if not aliases:
            return None
        name, aliases = aliases[0], aliases[1:]
    for field in (name, *aliases):
        if "\t" in field or "|" in field:
            raise ValueError(f"separator inside a name: {field!r}")
    return {
        "name": name,
        "kind": "person" if roles and not is_group(name) else "organisation",
        "code": code,
        "aliases": "|".join(aliases),
        "roles": "|".join(role_text(t) for t in roles),
        "file": file,
    }


def convert(folder: Path, out: Path) -> dict[str, int]:
    """Write ``phoenix.tsv`` and the licence under ``out``; return counts for the report."""
    counts: dict[str, int] = {}
    rows: list[dict[str, str]] = []
    header = [
        "# Kronika actors stage: the Phoenix actor dictionaries (PETRARCH 2, Open Event Data Alliance,",
        "# MIT licence: PHOENIX-LICENSE.txt beside this file), converted by",
        "# scripts/convert_phoenix_actors.py (see its docstring for what is kept and why).",
        "# Do not edit by hand: edit leaders.tsv or organisations.yaml (both win over this table).",
        "# Columns: name; kind (person, organisation); code (CAMEO default code); aliases ('|');",
        "# roles ('|'-separated 'CODE start..end', inclusive, open ends empty); file (source).",
        "# Inputs (SHA-256):",
    ]
    problems: list[str] = []
    cameo = {r["cameo"]: r["iso3"] for r in iter_tsv("actors/cameo_countries.tsv")}
    cameo["TMP"] = "TLS"  # East Timor's pre-2002 code
    seen: set[tuple[str, str, str]] = set()
    for tag, fname in FILES:
        path = folder / fname
        raw = path.read_bytes()
        header.append(f"#   {fname} {hashlib.sha256(raw).hexdigest()}")
        entries = parse_petrarch_actors(raw.decode("utf-8", errors="replace"), f"phoenix:{fname}",
                                        stems=False, problems=problems)
        for e in entries:
            bare_country = len(e.code or "") == 3 and e.code != "ELI"
            r = None if e.kind == "country" or bare_country else row(e, tag, cameo)
            if r is None:
                what = f"{tag}: left out (country, territory, company, religion code)"
                counts[what] = counts.get(what, 0) + 1
                continue
            key = (r["name"], r["code"], r["roles"])
            if key in seen:
                counts["duplicates merged"] = counts.get("duplicates merged", 0) + 1
                continue
            seen.add(key)
            rows.append(r)
            counts[f"{tag}: {r['kind']}"] = counts.get(f"{tag}: {r['kind']}", 0) + 1
    counts["malformed codes skipped"] = len(problems)
    out.mkdir(parents=True, exist_ok=True)
    lines = [*header, "\t".join(COLUMNS)]
    lines += ["\t".join(r[c] for c in COLUMNS) for r in rows]
    (out / "phoenix.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    shutil.copyfile(folder / LICENSE, out / "PHOENIX-LICENSE.txt")
    counts["rows"] = len(rows)
    counts["roles"] = sum(len(r["roles"].split("|")) for r in rows if r["roles"])
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, help="folder holding the Phoenix dictionaries")
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src/kronika/data/actors")
    a = ap.parse_args(argv)
    counts = convert(a.folder, a.out)
    for k, v in sorted(counts.items()):
        sys.stdout.write(f"{k}: {v}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
