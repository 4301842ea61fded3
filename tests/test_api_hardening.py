"""Regression tests for issue 19 ("seven ways to break Kronika"), HTTP side, over real HTTP.

F1: a Unicode digit ("²") in a numeric parameter gave HTTP 500 on six routes; every numeric
value now goes through ``kronika.numbers`` (ASCII digits, bounded) and a refusal is a
coded 422.
F2: a Cyrillic actor in ``/api/dyads/{a}/{b}?format=csv`` gave 500 (Content-Disposition is
Latin-1) and a ``"`` in it added a ``filename*=`` parameter; the header is now built by
``formats.content_disposition`` (RFC 6266: ASCII fallback + RFC 5987 ``filename*``).
F7 (API): the 503 body for a corrupt store carried the store's absolute path; every error
body now goes through ``api.redact.public_text``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kronika.api import create_app
from kronika.api.formats import content_disposition
from kronika.config import Settings
from kronika.errors import QueryError, StoreError
from kronika.numbers import parse_decimal, parse_int
from test_api_fixtures import build_store

PLACE_ROUTES = ["/api/events", "/api/volume", "/api/network", "/api/timeline", "/api/clusters", "/api/map"]
NUMERIC = [("/api/events", "limit"), ("/api/events", "offset"), ("/api/map", "limit"), ("/api/clusters", "offset"),
           ("/api/network", "min_weight"), ("/api/timeline", "limit")]
# Every character Unicode calls a digit or a number: "²", "١", "Ⅻ", "½", "𝟗", fullwidth "９"...
UNICODE_NUMBERS = st.characters(categories=["Nd", "No", "Nl"])
FAST = hsettings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("hardening") / "demo.duckdb")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(Settings(), store_path=db), raise_server_exceptions=False)


def coded_422(res) -> str:  # noqa: ANN001 - an httpx response
    assert res.status_code == 422, (res.status_code, res.text[:300])
    body = res.json()
    assert body["code"].startswith("K5") and body["detail"], body
    return body["code"]


# --------------------------------------------------------------------------- F1: numbers


@pytest.mark.parametrize("path", PLACE_ROUTES)
def test_api_place_unicode_digit_is_coded_422_not_500(client: TestClient, path: str) -> None:
    """The reproduction of F1, on each of the six routes."""
    assert coded_422(client.get(f"{path}?place=%C2%B2")) == "K508"
    assert client.get(path, params={"place": "1850147"}).status_code == 200  # an ASCII GeoNames id still works


@FAST
@given(path=st.sampled_from(PLACE_ROUTES), digits=st.text(UNICODE_NUMBERS, min_size=1, max_size=6))
def test_api_place_of_any_digits_is_an_id_or_a_coded_422(client: TestClient, path: str, digits: str) -> None:
    res = client.get(path, params={"place": digits})
    if digits.isascii():
        assert res.status_code == 200, res.text[:300]
    else:
        assert coded_422(res) == "K508"


@FAST
@given(route=st.sampled_from(NUMERIC),
       value=st.one_of(st.text(max_size=25), st.text(UNICODE_NUMBERS, min_size=1, max_size=4),
                       st.sampled_from(["1_0", "+5", "-1", "0x10", "1e3", "5.0", "9" * 19, "9" * 400, "٣", "²"])))
def test_api_numeric_parameters_take_ascii_digits_only(client: TestClient, route: tuple[str, str], value: str) -> None:
    path, name = route
    res = client.get(path, params={name: value})
    assert res.status_code in (200, 422), (path, name, value, res.status_code, res.text[:300])
    text = value.strip(" \t")
    if res.status_code == 422:
        coded_422(res)
    else:  # accepted only as plain ASCII digits (or an empty value: the default)
        assert text == "" or (text.isascii() and text.isdigit()), (name, value)


@given(st.one_of(st.text(max_size=30), st.text(UNICODE_NUMBERS, max_size=5), st.integers().map(str)))
def test_parse_int_accepts_ascii_digits_only(value: str) -> None:
    try:
        got = parse_int(value, "n", hi=10**18)
    except QueryError as exc:
        assert exc.code == "K508"
        text = value.strip(" \t")
        assert not (text.isascii() and text.isdigit() and len(text) <= 18) or int(text) > 10**18
        return
    text = value.strip(" \t")
    assert text.isascii() and text.isdigit() and got == int(text) and 0 <= got <= 10**18


@given(st.one_of(st.text(max_size=30), st.floats().map(repr), st.sampled_from(["nan", "inf", "1_0", "١.٥", "1e999"])))
def test_parse_decimal_is_ascii_finite_and_bounded(value: str) -> None:
    try:
        got = parse_decimal(value, "x", lo=-180, hi=180)
    except QueryError as exc:
        assert exc.code == "K508"
        return
    assert value.strip(" \t").isascii() and -180 <= got <= 180


def test_api_validation_errors_are_coded(client: TestClient) -> None:
    """Every 422 carries a code: FastAPI's own validation errors (K509) as well."""
    assert coded_422(client.get("/api/events", params={"format": "xml"})) == "K509"
    assert coded_422(client.get("/api/events/bad%20id")) == "K509"
    assert coded_422(client.get("/api/events", params={"since": "last week"})) == "K503"
    assert coded_422(client.get("/api/events", params={"bbox": "١,2,3,4"})) == "K504"
    assert coded_422(client.get("/api/events", params={"limit": "1_0"})) == "K508"


