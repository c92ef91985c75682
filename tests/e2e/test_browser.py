"""The app in a real browser: Debian's Chromium driven by Playwright against a live server.

Checks what only a browser shows: a fresh server answering a deep link with the navigation,
every page without an error element, an upload's problems table, and not one request to a
host other than the app's own. Screenshots go to test-output/screenshots/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]
PAGES = {"home": "Coordinated response", "data": "Data: upload, check, download"}
SERVICES_WITH_TYPO_CSV = b"provider,service_type,region\nMinistry of Health,shelter,Northmor\n"

if not Path(CHROMIUM).exists():
    # scripts/test.sh installs Chromium; in CI its absence is a failure, never a skip.
    if os.environ.get("CI"):
        raise RuntimeError(f"{CHROMIUM} is missing: scripts/test.sh should have installed Debian's chromium")
    pytest.skip("Debian's chromium is not installed (scripts/test.sh installs it)", allow_module_level=True)

from playwright.sync_api import Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {seconds} s")


@contextmanager
def running_server():
    """A streamlit server of this app on a free local port, stopped afterwards."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def fresh_server():
    """A server no browser has talked to yet (for the cold deep link)."""
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def server():
    with running_server() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A page that records the host of every request it makes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.requested_hosts = set()
    page.on("request", lambda request: page.requested_hosts.add(urlparse(request.url).netloc))
    yield page
    context.close()


def open_page(page: Page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=45_000)
    page.wait_for_load_state("networkidle")


def assert_healthy(page: Page, server_url: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stTopNavLink']").count() == len(PAGES)
    assert page.requested_hosts == {urlparse(server_url).netloc}, page.requested_hosts


def test_a_fresh_server_answers_a_deep_link_with_the_navigation(fresh_server, page):
    open_page(page, f"{fresh_server}/data", PAGES["data"])
    assert_healthy(page, fresh_server)
    page.get_by_role("link", name="Home").click()
    page.get_by_role("heading", name=PAGES["home"]).first.wait_for(timeout=30_000)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_without_errors_or_outside_requests(server, page, name):
    open_page(page, f"{server}/{name}", PAGES[name])
    assert_healthy(page, server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_an_upload_in_the_browser_shows_its_problems(server, page):
    open_page(page, f"{server}/data", PAGES["data"])
    page.locator("input[type='file']").set_input_files(
        files=[{"name": "services.csv", "mimeType": "text/csv", "buffer": SERVICES_WITH_TYPO_CSV}]
    )
    # The grid draws on a canvas; its cells live in a hidden table for screen readers.
    page.get_by_text("Did you mean 'Northmoor'?").first.wait_for(state="attached", timeout=30_000)
    assert_healthy(page, server)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "data_upload_problems.png", full_page=True)
