"""Docs kept honest: every CLI command is documented in docs/cli.md, which is generated
from ``--help`` (regenerate with ``python -m kronika.cli.docgen > docs/cli.md``); the
README's command list, layout, store, settings and install instructions match the code; the
actor-dictionary example in docs/actors.md loads and means what it says."""

from __future__ import annotations

import dataclasses
import json
import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from typer.testing import CliRunner

from conftest import ROOT
from kronika.cli.docgen import command_paths, render

CLI_DOC = ROOT / "docs" / "cli.md"
README = ROOT / "README.md"
SRC = ROOT / "src" / "kronika"


def _section(text: str, heading: str) -> str:
    """The text under ``## heading`` up to the next ``## `` heading."""
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def _first_block(text: str, lang: str = "") -> str:
    m = re.search(rf"```{lang}\n(.*?)\n```", text, re.S)
    assert m, f"no ```{lang} block"
    return m.group(1)


def test_docs_cli_reference_is_current() -> None:
    assert CLI_DOC.exists(), "docs/cli.md missing: python -m kronika.cli.docgen > docs/cli.md"
    assert CLI_DOC.read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: python -m kronika.cli.docgen > docs/cli.md"
    )


def test_docs_every_command_listed() -> None:
    text = CLI_DOC.read_text(encoding="utf-8")
    for path in command_paths():
        assert f"## kronika {' '.join(path)}".rstrip() in text


def test_docs_readme_quick_start_names_the_two_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick and "make test" in quick
    makefile = Path(ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile


def test_docs_readme_use_lists_exactly_the_real_commands() -> None:
    """Every command and subcommand the CLI has is shown in README's Use block, and every
    `kronika ...` shown there is a real command (derived from the Typer app, so a new
    command fails this test until the README shows it)."""
    use = _first_block(_section(README.read_text(encoding="utf-8"), "Use"), "sh")
    real = set(command_paths())
    groups = {p[:-1] for p in real if len(p) > 1}
    shown: set[tuple[str, ...]] = set()
    for m in re.finditer(r"\bkronika ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", use):
        words = tuple(m.group(1).split())
        path = words if words in real else words[:1]
        assert path in real, f"README shows `kronika {m.group(1)}`, which is no command"
        if path in groups and len(words) == 2 and words not in real:
            pytest.fail(f"README shows `kronika {m.group(1)}`: {words[1]!r} is no subcommand of {path[0]}")
        shown.add(path)
        if len(words) == 2 and words in real:
            shown.add(words[:1])
    missing = sorted(" ".join(p) for p in real - shown)
    assert not missing, f"README's Use block does not show: {', '.join('kronika ' + m for m in missing)}"


def test_docs_readme_layout_matches_the_tree() -> None:
    layout = _first_block(_section(README.read_text(encoding="utf-8"), "Layout"))
    lines = layout.splitlines()
    assert lines[0] == "src/kronika/"
    named: set[str] = set()
    for line in lines[1:]:
        if not line.startswith("  "):  # the top-level folders line
            for folder in line.split():
                assert (ROOT / folder).is_dir(), f"README's Layout names {folder}, which does not exist"
            continue
        for token in re.findall(r"(?<![\w.])([a-z_]+(?:\.py|/))(?=\s|$)", line):
            assert (SRC / token).exists(), f"README's Layout names src/kronika/{token}, which does not exist"
            named.add(token)
    on_disk = {p.name + "/" for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    on_disk |= {p.name for p in SRC.glob("*.py")}
    on_disk.add("data/")
    unnamed = sorted(on_disk - named)
    assert not unnamed, f"README's Layout does not name src/kronika/{', '.join(unnamed)}"


def test_docs_readme_states_the_store_and_settings_file() -> None:
    from kronika.config import DEFAULT_DB

    readme = README.read_text(encoding="utf-8")
    assert f"`{DEFAULT_DB}` in the current" in readme
    assert "`--config FILE`" in readme and "`kronika.toml` in the current directory" in readme
    assert "-c constraints.txt" in (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install -c constraints.txt -e '.[test]'" in readme


def test_docs_readme_settings_table_names_every_setting() -> None:
    from kronika.config import SECTIONS

    readme = README.read_text(encoding="utf-8")
    for section, cls in SECTIONS.items():
        rows = [line for line in readme.splitlines() if line.startswith(f"| `[{section}]` |")]
        assert len(rows) == 1, f"README's settings table has no row for [{section}]"
        named = set(re.findall(r"`([a-z_]+)`", rows[0].split("|")[2]))
        fields = {f.name for f in dataclasses.fields(cls)}
        assert named == fields, f"[{section}]: README names {sorted(named)}, the code has {sorted(fields)}"


def test_docs_pyproject_ranges_hold_the_tested_versions() -> None:
    """pyproject.toml declares ranges (no exact pins), and each holds the version
    constraints.txt (the tested set, what make installs) pins."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [Requirement(r) for r in project["dependencies"]]
    reqs += [Requirement(r) for extra in project["optional-dependencies"].values() for r in extra]
    pins: dict[str, str] = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version.strip()
    assert "kronika" not in pins
    for req in reqs:
        assert not any(s.operator in ("==", "===") for s in req.specifier), f"{req} is an exact pin"
        assert req.specifier, f"{req} has no version range"
        pinned = pins.get(canonicalize_name(req.name))
        assert pinned is not None, f"constraints.txt has no pin for {req.name}"
        assert req.specifier.contains(pinned, prereleases=True), f"{req.name}=={pinned} is outside {req}"


def test_docs_actor_dictionary_example_loads_and_means_what_it_says(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import kronika.cli.actors_cmd  # noqa: F401  (registers the commands)
    from kronika.actors.dictionary import load_dictionary
    from kronika.cli.app import app

    doc = (ROOT / "docs" / "actors.md").read_text(encoding="utf-8")
    section = _section(doc, "Your own actors: the YAML schema")
    example = _first_block(section, "yaml")
    (tmp_path / "actors.mine.yaml").write_text(example, encoding="utf-8")
    d = load_dictionary(tmp_path / "actors.mine.yaml")
    assert [a.name for a in d.actors] == ["Amina Kessler", "Lake Basin Water Alliance"]
    assert [a.phrase for a in d.agents] == ["water board"]
    assert d.actors[1].country is None and d.actors[1].sector == "NGO"
    # every key the example uses is in the schema table
    table_keys = set(re.findall(r"^\| `([a-z]+)` \|", section, re.M))
    used = set(re.findall(r"^\s*-?\s*([a-z]+):", example, re.M)) | set(re.findall(r"[{,] ([a-z]+):", example))
    assert used - {"format", "version", "actors", "agents", "start", "end", "role", "code"} <= table_keys

    (tmp_path / "kronika.toml").write_text('user_dictionaries = ["actors.mine.yaml"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the file and the relative path, as README says, from the current directory
    runner = CliRunner()
    for day, code in (("2020-05-01", "KENGOV"), ("2023-05-01", "KENOPP")):
        res = runner.invoke(app, ["actors", "show", "Kessler", "--date", day, "--db", str(tmp_path / "none.duckdb")])
        assert res.exit_code == 0, res.output
        reading = json.loads(res.stdout.splitlines()[0])
        assert (reading["name"], reading["code"], reading["source"]) == ("Amina Kessler", code, "user:actors.mine.yaml")
    assert "`kronika actors show Kessler --date 2020-05-01` answers `KENGOV`" in section
    assert "with `--date 2023-05-01`, `KENOPP`" in section
