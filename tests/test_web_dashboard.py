"""The dashboard in a real headless Chromium: every page renders its charts with data, a
click on a chart leads to events and from an event to its highlighted evidence.

Skipped when Chromium or its driver is missing (CI installs both). Screenshots land in
``test-output/`` for a person to look at.
"""

from __future__ import annotations

import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from kronika.config import Settings
from test_api_fixtures import PLACES, build_store

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver are not installed"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(db: Path, settings: Settings | None = None) -> Iterator[str]:
    """The API and dashboard over store ``db``, served by uvicorn on a free loopback port in a
    thread; yields the base URL (every browser test module starts its server this way)."""
    import uvicorn

    from kronika.api import create_app

    port = free_port()
    config = uvicorn.Config(create_app(settings or Settings(), store_path=db), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium() -> Iterator[object]:
    """One headless Chromium with its own throw-away profile, browser logs kept."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kronika-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM or ""
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER or ""), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with served(build_store(tmp_path_factory.mktemp("web") / "demo.duckdb")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


def open_view(driver, base: str, hash_: str, name: str):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{base}/#/{hash_}")
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return document.getElementById('main').dataset.ready") == "1"
    )
    time.sleep(0.3)  # let Plotly finish its transitions before the screenshot
    SHOTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert not errors, errors
    assert not driver.find_elements("css selector", "#main .error")
    return driver


def traces_with_points(driver, testid: str) -> int:  # type: ignore[no-untyped-def]
    """Number of points Plotly drew in the chart ``testid`` (0 when it has no data)."""
    return int(driver.execute_script(
        """const gd = document.querySelector(`[data-testid="${arguments[0]}"]`);
           if (!gd || !gd.data) return 0;
           return gd.data.reduce((n, t) => n + ((t.x || t.values || []).filter(v => v !== null).length), 0);""",
        testid,
    ))


def test_web_overview_renders_charts_with_data(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    d = open_view(browser, server, "overview", "overview")
    for chart in ("chart-volume", "chart-actors", "chart-dyads", "chart-status", "chart-types"):
        assert traces_with_points(d, chart) > 0, chart
    assert d.find_element("css selector", '[data-testid="kpi-events"] .v').text == "12"
    assert d.find_element("id", "twin").get_attribute("href").endswith("/api/summary")


def test_web_dyad_chart_click_leads_to_event_and_evidence(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    d = open_view(browser, server, "dyad/JPN/RUS", "dyad")
    assert traces_with_points(d, "chart-dyad") > 0
    bar = d.find_elements("css selector", '[data-testid="chart-dyad"] .barlayer .point path')[0]
    ActionChains(d).move_to_element(bar).click().perform()
    WebDriverWait(d, 10).until(lambda x: x.find_elements("css selector", '[data-testid="dyad-events"] tbody tr'))
    d.save_screenshot(str(SHOTS / "dyad-clicked.png"))
    row = d.find_elements("css selector", '[data-testid="dyad-events"] tbody tr')[0]
    evidence = row.find_element("css selector", "td.ev").text
    event_id = row.get_attribute("data-event")
    row.click()
    WebDriverWait(d, 10).until(lambda x: x.find_elements("css selector", "mark.sel"))
    time.sleep(0.2)
    d.save_screenshot(str(SHOTS / "article-evidence.png"))
    mark = d.find_element("css selector", "mark.sel")
    assert mark.get_attribute("data-event") == event_id
    assert mark.text.strip() == evidence.strip()


def test_web_network_renders_and_node_click_filters_events(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    d = open_view(browser, server, "network", "network")
    assert traces_with_points(d, "chart-network") > 0
    d.execute_script(
        """const gd = document.querySelector('[data-testid="chart-network"]');
           const t = gd.data.length - 1;
           gd.emit('plotly_click', {points: [{data: gd.data[t], text: gd.data[t].text[0]}]});""")
    WebDriverWait(d, 10).until(lambda x: "#/events?actor=" in x.current_url)


def test_web_map_draws_base_map_and_event_places(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    d = open_view(browser, server, "map", "map")
    land, places = d.execute_script(
        """const gd = document.querySelector('[data-testid="chart-map"]');
           return [gd.data[0].x.filter(v => v !== null).length, gd.data[1].x.length];""")
    assert land > 1000  # Natural Earth outlines, served locally
    assert places == len(PLACES)  # every place of the fixture, one marker each
    notes = d.execute_script(
        """const gd = document.querySelector('[data-testid="chart-map"]');
           return gd.data[1].customdata.map(c => c[1]);""")
    assert any("placed by the article's context" in n for n in notes) and "" in notes


def test_web_events_table_pages_and_opens_article(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    d = open_view(browser, server, "events?actor=JPN", "events")
    rows = d.find_elements("css selector", '[data-testid="event-table"] tbody tr')
    assert rows
    rows[0].click()
    WebDriverWait(d, 10).until(lambda x: x.find_elements("css selector", "mark.sel"))
    assert d.find_element("css selector", ".evcard.sel")


def test_web_empty_store_shows_friendly_empty_states(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from kronika.api import create_app
    from kronika.store import Store

    db = tmp_path / "empty.duckdb"
    Store(db).close()
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(Settings(), store_path=db), host="127.0.0.1",
                                        port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        for view in ("overview", "dyad", "network", "map", "events"):
            d = open_view(browser, f"http://127.0.0.1:{port}", view, f"empty-{view}")
            assert d.find_elements("css selector", "#main .empty"), view
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_web_missing_store_explains_what_to_do(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    from kronika.api import create_app

    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(Settings(), store_path=tmp_path / "none.duckdb"),
                                        host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    while not srv.started:
        time.sleep(0.05)
    try:
        from selenium.webdriver.support.ui import WebDriverWait

        browser.get(f"http://127.0.0.1:{port}/#/overview")
        WebDriverWait(browser, 20).until(
            lambda d: d.execute_script("return document.getElementById('main').dataset.ready") == "1")
        browser.save_screenshot(str(SHOTS / "no-store.png"))
        assert "kronika ingest" in browser.find_element("css selector", "#main .empty").text
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_web_docs_page_loads_swagger_offline(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("swagger_ui", reason="swagger-ui-py (Swagger UI assets) is not installed")
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{server}/docs")
    WebDriverWait(browser, 20).until(lambda x: x.find_elements("css selector", ".opblock"))
    browser.save_screenshot(str(SHOTS / "docs.png"))
    assert len(browser.find_elements("css selector", ".opblock")) >= 10


def test_web_clusters_page_lists_reports_and_opens_mentions(server: str, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")  # drop what earlier tests' pages logged (e.g. a missing store's 404)
    d = open_view(browser, server, "clusters", "clusters")
    rows = d.find_elements("css selector", '[data-testid="cluster-table"] tbody tr')
    assert rows and "reported by" in rows[0].text
    rows[0].click()
    WebDriverWait(d, 10).until(lambda x: "#/cluster/" in x.current_url and x.find_elements(
        "css selector", '[data-testid="cluster-mentions"] tbody tr'))
    mentions = d.find_elements("css selector", '[data-testid="cluster-mentions"] tbody tr')
    mentions[0].click()  # a mention leads to its evidence in the article
    WebDriverWait(d, 10).until(lambda x: x.find_elements("css selector", "mark.sel"))
    link = d.find_element("css selector", '.evcard.sel [data-testid="cluster-link"]')
    assert "#/cluster/" in link.get_attribute("href") and "reported by" in link.text
