"""A small hand-made store shared by the API and dashboard tests (no spaCy needed).

Built with ``kronika.store.synthetic``'s record builders: invented articles about a few
country pairs over several months, with places, statuses and compound sides, so every
endpoint and every dashboard page has something to show. ``build_store(path)`` is
imported by ``test_api_*`` and ``test_web_*``; the tests below check the builder itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kronika.model import Analysis

PLACES = {
    "Tokyo": (1850147, 35.6895, 139.6917, "JPN"), "Moscow": (524901, 55.7522, 37.6156, "RUS"),
    "Beijing": (1816670, 39.9075, 116.3972, "CHN"), "Washington": (4140963, 38.8951, -77.0364, "USA"),
    "Berlin": (2950159, 52.5244, 13.4105, "DEU"),
}
NAMES = {"JPN": "Japan", "RUS": "Russia", "CHN": "China", "USA": "the United States", "DEU": "Germany"}
# (date, text, [(type, source, target, status, place, sentence)])
ARTICLES = [
    ("2021-03-04", "The foreign ministers of Japan and Russia met in Moscow on Thursday. "
     "Japan accused Russia of a military buildup on the islands. Russia rejected the claim.",
     [("CONSULT", "JPN", "RUS", "occurred", "Moscow", 0), ("ACCUSE", "JPN", "RUS", "occurred", "Moscow", 1),
      ("REJECT", "RUS", "JPN", "occurred", "Moscow", 2)]),
    ("2021-04-12", "Japan and Russia agreed to resume talks on a peace treaty. "
     "The two leaders will meet in Tokyo next month.",
     [("AGREE", "JPN", "RUS", "occurred", "Tokyo", 0), ("CONSULT", "JPN", "RUS", "planned", "Tokyo", 1)]),
    ("2021-05-20", "Russia threatened to deploy missiles near Japan. "
     "China and Russia held joint naval drills in the Sea of Japan.",
     [("THREATEN", "RUS", "JPN", "occurred", None, 0), ("COOPERATE", "CHN", "RUS", "occurred", None, 1)]),
    ("2021-06-02", "The United States imposed sanctions on Russian officials. "
     "Germany and the United States consulted in Berlin on the response.",
     [("SANCTION", "USA", "RUS", "occurred", "Washington", 0), ("CONSULT", "DEU", "USA", "occurred", "Berlin", 1)]),
    ("2021-06-18", "China denied that it had sent aid to Russia. "
     "Japan demanded that Russia return the islands. Japan and the United States pledged support.",
     [("AID", "CHN", "RUS", "denied", "Beijing", 0), ("REQUEST", "JPN", "RUS", "occurred", "Tokyo", 1),
      ("SUPPORT", "JPN", "USA", "occurred", "Tokyo", 2)]),
]


def analyses() -> list[Analysis]:
    from kronika.store import synthetic as syn

    out = []
    for i, (date, text, evs) in enumerate(ARTICLES):
        art = syn.article(text, date, doc_id=f"demo-{i}", title=f"Demo article {i + 1}", source="Demo Wire")
        events = []
        sentences = text.split(". ")
        for type_, src, tgt, status, place, sent in evs:
            # a place its own sentence does not name was told by the article elsewhere
            origin = "text" if place and place in sentences[sent] else "context"
            where = syn.place(place, *PLACES[place], origin=origin) if place else None
            events.append(syn.event(art, type_, syn.ref(src, NAMES[src]), syn.ref(tgt, NAMES[tgt]), date, sentence=sent,
                                    status=status, place=where))
        out.append(syn.analysis(art, events))
    return out


def build_store(path: Path) -> Path:
    """Write the demo store at ``path`` (a fresh DuckDB file) and return the path."""
    from kronika.store import Store

    with Store(path) as store:
        store.write_batch(analyses(), [])
    return path


N_EVENTS = sum(len(evs) for _, _, evs in ARTICLES)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("api") / "demo.duckdb")


def test_api_fixture_store_holds_every_event(demo_db: Path) -> None:
    from kronika.query import EventFilter, count_events
    from kronika.store import Store

    with Store(demo_db, read_only=True) as store:
        assert count_events(store, EventFilter()) == N_EVENTS


def test_api_fixture_texts_name_no_seed_people() -> None:
    # The fixture is invented: it must not lean on the canonical seed article's people.
    joined = " ".join(text for _, text, _ in ARTICLES)
    for name in ("Kono", "Lavrov", "Iwaya", "Abe", "Putin"):
        assert name not in joined
