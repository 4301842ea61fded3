"""The public API stays what the docs say."""

from __future__ import annotations

import re

import kronika


def test_public_api_all_names_resolve() -> None:
    for name in kronika.__all__:
        assert getattr(kronika, name) is not None


def test_public_api_documented_in_module_docstring() -> None:
    doc = kronika.__doc__ or ""
    for name in kronika.__all__:
        if name.startswith("__"):
            continue
        assert re.search(rf"kronika\.{name}\b", doc), f"{name} missing from the kronika docstring"


def test_public_api_names_are_not_shadowed_by_stage_packages() -> None:
    """Importing a subpackage sets it as an attribute of ``kronika``: a public function
    named like a stage (``ingest``, ``events``) would turn into that module once any code
    imported the stage. Every public name must survive importing every subpackage."""
    import importlib
    import pkgutil
    import types

    for info in pkgutil.iter_modules(kronika.__path__):
        importlib.import_module(f"kronika.{info.name}")
    for name in kronika.__all__:
        assert not isinstance(getattr(kronika, name), types.ModuleType), f"kronika.{name} is shadowed by a package"
