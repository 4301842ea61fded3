"""``codebook.md`` and ``metadata.json``: what travels with every export folder.

Why both: an analyst who cites an export needs the meaning of every field and code
(codebook.md, for people) and the exact provenance - Kronika version, the event model's
and knowledge base's versions, the query, row counts (metadata.json, for tools and for
the methods section). The field meanings are data (``data/export/codebook.yaml``); the
values listed are the ones found in this export, counted in DuckDB.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kronika.query.filters import EventFilter, store_where
from kronika.resources import data_path, load_yaml, read_text
from kronika.store import Store

CODEBOOK = "export/codebook.yaml"
# Knowledge whose version an export records: the coder's model and the tables it reads.
MODEL_CARDS: tuple[str, ...] = ("events/model/meta.json", "events/model/mode/meta.json")
KNOWLEDGE_FILES: tuple[str, ...] = (
    "actors/countries.yaml", "actors/organisations.yaml", "actors/agents.yaml", "actors/leaders.tsv",
    "actors/phoenix.tsv", "actors/cameo_countries.tsv", "events/cameo2plover.txt", "events/CAMEO.2.0.txt",
    "events/goldstein.tsv", "events/grammar.yaml", "events/predicates.yaml", "events/plover_versions.yaml",
    "events/calibration.yaml",
)
# Which sections of the codebook describe the files of each format.
FORMAT_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "csv": (("events.csv", "csv"), ("articles.csv", "articles_csv")),
    "plover": (("events.plover.jsonl", "plover"),),
    "polecat": (("events.polecat.jsonl", "polecat"),),
    "gexf": (("network.gexf", "gexf"), ("network.csv", "network_csv")),
    "geojson": (("map.geojson", "geojson"),),
    # Backups hold the store's tables; the events table has the CSV layout's values (its
    # sides as source/target JSON plus flattened first members), articles the same columns.
    "parquet": (("events.parquet (values as in the CSV layout)", "csv"), ("articles.parquet", "articles_csv")),
    "jsonl": (("events.jsonl (values as in the CSV layout)", "csv"), ("articles.jsonl", "articles_csv")),
}


def query_of(flt: EventFilter) -> dict[str, Any]:
    """The filter fields that narrow the export (what metadata.json calls the query)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(flt):
        value = getattr(flt, f.name)
        if f.name in ("limit", "offset") or value is None:
            continue
        out[f.name] = list(value) if isinstance(value, tuple) else value
    return out


def _file_version(relpath: str) -> dict[str, Any]:
    """A knowledge file's declared ``version`` (YAML key or ``# version:`` line) and a
    content hash, so two exports name the same tables only when they are the same bytes."""
    text = read_text(relpath)
    version: Any = None
    # The declaration sits at the head of every versioned file: a top-level ``version:`` key
    # (YAML) or a ``# version:`` comment (TSV). Read as a line, not by parsing the whole
    # file (the actor tables are megabytes of YAML).
    for line in text.splitlines()[:60]:
        head = line.lstrip("# ") if relpath.endswith((".tsv", ".txt")) else line
        if head.lower().startswith("version:"):
            value = head.split(":", 1)[1].strip()
            version = int(value) if value.isdigit() else value
            break
    return {"version": version, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]}


def versions() -> dict[str, Any]:
    """Kronika, model and knowledge-base versions, as metadata.json records them."""
    from kronika import __version__

    models: dict[str, Any] = {}
    for card in MODEL_CARDS:
        if data_path(card).exists():
            meta = json.loads(read_text(card))
            models[card.removesuffix("/meta.json")] = {
                k: v for k, v in meta.items() if isinstance(v, (str, int, float)) and k in
                ("name", "version", "examples", "decision")}
    kb = {f: _file_version(f) for f in KNOWLEDGE_FILES if data_path(f).exists()}
    return {"kronika": __version__, "models": models, "knowledge_base": kb}


def metadata(fmt: str, flt: EventFilter, rows: Mapping[str, int], *, store: Store,
             extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The metadata.json object of one export."""
    info = versions()
    return {
        "kronika_version": info["kronika"],
        "format": fmt,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "store": store.path.name,
        "query": query_of(flt),
        **({"options": dict(extra)} if extra else {}),
        "rows": dict(rows),
        "models": info["models"],
        "knowledge_base": info["knowledge_base"],
        "ontology": "PLOVER 2021 (CAMEO2PLOVER table, draft 0.8 of 2021-09-17)",
    }


def vocabulary(store: Store, flt: EventFilter) -> dict[str, list[tuple[Any, ...]]]:
    """The codes found in the exported events, with counts (one grouped query each)."""
    clause, params = store_where(store, flt)
    return {
        "types": store.fetch_tuples(f"SELECT e.type, count(*) FROM events e {clause} GROUP BY 1 ORDER BY 2 DESC, 1",
                                    params),
        "modes": store.fetch_tuples(
            f"SELECT e.type, e.mode, count(*) FROM events e {clause} "
            f"{'AND' if clause else 'WHERE'} e.mode IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2", params),
        "contexts": store.fetch_tuples(
            f"SELECT c, count(*) FROM (SELECT unnest(e.contexts) AS c FROM events e {clause}) "
            "GROUP BY 1 ORDER BY 2 DESC, 1", params),
        "statuses": store.fetch_tuples(
            f"SELECT e.status, count(*) FROM events e {clause} GROUP BY 1 ORDER BY 2 DESC, 1", params),
        "quad_classes": store.fetch_tuples(
            f"SELECT e.quad_class, count(*) FROM events e {clause} GROUP BY 1 ORDER BY 2 DESC, 1", params),
        "actors": store.fetch_tuples(
            "SELECT ea.actor, any_value(ea.country), any_value(ea.sector), count(DISTINCT ea.event_id) "
            f"FROM event_actors ea JOIN events e ON e.event_id = ea.event_id {clause} "
            f"{'AND' if clause else 'WHERE'} ea.actor IS NOT NULL GROUP BY 1 ORDER BY 4 DESC, 1", params),
    }


def known_modes_and_contexts() -> tuple[set[tuple[str, str]], set[str]]:
    """Every (type, mode) and context the coder can write: the CAMEO2PLOVER table, the
    mode model's labels and the context words of the grammar (all data files)."""
    from kronika.events.ontology import load_cameo_table

    modes: set[tuple[str, str]] = set()
    contexts: set[str] = set()
    for coding in load_cameo_table().values():
        if coding.mode:
            modes.add((coding.type, coding.mode))
        contexts.update(coding.contexts)
    card = "events/model/mode/meta.json"
    if data_path(card).exists():
        for label in json.loads(read_text(card)).get("labels", []):
            type_, _, mode = str(label).partition(":")
            if mode and mode != "-":
                modes.add((type_, mode))
    contexts.update((load_yaml("events/grammar.yaml") or {}).get("contexts", {}))
    return modes, contexts


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    def cell(v: Any) -> str:
        return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")

    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(cell(v) for v in row) + " |" for row in rows), ""]


