"""Sample multi-report clusters of a store for a purity audit by hand (issue 20, item 5).

    .venv/bin/python scripts/sample_clusters.py --db /tmp/demo.duckdb [--n 50] [--seed 20]

prints, for ``n`` clusters of two or more mentions drawn with a fixed seed, every member:
article date, event date (and where it came from), type, source → target, status, place
and the evidence sentence — what a person needs to judge whether the members report one
happening. The judgement itself is not made here: it is written by hand into
``docs/audits/clusters-50.tsv`` (one row per sampled cluster, in the order printed).
``--tsv`` prints the empty audit rows (cluster id, mentions, articles, key) to fill in.
"""

from __future__ import annotations

import argparse
import random
import sys
import textwrap
from pathlib import Path

from kronika.store import Store


def sample(store: Store, n: int, seed: int) -> list[str]:
    """``n`` cluster ids of clusters with two or more mentions, drawn with ``seed``."""
    ids = [r[0] for r in store.fetch_tuples(
        "SELECT cluster_id FROM events GROUP BY cluster_id HAVING count(*) >= 2 ORDER BY cluster_id")]
    return sorted(random.Random(seed).sample(ids, min(n, len(ids))))


def members(store: Store, cluster_id: str) -> list[dict[str, object]]:
    return store.fetch(
        """SELECT a.date AS article_date, e.article_id, e.cluster_key, e.date_value, e.date_origin, e.type, e.status,
                  e.source_country, e.target_country, e.source_text, e.target_text,
                  e.location_name, e.evidence
           FROM events e JOIN articles a ON a.id = e.article_id
           WHERE e.cluster_id = ? ORDER BY a.date, e.article_id, e.sentence, e.event_id""",
        [cluster_id],
    )


def describe(store: Store, cluster_id: str, index: int) -> str:
    rows = members(store, cluster_id)
    articles = len({r["article_id"] for r in rows})
    lines = [f"## {index:02d} {cluster_id}  {len(rows)} mentions, {articles} articles"]
    for r in rows:
        who = f"{r['source_country'] or '-'}({r['source_text'] or ''}) -> {r['target_country'] or '-'}({r['target_text'] or ''})"
        lines.append(f"- art {r['article_date']} {r['article_id'][:8]} | date {r['date_value']} ({r['date_origin']}) | "
                     f"{r['type']} {r['status']} | {who} | {r['location_name'] or '-'}")
        lines.append(textwrap.indent(textwrap.fill(str(r["evidence"]), 110), "    "))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20)
    ap.add_argument("--tsv", action="store_true", help="print empty audit rows instead of the members")
    args = ap.parse_args(argv)
    with Store(args.db, read_only=True) as store:
        ids = sample(store, args.n, args.seed)
        for i, cid in enumerate(ids, 1):
            if args.tsv:
                rows = members(store, cid)
                key = rows[0]["cluster_key"]
                arts = len({r["article_id"] for r in rows})
                sys.stdout.write(f"{i}\t{cid}\t{len(rows)}\t{arts}\t{key}\t\t\n")
            else:
                sys.stdout.write(describe(store, cid, i) + "\n\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