@FAST
@given(year=st.text(UNICODE_NUMBERS, min_size=4, max_size=4).filter(lambda y: not y.isascii()))
def test_api_dates_in_other_scripts_digits_are_coded_422(client: TestClient, year: str) -> None:
    assert coded_422(client.get("/api/events", params={"since": year})) == "K503"
    assert coded_422(client.get("/api/dyads/JPN/RUS", params={"until": f"{year}-01"})) == "K503"


# --------------------------------------------------------------------------- F2: Content-Disposition


# RFC 6266 with exactly two parameters: a quoted ASCII fallback, then RFC 5987's ext-value
# (charset, empty language, attr-chars and %XX only). fullmatch: nothing else may follow.
DISPOSITION = re.compile(r'attachment; filename="([A-Za-z0-9._-]+)"; '
                         r"filename\*=UTF-8''((?:[A-Za-z0-9!#$&+.^_`|~-]|%[0-9A-F]{2})+)", re.ASCII)


def disposition_params(value: str) -> tuple[str, str]:
    """(``filename``, decoded ``filename*``); fails unless ``value`` has exactly that form."""
    match = DISPOSITION.fullmatch(value)
    assert match, value
    return match.group(1), unquote(match.group(2), errors="strict")


def test_api_dyad_csv_with_a_cyrillic_name_downloads(client: TestClient) -> None:
    """The reproduction of F2: a name no store or knowledge base holds is now refused
    (K514, issue 20) with the name intact in the JSON; a known one downloads."""
    res = client.get("/api/dyads/Россия/JPN?format=csv")
    assert res.status_code == 422 and "'Россия'" in res.json()["detail"] and res.json()["code"] == "K514"
    res = client.get("/api/dyads/Russia/JPN?format=csv")
    assert res.status_code == 200
    fallback, exact = disposition_params(res.headers["content-disposition"])
    assert exact == "dyad-Russia-JPN.csv" and fallback == "dyad-Russia-JPN.csv"
    assert content_disposition("dyad-Россия-JPN.csv") == (
        "attachment; filename=\"dyad-_-JPN.csv\"; filename*=UTF-8''dyad-%D0%A0%D0%BE%D1%81%D1%81%D0%B8%D1%8F-JPN.csv")


def test_api_dyad_csv_quote_in_a_name_adds_no_parameter(client: TestClient) -> None:
    res = client.get("/api/dyads/" + quote('a"; filename*=UTF-8\'\'evil.exe', safe="") + "/JPN?format=csv")
    assert res.status_code == 422 and res.json()["code"] == "K514"  # an actor nothing knows (issue 20)
    assert "content-disposition" not in res.headers
    fallback, exact = disposition_params(content_disposition('dyad-a"; filename*=UTF-8\'\'evil.exe-JPN.csv'))
    assert exact == 'dyad-a"; filename*=UTF-8\'\'evil.exe-JPN.csv' and '"' not in fallback and ";" not in fallback


ACTOR = st.text(min_size=1, max_size=30).filter(
    lambda v: v.strip() not in ("", ".", "..") and not any(c in "/\\" or ord(c) < 32 for c in v))


def visible(name: str) -> str:
    return "".join(c for c in name if unicodedata.category(c)[0] != "C")


