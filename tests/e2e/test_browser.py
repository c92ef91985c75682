"""The app in a real browser: Debian's Chromium driven by Playwright against a live server.

Checks what only a browser shows: a fresh server answering a deep link with the navigation,
every page without an error element, the regional map drawing every region and opening a
region's drill-down on a click, an upload's problems table, names full of markup shown as
typed on every page, and not one request to a host other than the app's own. Screenshots go
to test-output/screenshots/.
"""

from __future__ import annotations

import html
import json
import os
import urllib.request
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.e2e.live_app import CHROMIUM, NAVIGATION, ROOT
from tests.hostile_corpus import bomb, far_cell
from tests.hostile_text import (
    BODY,
    BROKER,
    HOSTILE_FILE_NAME,
    ISOLATED,
    ORDINARY_REGION,
    REGION_BOLD_IMAGE,
    REGION_IMAGE_KATEX,
    hostile_workbook,
)
from tests.mapping_fixtures import HUMANITARIAN_3W, as_csv
from vawmap import charts
from vawmap.i18n import t

SCREENSHOTS = ROOT / "test-output" / "screenshots"
# Every url path of the navigation and its page's st.title, from the English catalogue.
PAGES = {path: t(f"{section}.title") for path, section in NAVIGATION}
# Streamlit serves the default page (default=True) at the root URL and ignores its url_path.
DEFAULT_PAGE = "overview"
# Pages that draw the region map (a plotly MapLibre choropleth).
MAP_PAGES = {"overview", "regional_gaps"}
SAMPLE_GEOJSON = ROOT / "sample_data" / "sample_country.geojson"
SAMPLE_REGIONS = 16
HUMANITARIAN_3W_ORGANISATIONS = sorted({row[0] for row in HUMANITARIAN_3W[1:]})
CLICKED_REGION = "Farhollow"
SERVICES_WITH_TYPO_CSV = b"provider,service_type,region\nMinistry of Health,shelter,Northmor\n"

if not Path(CHROMIUM).exists():
    # scripts/test.sh installs Chromium; in CI its absence is a failure, never a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/test.sh should have installed Debian's chromium")
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)

from playwright.sync_api import Page  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

pytestmark = pytest.mark.browser


def wait_for_run(page: Page) -> None:
    """Until the script run has finished and the browser has nothing left to fetch."""
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=45_000)
    page.wait_for_load_state("networkidle")


def open_page(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=45_000)
    wait_for_run(page)


