"""Typed settings (issue 21 item 4): sections with defaults in one place, a loader that
rejects unknown keys (naming the nearest valid one), flat pre-section names that keep
working, ``kronika config``, and docs/settings.md generated from the dataclasses."""

from __future__ import annotations

import dataclasses
import json
import pickle
import re
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ROOT
from kronika.cli import _register, app
from kronika.cli.refdocs import settings_markdown
from kronika.config import (
    OTHER_ENV,
    SECTIONS,
    ApiSettings,
    Settings,
    StoreSettings,
    env_names,
    flat_names,
    load_traced,
)
from kronika.errors import ConfigError

SETTINGS_DOC = ROOT / "docs" / "settings.md"
# Every name settings had before sections (fields, then ``extra`` keys): each must still load.
PRE_SECTION_NAMES = (
    "db_path spacy_model batch_size workers time_strategy user_dictionaries max_article_chars "
    "article_timeout_s max_decompressed_bytes allow_outside_symlinks api_token api_max_page "
    "events_coder events_model cluster_window_days cluster_distance_km "
    "api_linger_s api_allowed_hosts api_cors_origins api_query_timeout_s api_max_body_bytes "
    "api_max_articles api_max_connections api_max_requests api_header_timeout_s api_body_timeout_s "
    "api_keep_alive_s compact_after_events geo_cities geo_minor_cities geo_airports geo_cache_dir "
    "max_file_bytes fetch_timeout_s time_language"
).split()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No ``KRONIKA_*`` from the caller's shell and no ``kronika.toml`` in the working folder."""
    import os

    for var in [v for v in os.environ if v.startswith("KRONIKA_")]:
        monkeypatch.delenv(var)
    monkeypatch.chdir(tmp_path)


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "k.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(fn, code: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError) as info:
        fn()
    assert info.value.code == code, str(info.value)
    return str(info.value)


def test_settings_doc_is_current() -> None:
    assert SETTINGS_DOC.read_text(encoding="utf-8") == settings_markdown(), (
        "docs/settings.md is stale: python -m kronika.cli.refdocs settings > docs/settings.md")


def test_settings_every_field_is_typed_documented_and_has_one_flat_name() -> None:
    flat = flat_names()
    assert len(flat) == sum(len(dataclasses.fields(c)) for c in SECTIONS.values())  # no two share a name
    for name, cls in SECTIONS.items():
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
        for f in dataclasses.fields(cls):
            assert f.metadata.get("doc"), f"{name}.{f.name} has no meaning for docs/settings.md"
            assert f.default is not dataclasses.MISSING, f"{name}.{f.name} has no default"
    assert set(PRE_SECTION_NAMES) <= set(flat), set(PRE_SECTION_NAMES) - set(flat)
    assert not hasattr(Settings(), "extra")


def test_settings_extra_is_gone_from_the_package() -> None:
    uses = [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "src" / "kronika").rglob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if re.search(r"settings\.extra\b|extra\s*=\s*\{\*\*settings", line)]
    assert uses == []


def test_settings_flat_names_sections_and_attributes_agree(tmp_path: Path) -> None:
    s = Settings(db_path=tmp_path / "a.duckdb", api_cors_origins=["https://x.example"], time_language="en")
    assert s.store.db_path == s.db_path == tmp_path / "a.duckdb"
    assert s.api.cors_origins == s.api_cors_origins == ("https://x.example",)
    r = s.replace(batch_size=3, api={"max_page": 7}, store=StoreSettings(compact_after_events=0))
    assert (r.ingest.batch_size, r.api.max_page, r.api.cors_origins) == (3, 7, ("https://x.example",))
    assert r.store.compact_after_events == 0 and s.ingest.batch_size == 32  # frozen: s unchanged
    assert pickle.loads(pickle.dumps(r)) == r and hash(pickle.loads(pickle.dumps(r))) == hash(r)
    with pytest.raises(AttributeError):
        _ = s.db_pth  # type: ignore[attr-defined]
    assert "did you mean 'db_path'" in _refused(lambda: Settings(db_pth="x"), "K004")
    assert "did you mean 'api.max_page'" in _refused(lambda: s.replace(api={"max_pag": 1}), "K004")
    _refused(lambda: s.replace(batch_size=0), "K002")
    _refused(lambda: Settings(events_coder="neural"), "K002")


def test_settings_file_sections_flat_keys_and_the_legacy_tables(tmp_path: Path) -> None:
    path = _toml(tmp_path, '[store]\ndb_path = "s.duckdb"\n[api]\ncors_origins = ["https://a.example"]\n'
                           'max_page = 9\n')
    s = Settings.load(path)
    assert (s.store.db_path, s.api.cors_origins, s.api.max_page) == (Path("s.duckdb"), ("https://a.example",), 9)
    legacy = _toml(tmp_path, '[kronika]\ndb_path = "f.duckdb"\nbatch_size = 4\n[kronika.extra]\n'
                             'api_linger_s = 0.5\ngeo_cache_dir = ""\n')
    s = Settings.load(legacy)
    assert (s.db_path, s.batch_size, s.api.linger_s, s.geo.cache_dir) == (Path("f.duckdb"), 4, 0.5, "")
    top = _toml(tmp_path, 'events_coder = "rules"\n[extra]\ncompact_after_events = 0\n')
    assert (Settings.load(top).events.coder, Settings.load(top).store.compact_after_events) == ("rules", 0)


