"""The charts as a projector shows them: Debian's Chromium at 1440×900 against a live server.

The region map writes every region's name without a request to any host but the app's (the
names are an image layer of the map, a data: URL; MapLibre's own text would fetch glyphs), no
text of a chart is drawn under 14 px, and a screenshot of the Overview, the Stakeholders' grid
and network and the Regional gaps goes to test-output/screenshots/projector/ to be looked at.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.e2e.live_app import recording_page
from tests.e2e.test_browser import (
    PAGES,
    SAMPLE_REGIONS,
    SCREENSHOTS,
    open_page,
    wait_for_map,
    wait_for_run,
)

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1440, "height": 900}
SHOTS = SCREENSHOTS / "projector"
MIN_TEXT_PX = 14

# The map's image layers as MapLibre holds them: each one's source loaded, its corners and the
# names the figure says it wrote.
MAP_LABELS = """(index) => {
    const plot = document.querySelectorAll('.js-plotly-plot')[index];
    const map = plot._fullLayout.map._subplot.map;
    const style = map.getStyle();
    const images = Object.entries(style.sources).filter(([, source]) => source.type === 'image');
    return {
        images: images.map(([id, source]) => ({
            id, url: source.url.slice(0, 22), loaded: map.getSource(id).loaded(),
            drawn: style.layers.some(layer => layer.source === id && layer.type === 'raster'
                && (layer.layout || {}).visibility !== 'none'),
        })),
        names: (plot.layout.meta || {}).region_names || [],
    };
}"""

# Every text plotly drew as SVG on the page: its content and its font size in pixels.
CHART_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot svg text')]
    .filter(node => node.textContent.trim() && node.getBoundingClientRect().width > 0)
    .map(node => ({text: node.textContent, px: parseFloat(getComputedStyle(node).fontSize)}))"""


@pytest.fixture
def page(browser):
    """A 1440×900 page that records the host of every request it makes."""
    context, page = recording_page(browser, PROJECTOR)
    yield page
    context.close()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def assert_chart_text_readable(page: Page) -> None:
    texts = page.evaluate(CHART_TEXTS)
    assert texts, "no chart text found: the selector no longer reads plotly's SVG"
    small = [text for text in texts if text["px"] < MIN_TEXT_PX]
    assert small == [], small


def test_the_regional_map_writes_every_region_name_without_an_outside_request(server, page):
    open_page(page, f"{server}/regional_gaps", PAGES["regional_gaps"])
    index = wait_for_map(page)
    page.locator(".js-plotly-plot").nth(index).scroll_into_view_if_needed()
    shoot(page, "regional_gaps")
    labels = page.evaluate(MAP_LABELS, index)
    assert len(labels["images"]) == 1, labels
    image = labels["images"][0]
    assert image["url"].startswith("data:image/png"), image
    assert image["loaded"] and image["drawn"], image
    assert len(labels["names"]) == SAMPLE_REGIONS, labels["names"]
    wait_for_run(page)
    assert page.requested_hosts == {urlparse(server).netloc}, page.requested_hosts
    assert_chart_text_readable(page)


def test_the_overview_at_1440_by_900(server, page):
    open_page(page, server, PAGES["overview"])
    wait_for_map(page)
    wait_for_run(page)
    shoot(page, "overview")
    assert page.requested_hosts == {urlparse(server).netloc}, page.requested_hosts
    assert_chart_text_readable(page)


@pytest.mark.parametrize("tab", ["grid", "network"])
def test_the_stakeholders_grid_and_network_name_their_actors(server, page, tab):
    from vawmap.i18n import t

    open_page(page, f"{server}/stakeholders", PAGES["stakeholders"])
    page.get_by_role("tab", name=t(f"stakeholders.{tab}")).click()
    chart = page.locator("[data-testid='stTabPanel']:visible .js-plotly-plot").first
    chart.wait_for(timeout=30_000)
    chart.scroll_into_view_if_needed()
    wait_for_run(page)
    shoot(page, f"stakeholders_{tab}")
    names = chart.locator("g.textpoint text").all_text_contents()
    assert len([name for name in names if name.strip()]) >= 10, names
    assert page.requested_hosts == {urlparse(server).netloc}, page.requested_hosts
    assert_chart_text_readable(page)
