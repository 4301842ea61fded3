"""Backups restore: ``kronika export`` → ``kronika import`` into an empty store gives the same
store (issue 9, item 8); importing twice adds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kronika.model import ActorMention, IngestProblem
from kronika.store import Store
from kronika.store import synthetic as syn
from kronika.store.exchange import TABLES

# ``cluster_id`` is re-assigned on import (events are re-clustered against the target store).
EVENTS = "SELECT * EXCLUDE (cluster_id) FROM events ORDER BY event_id"


def _app():  # type: ignore[no-untyped-def]
    from kronika.cli import _register, app

    _register()
    return app


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("src") / "src.duckdb"
    with Store(db) as store:
        syn.generate(store, 300, seed=3)
        person = syn.analysis(syn.article("Ola spoke. End.", "2020-02-02"), actors=[
            ActorMention(0, 3, "Ola", 0, 0, "AAAGOV", "AAA", "GOV", "Ola Example", "Minister", kind="person",
                         how="title")])
        store.write_batch([person], [IngestProblem("bad.jsonl:3", "malformed JSON", "K101")])
        store.refresh_learned()
    return db


def _counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return {t: int(store.scalar(f"SELECT count(*) FROM {t}")) for t in (*TABLES, "learned_actors")}


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_store_export_then_import_restores_the_same_store(source: Path, tmp_path: Path, fmt: str) -> None:
    runner, app = CliRunner(), _app()
    backup, restored = tmp_path / "backup", tmp_path / "restored.duckdb"
    res = runner.invoke(app, ["export", str(backup), "--format", fmt, "--db", str(source)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["import", str(backup), "--db", str(restored)])
    assert res.exit_code == 0, res.output
    assert _counts(restored) == _counts(source)
    with Store(source, read_only=True) as a, Store(restored, read_only=True) as b:
        assert b.fetch_tuples(EVENTS) == a.fetch_tuples(EVENTS)
        assert b.learned_snapshot()[1] == a.learned_snapshot()[1]
    res = runner.invoke(app, ["import", str(backup), "--db", str(restored)])  # again: a no-op
    assert res.exit_code == 0 and "0 imported" in res.output, res.output
    assert _counts(restored) == _counts(source)


def test_store_import_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    runner, app = CliRunner(), _app()
    (tmp_path / "junk").mkdir()
    res = runner.invoke(app, ["import", str(tmp_path / "junk"), "--db", str(tmp_path / "k.duckdb")])
    assert res.exit_code == 2 and "K409" in res.output
