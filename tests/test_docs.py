"""Docs kept honest: every CLI command is documented in docs/cli.md, which is generated
from ``--help`` (regenerate with ``python -m kronika.cli.docgen > docs/cli.md``)."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from kronika.cli.docgen import command_paths, render

CLI_DOC = ROOT / "docs" / "cli.md"


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
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make demo" in quick and "make test" in quick
    makefile = Path(ROOT / "Makefile").read_text(encoding="utf-8")
    assert "\ndemo:" in makefile and "\ntest:" in makefile
