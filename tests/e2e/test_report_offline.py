"""The HTML report in a real browser, opened from a file:// path as a participant would open an
e-mailed copy: not one request leaves the file, and every chart draws (the map too).
A screenshot of the top of the report goes to test-output/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.report_fixtures import hostile_report_dataset, sample_report
from vawmap.gaps.assess import assess
from vawmap.report.content import report_content
from vawmap.report.html import report_html

# What a page makes for itself, never a request to a host: MapLibre's worker is a blob: URL.
IN_PAGE = {"file", "blob", "data"}
ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]

if not Path(CHROMIUM).exists():
    # scripts/test.sh installs Chromium; in CI its absence is a failure, never a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/test.sh should have installed Debian's chromium")
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser


def opened(path: Path, screenshot: str | None = None) -> tuple[list[str], int, int, list[str], str]:
    """Open the file in Chromium at 1440×900: (every request made outside the file and what the
    page makes itself,
    the plots drawn, the plotly <div>s, the page's errors, its title)."""
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(path.as_uri(), wait_until="load")
            page.wait_for_function(
                "document.querySelectorAll('.plotly-graph-div').length"
                " === document.querySelectorAll('.plotly-graph-div .main-svg').length / 2"
                " || document.querySelectorAll('.plotly-graph-div .plot-container').length"
                " === document.querySelectorAll('.plotly-graph-div').length",
                timeout=30_000,
            )
            page.wait_for_timeout(1_000)  # the map's canvas draws after the svg layers
            drawn = page.locator(".plotly-graph-div .plot-container").count()
            divs = page.locator(".plotly-graph-div").count()
            title = page.title()
            if screenshot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"{screenshot}.png"))
                page.locator("#gap_map").screenshot(path=str(SCREENSHOTS / f"{screenshot}_map.png"))
        finally:
            browser.close()
    return [url for url in requests if urlparse(url).scheme not in IN_PAGE], drawn, divs, errors, title


def test_the_html_report_opened_from_a_file_makes_no_request_and_draws_every_chart(tmp_path):
    report = sample_report("fr", with_boundaries=True)
    path = tmp_path / "rapport.html"
    path.write_bytes(report_html(report))
    requests, drawn, divs, errors, title = opened(path, "report_fr_1440x900")
    assert requests == []
    assert divs == len(report.figures()) == 2  # the map and the sectors' bars
    assert drawn == divs
    assert errors == []
    assert title == report.title


def test_a_report_of_hostile_names_runs_no_script_of_theirs_and_still_draws(tmp_path):
    dataset = hostile_report_dataset()
    report = report_content(dataset, assess(dataset.frames), "en")
    path = tmp_path / "report.html"
    path.write_bytes(report_html(report))
    requests, drawn, divs, errors, title = opened(path)
    assert requests == []  # an <img src="https://..."> in a name would have asked for it
    assert drawn == divs == len(report.figures())
    assert errors == []
    assert title == report.title  # a name closing the script tag ran nothing
