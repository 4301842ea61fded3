"""One builder of the event record contract: extraction output (``Event.to_json``) and the
query layer's record of the same stored event agree field for field, in the same order."""

from __future__ import annotations

import json
from pathlib import Path

from kronika.model import EventDate, EventPlace, event_contract
from kronika.query.records import fetch_records
from kronika.store import Store
from kronika.store import synthetic as syn

# What the query layer adds to the contract (derived, or the article's), nothing else.
QUERY_ADDITIONS = {"penta_class", "goldstein", "cluster_id", "article_date", "article_title", "background"}


def test_event_record_query_record_is_the_contract_plus_its_additions(tmp_path: Path) -> None:
    art = syn.article("France met Germany in Paris. Police arrested protesters in Minsk and Kyiv.",
                      "2021-03-04", doc_id="d1")
    paris = syn.place("Paris", 2988507, 48.85341, 2.3488, "FRA")
    events = [
        syn.event(art, "CONSULT", syn.ref("FRA"), syn.ref("DEU"), "2021-03-02", place=paris,
                  contexts=("economic",), confidence=0.87654),
        syn.event(art, "ARREST", syn.ref("BLR", sector="COP"), [syn.ref("BLR", sector="OPP"),
                  syn.ref("UKR", sector="OPP")], None, sentence=1, origin="document"),
        syn.event(art, "PROTEST", None, None, "2021", sentence=1, trigger_start=40, status="planned"),
    ]
    with Store(tmp_path / "r.duckdb") as store:
        store.write_batch([syn.analysis(art, events)])
        records = fetch_records(store, [e.event_id for e in events])
    for event, record in zip(events, records, strict=True):
        contract = event.to_json()
        assert set(record) - set(contract) == QUERY_ADDITIONS
        assert {k: v for k, v in record.items() if k not in QUERY_ADDITIONS} == contract
        # byte for byte once serialised: same values, same field order
        kept = [k for k in record if k not in QUERY_ADDITIONS]
        assert kept == list(contract)
        assert json.dumps({k: record[k] for k in kept}) == json.dumps(contract)
    assert records[0]["confidence"] == 0.877 and records[0]["location"]["name"] == "Paris"
    assert isinstance(records[1]["target"], list) and records[2]["source"] is None


def test_event_record_classes_sit_beside_quad_class() -> None:
    record = event_contract(
        event_id="e", article_id="a", doc_id=None, sentence=0, evidence="x", type="CONSULT", mode=None,
        contexts=None, status="occurred", cameo="040", quad_class="VC", source=None, target=None,
        date=EventDate("2021", None, "text"), location=EventPlace("Paris", None, None, None, "FRA"),
        confidence=None, classes={"goldstein": 1.0},
    )
    keys = list(record)
    assert keys[keys.index("quad_class") + 1] == "goldstein" and keys[-1] == "confidence"
    assert record["contexts"] == [] and record["confidence"] is None
