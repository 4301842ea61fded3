"""Ingest through the library and the CLI: idempotent, resumable, bad records recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kronika.run import ingest

ARTICLES = [
    {"id": "a1", "date": "2021-03-04", "title": "Talks",
     "text": "The foreign ministers of France and Germany met on Tuesday in Paris to discuss trade. "
             "German Foreign Minister Heiko Maas said the two countries agreed to cooperate."},
    {"id": "a2", "date": "2021-03-05",
     "text": "Police arrested dozens of protesters in Minsk on Friday, witnesses said."},
]


def _write_corpus(d: Path) -> Path:
    p = d / "corpus.jsonl"
    lines = [json.dumps(a) for a in ARTICLES]
    lines.insert(1, "{not json")
    lines.append(json.dumps({"id": "bad-date", "date": "2019-02-30", "text": "Some text here."}))
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_cli_ingest_is_idempotent_and_records_problems(tmp_path: Path, pipeline, settings) -> None:
    from kronika.store import Store

    corpus = _write_corpus(tmp_path)
    db = tmp_path / "k.duckdb"
    s = settings.replace(db_path=db)
    with Store(db) as store:
        first = ingest([corpus], s, store=store, pipeline=pipeline)
        second = ingest([corpus], s, store=store, pipeline=pipeline)
    assert first.articles_written == 2
    assert len(first.problems) == 2
    reasons = " ".join(p.reason for p in first.problems)
    assert "corpus.jsonl:2" in " ".join(p.origin for p in first.problems)
    assert "date" in reasons.lower()
    assert second.articles_written == 0 and second.articles_skipped == 2
    with Store(db, read_only=True) as store:
        n_articles = store.con.execute("select count(*) from articles").fetchone()[0]
        n_events = store.con.execute("select count(*) from events").fetchone()[0]
        n_errors = store.con.execute("select count(*) from ingest_errors").fetchone()[0]
    assert n_articles == 2
    assert n_events == first.events_written
    assert n_errors >= 2


@pytest.mark.slow
def test_cli_commands_end_to_end(tmp_path: Path) -> None:
    corpus = _write_corpus(tmp_path)
    db = tmp_path / "cli.duckdb"
    exe = str(Path(sys.executable).with_name("kronika"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([exe, *args], capture_output=True, text=True, timeout=300)

    res = run("ingest", str(corpus), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "2 stored" in res.stderr and "corpus.jsonl:2" in res.stderr
    res = run("stats", "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["articles"] == 2
    res = run("events", "--db", str(db), "--format", "jsonl")
    assert res.returncode == 0, res.stderr
    rows = [json.loads(x) for x in res.stdout.splitlines() if x]
    assert all(r["article_id"] for r in rows)
    res = run("export", str(tmp_path / "out.jsonl"), "--format", "jsonl", "--db", str(db))
    assert res.returncode == 0, res.stderr
    res = run("events", "--db", str(tmp_path / "missing.duckdb"))
    assert res.returncode == 2 and "K4" in res.stderr