def assert_healthy(page: Page, server_url: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    # Streamlit's dialog for a url path no page has (it then runs the default page instead).
    assert page.get_by_text("Page not found").count() == 0, f"{page.url}: Page not found"
    assert page.locator("[data-testid='stTopNavLink']").count() == len(PAGES)
    assert page.requested_hosts == {urlparse(server_url).netloc}, page.requested_hosts


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def region_centroid(name: str) -> tuple[float, float]:
    """(lon, lat) of the area centroid of a sample region's outer ring, checked to lie inside it."""
    geojson = json.loads(SAMPLE_GEOJSON.read_text(encoding="utf-8"))
    feature = next(f for f in geojson["features"] if f["properties"]["region"] == name)
    assert feature["geometry"]["type"] == "Polygon"
    ring = feature["geometry"]["coordinates"][0]
    edges = list(zip(ring, ring[1:] + ring[:1]))
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in edges:
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    lon, lat = cx / (3 * area), cy / (3 * area)
    inside = False
    for (x0, y0), (x1, y1) in edges:
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    assert inside, f"the centroid of {name} lies outside it: pick another region to click"
    return lon, lat


# The index of the first plotly chart whose first trace is a MapLibre choropleth, or -1.
FIND_MAP = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .findIndex(plot => plot.data && plot.data[0] && plot.data[0].type === 'choroplethmap')"""

# True once that chart's MapLibre map exists, has loaded its style and is idle (nothing left to draw).
MAP_READY = """(index) => {
    const plot = document.querySelectorAll('.js-plotly-plot')[index];
    const subplot = plot && plot._fullLayout && plot._fullLayout.map && plot._fullLayout.map._subplot;
    const map = subplot && subplot.map;
    return Boolean(map && map.loaded() && map.isStyleLoaded() && !map.isMoving());
}"""

# The viewport pixel of [lon, lat] on that chart's map.
PROJECT = """([index, lonlat]) => {
    const map = document.querySelectorAll('.js-plotly-plot')[index]._fullLayout.map._subplot.map;
    const box = map.getCanvas().getBoundingClientRect();
    const point = map.project(lonlat);
    return {x: box.left + point.x, y: box.top + point.y,
            inside: point.x >= 0 && point.y >= 0 && point.x <= box.width && point.y <= box.height};
}"""


def wait_for_map(page: Page) -> int:
    """The index among the .js-plotly-plot charts of the first MapLibre choropleth, once its map
    has loaded and stopped drawing."""
    page.locator(".js-plotly-plot").first.wait_for(timeout=30_000)
    page.wait_for_function(f"({FIND_MAP})() >= 0", timeout=30_000)
    index = page.evaluate(FIND_MAP)
    page.locator(".js-plotly-plot").nth(index).scroll_into_view_if_needed()
    page.wait_for_function(MAP_READY, arg=index, timeout=30_000)
    return index


def map_locations(page: Page, index: int) -> list[str]:
    """The regions of the map's choropleth trace (MapLibre draws on a canvas: no DOM per region)."""
    return page.evaluate("(index) => document.querySelectorAll('.js-plotly-plot')[index].data[0].locations", index)


def test_a_fresh_server_answers_a_deep_link_with_the_navigation(fresh_server, page):
    open_page(page, f"{fresh_server}/regional_gaps", PAGES["regional_gaps"])
    page.locator("[data-testid='stTopNavLink']").first.wait_for(timeout=30_000)
    assert_healthy(page, fresh_server)
    page.get_by_role("link", name="Overview").click()
    page.get_by_role("heading", name=PAGES["overview"]).first.wait_for(timeout=30_000)
    assert_healthy(page, fresh_server)


def check_page(page: Page, server: str, path: str, name: str) -> None:
    open_page(page, f"{server}/{path}", PAGES[name])
    if name in MAP_PAGES:
        assert len(map_locations(page, wait_for_map(page))) == SAMPLE_REGIONS
    assert_healthy(page, server)
    screenshot(page, name)


def test_the_default_page_is_served_at_the_root(server, page):
    check_page(page, server, "", DEFAULT_PAGE)


# The default page lives at "/" only (Streamlit ignores a default page's url_path): see above.
@pytest.mark.parametrize("name", [name for name in PAGES if name != DEFAULT_PAGE])
def test_every_page_renders_without_errors_or_outside_requests(server, page, name):
    check_page(page, server, name, name)


def test_a_click_on_a_region_of_the_map_opens_its_drill_down(server, page):
    open_page(page, f"{server}/regional_gaps", PAGES["regional_gaps"])
    index = wait_for_map(page)
    locations = map_locations(page, index)
    assert len(locations) == SAMPLE_REGIONS and CLICKED_REGION in locations, locations
    assert page.get_by_role("heading", name=CLICKED_REGION).count() == 0

    target = page.evaluate(PROJECT, [index, list(region_centroid(CLICKED_REGION))])
    assert target["inside"], target
    # plotly picks the clicked region from its hover state, so hover before clicking.
    page.mouse.move(target["x"], target["y"])
    page.mouse.click(target["x"], target["y"])

    page.get_by_role("heading", name=CLICKED_REGION).first.wait_for(timeout=30_000)
    population = page.locator("[data-testid='stMetricLabel']", has_text="Population")
    population.first.wait_for(timeout=30_000)
    wait_for_run(page)
    wait_for_map(page)  # redrawn with the region outlined
    assert page.get_by_role("combobox", name="Region", exact=True).input_value() == CLICKED_REGION
    assert_healthy(page, server)
    screenshot(page, "regional_gaps_drill_down")


def test_an_upload_in_the_browser_shows_its_problems(server, page):
    open_page(page, f"{server}/data", PAGES["data"])
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "services.csv", "mimeType": "text/csv", "buffer": SERVICES_WITH_TYPO_CSV}]
    )
    # The grid draws on a canvas; its cells live in a hidden table for screen readers.
    page.get_by_text("Did you mean 'Northmoor'?").first.wait_for(state="attached", timeout=30_000)
    assert_healthy(page, server)
    screenshot(page, "data_upload_problems")


