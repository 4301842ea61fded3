"""Kronika's HTTP API (FastAPI): ``create_app(settings, store_path=None, pipeline_factory=None)``.

Layout: ``app`` (factory, middleware, docs), ``read`` (one endpoint per named query),
``ingest`` (token-guarded writes), ``params`` (validation), ``formats`` (JSON/CSV),
``access`` (read-only opens and the single writer), ``context`` (shared state, time limit).
The API sees only ``kronika.store``, ``kronika.query`` and ``kronika.model``; the pipeline
is injected for the ingest endpoint.
"""

from kronika.api.app import create_app

__all__ = ["create_app"]