def _country_name(code: str | None) -> str:
    if not code:
        return ""
    import pycountry

    country = pycountry.countries.get(alpha_3=code)
    return country.name if country else ""


def codebook_text(fmt: str, meta: Mapping[str, Any], vocab: Mapping[str, list[tuple[Any, ...]]]) -> str:
    """codebook.md of one export: files, fields, codes (with their counts here), versions."""
    book = load_yaml(CODEBOOK)
    lines = [
        "# Kronika export codebook", "",
        f"Exported {meta['exported_at']} by Kronika {meta['kronika_version']} from `{meta['store']}`, "
        f"format `{fmt}`.", "",
        "Query: " + (", ".join(f"{k}={v}" for k, v in meta["query"].items()) or "all events") + ".", "",
        "Cite the export by this folder's metadata.json: it names the versions of the event model and "
        "of the knowledge base that coded these events.", "",
        "## Files", "", *_table(("file", "rows"), sorted(meta["rows"].items())),
    ]
    for filename, section in FORMAT_SECTIONS.get(fmt, ()):
        lines += [f"## Fields of {filename}", "", *_table(("field", "meaning"), list(book[section].items()))]
    lines += ["Empty cells (CSV) and nulls (JSON) are missing values.", ""]
    types = dict(vocab["types"])
    lines += ["## Event types (PLOVER 2021)", "",
              *_table(("type", "definition", "events here"),
                      [(t, d, types.get(t, 0)) for t, d in book["types"].items()])]
    known_modes, known_contexts = known_modes_and_contexts()
    found_modes = {(t, m): n for t, m, n in vocab["modes"]}
    lines += ["## Modes", "", "PLOVER modes the coder can write (how an event was done), by type.", "",
              *_table(("type", "mode", "events here"),
                      [(t, m, found_modes.get((t, m), 0)) for t, m in sorted(known_modes | set(found_modes))])]
    found_contexts = dict(vocab["contexts"])
    lines += ["## Contexts", "", "PLOVER contexts the coder can write (what an event was about).", "",
              *_table(("context", "events here"),
                      [(c, found_contexts.get(c, 0)) for c in sorted(known_contexts | set(found_contexts))])]
    statuses, quads = dict(vocab["statuses"]), dict(vocab["quad_classes"])
    lines += ["## Statuses", "", *_table(("status", "meaning", "events here"),
                                          [(s, d, statuses.get(s, 0)) for s, d in book["statuses"].items()])]
    lines += ["## Quad classes", "", *_table(("quad class", "meaning", "events here"),
                                              [(q, d, quads.get(q, 0)) for q, d in book["quad_classes"].items()])]
    sectors = load_yaml("actors/agents.yaml").get("sectors", {})
    lines += ["## Actor codes", "", str(book["actor_codes"]), "",
              *_table(("actor code", "country", "country name", "sector", "events here"),
                      [(a, c, _country_name(c), s, n) for a, c, s, n in vocab["actors"]])]
    lines += ["## Sectors", "", *_table(("sector", "meaning"), list(sectors.items()))]
    lines += ["## Versions", "", f"- Kronika {meta['kronika_version']}; ontology: {meta['ontology']}"]
    for name, card in meta["models"].items():
        lines.append(f"- model `{name}`: " + ", ".join(f"{k} {v}" for k, v in card.items()))
    for name, info in meta["knowledge_base"].items():
        lines.append(f"- `{name}`: version {info['version']}, sha256 {info['sha256']}")
    return "\n".join(lines) + "\n"


def write_companions(dest: Path, fmt: str, flt: EventFilter, rows: Mapping[str, int], *, store: Store,
                     extra: Mapping[str, Any] | None = None) -> list[Path]:
    """Write codebook.md and metadata.json into the export folder ``dest``."""
    meta = metadata(fmt, flt, rows, store=store, extra=extra)
    meta_path, book_path = dest / "metadata.json", dest / "codebook.md"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    book_path.write_text(codebook_text(fmt, meta, vocabulary(store, flt)), encoding="utf-8")
    return [book_path, meta_path]
