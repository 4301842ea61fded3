"""The dashboard: static pages served by the API, no build step, no network.

``mount(app)`` adds the dashboard at ``/`` and its assets under ``/static``. Charts use
Plotly's browser bundle served straight from the installed ``plotly`` package
(``/static/vendor/plotly.min.js``), the API reference uses Swagger UI from the installed
``swagger-ui-py`` package, and the map draws Natural Earth outlines from
``static/world-110m.json`` (built by ``kronika.web.basemap``). Nothing is copied from a
library into this repository, and no route takes a path it would open unchecked:
vendor files are an explicit allow-list, the rest goes through Starlette's
``StaticFiles`` (which refuses ``..`` and symlinks out of its folder).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"
VENDOR_CACHE = {"Cache-Control": "public, max-age=86400"}
SWAGGER_FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css"})


def package_dir(name: str) -> Path | None:
    """Folder of an installed package, without importing it (plotly's import is slow).

    ``find_spec`` only locates the package: it runs none of its code and adds no dependency
    the import graph would miss, so it is the one ``importlib`` use besides resources and
    metadata that ``tests/test_architecture.py`` allows (here only)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def plotly_js() -> Path | None:
    root = package_dir("plotly")
    path = root / "package_data" / "plotly.min.js" if root else None
    return path if path is not None and path.is_file() else None


def swagger_dir() -> Path | None:
    root = package_dir("swagger_ui")
    return root / "static" if root and (root / "static").is_dir() else None


def mount(app: FastAPI) -> None:
    """Add the dashboard pages and static assets to ``app``."""

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly() -> FileResponse:
        path = plotly_js()
        if path is None:
            raise HTTPException(status_code=404, detail="plotly is not installed")
        return FileResponse(path, media_type="text/javascript", headers=VENDOR_CACHE)

    @app.get("/static/vendor/swagger-ui/{name}", include_in_schema=False)
    def swagger(name: str) -> FileResponse:
        folder = swagger_dir()
        if name not in SWAGGER_FILES or folder is None:
            raise HTTPException(status_code=404, detail="not found")
        kind = "text/css" if name.endswith(".css") else "text/javascript"
        return FileResponse(folder / name, media_type=kind, headers=VENDOR_CACHE)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html",
                            headers={"Cache-Control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