def test_choosing_french_translates_the_page_and_keeps_the_map(server, page):
    open_page(page, f"{server}/regional_gaps", PAGES["regional_gaps"])
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()  # the language
    page.get_by_role("option", name="Français").click()
    page.get_by_role("heading", name=t("regional.title", "fr")).first.wait_for(timeout=30_000)
    wait_for_run(page)  # the rerun in French redraws the map: wait for it before looking at it
    assert len(map_locations(page, wait_for_map(page))) == SAMPLE_REGIONS
    assert page.get_by_role("link", name=t("nav.overview", "fr")).count() == 1  # the navigation too
    assert_healthy(page, server)
    screenshot(page, "regional_gaps_fr")


# What each page shows of the hostile workbook (tests/hostile_text.py), read as a person reads it.
HOSTILE_TEXT_BY_PAGE = {
    "overview": (REGION_BOLD_IMAGE, REGION_IMAGE_KATEX, ORDINARY_REGION),
    "stakeholders": (BROKER, ISOLATED),
    "sectors": (),
    "regional_gaps": (REGION_BOLD_IMAGE,),
    "coordination": (BODY, REGION_IMAGE_KATEX, ORDINARY_REGION),
    "data": (),
}


def on_tile(name: str) -> str:
    """A region name as its tile shows it: wrapped (lines run together in the text) and cut."""
    return html.unescape(charts.tile_name(name).replace("<br>", ""))


# What the charts write on the page (tiles of the region map, the heatmap's rows), not on hover.
HOSTILE_CHART_TEXT_BY_PAGE = {
    "overview": (on_tile(REGION_BOLD_IMAGE), on_tile(REGION_IMAGE_KATEX)),
    "regional_gaps": (on_tile(REGION_BOLD_IMAGE), on_tile(REGION_IMAGE_KATEX)),
}
CHART_TEXT = "() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => plot.textContent).join('\\n')"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Images, links and media that point anywhere but the app: a name read as Markdown or HTML.
OUTSIDE_LINKS = """(origin) => [...document.querySelectorAll('img, a, image, source, video, audio, iframe')]
    .map(element => ['src', 'href', 'xlink:href'].map(name => element.getAttribute(name)).find(Boolean) || '')
    .filter(url => url && !/^(data:|blob:|#)/.test(url))
    .map(url => new URL(url, document.baseURI).href)
    .filter(url => !url.startsWith(origin))"""


def shown_text(page: Page) -> str:
    """The page as a person reads it: its innerText without the invisible word joiners md() puts
    inside autolinks, shortcodes and arrows."""
    return page.evaluate("() => document.body.innerText").replace("\u2060", "")


def go_to(page: Page, name: str) -> None:
    """Switch pages by the navigation, keeping the session (and the uploaded dataset)."""
    page.locator("[data-testid='stTopNavLink']", has_text=t(f"nav.{name}")).first.click()
    page.get_by_role("heading", name=PAGES[name]).first.wait_for(timeout=45_000)
    wait_for_run(page)


def assert_shown_as_typed(page: Page, server: str, expected: tuple[str, ...], in_charts: tuple[str, ...]) -> None:
    if in_charts:  # plotly draws after the page's run ends: wait until it has, then read
        with suppress(PlaywrightTimeout):  # the assertions below say what is missing
            page.wait_for_function(
                f"(names) => names.every(name => ({CHART_TEXT})().includes(name))", arg=list(in_charts), timeout=30_000
            )
    text, charts = shown_text(page), page.evaluate(CHART_TEXT)
    for name in expected:
        assert name in text, (page.url, name)
    for name in in_charts:
        assert name in charts, (page.url, name)
    assert page.evaluate(OUTSIDE_LINKS, server) == []
    assert page.locator(".katex").count() == 0
    assert_healthy(page, server)


