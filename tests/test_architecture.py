"""The import graph of ``src/kronika``, read from the code (issue 21, item 3).

Every ``import`` statement of every module counts, at module level and inside functions
(a lazy import is still a dependency: it only moves the moment it is paid). Each import is
mapped to a *unit*: the package or module one level below ``kronika`` (``kronika.store.db``
→ ``store``, ``kronika.config`` → ``config``). Two rules:

- no cycle between units: ``store`` may use ``model`` but ``model`` may not use ``store``;
  a cycle means neither side can be read, tested or replaced without the other;
- no hidden import: nothing builds a module name as a string and imports it
  (``importlib.import_module``, ``__import__``), so this walk sees every dependency.
  ``importlib.resources`` and ``importlib.metadata`` read packaged data and versions and
  are allowed.

The checker is tested on a small made-up tree too, so a rule that could never fail would show.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import kronika

SRC = Path(kronika.__file__).resolve().parent
ROOT = "kronika"

# ``importlib`` attributes that import nothing by name: reading package data and versions,
# and ``util.find_spec``, which only *locates* an installed package's folder (the dashboard
# serves plotly's and Swagger UI's static files from it) without running its code.
ALLOWED_IMPORTLIB = frozenset({"importlib.resources", "importlib.metadata", "importlib.util.find_spec"})
# Where ``find_spec`` is allowed, and why nowhere else: anywhere else it would be the first
# half of a hidden import.
FIND_SPEC_USERS = frozenset({"web/__init__.py"})
# Names of ``kronika/__init__.py`` a module may take without depending on the facade: plain
# constants, defined before (and without) any import.
FACADE_CONSTANTS = frozenset({"__version__"})


@dataclass(frozen=True)
class Edge:
    """One import of unit ``target`` by unit ``source``, and where it is written."""

    source: str
    target: str
    where: str  # "store/exchange.py:12"


def module_name(path: Path, root: Path, package: str) -> str:
    """``root/store/db.py`` → ``kronika.store.db``; ``root/store/__init__.py`` → ``kronika.store``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def unit(module: str, package: str) -> str | None:
    """The first level below the package (``kronika.store.db`` → ``store``); the package's own
    ``__init__`` is the unit ``kronika``; None for anything outside the package."""
    parts = module.split(".")
    if parts[0] != package:
        return None
    return parts[1] if len(parts) > 1 else package


