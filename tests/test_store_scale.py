"""Scale guard: the named queries stay interactive on a large synthetic store.

Bounds are generous (the CI machine is shared); they catch a query that turns
quadratic or scans per row, not a few percent. Run with ``-m slow``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from kronika.query import (
    EventFilter,
    actor_network,
    count_events,
    dyad_series,
    find_events,
    get_cluster,
    list_clusters,
    map_points,
    summary,
    timeline,
)
from kronika.store import Store
from kronika.store.synthetic import generate

N = 100_000
BOUND_S = 5.0


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    db = tmp_path_factory.mktemp("scale") / "big.duckdb"
    with Store(db) as store:
        generate(store, N, seed=3)
    with Store(db, read_only=True) as store:
        yield store


QUERIES: dict[str, Callable[[Store], Any]] = {
    "find_events": lambda s: find_events(s, EventFilter(dyad=("USA", "RUS"), since="2018", until="2019")),
    "count_events": lambda s: count_events(s, EventFilter(actor="RUS", type="CONSULT,AGREE")),
    "dyad_series": lambda s: dyad_series(s, "USA", "RUS"),
    "actor_network": lambda s: actor_network(s, EventFilter()),
    "summary": summary,
    "list_clusters": lambda s: list_clusters(s, EventFilter(limit=50)),
    "map_points": lambda s: map_points(s, EventFilter(bbox=(-20, 30, 60, 70))),
    "timeline": lambda s: timeline(s, actor="JPN"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(QUERIES))
def test_store_scale_queries_stay_interactive(big: Store, name: str) -> None:
    t = time.perf_counter()
    result = QUERIES[name](big)
    elapsed = time.perf_counter() - t
    assert result
    assert elapsed < BOUND_S, f"{name} took {elapsed:.2f}s on {N} events"


@pytest.mark.slow
def test_store_scale_cluster_round_trip(big: Store) -> None:
    [top] = list_clusters(big, EventFilter(limit=1))
    assert top["mentions"] > 1
    assert len(get_cluster(big, top["cluster_id"])["events"]) == top["mentions"]
