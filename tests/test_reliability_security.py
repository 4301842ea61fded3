"""Security of the HTTP API, complementing ``test_api_security.py`` (which covers fixed
injection strings in filters, static-file traversal, token refusals, body size by header,
CORS on a GET, security headers, query time limits and a locked store).

Here: generated injection strings in every parameter and path segment (never a 500, store
intact), traversal through API path parameters and the dashboard root, page-size and
streamed-body limits, that no endpoint takes a filesystem path, that the token compare is
constant-time, a source audit of every f-string that reaches SQL, CORS preflights, and
that the only write route is ``POST /api/articles``.
"""

from __future__ import annotations

import ast
import inspect
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import ROOT
from kronika.api import create_app
from kronika.config import Settings
from test_api_fixtures import N_EVENTS, build_store

TOKEN = "reliability-security-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
CASES: Counter[str] = Counter()
HOSTILE = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["' OR 1=1 --", "'; DROP TABLE events; --", "%", "_", "\\", "' UNION SELECT text FROM articles --",
                     "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "\x00", "JPN\x00RUS", "${jndi:ldap://x}",
                     "{{7*7}}", "<script>alert(1)</script>", "1e309", "-1", "NaN", "2019-02-30", "9" * 400,
                     "read_csv('/etc/passwd')", "COPY events TO '/tmp/x.csv'", "JPN,RUS,CHN", "JPN'--,RUS"]),
)
FILTER_PARAMS = ["actor", "source", "target", "dyad", "type", "quad_class", "status", "since", "until", "place", "bbox",
                 "text", "article_id", "cluster_id", "format", "limit", "offset", "interval", "level", "min_weight"]
GET_PATHS = ["/api/events", "/api/map", "/api/clusters", "/api/volume", "/api/network", "/api/timeline"]


@pytest.fixture(scope="module", autouse=True)
def _report_counts() -> Iterator[None]:
    yield
    print(f"\n[reliability-security] generated cases: {sum(CASES.values())} "
          + ", ".join(f"{k}={v}" for k, v in sorted(CASES.items())))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("relsec") / "demo.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(Settings(api_max_page=50), store_path=db), raise_server_exceptions=False)


# --------------------------------------------------------------------------- injection, fuzzed


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(GET_PATHS), param=st.sampled_from(FILTER_PARAMS), value=HOSTILE)
def test_reliability_fuzzed_query_parameters_never_500(client: TestClient, path: str, param: str, value: str) -> None:
    CASES["query-params"] += 1
    res = client.get(path, params={param: value})
    assert res.status_code in (200, 404, 422), (path, param, value, res.status_code, res.text[:300])
    if res.status_code == 200 and path == "/api/events" and param in ("actor", "source", "target", "text", "place"):
        assert res.json()["total"] <= N_EVENTS


@hsettings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(["/api/dyads/{}/RUS", "/api/dyads/JPN/{}", "/api/articles/{}", "/api/clusters/{}"]),
       value=HOSTILE.filter(lambda v: v.strip() != ""))
def test_reliability_fuzzed_path_segments_never_500(client: TestClient, template: str, value: str) -> None:
    CASES["path-segments"] += 1
    from urllib.parse import quote

    res = client.get(template.format(quote(value, safe="")))
    assert res.status_code in (200, 404, 405, 422), (template, value, res.status_code, res.text[:300])
    assert "root:" not in res.text


def test_reliability_store_intact_after_fuzzing(client: TestClient) -> None:
    assert client.get("/api/summary").json()["events"] == N_EVENTS


@pytest.mark.parametrize("value", ["%", "_", "\\", "%%", "\\%"])
def test_reliability_like_wildcards_are_literal(client: TestClient, value: str) -> None:
    """``text`` search escapes LIKE wildcards: "%" alone must not match every event."""
    assert client.get("/api/events", params={"text": value}).json()["total"] == 0


@pytest.mark.parametrize("path", [
    "/api/articles/..%2F..%2F..%2Fetc%2Fpasswd", "/api/articles/%2e%2e", "/api/clusters/..%5c..%5cwin.ini",
    "/api/dyads/..%2F..%2Fetc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "//etc/passwd", "/static/%252e%252e/%252e%252e/pyproject.toml", "/docs/../../pyproject.toml",
    "/api/articles/%00", "/openapi.json/../../../etc/passwd",
])
def test_reliability_api_and_root_refuse_traversal(client: TestClient, path: str) -> None:
    res = client.get(path)
    assert res.status_code in (400, 404, 405, 422), (path, res.status_code)
    assert "root:" not in res.text and "[project]" not in res.text


# --------------------------------------------------------------------------- limits