def imported_modules(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> Iterator[str]:
    """The modules one import statement loads (``from kronika import library`` → ``kronika.library``;
    relative imports resolved against ``module``)."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
        return
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    for alias in node.names:  # ``from pkg import submodule`` loads pkg.submodule, else a name of pkg
        yield f"{base}.{alias.name}"
    yield base


def _modules(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*.py") if "__pycache__" not in p.parts)


def import_edges(root: Path, package: str) -> list[Edge]:
    """Every import between two different units of the package rooted at ``root``."""
    edges: list[Edge] = []
    for path in _modules(root):
        module = module_name(path, root, package)
        source = unit(module, package)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _loaded(root, package, imported_modules(node, module, path.name == "__init__.py")):
                target = unit(name, package)
                if target is not None and source is not None and target != source:
                    edges.append(Edge(source, target, f"{path.relative_to(root)}:{node.lineno}"))
    return edges


def _loaded(root: Path, package: str, names: Iterator[str]) -> Iterator[str]:
    """The modules of the tree among ``names`` (``from kronika.model import Event`` also offers
    ``kronika.model.Event``, a name, not a module). A name taken from the package's own
    ``__init__`` (the public facade, which loads the library lazily) depends on that facade,
    except the constants in ``FACADE_CONSTANTS``, which import nothing."""
    names = list(names)
    if names[-1] == package:  # ``from kronika import ...``
        taken = [n for n in names[:-1] if _exists(root, n, package)]
        plain = [n for n in names[:-1] if not _exists(root, n, package) and n.split(".")[-1] not in FACADE_CONSTANTS]
        yield from taken
        if plain:
            yield package
        return
    yield from (n for n in names if _exists(root, n, package))


def _exists(root: Path, name: str, package: str) -> bool:
    """Whether ``name`` is a module or package of the tree (``from kronika.model import Event``
    also yields ``kronika.model.Event``, which is a name, not a module)."""
    rel = Path(*name.split(".")[1:]) if name != package else Path()
    return (root / rel).with_suffix(".py").is_file() or (root / rel / "__init__.py").is_file()


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components with more than one unit (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set()).add(e.target)
        graph.setdefault(e.target, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def describe(component: list[str], edges: list[Edge]) -> str:
    """The edges inside one cycle, with the first place each is written."""
    inside = set(component)
    first: dict[tuple[str, str], str] = {}
    for e in edges:
        if e.source in inside and e.target in inside:
            first.setdefault((e.source, e.target), e.where)
    return "; ".join(f"{a} -> {b} ({where})" for (a, b), where in sorted(first.items()))


def hidden_imports(root: Path) -> list[str]:
    """Every use of ``importlib`` outside the allowed attributes, and every ``__import__`` call."""
    found: list[str] = []
    for path in _modules(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        aliases: dict[str, str] = {}  # local name → dotted importlib name it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "importlib":
                        if alias.asname:
                            aliases[alias.asname] = alias.name
                        else:
                            aliases["importlib"] = "importlib"
                        if not _allowed(alias.name, rel, whole=False):
                            found.append(f"{rel}:{node.lineno}: import {alias.name}")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "importlib" and not node.level:
                for alias in node.names:
                    name = f"{node.module}.{alias.name}"
                    aliases[alias.asname or alias.name] = name
                    if not _allowed(name, rel, whole=True):
                        found.append(f"{rel}:{node.lineno}: from {node.module} import {alias.name}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
                found.append(f"{rel}:{node.lineno}: __import__(...)")
        for node in ast.walk(tree):  # how each importlib name is used: importlib.import_module(...)
            if isinstance(node, ast.Attribute | ast.Name):
                dotted = _dotted(node, aliases)
                if dotted is not None and dotted.count(".") >= 1 and not _allowed(dotted, rel, whole=False):
                    found.append(f"{rel}:{node.lineno}: {dotted}")
    return sorted(set(found))


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """``importlib.util.find_spec`` for an attribute chain rooted at an importlib alias."""
    attrs: list[str] = []
    while isinstance(node, ast.Attribute):
        attrs.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name) or node.id not in aliases:
        return None
    return ".".join([aliases[node.id], *reversed(attrs)])


def _allowed(name: str, rel: str, *, whole: bool) -> bool:
    """``importlib.resources.files`` is allowed (under an allowed prefix); ``importlib.util``
    alone is allowed as an import (what is *used* from it is checked), ``import_module`` never."""
    for ok in ALLOWED_IMPORTLIB:
        if name == ok or name.startswith(ok + "."):
            return ok != "importlib.util.find_spec" or rel in FIND_SPEC_USERS
    if not whole and any(ok.startswith(name + ".") for ok in ALLOWED_IMPORTLIB):
        return True  # "import importlib.util" / a chain prefix: judged by its use
    return False


# --------------------------------------------------------------------------- the package


@pytest.fixture(scope="module")
def edges() -> list[Edge]:
    return import_edges(SRC, ROOT)


def test_architecture_the_walk_sees_the_package(edges: list[Edge]) -> None:
    """The graph is the real one: every stage unit appears, and known dependencies are found
    (function-level imports included: the CLI imports the store inside its commands)."""
    units = {e.source for e in edges} | {e.target for e in edges}
    assert {"actors", "api", "cli", "events", "geo", "ingest", "model", "nlp", "pipeline", "query",
            "store", "time", "timeml"} <= units
    pairs = {(e.source, e.target) for e in edges}
    assert ("pipeline", "geo") in pairs and ("pipeline", "events") in pairs
    assert ("ingest", "timeml") in pairs  # a function-level import in ingest/dispatch.py


def test_architecture_no_import_cycles_between_packages(edges: list[Edge]) -> None:
    found = cycles(edges)
    assert not found, "import cycles between packages of kronika: " + " | ".join(describe(c, edges) for c in found)


def test_architecture_the_event_coder_does_not_import_geo(edges: list[Edge]) -> None:
    """The pipeline hands geo's locator to the event coder (``EventCoder(locator=...)``)."""
    assert not [e.where for e in edges if (e.source, e.target) == ("events", "geo")]


def test_architecture_no_hidden_imports() -> None:
    found = hidden_imports(SRC)
    assert not found, "imports the import graph cannot see (use a plain import): " + "; ".join(found)


# --------------------------------------------------------------------------- the checker itself


def _tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / "pkg" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root / "pkg"


def test_architecture_checker_finds_a_cycle_through_a_function_level_import(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "a/__init__.py": "from pkg.b import thing\n",
        "b/__init__.py": "thing = 1\n",
        "b/late.py": "def f():\n    from ..a import x\n    return x\n",
        "c.py": "import pkg.a\nfrom pkg import b\n",
        "d.py": "from pkg import __version__\n",
        "e.py": "def f():\n    from pkg import api\n",
    })
    edges = import_edges(root, "pkg")
    assert {(e.source, e.target) for e in edges} == {("a", "b"), ("b", "a"), ("c", "a"), ("c", "b"), ("e", "pkg")}
    assert cycles(edges) == [["a", "b"]]
    assert "b -> a (b/late.py:2)" in describe(["a", "b"], edges)


