"""``POST /api/articles``: analyse articles sent as JSON and store their events.

Guarded by a bearer token compared in constant time (``hmac.compare_digest``). With no
token configured the server is read-only and the endpoint answers 403, so an exposed
dashboard can never be written to by accident. Analysis (seconds of spaCy) runs outside
the store lock; only ``write_batch`` — one transaction — holds the single writer.
"""

from __future__ import annotations

import datetime as dt
import hmac
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, HTTPException, Request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from kronika.api.context import ApiContext, ctx_of
from kronika.model import Analysis, Article, IngestProblem

router = APIRouter(prefix="/api", tags=["write"])


class ArticleIn(BaseModel):
    """One article, as in JSONL ingest: ``text`` and ``date`` required."""

    model_config = ConfigDict(extra="forbid", str_max_length=2_000_000)

    text: str = Field(min_length=1)
    date: dt.date
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


def to_articles(items: list[ArticleIn], max_chars: int) -> list[Article]:
    out = []
    for i, a in enumerate(items):
        if len(a.text) > max_chars:
            raise HTTPException(status_code=413, detail=f"article {i} is longer than {max_chars} characters")
        out.append(Article.create(a.text, a.date, doc_id=a.id, title=a.title, url=a.url,
                                  source=a.source, origin=f"api#{i}"))
    return out


def analyse(ctx: ApiContext, articles: list[Article], problems: list[IngestProblem]) -> list[Analysis]:
    def on_error(article: Article, exc: Exception) -> None:
        code = getattr(exc, "code", "K301")  # K302: over ``article_timeout_s`` (enforced in this thread too)
        problems.append(IngestProblem(origin=article.origin or article.id, reason=str(exc), code=code))

    pipeline = ctx.pipeline()
    with ctx.analysis_lock:  # spaCy pipelines are not safe to share between threads
        return list(pipeline.analyze_many(articles, on_error=on_error))


def store_batch(ctx: ApiContext, analyses: list[Analysis], problems: list[IngestProblem]) -> Any:
    return ctx.access.write(lambda store: store.write_batch(analyses, problems))


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
) -> dict[str, Any]:
    ctx = ctx_of(request)
    check_token(ctx, authorization)
    items = parse_payload(await request.body())
    if not items:
        raise HTTPException(status_code=422, detail="no articles")
    if len(items) > ctx.max_articles:
        raise HTTPException(status_code=413, detail=f"at most {ctx.max_articles} articles per request")
    articles = to_articles(items, ctx.settings.max_article_chars)
    known = await anyio.to_thread.run_sync(known_ids, ctx, articles)
    fresh = [a for a in articles if a.id not in known]
    problems: list[IngestProblem] = []
    analyses = await anyio.to_thread.run_sync(analyse, ctx, fresh, problems) if fresh else []
    reported = list(problems)
    result = await anyio.to_thread.run_sync(store_batch, ctx, analyses, problems)
    listed = [{"article_id": a.article.id, "doc_id": a.article.doc_id, "events": len(a.events),
               "already_stored": False} for a in analyses]
    listed += [{"article_id": a.id, "doc_id": a.doc_id, "events": None, "already_stored": True}
               for a in articles if a.id in known]
    return {
        "articles": listed,
        "articles_written": getattr(result, "articles_written", 0),
        "articles_skipped": getattr(result, "articles_skipped", 0) + len(articles) - len(fresh),
        "events_written": getattr(result, "events_written", 0),
        "problems": [{"origin": p.origin, "code": p.code, "reason": p.reason} for p in reported],
    }


def known_ids(ctx: ApiContext, articles: list[Article]) -> set[str]:
    """Articles already stored are not analysed again (re-posting is cheap and a no-op)."""
    if not ctx.access.path.exists():
        return set()
    return set(ctx.access.read(lambda store: store.known_article_ids(a.id for a in articles)))