def test_names_full_of_markup_show_as_typed_on_every_page(server, page):
    open_page(page, f"{server}/data", PAGES["data"])
    page.locator("input[type='file']").set_input_files(
        files=[{"name": HOSTILE_FILE_NAME, "mimeType": XLSX_MIME, "buffer": hostile_workbook()}]
    )
    page.locator(".st-key-apply_upload button").first.wait_for(timeout=45_000)
    wait_for_run(page)
    assert t("data.check_result", files=HOSTILE_FILE_NAME) in shown_text(page)
    page.locator(".st-key-apply_upload button").first.click()
    page.get_by_text(t("data.applied", sheets="")[:-2], exact=False).first.wait_for(timeout=45_000)
    wait_for_run(page)

    for name, expected in HOSTILE_TEXT_BY_PAGE.items():
        go_to(page, name)
        sidebar = page.locator("[data-testid='stSidebar']").inner_text().replace("\u2060", "")
        assert HOSTILE_FILE_NAME in sidebar
        if name == "stakeholders":
            page.get_by_role("tab", name=t("stakeholders.network")).click()
        if name == "regional_gaps":  # open the drill-down from the region list
            page.get_by_role("combobox", name=t("regional.region_label"), exact=True).click()
            page.get_by_role("option", name=REGION_BOLD_IMAGE, exact=True).click()
            page.locator("[data-testid='stMetricLabel']", has_text=t("home.population")).first.wait_for(timeout=30_000)
            wait_for_run(page)
            assert t("regional.detail_heading", region=REGION_BOLD_IMAGE) in shown_text(page)
        assert_shown_as_typed(page, server, expected, HOSTILE_CHART_TEXT_BY_PAGE.get(name, ()))
        screenshot(page, f"hostile_{name}")


def test_hostile_workbooks_are_refused_and_the_server_keeps_serving(fresh_server, page):
    open_page(page, f"{fresh_server}/data", PAGES["data"])
    page.locator("input[type='file']").set_input_files(
        files=[
            {"name": "far.xlsx", "mimeType": XLSX_MIME, "buffer": far_cell(None)},
            {"name": "bomb.xlsx", "mimeType": XLSX_MIME, "buffer": bomb(40, 100_000)},
        ]
    )
    # The grid draws on a canvas; its cells live in a hidden table for screen readers.
    page.get_by_text("XFD1048576", exact=False).first.wait_for(state="attached", timeout=30_000)
    page.get_by_text("zip bomb", exact=False).first.wait_for(state="attached", timeout=30_000)
    screenshot(page, "data_hostile_workbooks")

    with urllib.request.urlopen(f"{fresh_server}/_stcore/health", timeout=5) as response:
        assert response.status == 200
    open_page(page, f"{fresh_server}/", PAGES["overview"])  # a new session, with the sample still there
    assert_healthy(page, fresh_server)


def test_a_3w_mapped_in_the_browser_loads_its_organisations(server, page):
    open_page(page, f"{server}/data", PAGES["data"])
    page.locator("input[type='file']").first.set_input_files(
        files=[{"name": "3w.csv", "mimeType": "text/csv", "buffer": as_csv(HUMANITARIAN_3W)}]
    )
    page.get_by_text(t("mapping.heading")).first.wait_for(timeout=30_000)
    wait_for_run(page)
    # The Health cluster is set aside as proposed; kept here as services of unspecified type.
    page.get_by_role("combobox", name=t("mapping.value_label", value="Health", count="1")).click()
    page.keyboard.type(t("mapping.keep_unspecified")[:20])  # the list is long: typing filters it
    page.get_by_role("option", name=t("mapping.keep_unspecified")).click()
    wait_for_run(page)
    page.get_by_role("button", name=t("data.apply", sheets="Services")).click()
    page.get_by_text(t("data.applied", sheets="Services")).first.wait_for(timeout=30_000)
    wait_for_run(page)
    page.get_by_role("tab", name="Services (3)").click()
    for provider in ("IRC", "UNFPA", "MSF"):  # the GBV rows and the Health row kept; the other clusters not
        page.get_by_text(provider, exact=True).first.wait_for(state="attached", timeout=30_000)
    assert page.get_by_text("NRC", exact=True).count() == 0
    assert_healthy(page, server)
    screenshot(page, "data_mapped_3w")

    # Every organisation is at the table, a Shelter-cluster one too; the regions are the map's.
    go_to(page, "stakeholders")
    page.get_by_text(t("stakeholders.derived_heading", count=len(HUMANITARIAN_3W_ORGANISATIONS))).first.click()
    for organisation in HUMANITARIAN_3W_ORGANISATIONS:
        page.get_by_text(organisation, exact=True).first.wait_for(state="attached", timeout=30_000)
    screenshot(page, "stakeholders_mapped_3w")
    go_to(page, "regional_gaps")
    assert_shown_as_typed(page, server, (), ("Lofa", "Bong"))
    screenshot(page, "regional_gaps_mapped_3w")