@pytest.mark.parametrize("path", ["/api/events", "/api/map", "/api/clusters", "/api/timeline"])
def test_reliability_page_size_is_capped(client: TestClient, path: str) -> None:
    res = client.get(path, params={"limit": 10**9})
    assert res.status_code == 200
    data = res.json()
    items = data.get("items", data.get("points", []))
    assert len(items) <= 50
    if "limit" in data:
        assert data["limit"] <= 50


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": -1}, {"offset": -1}, {"offset": 10**12},
                                    {"limit": "1e9"}, {"limit": "ten"}])
def test_reliability_bad_paging_is_422(client: TestClient, params: dict[str, object]) -> None:
    assert client.get("/api/events", params=params).status_code == 422


@pytest.fixture()
def writable(db: Path) -> TestClient:
    settings = Settings(api_token=TOKEN, api_max_body_bytes=10_000)
    app = create_app(settings, store_path=db, pipeline_factory=lambda: pytest.fail("must not analyse"))
    return TestClient(app, raise_server_exceptions=False)


def test_reliability_streamed_body_over_the_limit_is_413(writable: TestClient) -> None:
    """A chunked body (no Content-Length to refuse up front) is cut off while streaming."""

    def chunks() -> Iterator[bytes]:
        yield b'{"date": "2020-01-01", "text": "'
        for _ in range(100):
            yield b"x" * 1000
        yield b'"}'

    res = writable.post("/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert res.status_code == 413


def test_reliability_deeply_nested_json_body_is_422_not_500(writable: TestClient) -> None:
    body = b"[" * 3000 + b"]" * 3000
    res = writable.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert res.status_code in (413, 422)


# --------------------------------------------------------------------------- no paths, one write route


FORBIDDEN_PARAM_NAMES = {"path", "file", "filename", "dir", "directory", "folder", "db", "database", "store",
                         "store_path", "dest", "output", "src", "source_file"}


def test_reliability_no_endpoint_takes_a_filesystem_path(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    for route, methods in schema["paths"].items():
        for method, op in methods.items():
            names = {p["name"].lower() for p in op.get("parameters", [])}
            assert not names & FORBIDDEN_PARAM_NAMES, (method, route, names)
    body = schema["components"]["schemas"]["ArticleIn"]["properties"]
    assert not set(body) & FORBIDDEN_PARAM_NAMES


def test_reliability_a_db_parameter_is_ignored(client: TestClient, tmp_path: Path) -> None:
    other = build_store(tmp_path / "other.duckdb")
    plain = client.get("/api/summary").json()
    assert client.get("/api/summary", params={"db": str(other), "store": str(other)}).json() == plain
    assert client.get("/api/summary", params={"db": "/etc/passwd"}).status_code == 200


def test_reliability_posted_url_is_metadata_never_fetched(db: Path, tmp_path: Path) -> None:
    """``url`` in a posted article is stored as text; nothing is read from it."""
    seen: list[str] = []

    class Recorder:
        def analyze_many(self, articles, *, n_process=1, on_error=None):  # noqa: ANN001, ANN202
            from kronika.store import synthetic as syn

            for art in articles:
                seen.append(art.text)
                yield syn.analysis(art, [])

    own = tmp_path / "own.duckdb"
    app = create_app(Settings(api_token=TOKEN), store_path=own, pipeline_factory=Recorder)
    c = TestClient(app)
    res = c.post("/api/articles", headers=AUTH, json={"text": "Short text.", "date": "2020-01-01",
                                                       "url": "file:///etc/passwd"})
    assert res.status_code == 200, res.text
    assert seen == ["Short text."]


def test_reliability_the_only_write_route_is_post_articles(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    writes = sorted((route, m.upper()) for route, ops in schema["paths"].items() for m in ops if m != "get")
    assert writes == [("/api/articles", "POST")]
    for method in ("PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/events").status_code == 405
        assert client.request(method, "/api/articles").status_code == 405
    assert client.post("/api/events", json={}).status_code == 405
    assert client.post("/", json={}).status_code in (404, 405)


def test_reliability_empty_token_setting_means_read_only(db: Path) -> None:
    c = TestClient(create_app(Settings(api_token=""), store_path=db, pipeline_factory=lambda: pytest.fail("no")))
    for header in ("Bearer ", "Bearer", ""):
        res = c.post("/api/articles", json={"text": "x", "date": "2020-01-01"}, headers={"Authorization": header})
        assert res.status_code == 403


def test_reliability_non_ascii_token_is_refused_cleanly(writable: TestClient) -> None:
    res = writable.post("/api/articles", json={"text": "x", "date": "2020-01-01"},
                        headers={"Authorization": "Bearer \u00e9\u00e9".encode("latin-1")})  # type: ignore[dict-item]
    assert res.status_code == 401


def test_reliability_token_compare_is_constant_time() -> None:
    """``check_token`` compares with ``hmac.compare_digest`` and never with ``==``/``!=``."""
    from kronika.api import ingest

    tree = ast.parse(inspect.getsource(ingest.check_token))
    calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    assert "hmac.compare_digest" in calls
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            text = ast.unparse(node)
            assert "expected" not in text and "given" not in text and "token" not in text, text


def test_reliability_serve_binds_loopback_by_default() -> None:
    from kronika.cli import serve_cmd

    default = inspect.signature(serve_cmd.serve).parameters["host"].default
    assert default == "127.0.0.1"


# --------------------------------------------------------------------------- CORS


def test_reliability_cors_preflight_refused_by_default(client: TestClient) -> None:
    res = client.options("/api/articles", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization"})
    assert "access-control-allow-origin" not in res.headers
    assert "access-control-allow-methods" not in res.headers


def test_reliability_cors_opt_in_never_allows_cross_origin_writes(db: Path) -> None:
    c = TestClient(create_app(Settings(api_token=TOKEN, api_cors_origins=["https://ok.example"]),
                              store_path=db))
    res = c.options("/api/articles", headers={"Origin": "https://ok.example", "Access-Control-Request-Method": "POST"})
    assert "POST" not in res.headers.get("access-control-allow-methods", "")
    res = c.options("/api/events", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert res.headers.get("access-control-allow-origin") != "https://evil.example"


# --------------------------------------------------------------------------- SQL source audit

SQL_METHODS = {"execute", "executemany", "fetch", "fetch_tuples", "scalar", "sql", "query"}
# Every expression interpolated into SQL text today, audited by hand (issue 9): each is a
# module constant, a WHERE clause built only of "?" placeholders (``query.filters.where``),
# a name from a fixed tuple checked before use, or (export/import, CLI only) a file path
# quoted by ``exchange._literal``. A new interpolation fails here until someone reviews it.
AUDITED_SQL_INTERPOLATIONS = {
    "clause", "order", "_ORDER_RECENT", "EVENT_SELECT", "marks", "table", "names", "unnests", "part", "inside",
    "interval", "scope", "_ORDER", "_CLUSTER_COLUMNS", "_FROM", "_TOP", "'AND' if clause else 'WHERE'",
    "_literal(path)", "_COPY_OPTIONS[fmt]", "src[table]", "src['articles']", "src['events']",
    "src['event_actors']", "src['ingest_errors']", "column", "located", "COMPACT_ORDER", "coarse",
    "LEARNED_ACTORS_SQL",
    # issue 20: clustering's fixed column list; the count aggregate, one of two fixed
    # fragments chosen by a value checked against query.clusters.COUNTS.
    "_ITEM_SQL", "count_sql(count)", "count_sql(count, 'u')",
    # issue 20, the map's happenings: query.events' fixed point columns and cluster key.
    "_POINT_COLUMNS", "_HAPPENING",
    # migration 0008: the records' fixed column list, or the same with a NULL for a column an
    # unmigrated read-only store lacks (query.records.event_select; no value of the caller's).
    "event_select(store)", "event_columns(store, _POINT_COLUMNS)",
}


def _sql_interpolations(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SQL_METHODS and node.args):
            continue
        sql = node.args[0]
        if isinstance(sql, ast.JoinedStr):
            for part in sql.values:
                if isinstance(part, ast.FormattedValue):
                    yield node.lineno, ast.unparse(part.value)
        elif isinstance(sql, ast.BinOp) and isinstance(sql.op, ast.Mod):
            yield node.lineno, f"% formatting: {ast.unparse(sql)[:60]}"
        elif isinstance(sql, ast.Call) and isinstance(sql.func, ast.Attribute) and sql.func.attr == "format":
            yield node.lineno, f".format(): {ast.unparse(sql)[:60]}"


def test_reliability_sql_text_only_interpolates_audited_expressions() -> None:
    found = []
    for pkg in ("store", "query", "api"):
        for f in sorted((ROOT / "src" / "kronika" / pkg).glob("*.py")):
            for line, expr in _sql_interpolations(f):
                if expr not in AUDITED_SQL_INTERPOLATIONS:
                    found.append(f"{f.relative_to(ROOT)}:{line}: {expr}")
    assert not found, "SQL built from unaudited expressions (bind user values with ?):\n" + "\n".join(found)


def test_reliability_sql_audit_catches_an_injection() -> None:
    """The audit itself can fail: user text in an f-string is reported."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write("def bad(store, name):\n    return store.fetch(f\"SELECT * FROM events WHERE source_text = '{name}'\")\n"
                "def worse(con, name):\n    con.execute(\"SELECT '%s'\" % name)\n")
    found = [e for _, e in _sql_interpolations(Path(f.name)) if e not in AUDITED_SQL_INTERPOLATIONS]
    Path(f.name).unlink()
    assert found and found[0] == "name" and "% formatting" in found[1]
