"""The analyst's pages in a real headless Chromium (issue 20, items 2, 6 and 7): the overview's
time axis keeps to the articles' dates and lists what lies outside; the network and the
map take date/type/status filters (and the network a top N) and the network's labels do
not overlap (measured from the drawn text boxes); the dyad page takes names and shows the
API's refusal as a sentence; the events page downloads every matching row as CSV.

One server and one browser for the module (the fixtures of ``test_web_dashboard``);
skipped when Chromium or its driver is missing.
"""

from __future__ import annotations

import csv
import io
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kronika.config import Settings
from kronika.store import Store
from kronika.store import synthetic as syn
from test_web_dashboard import CHROMIUM, DRIVER, ROOT, SHOTS, chromium, open_view, served

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="chromium and chromium-driver are not installed"),
]

# Thirty countries, each acting on three others: a network too dense to label naively.
COUNTRIES = ["USA", "RUS", "CHN", "JPN", "DEU", "FRA", "GBR", "IND", "BRA", "IRN", "IRQ", "ISR", "SYR", "TUR",
             "UKR", "POL", "ITA", "ESP", "CAN", "MEX", "KOR", "PRK", "PAK", "AFG", "EGY", "SAU", "NGA", "ZAF",
             "AUS", "IDN"]
NAMES = {"JPN": "Japan", "RUS": "Russia"}
TYPES = [("CONSULT", "occurred"), ("ASSAULT", "occurred"), ("ACCUSE", "planned"), ("AID", "denied")]
CITIES = [("Tokyo", 1850147, 35.6895, 139.6917, "JPN"), ("Moscow", 524901, 55.7522, 37.6156, "RUS"),
          ("Paris", 2988507, 48.8534, 2.3488, "FRA")]
FIRST, LAST = "2005-01-10", "2007-11-20"  # the articles' span


def _store(path: Path) -> int:
    """Articles of 2005-2007 (one per month), events among COUNTRIES, three of them dated
    by a passing mention of 1945 or 1990 (background); returns the number of events."""
    analyses, n = [], 0
    months = [f"{y}-{m:02d}" for y in (2005, 2006, 2007) for m in range(1, 12)]
    dates = [FIRST] + [f"{ym}-15" for ym in months[1:-1]] + [LAST]
    for k, published in enumerate(dates):
        events = []
        art = syn.article(" ".join(f"Sentence {i} of report {k}." for i in range(6)), published, title=f"Report {k}")
        for i in range(3):
            src = COUNTRIES[(k + i) % 30]
            tgt = COUNTRIES[(k + i + (1, 3, 7)[i]) % 30]
            type_, status = TYPES[(k + i) % len(TYPES)]
            place = syn.place(*CITIES[(k + i) % 3]) if i == 0 else None
            events.append(syn.event(art, type_, syn.ref(src, NAMES.get(src)), syn.ref(tgt, NAMES.get(tgt)), published,
                                    sentence=i, status=status, place=place))
        if k in (3, 9, 20):  # history mentioned in passing
            events.append(syn.event(art, "ASSAULT", syn.ref("DEU"), syn.ref("POL"), "1945" if k < 10 else "1990",
                                    sentence=4))
        if k % 4 == 0:  # a Japan-Russia meeting, told twice in the article: two reports, one happening
            events += [syn.event(art, "CONSULT", syn.ref("JPN", "Japan"), syn.ref("RUS", "Russia"), published,
                                 sentence=s, place=syn.place(*CITIES[0])) for s in (4, 5)]
        analyses.append(syn.analysis(art, events))
        n += len(events)
    with Store(path) as store:
        store.write_batch(analyses)
    return n


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    db = tmp_path_factory.mktemp("pages") / "pages.duckdb"
    n = _store(db)
    with served(db) as base:
        yield base, n


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


def _axis_years(d) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    lo, hi = d.execute_script(
        "const gd = document.querySelector('[data-testid=\"chart-volume\"]'); return gd._fullLayout.xaxis.range;")
    return int(str(lo)[:4]), int(str(hi)[:4])


