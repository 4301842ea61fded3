#!/bin/bash
# Every accuracy figure of the closing notes, from the repo root: bash benchmarks/accuracy.sh
# (SHARED=path overrides ../shared, where the gold sets live).
set -u
K=.venv/bin/kronika; S=${SHARED:-../shared}
echo "== seed events"; $K extract $S/examples/seed/2019-05-30-japan-russia.txt --format jsonl > /tmp/seed.jsonl && python3 $S/eval/score_events.py $S/gold/seed/events.json /tmp/seed.jsonl
echo "== seed entities"; $K extract $S/examples/seed/2019-05-30-japan-russia.txt --format entities | python3 $S/eval/score_entities.py $S/gold/seed/time_places_actors.json -
echo "== PLOVER dev events (gold actors)"; $K evaluate events $S/data/plover/PLOVER_GSR_dev.json --json | python3 -c "import json,sys; d=json.load(sys.stdin); print({k:v for k,v in d.items() if not isinstance(v,(list,dict))})"
echo "== PLOVER dev events (system actors)"; $K evaluate events $S/data/plover/PLOVER_GSR_dev.json --actors system --json | python3 -c "import json,sys; d=json.load(sys.stdin); print({k:v for k,v in d.items() if not isinstance(v,(list,dict))})"
echo "== PLOVER dev odd half"; $K evaluate events $S/data/plover/PLOVER_GSR_dev.json --half odd --json | python3 -c "import json,sys; d=json.load(sys.stdin); print({k:v for k,v in d.items() if not isinstance(v,(list,dict))})"
for f in unit-tests/PETR.UnitTest.records.xml validate-2014/PETR.Validate.records.140226.txt validate-2-02/PETR_Validate_records_2_02.xml; do echo "== PETRARCH $f"; $K evaluate events $S/data/petrarch/$f --json | python3 -c "import json,sys; d=json.load(sys.stdin); print({k:v for k,v in d.items() if not isinstance(v,(list,dict))})"; done
echo "== actors PLOVER dev"; $K actors score-plover $S/data/plover/PLOVER_GSR_dev.json | cut -c1-200
for d in GeoWebNews/GWN.xml TR-News/TR-News.xml; do echo "== geo $d"; $K evaluate geo $S/data/geoparsing/$d; done
for d in TimeBank AQUAINT; do echo "== timex $d"; $K evaluate timex $S/data/timeml/TBAQ-cleaned/$d --keep /tmp/timex-$d; done
for d in TimeBank AQUAINT; do echo "== score_timex.py $d"; python3 $S/eval/score_timex.py $S/data/timeml/TBAQ-cleaned/$d /tmp/timex-$d 2>&1 | tail -6; done