@FAST
@given(a=ACTOR, b=ACTOR)
def test_api_dyad_csv_header_is_ascii_and_names_the_file_exactly(client: TestClient, a: str, b: str) -> None:
    res = client.get(f"/api/dyads/{quote(a, safe='')}/{quote(b, safe='')}", params={"format": "csv"})
    if res.status_code == 422:  # an actor nothing knows is refused with a code (issue 20), no download
        assert res.json()["code"] in ("K514", "K515") and "content-disposition" not in res.headers
        return
    assert res.status_code == 200, res.text[:300]
    value = res.headers["content-disposition"]
    assert value.isascii() and "\r" not in value and "\n" not in value
    _, exact = disposition_params(value)
    assert exact == visible(f"dyad-{a.strip()}-{b.strip()}.csv")


@given(st.text(max_size=200))
def test_content_disposition_of_any_name_has_exactly_two_parameters(name: str) -> None:
    value = content_disposition(name)
    _, exact = disposition_params(value)
    assert exact == (visible(name)[:150] or "kronika")


# --------------------------------------------------------------------------- F7: no paths in responses


def corrupt_stores(good: Path, folder: Path) -> dict[str, Path]:
    data = good.read_bytes()
    stores = {"garbage": b"not a database" * 1000, "truncated": data[: len(data) // 3], "empty": b"",
              "zeroed-header": b"\0" * 8192 + data[8192:]}
    out = {}
    for name, content in stores.items():
        out[name] = folder / f"{name}.duckdb"
        out[name].write_bytes(content)
    out["directory"] = folder / "directory.duckdb"
    out["directory"].mkdir()
    out["missing"] = folder / "missing.duckdb"
    return out


@pytest.mark.parametrize("kind", ["garbage", "truncated", "empty", "zeroed-header", "directory", "missing"])
def test_api_corrupt_or_missing_store_is_coded_and_names_no_path(db: Path, tmp_path: Path, kind: str) -> None:
    folder = tmp_path / "secret-folder"
    folder.mkdir()
    store = corrupt_stores(db, folder)[kind]
    client = TestClient(create_app(Settings(), store_path=store), raise_server_exceptions=False)
    for path in ["/api/events", "/api/summary", "/api/articles/abc", "/api/dyads/JPN/RUS?format=csv"]:
        res = client.get(path)
        assert res.status_code in (200, 404, 503), (kind, path, res.status_code, res.text[:300])
        if res.status_code != 200:
            body = res.json()
            assert body["code"].startswith("K4") or body["code"].startswith("K5"), body
        assert str(folder) not in res.text and "secret-folder" not in res.text, (kind, path, res.text[:300])
        assert str(tmp_path) not in res.text


def test_api_unexpected_error_is_coded_500_without_details(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kronika.store.access as access

    def broken(path: Path, read_only: bool) -> None:
        raise RuntimeError(f"boom at {path.resolve()}")

    monkeypatch.setattr(access, "_open_store", broken)
    client = TestClient(create_app(Settings(), store_path=db), raise_server_exceptions=False)
    res = client.get("/api/events")
    assert res.status_code == 500 and res.json()["code"] == "K000"
    assert str(db.parent) not in res.text and "boom" not in res.text


@given(st.text(max_size=80), st.lists(st.text(st.characters(blacklist_characters="/\x00", codec="utf-8"),
                                              min_size=1, max_size=8), min_size=1, max_size=4))
def test_public_text_leaves_no_absolute_path(prefix: str, parts: list[str]) -> None:
    from kronika.api.redact import public_text

    path = "/" + "/".join(parts)
    out = public_text(f"{prefix} cannot open {path}: failed", path)
    assert path not in out or path == "/" + parts[-1]


# --------------------------------------------------------------------------- POST: per-article problems


@pytest.fixture()
def writer(tmp_path: Path) -> TestClient:
    from test_api_ingest import TOKEN, FakePipeline

    app = create_app(Settings(api_token=TOKEN), store_path=tmp_path / "post.duckdb",
                     pipeline_factory=FakePipeline)
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["Authorization"] = f"Bearer {TOKEN}"
    return client


def test_api_post_blank_or_nul_articles_are_k104_like_file_ingest(writer: TestClient) -> None:
    for text in ["   \n\t ", "\x00\x00\x00", "\x00 \x00\n", ""]:
        res = writer.post("/api/articles", json={"text": text, "date": "2020-01-01"})
        assert res.status_code == 422 and res.json()["code"] == "K104", (text, res.text)
        assert [p["code"] for p in res.json()["problems"]] == ["K104"]
    assert writer.get("/api/summary").json()["articles"] == 0


def test_api_post_one_bad_article_gets_its_own_error_and_the_others_land(writer: TestClient) -> None:
    body = [{"text": "FRA met ITA in Rome.", "date": "2020-02-03", "id": "good-1"},
            {"text": "   ", "date": "2020-02-03"},
            {"text": "\x00\x00", "date": "2020-02-03"},
            {"text": "USA met CAN in Ottawa.", "date": "0001-01-01"},
            {"text": "USA met MEX in Mexico.", "date": "9999-12-31"},
            {"text": "DEU met POL in Warsaw.", "date": "2020-02-30"},
            {"text": "", "date": "2020-02-03"},
            {"text": "ESP met PRT in Lisbon.", "date": "2020-02-04", "id": "good-2"}]
    res = writer.post("/api/articles", json=body)
    assert res.status_code == 200, res.text
    out = res.json()
    assert out["articles_written"] == 2 and [a["doc_id"] for a in out["articles"]] == ["good-1", "good-2"]
    assert {p["origin"]: p["code"] for p in out["problems"]} == {
        "api#1": "K104", "api#2": "K104", "api#3": "K103", "api#4": "K103", "api#5": "K103", "api#6": "K104"}
    summary = writer.get("/api/summary").json()
    assert summary["articles"] == 2 and summary["events"] == 2 and summary["ingest_errors"] == 6


def test_api_post_an_article_the_store_refuses_costs_only_itself(writer: TestClient,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch the store cannot write (K407) is written one article at a time."""
    from kronika.store import Store

    real = Store.write_batch

    def picky(self, analyses, problems=()):  # noqa: ANN001, ANN202
        if any("poison" in a.article.text for a in analyses):
            raise StoreError("batch not written (nothing of it was kept): overflow", code="K407")
        return real(self, analyses, problems)

    monkeypatch.setattr(Store, "write_batch", picky)
    body = [{"text": "FRA met ITA. poison", "date": "2020-02-03"}, {"text": "ESP met PRT.", "date": "2020-02-04"},
            {"text": "USA met CAN.", "date": "2020-02-05"}]
    out = writer.post("/api/articles", json=body).json()
    assert out["articles_written"] == 2 and len(out["articles"]) == 2
    assert [(p["origin"], p["code"]) for p in out["problems"]] == [("api#0", "K407")]
    assert writer.get("/api/summary").json()["articles"] == 2


CALENDAR_ENDS = st.one_of(st.dates(max_value=dt.date(101, 1, 1)), st.dates(min_value=dt.date(9899, 1, 1)), st.dates())


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(day=CALENDAR_ENDS, n=st.integers(0, 10**9))
def test_api_post_dates_at_the_ends_of_the_calendar_never_lose_the_others(writer: TestClient, day: dt.date,
                                                                         n: int) -> None:
    good = {"text": f"FRA met ITA on day {n}.", "date": "2020-02-03"}
    edge = {"text": f"USA met CAN on day {n}.", "date": day.isoformat()}
    res = writer.post("/api/articles", json=[edge, good])
    assert res.status_code == 200, res.text
    out = res.json()
    stored = {a["article_id"]: a for a in out["articles"]}
    problems = {p["origin"]: p["code"] for p in out["problems"]}
    assert "api#1" not in problems and len(stored) + len(problems) == 2
    if "api#0" in problems:
        assert problems["api#0"] in ("K103", "K407")


@given(st.text(UNICODE_NUMBERS, min_size=1, max_size=6))
def test_query_layer_place_ids_are_ascii_digits(place: str) -> None:
    """The same parser below the API: the library and the CLI get K508 too, never a ValueError."""
    from kronika.query import EventFilter
    from kronika.query.filters import where

    try:
        clause, params = where(EventFilter(place=place))
    except QueryError as exc:
        assert exc.code == "K508" and not place.isascii()
        return
    assert place.isascii() and params == [int(place)] and "location_geonameid" in clause


def test_api_every_http_error_body_is_coded(client: TestClient) -> None:
    """Routing's 404/405 and the routes' own HTTP errors carry a code like the rest."""
    cases = [("get", "/api/nope", 404, "K422"), ("get", "/static/nope.js", 404, "K422"),
             ("delete", "/api/events", 405, "K423"), ("post", "/api/articles", 403, "K421")]
    for method, path, status, code in cases:
        res = getattr(client, method)(path)
        assert (res.status_code, res.json()["code"]) == (status, code), (path, res.text)
    assert client.delete("/api/events").headers["allow"] == "GET"