@pytest.mark.parametrize(("text", "named", "nearest"), [
    ('[store]\ndb_pth = "x"\n', "store.db_pth", "store.db_path"),
    ('[stor]\ndb_path = "x"\n', "stor", "store"),
    ("batch_sise = 3\n", "batch_sise", "batch_size"),
    ('[api]\nbatch_size = 3\n', "api.batch_size", "ingest.batch_size"),
    ("[extra]\napi_cors_origin = []\n", "api_cors_origin", "api_cors_origins"),
])
def test_settings_unknown_file_key_is_k004_naming_the_nearest(tmp_path: Path, text: str, named: str,
                                                               nearest: str) -> None:
    path = _toml(tmp_path, text)
    message = _refused(lambda: Settings.load(path), "K004")
    assert f"{named!r}" in message and f"did you mean {nearest!r}" in message and str(path) in message


@pytest.mark.parametrize(("text", "field"), [
    ('[ingest]\nbatch_size = "many"\n', "ingest.batch_size"),
    ('[geo]\nairports = "maybe"\n', "geo.airports"),
    ("[ingest]\nworkers = 1.5\n", "ingest.workers"),
    ("[api]\ncors_origins = 3\n", "api.cors_origins"),
])
def test_settings_wrong_types_are_k002(tmp_path: Path, text: str, field: str) -> None:
    path = _toml(tmp_path, text)
    assert field in _refused(lambda: Settings.load(path), "K002")


def test_settings_environment_both_names_lists_and_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRONIKA_STORE_DB_PATH", "sec.duckdb")
    monkeypatch.setenv("KRONIKA_API_CORS_ORIGINS", "https://a.example, https://b.example")
    monkeypatch.setenv("KRONIKA_GEO_AIRPORTS", "off")
    monkeypatch.setenv("KRONIKA_API_TOKEN_FILE", "/nonexistent")  # a command's variable, not a setting
    s = Settings.load()
    assert (s.db_path, s.api.cors_origins, s.geo.airports) == (
        Path("sec.duckdb"), ("https://a.example", "https://b.example"), False)
    monkeypatch.setenv("KRONIKA_BATCH_SIZ", "3")
    message = _refused(Settings.load, "K004")
    assert "'KRONIKA_BATCH_SIZ'" in message and "did you mean 'KRONIKA_BATCH_SIZE'" in message
    assert set(OTHER_ENV).isdisjoint(env_names())


def test_settings_layers_and_their_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _toml(tmp_path, '[ingest]\nbatch_size = 4\nworkers = 2\n[store]\ndb_path = "file.duckdb"\n')
    monkeypatch.setenv("KRONIKA_WORKERS", "3")
    s, sources = load_traced(path, db_path=Path("flag.duckdb"), batch_size=None)
    assert (s.ingest.batch_size, s.ingest.workers, s.store.db_path) == (4, 3, Path("flag.duckdb"))
    assert sources["ingest.batch_size"] == str(path)  # a None override leaves the file's value
    assert sources["ingest.workers"] == "$KRONIKA_WORKERS"
    assert sources["store.db_path"] == "flag"
    assert sources["api.max_page"] == "default" and s.api == ApiSettings()


def test_settings_kronika_config_prints_values_and_sources(tmp_path: Path) -> None:
    _register()
    path = _toml(tmp_path, '[api]\ntoken = "hush"\nmax_page = 5\n')
    env = {"KRONIKA_TIME_LANGUAGE": "en"}
    res = CliRunner().invoke(app, ["config", "--config", str(path), "--db", "x.duckdb"], env=env)
    assert res.exit_code == 0, res.output
    assert "hush" not in res.output  # the write token is never printed
    assert tomllib.loads(res.output)["api"]["max_page"] == 5  # valid TOML: paste it into kronika.toml
    lines = {line.split("=")[0].strip().lstrip("# "): line for line in res.output.splitlines() if "=" in line}
    assert lines["max_page"].endswith(f"# {path}") and lines["db_path"].endswith("# flag")
    assert lines["language"].endswith("# $KRONIKA_TIME_LANGUAGE") and lines["workers"].endswith("# default")
    res = CliRunner().invoke(app, ["config", "--config", str(path), "--json"], env=env)
    data = json.loads(res.output)
    assert data["api.token"] == {"value": "***", "source": str(path)}
    assert data["ingest.batch_size"] == {"value": 32, "source": "default"}
    bad = CliRunner().invoke(app, ["config"], env={"KRONIKA_DB_PAHT": "x"})
    assert bad.exit_code == 2 and "K004" in bad.output and "KRONIKA_DB_PATH" in bad.output
