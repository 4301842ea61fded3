"""``POST /api/articles``: analyse articles sent as JSON and store their events.

Guarded by a bearer token compared in constant time (``hmac.compare_digest``). With no
token configured the server is read-only and the endpoint answers 403, so an exposed
dashboard can never be written to by accident. Analysis (seconds of spaCy) runs outside
the store lock; only ``write_batch`` — one transaction — holds the single writer.

One bad article never costs the others: each is checked like a file record
(``ingest.records.make_article``: NUL bytes removed, blank text K104, a date it cannot
read or outside 0100..9899 K103, too long K105), then handed to the run layer
(``kronika.run``), the same loop as ``kronika ingest``: analysed with the learned-actor
snapshot (K301/K302 on failure) and, if the store refuses the batch (K407), written again
one at a time. Each refused article is listed in ``problems`` (and stored in
``ingest_errors``) and the rest land. Only a request in which *no* article could be read
is refused as a whole (422, with its problems).
"""

from __future__ import annotations

import datetime as dt
import hmac
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import anyio
from fastapi import APIRouter, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from kronika.api.context import ApiContext, ctx_of
from kronika.api.redact import public_text
from kronika.config import Settings
from kronika.model import Analysis, Article, IngestProblem

if TYPE_CHECKING:  # the run layer loads the pipeline's modules: imported on the first ingest
    from kronika.run import IngestReport

router = APIRouter(prefix="/api", tags=["write"])


class ArticleIn(BaseModel):
    """One article, as in JSONL ingest: ``text`` and ``date`` required.

    Both are checked per article like a file record, so a blank text or an unreadable date
    is that article's problem (K104, K103), not the request's."""

    model_config = ConfigDict(extra="forbid", str_max_length=2_000_000)

    text: str
    date: str | dt.date = Field(description="YYYY-MM-DD, an ISO datetime or an RFC 2822 date",
                                json_schema_extra={"maxLength": 100})
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=200)
    id: str | None = Field(default=None, max_length=200)


def check_token(ctx: ApiContext, authorization: str | None) -> None:
    expected = ctx.settings.api_token
    if not expected:
        raise HTTPException(status_code=403, detail="read-only server: no API token configured")
    scheme, _, given = (authorization or "").partition(" ")
    ok = hmac.compare_digest(given.strip().encode("utf-8"), expected.encode("utf-8"))
    if scheme.lower() != "bearer" or not ok:
        raise HTTPException(status_code=401, detail="missing or wrong bearer token",
                            headers={"WWW-Authenticate": "Bearer"})


def to_articles(items: list[ArticleIn], settings: Settings, problems: list[IngestProblem]) -> list[Article]:
    """The articles that pass the file-ingest checks; a problem in ``problems`` for each other."""
    from kronika.ingest.records import make_article

    out = []
    for i, a in enumerate(items):
        date = a.date if isinstance(a.date, dt.date) else a.date[:100]
        made = make_article(a.text, date, settings, origin=f"api#{i}", doc_id=a.id, title=a.title,
                            url=a.url, source=a.source)
        if isinstance(made, IngestProblem):
            problems.append(made)
        else:
            out.append(made)
    return out


def run_ingest(ctx: ApiContext, articles: list[Article], problems: list[IngestProblem]) -> Posted:
    """The run layer's loop over the request's articles (in a worker thread): the same
    skip test, pipeline (with the learned-actor snapshot), batches and K407 fallback as
    ``kronika ingest``. spaCy pipelines are not safe to share between threads, so one
    request ingests at a time; reads go on meanwhile (the store is held per batch)."""
    stored: list[Analysis] = []
    skipped: list[Article] = []
    with ctx.analysis_lock:
        report = ctx.runner().ingest([*problems, *articles], n_process=1,
                                     on_stored=stored.extend, on_skipped=skipped.append)
    return Posted(report, stored, skipped)


@dataclass
class Posted:
    """What one request stored: the run's report and the articles, as the answer lists them."""

    report: IngestReport
    stored: list[Analysis]
    skipped: list[Article]

    def listed(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = [
            {"article_id": a.article.id, "doc_id": a.article.doc_id, "events": len(a.events),
             "already_stored": False} for a in self.stored]
        out += [{"article_id": a.id, "doc_id": a.doc_id, "events": None, "already_stored": True}
                for a in self.skipped]
        return out


Payload = ArticleIn | list[ArticleIn]
PAYLOAD = TypeAdapter(Payload)
BODY_DOC = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"anyOf": [{"$ref": "#/components/schemas/ArticleIn"},
                         {"type": "array", "items": {"$ref": "#/components/schemas/ArticleIn"}}]}}}}}


def parse_payload(body: bytes) -> list[ArticleIn]:
    """Validate the body only after the token passed: strangers learn nothing."""
    try:
        payload = PAYLOAD.validate_json(body)
    except ValidationError as exc:
        errors = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()[:20]]
        raise HTTPException(status_code=422, detail=errors) from exc
    return payload if isinstance(payload, list) else [payload]


@router.post("/articles", summary="Analyse and store articles (needs the bearer token)",
             openapi_extra=BODY_DOC)
async def post_articles(
    request: Request,
    authorization: Annotated[str | None, Header(description="Bearer TOKEN")] = None,
) -> Any:
    ctx = ctx_of(request)
    check_token(ctx, authorization)
    items = parse_payload(await request.body())
    if not items:
        raise HTTPException(status_code=422, detail="no articles")
    if len(items) > ctx.max_articles:
        raise HTTPException(status_code=413, detail=f"at most {ctx.max_articles} articles per request")
    problems: list[IngestProblem] = []
    articles = to_articles(items, ctx.settings, problems)
    posted = await anyio.to_thread.run_sync(run_ingest, ctx, articles, problems)
    report = posted.report
    if not articles:  # recorded in ``ingest_errors`` like file records, and refused
        return JSONResponse(status_code=422, content={
            "detail": "no article in the request could be read", "code": report.problems[0].code,
            "problems": _listed_problems(ctx, report.problems)})
    return {
        "articles": posted.listed(),
        "articles_written": report.articles_written,
        "articles_skipped": report.articles_skipped,
        "events_written": report.events_written,
        "problems": _listed_problems(ctx, report.problems),
    }


def _listed_problems(ctx: ApiContext, problems: list[IngestProblem]) -> list[dict[str, str]]:
    return [{"origin": p.origin, "code": p.code, "reason": public_text(p.reason, ctx.access.path)}
            for p in problems]