def test_architecture_checker_finds_hidden_imports(tmp_path: Path) -> None:
    root = _tree(tmp_path, {
        "__init__.py": "",
        "ok.py": "from importlib import resources, metadata\nimport importlib.resources as r\n"
                 "x = resources.files('pkg')\ny = r.files('pkg')\n",
        "bad.py": "import importlib\nm = importlib.import_module('pkg.ok')\n",
        "bad2.py": "from importlib import import_module\n",
        "bad3.py": "import importlib.util\ns = importlib.util.find_spec('x')\n",
        "bad4.py": "def f():\n    return __import__('pkg.ok')\n",
        "web/__init__.py": "import importlib.util\ns = importlib.util.find_spec('plotly')\n",
    })
    assert hidden_imports(root) == [
        "bad.py:2: importlib.import_module",
        "bad2.py:1: from importlib import import_module",
        "bad3.py:2: importlib.util.find_spec",
        "bad4.py:2: __import__(...)",
    ]


# --------------------------------------------------------------------------- docs/architecture.md


def units_of(root: Path) -> set[str]:
    """The first level below the package: ``store/`` for a package, ``model.py`` for a module."""
    out = {f"{p.parent.name}/" for p in root.glob("*/__init__.py")}
    return out | {p.name for p in root.glob("*.py") if p.name != "__init__.py"}


def test_architecture_doc_describes_every_package() -> None:
    """Each package and module under ``src/kronika/`` has its paragraph in docs/architecture.md
    (a bold name opening a list item), and the doc names none that is gone."""
    doc = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    described = set(re.findall(r"^- \*\*`([a-z_]+(?:/|\.py))`\*\*", doc, re.M))
    units = units_of(SRC)
    assert units - described == set(), f"packages with no paragraph in docs/architecture.md: {sorted(units - described)}"
    assert described - units == set(), f"docs/architecture.md describes what is gone: {sorted(described - units)}"


# --------------------------------------------------------------------------- import kronika stays cheap


def test_architecture_import_kronika_loads_nothing_else() -> None:
    """``import kronika`` runs no other module of the package (so no spaCy, no DuckDB); the
    public names load on first use through plain imports, and an unknown name is an
    AttributeError, as for any module."""
    code = (
        "import sys, kronika\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('kronika.') or m in ('spacy', 'duckdb'))\n"
        "print(loaded)\n"
        "from kronika import library\n"
        "assert kronika.extract is library.extract and kronika.Settings.__module__ == 'kronika.config'\n"
        "try:\n    kronika.no_such_name\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines() == ["[]", "module 'kronika' has no attribute 'no_such_name'"]
