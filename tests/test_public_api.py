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