def test_web_overview_axis_spans_the_articles_and_lists_what_lies_outside(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    browser.get_log("browser")
    d = open_view(browser, base, "overview", "pages-overview")
    lo, hi = d.execute_script(
        "const gd = document.querySelector('[data-testid=\"chart-volume\"]'); return gd._fullLayout.xaxis.range;")
    assert "2004-12-16" <= str(lo)[:10] <= "2005-01-01" and str(hi)[:10] == "2007-11-30"  # not 1945
    assert _axis_years(d) == (2004, 2007)  # the articles' years (half a month of margin for the first bar)
    note = d.find_element("css selector", '[data-testid="outside-span"]').text
    assert "3 events are dated outside the articles' span" in note and "1945 (2)" in note and "1990 (1)" in note
    assert "3 events are background" in note
    assert d.find_element("css selector", '[data-testid="kpi-span"] .v').text == f"{FIRST} – {LAST}"
    # Reports and happenings: nine meetings are each told twice.
    kpi = d.find_element("css selector", '[data-testid="kpi-events"]').text
    assert "120" in kpi and "reports of 111 distinct happenings" in kpi
    d = open_view(browser, base, "overview?count=events", "pages-overview-events")
    assert d.find_element("css selector", '[data-testid="kpi-events"] .v').text == "111"
    assert "count=events" in d.find_element("id", "twin").get_attribute("href")
    bars = d.execute_script("const gd = document.querySelector('[data-testid=\"chart-volume\"]');"
                            "return gd.data.reduce((n, t) => n + t.y.reduce((a, b) => a + b, 0), 0);")
    assert bars == 111
    d.find_element("css selector", '[data-testid="show-all-dates"]').click()
    time.sleep(0.3)
    assert _axis_years(d)[0] <= 1945  # everything, on request


def _label_boxes(d) -> list[dict[str, float]]:  # type: ignore[no-untyped-def]
    return d.execute_script(
        """return [...document.querySelectorAll('[data-testid="chart-network"] .textpoint text')]
             .filter(t => t.textContent.trim()).map(t => { const r = t.getBoundingClientRect();
               return {x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, text: t.textContent}; });""")


def test_web_network_filters_top_n_and_labels_do_not_overlap(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    d = open_view(browser, base, "network", "pages-network")
    n_nodes = d.execute_script(
        "const gd = document.querySelector('[data-testid=\"chart-network\"]'); return gd.data[gd.data.length - 1].x.length;")
    assert n_nodes == 25  # the default top N of 30 actors
    boxes = _label_boxes(d)
    assert len(boxes) >= 20, boxes  # most nodes labelled ...
    for i, a in enumerate(boxes):  # ... and no two labels overlap
        for b in boxes[i + 1:]:
            assert a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"], (a, b)
    # Filters go to the API (and to the JSON twin); the top N is the reader's.
    d = open_view(browser, base, "network?since=2006-01&until=2006-12&type=ASSAULT&status=occurred&top=5",
                  "pages-network-filtered")
    twin = d.find_element("id", "twin").get_attribute("href")
    assert all(p in twin for p in ("since=2006-01", "until=2006-12", "type=ASSAULT", "status=occurred"))
    nodes = d.execute_script(
        "const gd = document.querySelector('[data-testid=\"chart-network\"]'); return gd.data[gd.data.length - 1].x.length;")
    assert 0 < nodes <= 5
    assert d.find_element("css selector", '[data-testid="filters"] input[name="type"]').get_attribute("value") == "ASSAULT"
    # Weights in happenings: the nine meetings told twice weigh 9, not 18.
    d = open_view(browser, base, "network?count=events&top=2", "pages-network-events")
    assert "count=events" in d.find_element("id", "twin").get_attribute("href")
    weights = d.execute_script("""const gd = document.querySelector('[data-testid="chart-network"]');
        return gd.data[gd.data.length - 1].customdata.map(c => c[1]);""")
    d = open_view(browser, base, "network?top=2", "pages-network-reports")
    reports = d.execute_script("""const gd = document.querySelector('[data-testid="chart-network"]');
        return gd.data[gd.data.length - 1].customdata.map(c => c[1]);""")
    assert [r - w for r, w in zip(reports, weights, strict=True)] == [9, 9]  # JPN and RUS


def test_web_map_takes_the_same_filters(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, _ = site
    d = open_view(browser, base, "map", "pages-map")
    everywhere = d.execute_script("return document.querySelector('[data-testid=\"chart-map\"]').data[1].x.length;")
    assert everywhere == 3
    d = open_view(browser, base, "map?type=CONSULT&since=2005&until=2005-12-31", "pages-map-filtered")
    assert "type=CONSULT" in d.find_element("id", "twin").get_attribute("href")
    filtered = d.execute_script("return document.querySelector('[data-testid=\"chart-map\"]').data[1].customdata.map(c => c[0]);")
    assert 0 < sum(filtered) < 12  # CONSULT events of 2005 only
    # Happenings: the Japan-Russia meetings told twice are one point each, not two.
    d = open_view(browser, base, "map?count=events", "pages-map-events")
    assert "count=events" in d.find_element("id", "twin").get_attribute("href")
    assert d.find_element("css selector", '[data-testid="filters"] select[name="count"]').get_attribute("value") == "events"
    happenings = d.execute_script("return document.querySelector('[data-testid=\"chart-map\"]').data[1].customdata.map(c => c[0]);")
    d = open_view(browser, base, "map", "pages-map-reports")
    reports = d.execute_script("return document.querySelector('[data-testid=\"chart-map\"]').data[1].customdata.map(c => c[0]);")
    assert sum(reports) - sum(happenings) == 9  # nine meetings, each told twice


def test_web_dyad_takes_names_and_explains_a_refusal_in_a_sentence(site, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    base, _ = site
    d = open_view(browser, base, "dyad/Japan/Russia", "pages-dyad-names")
    assert "Japan" in d.find_element("css selector", "#main .card h2").text
    total = "return document.querySelector('[data-testid=\"chart-dyad\"]').data.filter(t => t.type === 'bar')" \
            ".reduce((n, t) => n + t.customdata.reduce((a, b) => a + b, 0), 0);"
    assert d.execute_script(total) == 18  # nine meetings, each told twice
    d = open_view(browser, base, "dyad/Japan/Russia?count=events", "pages-dyad-events")
    assert d.execute_script(total) == 9 and "count=events" in d.find_element("id", "twin").get_attribute("href")
    assert d.execute_script(
        "return document.querySelector('[data-testid=\"chart-dyad\"]').data.reduce((n, t) => n + t.x.length, 0);") > 0
    browser.get(f"{base}/#/dyad/Atlantis/Russia")
    WebDriverWait(browser, 20).until(lambda x: x.find_elements("css selector", "#main .error"))
    browser.save_screenshot(str(SHOTS / "pages-dyad-error.png"))
    text = browser.find_element("css selector", "#main .error").text
    assert "Atlantis" in text and text.startswith("Could not load data: ")
    assert "{" not in text and "[" not in text  # a sentence, not JSON
    assert browser.find_elements("css selector", "#main form input[name=a]")  # the form stays to correct it
    # A validation error whose detail is a list is also said as a sentence.
    said = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
           import('/static/js/util.js').then(m => done(m.sentence(
             [{loc: ['query', 'limit'], msg: 'limit must be a whole number', type: 'value_error'}])));""")
    assert said == "limit: limit must be a whole number"
    browser.get_log("browser")  # the 422 above is logged by Chromium; it is the point of the test


def test_web_events_csv_download_streams_every_matching_row(site, browser) -> None:  # type: ignore[no-untyped-def]
    base, n = site
    d = open_view(browser, base, "events", "pages-events")
    link = d.find_element("css selector", '[data-testid="download-csv"]').get_attribute("href")
    assert "format=csv" in link and "limit=" not in link and "offset=" not in link
    with urllib.request.urlopen(link, timeout=30) as res:  # noqa: S310 (our own test server)
        rows = list(csv.DictReader(io.StringIO(res.read().decode("utf-8"))))
    assert len(rows) == n > 50  # every event, not the page of 50 on screen
    d = open_view(browser, base, "events?type=CONSULT", "pages-events-consult")
    link = d.find_element("css selector", '[data-testid="download-csv"]').get_attribute("href")
    with urllib.request.urlopen(link, timeout=30) as res:  # noqa: S310
        consult = list(csv.DictReader(io.StringIO(res.read().decode("utf-8"))))
    assert consult and {r["type"] for r in consult} == {"CONSULT"}


@pytest.mark.slow
def test_web_overview_axis_of_the_demo_store_spans_the_articles_years(tmp_path: Path, browser, pipeline,  # type: ignore[no-untyped-def]
                                                                      settings: Settings) -> None:
    """Issue 20's acceptance on the real demo store (``examples/``, as ``make demo`` builds
    it): the overview axis runs over the articles' years, not from 1701 (an event dated
    by a passing mention), and the chart says what lies outside."""
    from kronika.library import ingest_paths

    db = tmp_path / "demo.duckdb"
    ingest_paths([ROOT / "examples"], db, settings=settings, pipeline=pipeline)
    with Store(db, read_only=True) as store:
        first, last = store.fetch_tuples("SELECT min(date), max(date) FROM articles")[0]
        earliest = store.scalar("SELECT min(date_start) FROM events")
    assert earliest.year < first.year  # the demo does mention the past
    with served(db, settings) as base:
        browser.get_log("browser")
        d = open_view(browser, base, "overview", "pages-demo-overview")
        lo, hi = _axis_years(d)
        assert lo in (first.year, first.year - 1) and hi == last.year  # half a month of margin at the start
        note = d.find_element("css selector", '[data-testid="outside-span"]').text
        assert str(earliest.year) in note
