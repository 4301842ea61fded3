"""A damaged store is a coded error in every command (issue 19, F7).

On a truncated or corrupted DuckDB file ``kronika export`` once printed a Python traceback
(exit 1) while other commands gave a coded error; a checksum failure ("... in block at
...") was even reported as K402 "a writer holds it" because "block" contains "lock". Now
every command maps a damaged file to K401, exit 2, no traceback.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kronika.cli import _register, app
from kronika.store import Store
from kronika.store import synthetic as syn

_register()


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    db = tmp_path_factory.mktemp("healthy") / "k.duckdb"
    with Store(db) as store:
        syn.generate(store, 30_000, seed=1)
    return db.read_bytes()


def _commands(tmp: Path) -> list[list[str]]:
    empty = tmp / "empty"
    empty.mkdir(exist_ok=True)
    return [
        ["stats"], ["stats", "--json"], ["events"], ["events", "--format", "jsonl"],
        ["export", str(tmp / "out-parquet")], ["export", str(tmp / "out-jsonl"), "-f", "jsonl"],
        ["export", str(tmp / "out-csv"), "-f", "csv"], ["ingest", str(empty)],
        ["import", str(tmp / "no-export")], ["watch", str(empty), "--rounds", "1", "--every", "1s"],
        ["actors", "learned"], ["actors", "show", "JPN"],
    ]


def _run(db: Path, args: list[str]):  # type: ignore[no-untyped-def]
    res = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, repr(res.exception))
    assert "Traceback" not in res.output, (args, res.output)
    return res


def _damage(kind: str, data: bytes) -> bytes:
    if kind == "garbage":
        return os.urandom(64 * 1024)
    if kind == "header-kept":  # the first blocks intact, the rest overwritten
        return data[:8192] + os.urandom(len(data) - 8192)
    if kind == "empty-file":
        return b"\0" * 4096
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["garbage", "header-kept", "empty-file"])
def test_cli_every_command_reports_a_damaged_store(tmp_path: Path, healthy: bytes, kind: str) -> None:
    db = tmp_path / "k.duckdb"
    for args in _commands(tmp_path):
        db.write_bytes(_damage(kind, healthy))
        res = _run(db, args)
        assert res.exit_code == 2, (args, res.output)
        assert "[K401]" in res.output and "K402" not in res.output, (args, res.output)


@pytest.mark.parametrize("keep", [0.5, 0.75])
def test_cli_truncated_store_export_and_writers_are_coded(tmp_path: Path, healthy: bytes, keep: float) -> None:
    """A truncated file: what reads the lost blocks (export, every writer) says K401 and
    exits 2; what happens not to read them may still answer; nothing prints a traceback."""
    db = tmp_path / "k.duckdb"
    # at half the file the table data is cut (export reads it); past that only the tail
    # blocks the writers read are lost
    must_fail = ("ingest", "import", "watch", *(("export",) if keep <= 0.5 else ()))
    for args in _commands(tmp_path):
        db.write_bytes(healthy[: int(len(healthy) * keep)])
        res = _run(db, args)
        if args[0] in must_fail:
            assert res.exit_code == 2 and "[K401]" in res.output, (args, res.output)
        else:
            assert res.exit_code in (0, 1, 2), (args, res.output)


def test_cli_damaged_store_export_in_a_real_process(tmp_path: Path, healthy: bytes) -> None:
    db = tmp_path / "k.duckdb"
    db.write_bytes(healthy[: len(healthy) // 2])
    proc = subprocess.run(
        [sys.executable, "-c", "from kronika.cli import main; main()", "export", str(tmp_path / "out"), "--db", str(db)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "[K401]" in proc.stderr and "Traceback" not in proc.stderr + proc.stdout
