"""One error registry (issue 21 item 6): every K-code the package uses is registered in
``kronika.errors.CODES`` with its meaning and where it is raised, and documented in the
generated docs/errors.md; no registered code is stale."""

from __future__ import annotations

import re

from conftest import ROOT
from kronika.cli.refdocs import errors_markdown
from kronika.errors import CODES, FAMILIES, KronikaError

PACKAGE = ROOT / "src" / "kronika"
ERRORS_DOC = ROOT / "docs" / "errors.md"
LITERAL = re.compile(r"""["'](K\d{3})["']""")  # code="K105", K_FILE = "K107", {401: "K420"} …
MENTION = re.compile(r"\bK\d{3}\b")


def _literals() -> dict[str, set[str]]:
    """Code → the modules (relative to src/kronika) holding it as a string literal; the
    registry table itself is not a use."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if path.name == "errors.py" and path.parent == PACKAGE:
            text = text.split("\nCODES", 1)[0]
        for code in LITERAL.findall(text):
            found.setdefault(code, set()).add(path.relative_to(PACKAGE).as_posix())
    return found


def test_errors_doc_is_current() -> None:
    assert ERRORS_DOC.read_text(encoding="utf-8") == errors_markdown(), (
        "docs/errors.md is stale: python -m kronika.cli.refdocs errors > docs/errors.md")


def test_errors_every_code_used_is_registered_and_documented() -> None:
    used = _literals()
    assert len(used) > 40  # the scan finds the codes (a broken pattern would pass vacuously)
    assert sorted(set(used) - set(CODES)) == [], "codes used in src/kronika but missing from errors.CODES"
    documented = set(MENTION.findall(ERRORS_DOC.read_text(encoding="utf-8")))
    assert sorted(set(used) - documented) == []


def test_errors_no_registered_code_is_stale_and_where_is_true() -> None:
    used = _literals()
    for code, entry in CODES.items():
        assert code in used, f"{code} is registered but no module uses it: drop it from errors.CODES"
        listed = {w.strip() for w in entry.where.split(",")}
        assert all((PACKAGE / w).is_file() for w in listed), f"{code}: no such module in {entry.where}"
        elsewhere = used[code] - {"errors.py"}  # a family's default code lives on its class there
        assert elsewhere <= listed, f"{code} is also raised in {sorted(elsewhere - listed)}"
        assert entry.meaning and "\n" not in entry.meaning


def test_errors_each_code_belongs_to_its_family() -> None:
    families = {cls.code[:2]: cls for cls in FAMILIES if cls is not KronikaError}
    for code, entry in CODES.items():
        if code == KronikaError.code:
            assert entry.kind is KronikaError
        else:
            assert entry.kind is families[code[:2]], f"{code} is registered as {entry.kind.__name__}"
    assert all(cls.code in CODES for cls in FAMILIES)  # each family's default code is registered too


def test_errors_docs_mention_only_registered_codes() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    stale = {f"{p.name}: {c}" for p in docs for c in MENTION.findall(p.read_text(encoding="utf-8"))
             if c not in CODES}
    assert stale == set()


def test_errors_str_carries_the_code() -> None:
    err = KronikaError("something", code="K105")
    assert str(err) == "[K105] something"  # the form the CLI prints
